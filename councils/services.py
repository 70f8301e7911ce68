"""Writes on councils, rubrics and scores: the council's members (and the admin access the secretary
needs), the default rubric of SPEC §4, its validation, copying last year's rubrics; score sheets
(draft, submit, the chair's reopening). Each change is recorded in the audit trail."""

import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from councils.models import (
    Band,
    Council,
    CouncilMember,
    Criterion,
    MemberRole,
    Rubric,
    ScoreItem,
    ScoreSheet,
    TieBreak,
)
from councils.selectors import NO_RUBRIC, council_results, rubric_for
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.formatting import format_date, format_points
from dksangtao.text import LONG_TEXT_MAX, nfc
from submissions.models import Campaign, Dossier, Status
from submissions.services import dossiers_scored

D = Decimal

# SPEC §4: 100 points; guidance bands as on provincial scoring sheets. The first and third criteria
# break ties in the ranking (SPEC §5).
DEFAULT_TIE_BREAKS = {1: TieBreak.NOVELTY, 3: TieBreak.EFFECTIVENESS}
DEFAULT_CRITERIA = [
    (
        "Tính mới, tính sáng tạo",
        "Mức độ mới so với giải pháp đã có trong và ngoài tỉnh.",
        D(30),
        [
            ("Hoàn toàn mới", 27, 30),
            ("Cải tiến rõ rệt", 21, 26),
            ("Cải tiến vừa phải", 16, 20),
            ("Cải tiến ít", 1, 15),
            ("Không có tính mới", 0, 0),
        ],
    ),
    (
        "Khả năng áp dụng, nhân rộng",
        "Đã áp dụng ở đâu, điều kiện để áp dụng rộng rãi.",
        D(30),
        [
            ("Áp dụng rộng rãi, dễ nhân rộng", 25, 30),
            ("Áp dụng được ở nhiều đơn vị", 16, 24),
            ("Áp dụng trong phạm vi đơn vị", 1, 15),
            ("Chưa áp dụng được", 0, 0),
        ],
    ),
    (
        "Hiệu quả kinh tế, xã hội",
        "Lợi ích đo được (đồng/năm) và lợi ích xã hội có xác nhận.",
        D(30),
        [
            ("Hiệu quả rất cao", 25, 30),
            ("Hiệu quả cao", 16, 24),
            ("Có hiệu quả", 1, 15),
            ("Chưa có hiệu quả", 0, 0),
        ],
    ),
    (
        "Phạm vi ảnh hưởng",
        "Cấp tỉnh, ngành, địa phương hay trong đơn vị.",
        D(10),
        [("Toàn tỉnh trở lên", 9, 10), ("Ngành, địa phương", 5, 8), ("Trong đơn vị", 1, 4)],
    ),
]


def rubric_problems(*, rubric: Rubric, criteria: list[tuple[D, list[tuple[D, D]]]]) -> list[str]:
    """What is wrong with a rubric and its criteria (max points, bands), in Vietnamese; [] when valid.

    `criteria` is [(max_points, [(band_min, band_max), …]), …] so that the admin can check what was
    typed before anything is saved."""
    problems = []
    thresholds = [rubric.excellent_min, rubric.good_min, rubric.fair_min, rubric.pass_min]
    if any(value is None for value in thresholds) or rubric.total_points is None:
        return problems  # the form already says which field is missing
    if not all(a > b for a, b in zip(thresholds, thresholds[1:], strict=False)) or thresholds[-1] <= 0:
        problems.append(_("Ngưỡng xếp loại phải giảm dần: Xuất sắc > Tốt > Khá > Đạt > 0."))
    if thresholds[0] > rubric.total_points:
        problems.append(
            _("Ngưỡng Xuất sắc không được vượt thang điểm %(total)s.") % {"total": rubric.total_points}
        )
    if not criteria:
        problems.append(_("Bộ tiêu chí cần ít nhất một tiêu chí."))
        return problems
    total = sum((max_points for max_points, _bands in criteria), D(0))
    if total != rubric.total_points:
        problems.append(
            _("Tổng điểm tối đa của các tiêu chí là %(sum)s, phải bằng thang điểm %(total)s.")
            % {"sum": total, "total": rubric.total_points}
        )
    for index, (max_points, bands) in enumerate(criteria, start=1):
        if max_points <= 0:
            problems.append(_("Tiêu chí %(n)s: điểm tối đa phải lớn hơn 0.") % {"n": index})
        for low, high in bands:
            if low < 0 or high < low or high > max_points:
                problems.append(
                    _("Tiêu chí %(n)s: mức %(low)s–%(high)s nằm ngoài khoảng 0–%(max)s.")
                    % {"n": index, "low": low, "high": high, "max": max_points}
                )
    return problems


