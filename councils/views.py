"""The secretary's eligibility screening of nominated dossiers."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from councils.forms import ScreeningForm
from councils.permissions import council_of, may_screen
from councils.selectors import dossier_of_council
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from dksangtao.lists import Listing
from submissions.selectors import screening_queue
from submissions.services import dossier_screen


@requires(may_screen)
def screening_queue_view(request):
    campaign = council_of(request.user).campaign
    listing = Listing(request, screening_queue(campaign))
    context = {"campaign": campaign, "listing": listing, "page": listing.page}
    return render(request, "councils/screening_queue.html", context)


@requires(may_screen)
def screening_view(request, pk):
    dossier = dossier_of_council(council_of(request.user), pk)
    form = ScreeningForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dossier_screen(
                    dossier=dossier,
                    actor=request.user,
                    eligible=form.cleaned_data["decision"] == "eligible",
                    reason=form.cleaned_data["reason"],
                )
            except ActionRefused as refused:
                form.add_error(None, str(refused))
                status = 409
            else:
                messages.success(
                    request, _("Đã ghi kết quả thẩm tra hồ sơ %(ref)s.") % {"ref": dossier.reference}
                )
                return redirect("councils:screening_queue")
        else:
            status = 400
    return render(request, "councils/screening.html", {"dossier": dossier, "form": form}, status=status)
