"""The Front admins' pages: ranking runs (start by hand, watch progress, read a snapshot), the award
list (draft, edit with a reason, approve, publish, amend), the certificates and the campaign's award
policy. Each view: check the role, load through awards.selectors, call one service, render."""

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards import services
from awards.certificates import certificates_pdf
from awards.forms import AddForm, AmendForm, HonoureeForm, PolicyForm, PublishForm, RemoveForm
from awards.models import AwardList, RankedEntry, RankingRun
from awards.permissions import may_approve, may_run_awards
from awards.ranking import RankingBusy, ranking_start
from awards.selectors import (
    PUBLIC_HONOUREE_COLUMNS,
    award_list_for_user,
    chosen_campaign,
    honouree_for_user,
    policy_for,
    ranking_run_for_user,
)
from dksangtao.access import requires
from dksangtao.audit import Action, trail_for
from dksangtao.errors import ActionRefused
from dksangtao.jobs import JobStatus
from dksangtao.lists import Listing
from dksangtao.pdf import pdf_response
from submissions.models import Campaign

RUN_PAGE = 50  # a page of the ranking: 100 rows took 12 ms to render


def _index_url(campaign: Campaign) -> str:
    return f"{reverse('awards:index')}?campaign={campaign.year}"


@requires(may_run_awards)
def index_view(request):
    campaign = chosen_campaign(request, required=False)
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


@requires(may_run_awards)
def policy_view(request):
    """The campaign's award policy: what it honours, the prizes, the quota, the schedule's days."""
    campaign = chosen_campaign(request)
    policy = policy_for(campaign)
    form = PolicyForm(request.POST or None, instance=policy)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in services.POLICY_FIELDS}
            try:
                services.policy_update(campaign=campaign, actor=request.user, **values)
            except ActionRefused as refused:
                form.add_error(None, str(refused))
                status = 409
            else:
                messages.success(request, _("Đã lưu chính sách tôn vinh của đợt."))
                return redirect(_index_url(campaign))
        else:
            status = 400
    context = {
        "campaign": campaign,
        "form": form,
        "events": trail_for(campaign, actions=[Action.POLICY_CHANGED]),
    }
    return render(request, "awards/policy.html", context, status=status)


@require_POST
@requires(may_run_awards)
def ranking_start_view(request):
    campaign = chosen_campaign(request)
    try:
        run = ranking_start(campaign=campaign, actor=request.user)
    except RankingBusy as busy:
        messages.error(request, str(busy))
        if busy.run is not None:
            return redirect("awards:run", pk=busy.run.pk)
        return redirect(_index_url(campaign))
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect(_index_url(campaign))
    run.refresh_from_db()  # a broker that is down has already marked it failed-retryable
    if run.is_retryable:
        messages.error(request, run.error)
    else:
        messages.success(request, _("Đã bắt đầu lần xếp hạng #%(n)s.") % {"n": run.pk})
    return redirect("awards:run", pk=run.pk)


@requires(may_run_awards)
def run_view(request, pk):
    """A ranking snapshot: its inputs hash, who and when, and the ranked entries (paginated)."""
    run = ranking_run_for_user(request.user, pk)
    entries = (
        RankedEntry.objects.filter(run=run)
        .select_related("dossier__unit", "field")
        .only(
            *ENTRY_COLUMNS,
            "novelty",
            "effectiveness",
            "dossier__reference",
            "dossier__title",
            "dossier__unit__name",
            "field__name",
        )
    )
    listing = Listing(request, entries.order_by("field_id", "rank"), page_size=RUN_PAGE)
    same = (
        RankingRun.objects.filter(campaign=run.campaign, inputs_hash=run.inputs_hash, status=JobStatus.DONE)
        .exclude(pk=run.pk)
        .order_by("-id")
        .first()
        if run.inputs_hash
        else None
    )
    context = {
        "run": run,
        "listing": listing,
        "page": listing.page,
        "same": same,
        "lists": AwardList.objects.filter(run=run),
        "events": trail_for(run),
    }
    return render(request, "awards/run.html", context)


