"""Scoring: the member's queue and sheet (saved as they type), the results for the secretary and
the chair, and the chair's reopening of a submitted sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from councils.filters import MemberQueueFilter
from councils.forms import ResultsFilterForm
from councils.minutes import minutes_pdf
from councils.models import ScoreSheet
from councils.permissions import (
    council_of,
    current_place,
    is_chair,
    is_secretary,
    may_read_results,
    may_reopen_sheets,
    may_score,
)
from councils.selectors import (
    ResultsOverview,
    assignment_for_member,
    calibration,
    council_results,
    entry_summaries,
    member_queue_figures,
    member_queue_rows,
    rubrics_of,
    sheet_lines,
    sheet_of_council,
)
from councils.services import reopen_refusal, score_reopen, score_save_draft, score_submit
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from dksangtao.files import stored_file_response
from dksangtao.lists import Column, Listing
from dksangtao.pdf import pdf_response
from submissions.models import Attachment


def _sheet(assignment):
    return getattr(assignment, "sheet", None)  # None: not opened yet


QUEUE_COLUMNS = [
    Column(gettext_lazy("Số hồ sơ"), lambda a: a.dossier.reference, width=18),
    Column(gettext_lazy("Tên sáng kiến"), lambda a: a.dossier.title, width=60),
    Column(gettext_lazy("Lĩnh vực"), lambda a: a.dossier.field.name, width=24),
    Column(
        gettext_lazy("Phiếu chấm"),
        lambda a: _sheet(a).get_state_display() if _sheet(a) else _("Chưa mở"),
        width=14,
    ),
    Column(gettext_lazy("Tổng điểm"), lambda a: _sheet(a) and _sheet(a).total, "points", width=12),
]


@requires(may_score)
def queue_view(request):
    """The member's figures (sheets submitted, in progress, not opened) over their whole queue, then
    a page of 25 assignments: a province's member scores hundreds of dossiers."""
    place = current_place(request.user)
    listing = Listing(request, member_queue_rows(place), filterset_class=MemberQueueFilter)
    if listing.export_format:
        return listing.export(
            QUEUE_COLUMNS, filename="ho-so-duoc-phan-cong", title=_("Hồ sơ được phân công chấm")
        )
    context = {
        "council": council_of(request.user),
        "listing": listing,
        "page": listing.page,
        "figures": member_queue_figures(place),
    }
    return render(request, "councils/scoring_queue.html", context, status=listing.status)


def _posted(request, lines):
    points = {line.criterion.pk: request.POST.get(f"points-{line.criterion.pk}", "") for line in lines}
    comments = {line.criterion.pk: request.POST.get(f"comment-{line.criterion.pk}", "") for line in lines}
    return points, comments, request.POST.get("overall_comment", "")


def _render_sheet(request, assignment, *, typed=None, errors=None, status=200, saved_at=None, loaded=None):
    sheet, lines = loaded or sheet_lines(assignment)  # `loaded`: as read before anything was written
    typed_points, typed_comments = typed or ({}, {})
    rows = [
        {
            "line": line,
            "value": typed_points.get(
                line.criterion.pk, "" if line.points is None else f"{line.points.normalize()}"
            ),
            "comment": typed_comments.get(line.criterion.pk, line.comment),
            "error": (errors or {}).get(line.criterion.pk),
        }
        for line in lines
    ]
    context = {
        "assignment": assignment,
        "dossier": assignment.dossier,
        "blind": assignment.council.blind_mode,
        "sheet": sheet,
        "rows": rows,
        "locked": sheet is not None and sheet.state == ScoreSheet.State.SUBMITTED,
        "saved_at": saved_at,
        "attachments": assignment.dossier.attachments.all(),
    }
    template = (
        "councils/_sheet_status.html" if request.htmx and saved_at is not None else "councils/sheet.html"
    )
    return render(request, template, context, status=status)


