"""The secretary's scoring progress page (reminders, «add a scorer», announcing the results) and the
appeals: the unit's leaders lodge one on the dossier, the secretary records the council's answer."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from councils.appeals import appeal_answer, appeal_deadline, appeal_lodge, appeals_open, results_announce
from councils.assignment import assignment_add_scorer
from councils.forms import AppealAnswerForm, AppealForm
from councils.models import Appeal
from councils.permissions import council_of, may_screen
from councils.progress import entry_counts, entry_progress, member_progress, reminders_send
from councils.selectors import (
    appeal_of_council,
    appeal_sheets,
    dossier_of_council,
    figures_fingerprint,
)
from dksangtao.access import requires
from dksangtao.audit import trail_for
from dksangtao.errors import ActionRefused
from dksangtao.formatting import format_date, format_points
from dksangtao.lists import Listing
from submissions.permissions import may_appeal
from submissions.selectors import dossier_for_user

ENTRIES_PER_PAGE = 25  # each row lists its members and their sheets, as on the results page
# the answer page's corrected points: fix-<sheet id>-<criterion id>
CORRECTION_FIELD = re.compile(r"fix-([0-9]{1,18})-([0-9]{1,18})")


@requires(may_screen)
def progress_view(request):
    """Progress per member and per entry, for the secretary: a fixed number of queries."""
    council = council_of(request.user)
    fingerprint = figures_fingerprint()  # the figures below are kept until the council's rows change
    members = member_progress(council, kept=fingerprint)
    counts = entry_counts(council, fingerprint=fingerprint)  # over every entry
    listing = Listing(request, counts.ids, page_size=ENTRIES_PER_PAGE)
    rows = entry_progress(council, list(listing.page.object_list))
    today = timezone.localdate()
    campaign = council.campaign
    context = {
        "council": council,
        "members": members,
        "listing": listing,
        "page": listing.page,
        "rows": rows,
        "entries": len(counts.ids),
        "complete": counts.complete,
        "sheets_total": sum(m.assigned for m in members),
        "sheets_done": sum(m.submitted for m in members),
        "window_open": campaign.scoring_start <= today <= campaign.scoring_end,
        "may_announce": council.results_announced_at is None and today > campaign.scoring_end,
        "days_left": (campaign.scoring_end - today).days,
        # What was done to the council itself: founded, members, assignment runs, reminders, announcement.
        "events": trail_for(council),
    }
    return render(request, "councils/progress.html", context)


@require_POST
@requires(may_screen)
def reminders_view(request):
    council = council_of(request.user)
    try:
        run = reminders_send(council=council, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("councils:progress")
    if run.sent:
        messages.success(
            request, _("Đã gửi thư nhắc cho %(n)s thành viên còn phiếu chưa nộp.") % {"n": run.sent}
        )
    if run.already:
        messages.info(request, _("%(n)s thành viên đã được nhắc trong hôm nay.") % {"n": run.already})
    if not run.sent and not run.already:
        messages.info(request, _("Không có thành viên nào còn phiếu chưa nộp."))
    return redirect("councils:progress")


@require_POST
@requires(may_screen)
def add_scorer_view(request, dossier_pk):
    council = council_of(request.user)
    dossier = dossier_of_council(council, dossier_pk)
    try:
        assignment = assignment_add_scorer(council=council, dossier=dossier, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Đã phân công thêm %(name)s chấm hồ sơ %(ref)s.")
            % {"name": assignment.member.user.full_name, "ref": dossier.reference},
        )
    return redirect("councils:results")


@require_POST
@requires(may_screen)
def announce_view(request):
    council = council_of(request.user)
    try:
        results = results_announce(council=council, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        council.refresh_from_db()
        messages.success(
            request,
            _("Đã công bố kết quả %(n)s hồ sơ cho các đơn vị; nhận khiếu nại đến hết ngày %(date)s.")
            % {"n": len(results), "date": format_date(appeal_deadline(council))},
        )
    return redirect("councils:progress")


@login_required  # the loader answers 404 to anyone who may not see the dossier
def appeal_lodge_view(request, dossier_pk):
    """The unit's leaders (reviewers of the dossier's unit) appeal the council's result."""
    dossier, _scope = dossier_for_user(request.user, dossier_pk)  # 404 for anyone who may not see it
    if not may_appeal(request.user, dossier):
        raise PermissionDenied
    form = AppealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                appeal_lodge(dossier=dossier, actor=request.user, text=form.cleaned_data["text"])
            except ActionRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Đã gửi khiếu nại; Thư ký Hội đồng sẽ ghi nhận trả lời."))
                return redirect("submissions:detail", pk=dossier.pk)
        status = 400
    return render(request, "councils/appeal_lodge.html", {"dossier": dossier, "form": form}, status=status)


@requires(may_screen)
def appeals_view(request):
    """The appeals of the current council with the answer form for those not yet answered."""
    council = council_of(request.user)
    appeals = (
        Appeal.objects.filter(council=council)
        .select_related("dossier__unit", "lodged_by", "answered_by")
        .order_by("answered_at", "lodged_at", "id")
    )
    listing = Listing(request, appeals)
    context = {
        "council": council,
        "listing": listing,
        "page": listing.page,
        "deadline": appeal_deadline(council),
        "open": appeals_open(council),
        "form": AppealAnswerForm(),
    }
    return render(request, "councils/appeals.html", context)


def _correction_rows(sheets, typed: dict):
    """Each sheet with its inputs: (item, field name, value as typed or as stored)."""
    for row in sheets:
        row.fields = []
        for item in row.items:
            name = f"fix-{row.sheet.pk}-{item.criterion_id}"
            row.fields.append((item, name, typed.get(name, format_points(item.points))))
    return sheets


def _corrections(post) -> dict:
    """{sheet id: {criterion id: points as typed}} from the answer page's «fix-<sheet>-<criterion>»."""
    corrections: dict[int, dict[int, str]] = {}
    for key, value in post.items():
        match = CORRECTION_FIELD.fullmatch(key)
        if match:
            corrections.setdefault(int(match[1]), {})[int(match[2])] = value
    return corrections


@require_http_methods(["GET", "HEAD", "POST"])
@requires(may_screen)
def appeal_answer_view(request, pk):
    """The council's answer to an appeal; when it upholds it, the corrected points of the dossier's
    sheets (the only way a score changes once scoring is closed)."""
    appeal = appeal_of_council(council_of(request.user), pk)
    sheets = appeal_sheets(appeal)
    if request.method == "GET":
        if appeal.answered_at is not None:
            messages.info(request, _("Khiếu nại này đã được trả lời."))
            return redirect("councils:appeals")
        context = {"appeal": appeal, "form": AppealAnswerForm(), "sheets": _correction_rows(sheets, {})}
        return render(request, "councils/appeal_answer.html", context)
    form = AppealAnswerForm(request.POST)
    if form.is_valid():
        try:
            appeal_answer(
                appeal=appeal,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                outcome=form.cleaned_data["outcome"],
                corrections=_corrections(request.POST),
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("Đã ghi nhận trả lời khiếu nại hồ sơ %(ref)s.") % {"ref": appeal.dossier.reference}
            )
            return redirect("councils:appeals")
    typed = {key: value for key, value in request.POST.items() if CORRECTION_FIELD.fullmatch(key)}
    context = {"appeal": appeal, "form": form, "sheets": _correction_rows(sheets, typed)}
    return render(request, "councils/appeal_answer.html", context, status=400)