@requires(may_run_awards)
def run_progress_view(request, pk):
    """The htmx fragment polled while a run is queued or running."""
    return render(request, "awards/_run_progress.html", {"run": ranking_run_for_user(request.user, pk)})


@require_POST
@requires(may_run_awards)
def list_draft_view(request, pk):
    run = ranking_run_for_user(request.user, pk)
    try:
        award_list = services.award_list_draft(run=run, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("awards:run", pk=run.pk)
    messages.success(request, _("Đã lập dự thảo danh sách tôn vinh từ lần xếp hạng #%(n)s.") % {"n": run.pk})
    return redirect("awards:list", pk=award_list.pk)


HONOUREES_PER_PAGE = 25
# What the list page reads of an honouree and of a ranked entry (not the dossiers' long texts).
HONOUREE_COLUMNS = (*PUBLIC_HONOUREE_COLUMNS, "prize_amount", "bank_account", "bank_name")
ENTRY_COLUMNS = ("run_id", "dossier_id", "field_id", "rank", "score", "classification", "tie_note")
# The ranking beside the list: its head, as many rows as a page of honourees (50 made two rows in
# three of the page); the run's page has every entry.
RANKING_SHOWN = 25


def _page_of(award_list, bound_key, bound_form, data):
    """The query to read the list with: for a row's form refused, the page that shows that row (for
    the amendment, the page of the honouree it names)."""
    pk = None
    if isinstance(bound_key, tuple) and bound_key[0] in ("change", "remove"):
        pk = bound_key[1]
    elif bound_key == "amend" and getattr(bound_form, "cleaned_data", {}).get("honouree") is not None:
        pk = bound_form.cleaned_data["honouree"].pk
    honouree = award_list.honourees.filter(pk=pk).first() if pk is not None else None
    if honouree is None:
        return data
    before = award_list.honourees.filter(
        Q(position__lt=honouree.position) | Q(position=honouree.position, pk__lt=honouree.pk)
    ).count()
    data = data.copy()
    data["page"] = str(before // HONOUREES_PER_PAGE + 1)
    return data


def _row_forms(h, bound_key, bound_form) -> dict:
    initial = {
        name: getattr(h, name) for name in ("name", "honour", "prize_amount", "bank_account", "bank_name")
    }
    return {
        "form": bound_form
        if bound_key == ("change", h.pk)
        else HonoureeForm(initial=initial, prefix=f"h{h.pk}"),
        "remove_form": bound_form if bound_key == ("remove", h.pk) else RemoveForm(prefix=f"r{h.pk}"),
    }


def _amend_form(award_list, bound, page):
    """The amendment names an honouree of the page shown (a province's list holds hundreds: all of
    them as options made the page 120 kB); the view accepts any honouree of the list."""
    form = bound or AmendForm(honourees=award_list.honourees.all())
    form.fields["honouree"].choices = [(h.pk, f"{h.position}. {h.name}") for h in page.object_list]
    return form


def _render_list(request, award_list, *, bound=None, status=200):
    """The list, a page of honourees at a time, with the head of the ranking beside it; `bound`:
    (key, form) of a form refused, shown as typed (on the page of its row)."""
    bound_key, bound_form = bound or (None, None)
    honourees = award_list.honourees.select_related("dossier__field").only(
        *HONOUREE_COLUMNS, "dossier__reference", "dossier__title", "dossier__field__name"
    )
    listing = Listing(
        request,
        honourees.order_by("position", "id"),
        page_size=HONOUREES_PER_PAGE,
        data=_page_of(award_list, bound_key, bound_form, request.GET),
    )
    figures = award_list.honourees.aggregate(count=Count("id"), total=Sum("prize_amount"))
    ranked = RankedEntry.objects.filter(run_id=award_list.run_id).order_by("field_id", "rank")
    ranking = list(
        ranked.select_related("dossier").only(*ENTRY_COLUMNS, "dossier__reference", "dossier__title")[
            :RANKING_SHOWN
        ]
    )
    drafting = award_list.status == AwardList.Status.DRAFT
    # Which entries are on the list: every ranked one while drafting (the add form offers the others),
    # else only the head of the ranking shown beside the list.
    on_list = set(
        (
            award_list.honourees
            if drafting
            else award_list.honourees.filter(dossier_id__in=[e.dossier_id for e in ranking])
        ).values_list("dossier_id", flat=True)
    )
    # Each row's change and remove forms are shown only while drafting (the template shows the
    # published figures otherwise): 25 pairs of forms built for nothing were a third of the page.
    rows = [
        {"honouree": h, **(_row_forms(h, bound_key, bound_form) if drafting else {})}
        for h in listing.page.object_list
    ]
    add_form = None
    if drafting:
        choices = [
            (dossier_id, f"{rank}. {reference}")
            for dossier_id, rank, reference in ranked.values_list("dossier_id", "rank", "dossier__reference")
            if dossier_id not in on_list
        ]
        add_form = bound_form if bound_key == "add" else AddForm(choices=choices)
    context = {
        "award_list": award_list,
        "rows": rows,
        "listing": listing,
        "page": listing.page,
        "count": figures["count"],
        "ranking": ranking,
        "ranking_more": award_list.run.entry_count > len(ranking),
        "on_list": on_list,
        "total": figures["total"] or 0,
        "add_form": add_form,
        "amend_form": _amend_form(award_list, bound_form if bound_key == "amend" else None, listing.page)
        if award_list.status == AwardList.Status.PUBLISHED
        else None,
        "publish_form": bound_form if bound_key == "publish" else PublishForm(),
        "changes": trail_for(award_list),
        "may_approve": may_approve(request.user, award_list),
    }
    return render(request, "awards/list.html", context, status=status)


@requires(may_run_awards)
def list_view(request, pk):
    return _render_list(request, award_list_for_user(request.user, pk))


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
@requires(may_run_awards)
def honouree_change_view(request, pk):
    honouree = honouree_for_user(request.user, pk)
    form = HonoureeForm(request.POST, prefix=f"h{honouree.pk}")
    award_list = award_list_for_user(request.user, honouree.award_list_id)
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
@requires(may_run_awards)
def honouree_remove_view(request, pk):
    honouree = honouree_for_user(request.user, pk)
    form = RemoveForm(request.POST, prefix=f"r{honouree.pk}")
    award_list = award_list_for_user(request.user, honouree.award_list_id)
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
@requires(may_run_awards)
def honouree_add_view(request, pk):
    award_list = award_list_for_user(request.user, pk)
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
@requires(may_run_awards)
def list_approve_view(request, pk):
    award_list = award_list_for_user(request.user, pk)
    try:
        services.award_list_approve(award_list=award_list, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã phê duyệt danh sách tôn vinh."))
    return redirect("awards:list", pk=award_list.pk)


@require_POST
@requires(may_run_awards)
def list_publish_view(request, pk):
    award_list = award_list_for_user(request.user, pk)
    form = PublishForm(request.POST)
    bound = ("publish", form)
    if not form.is_valid():
        return _render_list(request, award_list, bound=bound, status=400)
    return _act(
        request,
        award_list,
        lambda: services.award_list_publish(
            award_list=award_list, actor=request.user, decision=form.cleaned_data["decision"]
        ),
        _("Đã công bố danh sách tôn vinh; giấy chứng nhận đã được cấp số, các đơn vị được thông báo."),
        bound=bound,
    )


@require_POST
@requires(may_run_awards)
def honouree_amend_view(request, pk):
    award_list = award_list_for_user(request.user, pk)
    form = AmendForm(request.POST, honourees=award_list.honourees.all())
    bound = ("amend", form)
    if not form.is_valid():
        return _render_list(request, award_list, bound=bound, status=400)
    data = dict(form.cleaned_data)
    honouree = data.pop("honouree")
    return _act(
        request,
        award_list,
        lambda: services.honouree_amend(honouree=honouree, actor=request.user, **data),
        _("Đã ghi đính chính; trang công khai hiển thị nội dung đính chính."),
        bound=bound,
    )


@requires(may_run_awards)
def certificates_view(request, pk):
    """Every certificate of the list in one PDF for printing (numbered once published)."""
    award_list = award_list_for_user(request.user, pk)
    return pdf_response(
        certificates_pdf(award_list), f"giay-chung-nhan-{award_list.campaign.year}.pdf", download=True
    )
