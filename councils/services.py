"""Writes on councils and rubrics: the default rubric of SPEC §4, its validation, and copying last
year's rubrics into a new campaign."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from councils.models import Band, Criterion, Rubric
from submissions.models import Campaign

D = Decimal

# SPEC §4: 100 points; guidance bands as on provincial scoring sheets.
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
                rubric=rubric, order=order, name=name, description=description, max_points=max_points
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
            )
            Band.objects.bulk_create(
                Band(criterion=new_criterion, label=b.label, min_points=b.min_points, max_points=b.max_points)
                for b in criterion.bands.all()
            )
        copies.append(copy)
    return copies
