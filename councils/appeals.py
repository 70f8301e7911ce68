"""Announcing the council's results to the units, and their appeals (SPEC §4).

Once the scoring window has closed the secretary announces the results: every unit with an
assigned dossier is told its score and classification, and from that day a unit may lodge one appeal
(khiếu nại) per dossier for `Council.appeal_days` days (3 by default, the last day included). The
secretary records the council's answer once; the appeal and its answer are shown on the dossier.
"""

import datetime as dt
from decimal import Decimal as D

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Appeal, Council, MemberRole, ScoreSheet
from councils.selectors import EntryResult, council_results
from councils.services import parse_points
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.formatting import format_date, format_points
from dksangtao.mail import notify, site_url
from dksangtao.text import nfc
from submissions.models import Dossier
from submissions.services import dossiers_scored, recipients_by_dossier


def appeal_deadline(council: Council) -> dt.date | None:
    """The last day a unit may lodge an appeal, or None before the results are announced."""
    if council.results_announced_at is None:
        return None
    announced = timezone.localdate(council.results_announced_at)
    return announced + dt.timedelta(days=council.appeal_days)


def appeals_open(council: Council, today: dt.date | None = None) -> bool:
    deadline = appeal_deadline(council)
    return deadline is not None and (today or timezone.localdate()) <= deadline


def results_announce(*, council: Council, actor, today: dt.date | None = None) -> list[EntryResult]:
    """The secretary announces the results once the scoring window has closed: each dossier with a
    valid result becomes «scored», and each unit gets its dossiers' results by e-mail, with the
    appeal deadline."""
    today = today or timezone.localdate()
    with transaction.atomic():
        council = Council.objects.select_for_update().select_related("campaign").get(pk=council.pk)
        if council.results_announced_at is not None:
            raise ActionRefused(_("Kết quả chấm đã được công bố trước đó."))
        if today <= council.campaign.scoring_end:
            raise ActionRefused(
                _("Chỉ công bố kết quả sau khi kết thúc thời gian chấm (%(end)s).")
                % {"end": format_date(council.campaign.scoring_end)}
            )
        results = council_results(council)
        if not results:
            raise ActionRefused(_("Chưa có hồ sơ nào được chấm để công bố."))
        council.results_announced_at = timezone.now()
        council.results_announced_by = actor
        council.save(update_fields=["results_announced_at", "results_announced_by"])
        valid = [result.dossier.pk for result in results if result.valid]
        dossiers_scored(dossiers=Dossier.objects.filter(pk__in=valid), actor=actor)
        record(
            actor=actor,
            action=Action.RESULTS_ANNOUNCED,
            obj=council,
            detail={"entries": len(results), "valid": len(valid)},
        )
        deadline = appeal_deadline(council)
        recipients = recipients_by_dossier(result.dossier for result in results)
        for result in results:
            _notify_unit(result.dossier, "announced", recipients, result=result, deadline=deadline)
    return results


def _notify_unit(dossier: Dossier, event: str, recipients: dict[int, set[str]], **context) -> None:
    context = {"dossier": dossier, "url": site_url("submissions:detail", dossier.pk), **context}
    notify(template=f"councils/email/{event}", context=context, to=recipients[dossier.pk])


def appeal_lodge(*, dossier: Dossier, actor, text: str, today: dt.date | None = None) -> Appeal:
    """A unit leader appeals the result of one of the unit's dossiers (the view checks that the actor
    reviews the dossier's unit). One appeal per dossier, within the window."""
    text = nfc(text).strip()
    if not text:
        raise ActionRefused(_("Vui lòng ghi nội dung khiếu nại."))
    council = Council.objects.filter(campaign_id=dossier.campaign_id).first()
    if council is None or council.results_announced_at is None:
        raise ActionRefused(_("Hội đồng chưa công bố kết quả chấm; chưa thể gửi khiếu nại."))
    if not appeals_open(council, today):
        raise ActionRefused(
            _("Đã hết hạn nhận khiếu nại (đến hết ngày %(date)s).")
            % {"date": format_date(appeal_deadline(council))}
        )
    if not council.assignments.filter(dossier=dossier, is_active=True).exists():
        raise ActionRefused(_("Hồ sơ này không được Hội đồng chấm điểm nên không có kết quả để khiếu nại."))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(council=council, dossier=dossier, text=text, lodged_by=actor)
            record(actor=actor, action=Action.APPEAL_LODGED, obj=appeal, reason=text)
    except IntegrityError:
        raise ActionRefused(
            _("Đơn vị đã gửi khiếu nại cho hồ sơ này; mỗi hồ sơ chỉ khiếu nại một lần.")
        ) from None
    secretaries = council.members.filter(role=MemberRole.SECRETARY, user__is_active=True)
    notify(
        template="councils/email/appeal_lodged",
        context={"dossier": dossier, "appeal": appeal, "url": site_url("councils:appeals")},
        to=secretaries.values_list("user__email", flat=True),
    )
    return appeal


