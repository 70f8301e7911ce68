"""The Front admins' pages: ranking runs (start by hand, watch progress, read a snapshot), the award
list (draft, edit with a reason, approve, publish, amend) and the certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_roles
from awards import services
from awards.certificates import certificates_pdf
from awards.forms import AddForm, AmendForm, HonoureeForm, RemoveForm
from awards.models import AwardChange, AwardList, Honouree, RankedEntry, RankingRun
from awards.ranking import RankingBusy, policy_for, ranking_start
from awards.schedule import exports_start
from dksangtao.roles import Role
from submissions.models import Campaign
from submissions.selectors import current_campaign
from submissions.services import ActionRefused

RUN_PAGE = 100


def is_front_admin(user) -> bool:
    return user.is_authenticated and Role.FRONT_ADMIN in user_roles(user)


def front_admin_or_403(user):
    if not is_front_admin(user):
        raise PermissionDenied


def _campaign(request) -> Campaign | None:
    year = request.GET.get("campaign") or request.POST.get("campaign")
    if year:
        return get_object_or_404(Campaign, year=year) if str(year).isdigit() else None
    return current_campaign() or Campaign.objects.order_by("-year").first()


@login_required
def index_view(request):
    front_admin_or_403(request.user)
    campaign = _campaign(request)
    context = {"campaign": campaign, "campaigns": Campaign.objects.order_by("-year")}
    if campaign is not None:
        context |= {
            "policy": policy_for(campaign),
            "runs": list(RankingRun.objects.filter(campaign=campaign).select_related("started_by")[:10]),
            "lists": list(
                AwardList.objects.filter(campaign=campaign).select_related("drafted_by", "approved_by", "run")
            ),
        }
    return render(request, "awards/index.html", context)


@require_POST
@login_required
def ranking_start_view(request):
    front_admin_or_403(request.user)
    campaign = _campaign(request)
    if campaign is None:
        raise PermissionDenied
    try:
        run = ranking_start(campaign=campaign, actor=request.user)
    except RankingBusy as busy:
        messages.error(request, str(busy))
        if busy.run is not None:
            return redirect("awards:run", pk=busy.run.pk)
        return redirect(f"{reverse('awards:index')}?campaign={campaign.year}")
    messages.success(request, _("Đã bắt đầu lần xếp hạng #%(n)s.") % {"n": run.pk})
    return redirect("awards:run", pk=run.pk)


@require_POST
@login_required
def exports_start_view(request):
    front_admin_or_403(request.user)
    campaign = _campaign(request)
    if campaign is None:
        raise PermissionDenied
    exports_start(campaign)
    messages.success(
        request, _("Đã yêu cầu xuất các báo cáo của đợt; theo dõi tiến độ tại Trung tâm tải báo cáo.")
    )
    return redirect(f"{reverse('awards:index')}?campaign={campaign.year}")


def _run_or_404(pk) -> RankingRun:
    return get_object_or_404(RankingRun.objects.select_related("campaign", "started_by"), pk=pk)


@login_required
def run_view(request, pk):
    """A ranking snapshot: its inputs hash, who and when, and the ranked entries (paginated)."""
    front_admin_or_403(request.user)
    run = _run_or_404(pk)
    entries = RankedEntry.objects.filter(run=run).select_related("dossier__unit", "dossier__field", "field")
    page = Paginator(entries.order_by("field_id", "rank"), RUN_PAGE).get_page(request.GET.get("page"))
    same = (
        RankingRun.objects.filter(
            campaign=run.campaign, inputs_hash=run.inputs_hash, status=RankingRun.Status.DONE
        )
        .exclude(pk=run.pk)
        .order_by("-id")
        .first()
        if run.inputs_hash
        else None
    )
    context = {"run": run, "page": page, "same": same, "lists": AwardList.objects.filter(run=run)}
    return render(request, "awards/run.html", context)


@login_required
def run_progress_view(request, pk):
    """The htmx fragment polled while a run is queued or running."""
    front_admin_or_403(request.user)
    return render(request, "awards/_run_progress.html", {"run": _run_or_404(pk)})


@require_POST
@login_required
def list_draft_view(request, pk):
    front_admin_or_403(request.user)
    run = _run_or_404(pk)
    try:
        award_list = services.award_list_draft(run=run, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("awards:run", pk=run.pk)
    messages.success(request, _("Đã lập dự thảo danh sách tôn vinh từ lần xếp hạng #%(n)s.") % {"n": run.pk})
    return redirect("awards:list", pk=award_list.pk)


def _list_or_404(pk) -> AwardList:
    return get_object_or_404(
        AwardList.objects.select_related("campaign", "run", "drafted_by", "approved_by", "published_by"),
        pk=pk,
    )


def _render_list(request, award_list, *, bound=None, status=200):
    """The list with the ranking beside it; `bound`: (key, form) of a form refused, shown as typed."""
    honourees = list(award_list.honourees.select_related("dossier__field"))
    on_list = {h.dossier_id for h in honourees}
    ranking = list(
        RankedEntry.objects.filter(run_id=award_list.run_id)
        .select_related("dossier__field")
        .order_by("field_id", "rank")
    )
    bound_key, bound_form = bound or (None, None)
    rows = [
        {
            "honouree": h,
            "form": bound_form
            if bound_key == ("change", h.pk)
            else HonoureeForm(
                initial={
                    "name": h.name,
                    "honour": h.honour,
                    "prize_amount": h.prize_amount,
                    "bank_account": h.bank_account,
                    "bank_name": h.bank_name,
                },
                prefix=f"h{h.pk}",
            ),
            "remove_form": bound_form if bound_key == ("remove", h.pk) else RemoveForm(prefix=f"r{h.pk}"),
        }
        for h in honourees
    ]
    choices = [
        (e.dossier_id, f"{e.rank}. {e.dossier.reference} — {e.dossier.title}")
        for e in ranking
        if e.dossier_id not in on_list
    ]
    context = {
        "award_list": award_list,
        "rows": rows,
        "ranking": ranking,
        "on_list": on_list,
        "total": sum(h.prize_amount for h in honourees),
        "add_form": bound_form if bound_key == "add" else AddForm(choices=choices),
        "amend_form": bound_form if bound_key == "amend" else AmendForm(),
        "changes": AwardChange.objects.filter(award_list=award_list).select_related("actor", "dossier"),
        "is_drafter": award_list.drafted_by_id == request.user.pk,
    }
    return render(request, "awards/list.html", context, status=status)


@login_required
def list_view(request, pk):
    front_admin_or_403(request.user)
    return _render_list(request, _list_or_404(pk))


def _honouree_or_404(pk) -> Honouree:
    return get_object_or_404(Honouree.objects.select_related("award_list", "dossier"), pk=pk)


def _act(request, award_list, run, success, *, bound):
    """Shared by the list's POST views: the service, its refusal kept with what was typed."""
    try:
        run()
    except ActionRefused as refused:
        form = bound[1]
        form.add_error(None, str(refused))
        messages.error(request, str(refused))
        return _render_list(request, award_list, bound=bound, status=409)
    messages.success(request, success)
    return redirect("awards:list", pk=award_list.pk)


