"""The secretary's eligibility screening of nominated dossiers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.selectors import user_roles
from councils.forms import ScreeningForm
from councils.models import Council
from councils.selectors import current_council
from dksangtao.roles import Role
from submissions.selectors import current_campaign, dossier_for_user, screening_queue
from submissions.services import ActionRefused, dossier_screen


def _secretary_or_403(user):
    if Role.COUNCIL_SECRETARY not in user_roles(user):
        raise PermissionDenied


def council_with_notice(request) -> Council | None:
    """The current campaign's council; when there is none, a message says so on the page."""
    council = current_council()
    if council is None:
        messages.info(request, _("Chưa có Hội đồng thẩm định cho đợt xét chọn hiện tại."))
    return council


def council_or_403() -> Council:
    """For actions: without a council of the current campaign there is nothing to act on."""
    council = current_council()
    if council is None:
        raise PermissionDenied
    return council


@login_required
def screening_queue_view(request):
    _secretary_or_403(request.user)
    campaign = current_campaign()
    queue = screening_queue(campaign) if campaign else []
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    return render(request, "councils/screening_queue.html", {"campaign": campaign, "page": page})


@login_required
def screening_view(request, pk):
    _secretary_or_403(request.user)
    dossier, _scope = dossier_for_user(request.user, pk)
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