# The council and its members ---------------------------------------------------------------------


@transaction.atomic
def council_found(*, campaign: Campaign, name: str, decision_number: str, decision_date, signer: str, actor):
    """The campaign's council, founded by a decision of the Chairman of the provincial Front Committee
    (idempotent: a campaign has one council). The admin's form does the same, recorded there."""
    council, created = Council.objects.get_or_create(
        campaign=campaign,
        defaults={
            "name": name,
            "decision_number": decision_number,
            "decision_date": decision_date,
            "decision_signer": signer,
        },
    )
    if created:
        summary = f"Quyết định số {decision_number} ngày {format_date(decision_date)}"
        record(actor=actor, action=Action.COUNCIL_FOUNDED, obj=council, detail={"summary": summary})
    return council


def council_member_recorded(*, member: CouncilMember, action: str, actor) -> None:
    """Record a member added, changed or removed (the admin's inline rows, council_member_add). A
    secretary gets through the admin's door (is_staff); what they may do there comes from their place
    on the current council (councils.backends), so a past secretary's door opens on nothing."""
    record(
        actor=actor,
        action=action,
        obj=member.council,
        detail={
            "member": member.user_id,
            "role": member.role,
            "summary": f"{member.user.full_name} — {member.get_role_display()}",
        },
    )
    if action != Action.COUNCIL_MEMBER_REMOVED and member.role == MemberRole.SECRETARY:
        User.objects.filter(pk=member.user_id, is_staff=False).update(is_staff=True)


@transaction.atomic
def council_member_add(*, council: Council, user, role: str, home_unit, expertise=(), actor) -> CouncilMember:
    """Put a person on the council with a role and fields of expertise (idempotent per person)."""
    member, created = CouncilMember.objects.get_or_create(
        council=council, user=user, defaults={"role": role, "home_unit": home_unit}
    )
    member.expertise.set(expertise)
    if created:
        council_member_recorded(member=member, action=Action.COUNCIL_MEMBER_ADDED, actor=actor)
    return member


# Rubrics ---------------------------------------------------------------------------------------


@transaction.atomic
def rubric_create_default(*, campaign: Campaign, actor) -> Rubric:
    """The general rubric of SPEC §4 for a campaign that has none (idempotent)."""
    rubric, created = Rubric.objects.get_or_create(
        campaign=campaign, field=None, defaults={"name": f"Bộ tiêu chí chung năm {campaign.year}"}
    )
    if created:
        record(actor=actor, action=Action.RUBRIC_CREATED, obj=rubric)
        for order, (name, description, max_points, bands) in enumerate(DEFAULT_CRITERIA, start=1):
            criterion = Criterion.objects.create(
                rubric=rubric,
                order=order,
                name=name,
                description=description,
                max_points=max_points,
                tie_break=DEFAULT_TIE_BREAKS.get(order, ""),
            )
            Band.objects.bulk_create(
                Band(criterion=criterion, label=label, min_points=D(low), max_points=D(high))
                for label, low, high in bands
            )
    return rubric


class RubricCopyRefused(Exception):
    pass


@transaction.atomic
def rubric_copy_previous(*, campaign: Campaign, actor) -> list[Rubric]:
    """Copy every rubric of the latest earlier campaign into `campaign`, with criteria and bands."""
    previous = Campaign.objects.filter(year__lt=campaign.year).order_by("-year").first()
    if previous is None:
        raise RubricCopyRefused(
            _("Chưa có đợt xét chọn nào trước năm %(year)s để sao chép.") % {"year": campaign.year}
        )
    sources = list(Rubric.objects.filter(campaign=previous).prefetch_related("criteria__bands"))
    if not sources:
        raise RubricCopyRefused(
            _("Đợt năm %(year)s không có bộ tiêu chí nào để sao chép.") % {"year": previous.year}
        )
    if Rubric.objects.filter(campaign=campaign).exists():
        raise RubricCopyRefused(
            _("Đợt năm %(year)s đã có bộ tiêu chí; hãy sửa trực tiếp thay vì sao chép.")
            % {"year": campaign.year}
        )
    copies = []
    for source in sources:
        copy = Rubric.objects.create(
            campaign=campaign,
            field=source.field,
            name=source.name.replace(str(previous.year), str(campaign.year)),
            total_points=source.total_points,
            excellent_min=source.excellent_min,
            good_min=source.good_min,
            fair_min=source.fair_min,
            pass_min=source.pass_min,
        )
        for criterion in source.criteria.all():
            new_criterion = Criterion.objects.create(
                rubric=copy,
                order=criterion.order,
                name=criterion.name,
                description=criterion.description,
                max_points=criterion.max_points,
                tie_break=criterion.tie_break,
            )
            Band.objects.bulk_create(
                Band(criterion=new_criterion, label=b.label, min_points=b.min_points, max_points=b.max_points)
                for b in criterion.bands.all()
            )
        record(actor=actor, action=Action.RUBRIC_COPIED, obj=copy, detail={"from": source.pk})
        copies.append(copy)
    return copies


