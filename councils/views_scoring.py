"""Scoring: the member's queue and sheet (saved as they type), the results for the secretary and
the chair, and the chair's reopening of a submitted sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_roles
from councils.dashboard import sees_results
from councils.minutes import minutes_pdf
from councils.models import ScoreSheet
from councils.selectors import (
    assignment_for_member,
    calibration,
    council_results,
    current_council,
    is_scoring_member,
    member_queue,
)
from councils.services import ActionRefused, score_reopen, score_save_draft, score_submit, sheet_open
from councils.views import council_with_notice
from dksangtao.roles import Role
from submissions.models import Attachment
from submissions.views import attachment_response


def _secretary_or_chair_or_403(user):
    if not sees_results(user):
        raise PermissionDenied


@login_required
def queue_view(request):
    council = current_council()
    if council is None or not is_scoring_member(request.user, council):
        raise PermissionDenied
    assignments = list(member_queue(request.user, council))
    done = sum(
        1 for a in assignments if getattr(a, "sheet", None) and a.sheet.state == ScoreSheet.State.SUBMITTED
    )
    context = {"council": council, "assignments": assignments, "done": done}
    return render(request, "councils/scoring_queue.html", context)


def _posted(request, sheet):
    points = {
        item.criterion_id: request.POST.get(f"points-{item.criterion_id}", "") for item in sheet.items.all()
    }
    comments = {
        item.criterion_id: request.POST.get(f"comment-{item.criterion_id}", "") for item in sheet.items.all()
    }
    return points, comments, request.POST.get("overall_comment", "")


def _render_sheet(request, assignment, sheet, *, typed=None, errors=None, status=200, saved_at=None):
    items = list(sheet.items.select_related("criterion").prefetch_related("criterion__bands"))
    typed_points, typed_comments = typed or ({}, {})
    rows = [
        {
            "item": item,
            "value": typed_points.get(
                item.criterion_id, "" if item.points is None else f"{item.points.normalize()}"
            ),
            "comment": typed_comments.get(item.criterion_id, item.comment),
            "error": (errors or {}).get(item.criterion_id),
        }
        for item in items
    ]
    context = {
        "assignment": assignment,
        "dossier": assignment.dossier,
        "blind": assignment.council.blind_mode,
        "sheet": sheet,
        "rows": rows,
        "locked": sheet.state == ScoreSheet.State.SUBMITTED,
        "saved_at": saved_at,
    }
    template = (
        "councils/_sheet_status.html" if request.htmx and saved_at is not None else "councils/sheet.html"
    )
    return render(request, template, context, status=status)


@login_required
def sheet_view(request, pk):
    assignment = assignment_for_member(request.user, pk)
    try:
        sheet = sheet_open(assignment=assignment)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("councils:scoring")
    if request.method != "POST":
        return _render_sheet(request, assignment, sheet)
    points, comments, overall = _posted(request, sheet)
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
        return _render_sheet(request, assignment, sheet, typed=(points, comments), status=409)
    sheet.refresh_from_db()
    if errors:
        return _render_sheet(
            request,
            assignment,
            sheet,
            typed=(points, comments),
            errors=errors,
            status=400,
            saved_at=timezone.localtime() if request.htmx else None,
        )
    if request.htmx:
        return _render_sheet(request, assignment, sheet, saved_at=timezone.localtime())
    if "submit" in request.POST:
        try:
            score_submit(assignment=assignment, actor=request.user)
        except ActionRefused as refused:
            messages.error(request, str(refused))
            return _render_sheet(request, assignment, sheet, status=409)
        messages.success(request, _("Đã nộp phiếu chấm. Phiếu đã được khóa."))
        return redirect("councils:scoring")
    messages.success(request, _("Đã lưu bản nháp phiếu chấm."))
    return redirect("councils:sheet", pk=assignment.pk)


@login_required
def results_view(request):
    _secretary_or_chair_or_403(request.user)
    council = council_with_notice(request)
    results = council_results(council) if council else []
    normalised = calibration(council).normalised if council else {}
    for result in results:
        result.normalised = normalised.get(result.dossier.pk)
    roles = user_roles(request.user)
    context = {
        "council": council,
        "results": results,
        "is_chair": Role.COUNCIL_CHAIR in roles,
        "is_secretary": Role.COUNCIL_SECRETARY in roles,
    }
    return render(request, "councils/results.html", context)


@login_required
def calibration_view(request):
    """Each member's mean and spread against the council's, for the secretary and the chair."""
    _secretary_or_chair_or_403(request.user)
    council = council_with_notice(request)
    context = {"council": council, "calibration": calibration(council) if council else None}
    return render(request, "councils/calibration.html", context)


@require_POST
@login_required
def reopen_view(request, pk):
    if Role.COUNCIL_CHAIR not in user_roles(request.user):
        raise PermissionDenied
    sheet = get_object_or_404(ScoreSheet.objects.select_related("assignment__dossier"), pk=pk)
    try:
        score_reopen(sheet=sheet, actor=request.user, reason=request.POST.get("reason", ""))
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã mở lại phiếu chấm; thành viên có thể chấm lại."))
    return redirect("councils:results")


@login_required
def attachment_view(request, pk, attachment_id):
    """An attachment of an assigned dossier, for the assigned member only."""
    assignment = assignment_for_member(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, dossier=assignment.dossier)
    return attachment_response(attachment)


@login_required
def minutes_view(request):
    """The minutes PDF, for the secretary and the chair."""
    _secretary_or_chair_or_403(request.user)
    council = current_council()
    if council is None:
        raise Http404
    response = HttpResponse(minutes_pdf(council=council), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-ban-hoi-dong-{council.campaign.year}.pdf"'
    return response