def appeal_answer(
    *, appeal: Appeal, actor, answer: str, outcome: str, corrections: dict | None = None
) -> Appeal:
    """The secretary records the council's answer and conclusion, once; the unit is told.

    `corrections` ({sheet id: {criterion id: points as typed}}) is the council's correction of its
    members' scores of the appealed dossier when it upholds the appeal, wholly or partly: the only way
    a score changes once the scores are closed (services.reopen_refusal). Each corrected sheet and the
    appeal record the result before and after in the audit trail; a ranking already run keeps its
    snapshot, the next run reads the corrected scores."""
    answer = nfc(answer).strip()
    if not answer:
        raise ActionRefused(_("Vui lòng ghi nội dung trả lời của Hội đồng."))
    if outcome not in Appeal.Outcome.values:
        raise ActionRefused(_("Vui lòng chọn kết luận của Hội đồng."))
    corrections = {sheet_id: points for sheet_id, points in (corrections or {}).items() if points}
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("dossier__created_by", "council__campaign")
            .get(pk=appeal.pk)
        )
        if appeal.answered_at is not None:
            raise ActionRefused(_("Khiếu nại này đã được trả lời."))
        appeal.answer, appeal.outcome = answer, outcome
        appeal.answered_by, appeal.answered_at = actor, timezone.now()
        appeal.save(update_fields=["answer", "outcome", "answered_by", "answered_at"])
        record(
            actor=actor,
            action=Action.APPEAL_ANSWERED,
            obj=appeal,
            reason=answer,
            detail={"outcome": outcome, "summary": appeal.get_outcome_display()},
        )
        if corrections:
            _correct_result(appeal, corrections, actor=actor, reason=answer, outcome=outcome)
        recipients = recipients_by_dossier([appeal.dossier])
        _notify_unit(appeal.dossier, "appeal_answered", recipients, appeal=appeal)
    return appeal


def _result_summary(result: EntryResult | None) -> dict:
    if result is None or result.score is None:
        return {"score": None, "classification": ""}
    return {"score": str(result.score), "classification": str(result.classification)}


def _correct_result(appeal: Appeal, corrections: dict, *, actor, reason: str, outcome: str) -> None:
    """Apply the council's corrected points to the appealed dossier's submitted sheets (refused as a
    whole if one sheet or value is wrong, or if a rejected appeal would change a point; unchanged
    points are left alone) and record each change with its before and after."""
    (before,) = council_results(appeal.council, dossier=appeal.dossier) or (None,)
    sheets = {
        sheet.pk: sheet
        for sheet in ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("assignment__member__user")
        .filter(
            pk__in=[sheet_id for sheet_id in corrections if isinstance(sheet_id, int)],
            assignment__council=appeal.council,
            assignment__dossier=appeal.dossier,
            assignment__is_active=True,
            state=ScoreSheet.State.SUBMITTED,
        )
    }
    if len(sheets) != len(corrections):
        raise ActionRefused(_("Chỉ sửa được các phiếu chấm đã nộp của hồ sơ bị khiếu nại."))
    changed = []
    for sheet_id, points in corrections.items():
        sheet = sheets[sheet_id]
        items = {item.criterion_id: item for item in sheet.items.select_related("criterion")}
        if set(points) - set(items):
            raise ActionRefused(_("Tiêu chí không thuộc phiếu chấm của hồ sơ bị khiếu nại."))
        lines = []
        for criterion_id, raw in points.items():
            item = items[criterion_id]
            value = parse_points(raw, item.criterion.max_points)
            if value is None:
                raise ActionRefused(
                    _("Vui lòng ghi điểm tiêu chí «%(name)s».") % {"name": item.criterion.name}
                )
            if value != item.points:
                lines.append(f"{item.criterion.name}: {format_points(item.points)} → {format_points(value)}")
                item.points = value
                item.save(update_fields=["points"])
        if not lines:
            continue
        if outcome == Appeal.Outcome.REJECTED:
            raise ActionRefused(_("Hội đồng không chấp nhận khiếu nại thì không sửa điểm."))
        old_total = sheet.total
        sheet.total = sum((item.points for item in items.values()), D(0))
        sheet.save(update_fields=["total", "updated_at"])
        summary = "; ".join(lines)
        record(
            actor=actor,
            action=Action.RESULT_CORRECTED,
            obj=sheet,
            reason=reason,
            detail={
                "appeal": appeal.pk,
                "before": str(old_total),
                "after": str(sheet.total),
                "summary": summary,
            },
        )
        changed.append(
            {
                "sheet": sheet.pk,
                "member": sheet.assignment.member.user.full_name,
                "before": str(old_total),
                "after": str(sheet.total),
                "items": summary,
            }
        )
    if not changed:
        return
    (after,) = council_results(appeal.council, dossier=appeal.dossier) or (None,)
    before, after = _result_summary(before), _result_summary(after)
    record(
        actor=actor,
        action=Action.RESULT_CORRECTED,
        obj=appeal,
        reason=reason,
        detail={
            "before": before,
            "after": after,
            "sheets": changed,
            "summary": _("Điểm %(before)s → %(after)s; xếp loại %(cls_before)s → %(cls_after)s")
            % {
                "before": format_points(before["score"] and D(before["score"])),
                "after": format_points(after["score"] and D(after["score"])),
                "cls_before": before["classification"] or "—",
                "cls_after": after["classification"] or "—",
            },
        },
    )