# Scoring ---------------------------------------------------------------------------------------

HALF = D("0.5")
# Points as typed: whole digits and one decimal («7», «7.5», «10,0»), as ScoreItem.points keeps them.
POINTS_TEXT = re.compile(r"-?[0-9]{1,6}(\.[0-9]0{0,3})?")


def _too_long() -> str:
    return _("Mỗi nhận xét, lý do dài tối đa %(max)s ký tự.") % {
        "max": f"{LONG_TEXT_MAX:,}".replace(",", ".")
    }


def check_scoring_window(council, today, message=None) -> None:
    """Scoring, and reminders to score, happen inside the campaign's scoring window; `message` says
    what is refused, with %(start)s and %(end)s."""
    campaign = council.campaign
    if not campaign.scoring_start <= today <= campaign.scoring_end:
        message = message or _("Chỉ chấm được trong thời gian chấm điểm, từ %(start)s đến %(end)s.")
        raise ActionRefused(
            message % {"start": format_date(campaign.scoring_start), "end": format_date(campaign.scoring_end)}
        )


@transaction.atomic
def sheet_open(*, assignment) -> ScoreSheet:
    """The member's sheet for an assignment, with one line per criterion of the dossier's rubric,
    made at the first save (a page that only shows the sheet writes nothing)."""
    sheet, created = ScoreSheet.objects.get_or_create(assignment=assignment)
    if created:
        rubric = rubric_for(assignment.dossier)
        if rubric is None:
            raise ActionRefused(str(NO_RUBRIC))
        ScoreItem.objects.bulk_create(ScoreItem(sheet=sheet, criterion=c) for c in rubric.criteria.all())
    return sheet


def parse_points(raw: str, maximum: D) -> D | None:
    """«7,5» or «7.5» → 7.5; empty → None; raises ActionRefused outside 0..max or off the 0.5 steps."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    # Only what a person types: ASCII digits with at most as many decimals as ScoreItem.points keeps.
    # Decimal() alone also reads «٣», «NaN», «Infinity» and «1E-999999999» (which no column can hold).
    if not POINTS_TEXT.fullmatch(text):
        raise ActionRefused(_("«%(raw)s» không phải là số điểm.") % {"raw": raw[:20]})
    value = D(text)
    if value < 0 or value > maximum:
        raise ActionRefused(_("Điểm phải từ 0 đến %(max)s.") % {"max": format_points(maximum)})
    if value % HALF != 0:
        raise ActionRefused(_("Điểm chấm theo bước 0,5 (ví dụ 7 hoặc 7,5)."))
    return value


def _sheet_locked(assignment) -> ScoreSheet:
    """The assignment's sheet (opened if need be), locked, with what its name in the trail reads."""
    return (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("assignment__dossier", "assignment__member__user")
        .get(pk=sheet_open(assignment=assignment).pk)
    )


def score_save_draft(
    *, assignment, actor, points: dict, comments: dict, overall_comment: str, today=None
) -> dict:
    """Save what is valid of a draft (autosave): {criterion_id: error message} for the rest, which the
    page keeps as typed. A submitted sheet is never changed here. Points that change are recorded."""
    errors: dict[int, str] = {}
    if any(len(text or "") > LONG_TEXT_MAX for text in [*comments.values(), overall_comment]):
        raise ActionRefused(_too_long())
    with transaction.atomic():
        check_scoring_window(assignment.council, today or timezone.localdate())
        sheet = _sheet_locked(assignment)
        if sheet.state != ScoreSheet.State.DRAFT:
            raise ActionRefused(_("Phiếu chấm đã nộp và đã khóa; chỉ Chủ tịch Hội đồng mở lại được."))
        changes = []
        for item in sheet.items.select_related("criterion"):
            key = item.criterion_id
            if key in points:
                try:
                    value = parse_points(points[key], item.criterion.max_points)
                except ActionRefused as refused:
                    errors[key] = str(refused)
                else:
                    if value != item.points:
                        changes.append(
                            f"{item.criterion.name}: {format_points(item.points)} → {format_points(value)}"
                        )
                    item.points = value
            if key in comments:
                item.comment = nfc(comments[key]).strip()
            item.save(update_fields=["points", "comment"])
        sheet.overall_comment = nfc(overall_comment).strip()
        sheet.save(update_fields=["overall_comment", "updated_at"])
        if changes:
            record(actor=actor, action=Action.SCORE_SAVED, obj=sheet, detail={"summary": "; ".join(changes)})
    return errors


