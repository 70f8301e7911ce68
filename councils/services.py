"""Writes on councils, rubrics and scores: the default rubric of SPEC §4, its validation, copying
last year's rubrics; score sheets (draft, submit, the chair's reopening)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Band, Criterion, Rubric, ScoreEvent, ScoreItem, ScoreSheet, TieBreak
from dksangtao.formatting import format_points
from dksangtao.text import nfc
from submissions.models import Campaign
from submissions.services import ActionRefused

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


@transaction.atomic
def rubric_create_default(*, campaign: Campaign) -> Rubric:
    """The general rubric of SPEC §4 for a campaign that has none (idempotent)."""
    rubric, created = Rubric.objects.get_or_create(
        campaign=campaign, field=None, defaults={"name": f"Bộ tiêu chí chung năm {campaign.year}"}
    )
    if created:
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
def rubric_copy_previous(*, campaign: Campaign) -> list[Rubric]:
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
        copies.append(copy)
    return copies


# Scoring ---------------------------------------------------------------------------------------

HALF = D("0.5")


def rubric_for(dossier) -> Rubric | None:
    """The field's own rubric if the campaign has one, else the campaign's general rubric."""
    rubrics = {r.field_id: r for r in Rubric.objects.filter(campaign_id=dossier.campaign_id)}
    return rubrics.get(dossier.field_id) or rubrics.get(None)


def _check_scoring_window(council, today) -> None:
    campaign = council.campaign
    if not campaign.scoring_start <= today <= campaign.scoring_end:
        raise ActionRefused(
            _("Chỉ chấm được trong thời gian chấm điểm, từ %(start)s đến %(end)s.")
            % {
                "start": campaign.scoring_start.strftime("%d/%m/%Y"),
                "end": campaign.scoring_end.strftime("%d/%m/%Y"),
            }
        )


@transaction.atomic
def sheet_open(*, assignment) -> ScoreSheet:
    """The member's sheet for an assignment, with one line per criterion of the dossier's rubric."""
    sheet, created = ScoreSheet.objects.get_or_create(assignment=assignment)
    if created:
        rubric = rubric_for(assignment.dossier)
        if rubric is None:
            raise ActionRefused(_("Đợt xét chọn chưa có bộ tiêu chí; Thư ký cần thiết lập trước khi chấm."))
        ScoreItem.objects.bulk_create(ScoreItem(sheet=sheet, criterion=c) for c in rubric.criteria.all())
    return sheet


def parse_points(raw: str, maximum: D) -> D | None:
    """«7,5» or «7.5» → 7.5; empty → None; raises ActionRefused outside 0..max or off the 0.5 steps."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = D(text)
    except ArithmeticError:
        raise ActionRefused(_("«%(raw)s» không phải là số điểm.") % {"raw": raw}) from None
    if not value.is_finite() or value < 0 or value > maximum:
        raise ActionRefused(_("Điểm phải từ 0 đến %(max)s.") % {"max": format_points(maximum)})
    if value % HALF != 0:
        raise ActionRefused(_("Điểm chấm theo bước 0,5 (ví dụ 7 hoặc 7,5)."))
    return value


def score_save_draft(
    *, assignment, actor, points: dict, comments: dict, overall_comment: str, today=None
) -> dict:
    """Save what is valid of a draft (autosave): {criterion_id: error message} for the rest, which the
    page keeps as typed. A submitted sheet is never changed here."""
    errors: dict[int, str] = {}
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().get(pk=sheet_open(assignment=assignment).pk)
        if sheet.state != ScoreSheet.State.DRAFT:
            raise ActionRefused(_("Phiếu chấm đã nộp và đã khóa; chỉ Chủ tịch Hội đồng mở lại được."))
        _check_scoring_window(assignment.council, today or timezone.localdate())
        for item in sheet.items.select_related("criterion"):
            key = item.criterion_id
            if key in points:
                try:
                    item.points = parse_points(points[key], item.criterion.max_points)
                except ActionRefused as refused:
                    errors[key] = str(refused)
            if key in comments:
                item.comment = nfc(comments[key]).strip()
            item.save(update_fields=["points", "comment"])
        sheet.overall_comment = nfc(overall_comment).strip()
        sheet.save(update_fields=["overall_comment", "updated_at"])
    return errors


def score_submit(*, assignment, actor, today=None) -> ScoreSheet:
    """Lock the sheet with its total. Two submits at once count once: the row lock and the state check."""
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().get(pk=sheet_open(assignment=assignment).pk)
        if sheet.state == ScoreSheet.State.SUBMITTED:
            raise ActionRefused(_("Phiếu chấm này đã được nộp."))
        _check_scoring_window(assignment.council, today or timezone.localdate())
        items = list(sheet.items.select_related("criterion"))
        missing = [item.criterion.name for item in items if item.points is None]
        if missing:
            raise ActionRefused(_("Chưa chấm tiêu chí: %(names)s.") % {"names": "; ".join(missing)})
        sheet.total = sum((item.points for item in items), D(0))
        sheet.state = ScoreSheet.State.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["total", "state", "submitted_at", "updated_at"])
        ScoreEvent.objects.create(sheet=sheet, kind=ScoreEvent.Kind.SUBMITTED, actor=actor, total=sheet.total)
    return sheet


def score_reopen(*, sheet: ScoreSheet, actor, reason: str) -> ScoreSheet:
    """The chair reopens a submitted sheet, with a reason; logged."""
    reason = nfc(reason).strip()
    if not reason:
        raise ActionRefused(_("Vui lòng ghi lý do mở lại phiếu chấm."))
    with transaction.atomic():
        sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.state != ScoreSheet.State.SUBMITTED:
            raise ActionRefused(_("Phiếu chấm chưa nộp, không cần mở lại."))
        previous_total = sheet.total
        sheet.state, sheet.total, sheet.submitted_at = ScoreSheet.State.DRAFT, None, None
        sheet.save(update_fields=["state", "total", "submitted_at", "updated_at"])
        ScoreEvent.objects.create(
            sheet=sheet, kind=ScoreEvent.Kind.REOPENED, actor=actor, reason=reason, total=previous_total
        )
    return sheet