@require_POST
@login_required
def honouree_change_view(request, pk):
    front_admin_or_403(request.user)
    honouree = _honouree_or_404(pk)
    form = HonoureeForm(request.POST, prefix=f"h{honouree.pk}")
    award_list = _list_or_404(honouree.award_list_id)
    bound = (("change", honouree.pk), form)
    if not form.is_valid():
        return _render_list(request, award_list, bound=bound, status=400)
    data = dict(form.cleaned_data)
    reason = data.pop("reason")
    return _act(
        request,
        award_list,
        lambda: services.honouree_change(honouree=honouree, actor=request.user, reason=reason, **data),
        _("Đã ghi thay đổi của %(name)s.") % {"name": data["name"]},
        bound=bound,
    )


@require_POST
@login_required
def honouree_remove_view(request, pk):
    front_admin_or_403(request.user)
    honouree = _honouree_or_404(pk)
    form = RemoveForm(request.POST, prefix=f"r{honouree.pk}")
    award_list = _list_or_404(honouree.award_list_id)
    bound = (("remove", honouree.pk), form)
    if not form.is_valid():
        return _render_list(request, award_list, bound=bound, status=400)
    return _act(
        request,
        award_list,
        lambda: services.honouree_remove(
            honouree=honouree, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Đã đưa %(name)s ra khỏi danh sách.") % {"name": honouree.name},
        bound=bound,
    )


@require_POST
@login_required
def honouree_add_view(request, pk):
    front_admin_or_403(request.user)
    award_list = _list_or_404(pk)
    ranked = RankedEntry.objects.filter(run_id=award_list.run_id).values_list(
        "dossier_id", "dossier__reference"
    )
    form = AddForm(request.POST, choices=list(ranked))
    bound = ("add", form)
    if not form.is_valid():
        return _render_list(request, award_list, bound=bound, status=400)
    return _act(
        request,
        award_list,
        lambda: services.honouree_add(
            award_list=award_list,
            dossier_id=form.cleaned_data["dossier"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ),
        _("Đã bổ sung hồ sơ vào danh sách."),
        bound=bound,
    )


@require_POST
@login_required
def list_approve_view(request, pk):
    front_admin_or_403(request.user)
    award_list = _list_or_404(pk)
    try:
        services.award_list_approve(award_list=award_list, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã phê duyệt danh sách tôn vinh."))
    return redirect("awards:list", pk=award_list.pk)


@require_POST
@login_required
def list_publish_view(request, pk):
    front_admin_or_403(request.user)
    award_list = _list_or_404(pk)
    try:
        services.award_list_publish(award_list=award_list, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Đã công bố danh sách tôn vinh; giấy chứng nhận đã được cấp số, các đơn vị được thông báo."),
        )
    return redirect("awards:list", pk=award_list.pk)


@require_POST
@login_required
def honouree_amend_view(request, pk):
    front_admin_or_403(request.user)
    award_list = _list_or_404(pk)
    form = AmendForm(request.POST)
    honouree = get_object_or_404(Honouree, pk=request.POST.get("honouree") or 0, award_list=award_list)
    bound = ("amend", form)
    if not form.is_valid():
        return _render_list(request, award_list, bound=bound, status=400)
    return _act(
        request,
        award_list,
        lambda: services.honouree_amend(honouree=honouree, actor=request.user, **form.cleaned_data),
        _("Đã ghi đính chính; trang công khai hiển thị nội dung đính chính."),
        bound=bound,
    )


@login_required
def certificates_view(request, pk):
    """Every certificate of the list in one PDF for printing (numbered once published)."""
    front_admin_or_403(request.user)
    award_list = _list_or_404(pk)
    response = HttpResponse(certificates_pdf(award_list), content_type="application/pdf")
    name = f"giay-chung-nhan-{award_list.campaign.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