def score_submit(*, assignment, actor, today=None) -> ScoreSheet:
    """Lock the sheet with its total. Two submits at once count once: the row lock and the state check."""
    with transaction.atomic():
        check_scoring_window(assignment.council, today or timezone.localdate())
        sheet = _sheet_locked(assignment)
        if sheet.state == ScoreSheet.State.SUBMITTED:
            raise ActionRefused(_("Phiếu chấm này đã được nộp."))
        items = list(sheet.items.select_related("criterion"))
        missing = [item.criterion.name for item in items if item.points is None]
        if missing:
            raise ActionRefused(_("Chưa chấm tiêu chí: %(names)s.") % {"names": "; ".join(missing)})
        sheet.total = sum((item.points for item in items), D(0))
        sheet.state = ScoreSheet.State.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["total", "state", "submitted_at", "updated_at"])
        record(
            actor=actor,
            action=Action.SCORE_SUBMITTED,
            obj=sheet,
            detail={"total": str(sheet.total), "summary": format_points(sheet.total)},
        )
        _score_if_announced(assignment, actor)
    return sheet


def _score_if_announced(assignment, actor) -> None:
    """A result that becomes valid after the council announced its results (a scorer added, a sheet
    reopened and submitted again) makes its dossier «scored» then, by the submission that did it."""
    council = assignment.council
    if council.results_announced_at is None:
        return
    results = council_results(council, dossier=assignment.dossier)
    if results and results[0].valid:
        dossiers_scored(dossiers=Dossier.objects.filter(pk=assignment.dossier_id), actor=actor)


# A ranking run has included the dossier (awards.ranking moves the dossiers it ranks to «ranked»,
# then the award list concludes them): its scores are part of a published order from then on.
RANKED_STATUSES = (Status.RANKED, Status.AWARDED, Status.NOT_AWARDED)


def reopen_refusal(*, council, dossier, today=None) -> str:
    """Why the chair may no longer reopen a submitted sheet of `dossier` («» while still allowed):
    once a ranking run includes the dossier, once the results are announced, or once the scoring
    window has closed, the scores stay closed; a later correction goes through an appeal's conclusion
    (councils.appeals.appeal_answer)."""
    later = _("Muốn sửa điểm, Hội đồng kết luận khiếu nại của đơn vị.")
    if dossier.status in RANKED_STATUSES:
        return _("Hồ sơ %(ref)s đã được xếp hạng; không mở lại phiếu chấm được nữa. %(later)s") % {
            "ref": dossier.reference,
            "later": later,
        }
    if council.results_announced_at is not None:
        return _("Hội đồng đã công bố kết quả chấm; không mở lại phiếu chấm được nữa. %(later)s") % {
            "later": later
        }
    end = council.campaign.scoring_end
    if (today or timezone.localdate()) > end:
        return _("Đã hết thời gian chấm điểm (ngày %(end)s); không mở lại phiếu chấm được nữa. %(later)s") % {
            "end": format_date(end),
            "later": later,
        }
    return ""


def score_reopen(*, sheet: ScoreSheet, actor, reason: str, today=None) -> ScoreSheet:
    """The chair reopens a submitted sheet, with a reason, while its scores are still open (see
    reopen_refusal); logged."""
    reason = nfc(reason).strip()
    if not reason:
        raise ActionRefused(_("Vui lòng ghi lý do mở lại phiếu chấm."))
    if len(reason) > LONG_TEXT_MAX:
        raise ActionRefused(_too_long())
    with transaction.atomic():
        sheet = (
            ScoreSheet.objects.select_for_update(of=("self",))
            .select_related("assignment__council__campaign", "assignment__dossier")
            .get(pk=sheet.pk)
        )
        if sheet.state != ScoreSheet.State.SUBMITTED:
            raise ActionRefused(_("Phiếu chấm chưa nộp, không cần mở lại."))
        # the council's row lock orders a reopen after a concurrent announcement
        council = (
            Council.objects.select_for_update().select_related("campaign").get(pk=sheet.assignment.council_id)
        )
        refusal = reopen_refusal(council=council, dossier=sheet.assignment.dossier, today=today)
        if refusal:
            raise ActionRefused(refusal)
        previous_total = sheet.total
        sheet.state, sheet.total, sheet.submitted_at = ScoreSheet.State.DRAFT, None, None
        sheet.save(update_fields=["state", "total", "submitted_at", "updated_at"])
        record(
            actor=actor,
            action=Action.SCORE_REOPENED,
            obj=sheet,
            reason=reason,
            detail={"total": str(previous_total), "summary": format_points(previous_total)},
        )
    return sheet