@login_required  # the loader answers 404 to anyone but the assigned member
def sheet_view(request, pk):
    """The sheet: shown on GET (nothing is written), saved on POST (htmx autosave or «Lưu nháp»),
    submitted and locked with «Nộp phiếu chấm»."""
    assignment = assignment_for_member(request.user, pk)
    try:
        sheet, lines = sheet_lines(assignment)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("councils:scoring")
    if request.method != "POST":
        return _render_sheet(request, assignment, loaded=(sheet, lines))
    points, comments, overall = _posted(request, lines)
    try:
        errors = score_save_draft(
            assignment=assignment,
            actor=request.user,
            points=points,
            comments=comments,
            overall_comment=overall,
        )
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return _render_sheet(request, assignment, typed=(points, comments), status=409)
    if errors:
        return _render_sheet(
            request,
            assignment,
            typed=(points, comments),
            errors=errors,
            status=400,
            saved_at=timezone.localtime() if request.htmx else None,
        )
    if request.htmx:
        return _render_sheet(request, assignment, saved_at=timezone.localtime())
    if "submit" in request.POST:
        try:
            score_submit(assignment=assignment, actor=request.user)
        except ActionRefused as refused:
            messages.error(request, str(refused))
            return _render_sheet(request, assignment, status=409)
        messages.success(request, _("Đã nộp phiếu chấm. Phiếu đã được khóa."))
        return redirect("councils:scoring")
    messages.success(request, _("Đã lưu bản nháp phiếu chấm."))
    return redirect("councils:sheet", pk=assignment.pk)


RESULTS_PER_PAGE = 25  # each row lists its members' sheets (and the chair's reopen forms)


@requires(may_read_results)
def results_view(request):
    """Summary first: the counts over every entry (one aggregate, entry_summaries), then one page of
    entries — filtered by flag, class or field — with their members' sheets, loaded for that page
    only, and the normalised column from calibration."""
    council = council_of(request.user)
    filters = ResultsFilterForm(request.GET or None)
    valid = not filters.is_bound or filters.is_valid()
    rubrics = rubrics_of(council)
    summaries = entry_summaries(council, rubrics=rubrics)
    listing = Listing(request, filters.apply(summaries), page_size=RESULTS_PER_PAGE)
    ids = [summary.dossier_id for summary in listing.page.object_list]
    page_results = council_results(council, dossier_ids=ids, rubrics=rubrics)
    by_id = {result.dossier.pk: result for result in page_results}
    results = [by_id[pk] for pk in ids if pk in by_id]
    normalised = calibration(council, dossier_ids=ids).normalised
    today = timezone.localdate()
    for result in results:
        result.normalised = normalised.get(result.dossier.pk)
        result.reopen_refusal = reopen_refusal(council=council, dossier=result.dossier, today=today)
    context = {
        "council": council,
        "overview": ResultsOverview.of(summaries),
        "filters": filters,
        "listing": listing,
        "page": listing.page,
        "results": results,
        "is_chair": is_chair(request.user),
        "is_secretary": is_secretary(request.user),
    }
    return render(request, "councils/results.html", context, status=200 if valid else 400)


@requires(may_read_results)
def calibration_view(request):
    """Each member's mean and spread against the council's, for the secretary and the chair."""
    council = council_of(request.user)
    # the members' means and spreads only: the normalised results are the results page's column
    context = {"council": council, "calibration": calibration(council, dossier_ids=[])}
    return render(request, "councils/calibration.html", context)


@require_POST
@requires(may_reopen_sheets)
def reopen_view(request, pk):
    sheet = sheet_of_council(council_of(request.user), pk)
    try:
        score_reopen(sheet=sheet, actor=request.user, reason=request.POST.get("reason", ""))
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã mở lại phiếu chấm; thành viên có thể chấm lại."))
    return redirect("councils:results")


@login_required  # the loader answers 404 to anyone but the assigned member
def attachment_view(request, pk, attachment_id):
    """An attachment of an assigned dossier, for the assigned member only."""
    assignment = assignment_for_member(request.user, pk)
    attachment = Attachment.objects.filter(pk=attachment_id, dossier=assignment.dossier).first()
    if attachment is None:
        raise Http404
    return stored_file_response(attachment)


@requires(may_read_results)
def minutes_view(request):
    """The minutes PDF, for the secretary and the chair."""
    council = council_of(request.user)
    return pdf_response(
        minutes_pdf(council=council), f"bien-ban-hoi-dong-{council.campaign.year}.pdf", download=True
    )
