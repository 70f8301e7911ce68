"""The secretary's eligibility screening of nominated dossiers."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from councils.forms import ScreeningForm
from councils.permissions import council_of, may_screen
from councils.selectors import dossier_of_council
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from submissions.selectors import screening_queue
from submissions.services import dossier_screen


@requires(may_screen)
def screening_queue_view(request):
    council = council_of(request.user)
    page = Paginator(screening_queue(council.campaign), 25).get_page(request.GET.get("page"))
    return render(request, "councils/screening_queue.html", {"campaign": council.campaign, "page": page})


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
