"""Campaigns and dossiers for the submissions tests, made and moved only through the real services."""
# CampaignFactory lives in tests.factories; it is imported here for the tests that take it from here.

import datetime as dt
import itertools

import pytest

from accounts.models import Membership
from dksangtao.roles import Role
from submissions import services
from submissions.models import Dossier, DossierKind, Field, Status, UnitGrade
from tests.factories import CampaignFactory, person_with_role  # noqa: F401

SUBMIT_DAY = dt.date(2026, 5, 1)  # inside the 2026 submission window
REVIEW_DAY = dt.date(2026, 7, 1)  # after submissions close, before the unit review deadline

# How make_dossier reaches each status from a fresh draft, through the named services: the units'
# up to «nominated», then the ones the council and the awards call (screening, the announced results,
# a ranking run, the publication), each for this one dossier.
PATHS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (),
    Status.SUBMITTED: (Status.SUBMITTED,),
    Status.RETURNED: (Status.SUBMITTED, Status.RETURNED),
    Status.RECOGNISED_AT_UNIT: (Status.SUBMITTED, Status.RECOGNISED_AT_UNIT),
    Status.NOMINATED: (Status.SUBMITTED, Status.NOMINATED),
    Status.WITHDRAWN: (Status.WITHDRAWN,),
    Status.INELIGIBLE: (Status.SUBMITTED, Status.NOMINATED, Status.INELIGIBLE),
    Status.IN_APPRAISAL: (Status.SUBMITTED, Status.NOMINATED, Status.IN_APPRAISAL),
    Status.SCORED: (Status.SUBMITTED, Status.NOMINATED, Status.IN_APPRAISAL, Status.SCORED),
    Status.RANKED: (Status.SUBMITTED, Status.NOMINATED, Status.IN_APPRAISAL, Status.SCORED, Status.RANKED),
    Status.AWARDED: (
        Status.SUBMITTED,
        Status.NOMINATED,
        Status.IN_APPRAISAL,
        Status.SCORED,
        Status.RANKED,
        Status.AWARDED,
    ),
    Status.NOT_AWARDED: (
        Status.SUBMITTED,
        Status.NOMINATED,
        Status.IN_APPRAISAL,
        Status.SCORED,
        Status.RANKED,
        Status.NOT_AWARDED,
    ),
}


@pytest.fixture
def kind(db):
    # Seeded by migration 0002; made again only after a transactional test has flushed the tables.
    return DossierKind.objects.get_or_create(code="sang-kien", defaults={"name": "Sáng kiến", "order": 1})[0]


@pytest.fixture
def field(db):
    # Seeded by migration 0002; made again only after a transactional test has flushed the tables.
    return Field.objects.get_or_create(
        code="khcn-cds", defaults={"name": "Khoa học – công nghệ & chuyển đổi số", "order": 6}
    )[0]


def two_authors() -> list[dict]:
    return [
        {
            "full_name": "Nguyễn Văn Bình",
            "date_of_birth": dt.date(1980, 4, 12),
            "workplace": "Sở Khoa học và Công nghệ",
            "position": "Phó Trưởng phòng",
            "qualification": "Thạc sĩ Công nghệ thông tin",
            "contribution_percent": 60,
        },
        {
            "full_name": "Trần Thị Ngọc Ánh",
            "date_of_birth": dt.date(1988, 11, 3),
            "workplace": "Sở Khoa học và Công nghệ",
            "position": "Chuyên viên",
            "qualification": "Kỹ sư phần mềm",
            "contribution_percent": 40,
        },
    ]


_titles = itertools.count(1)


def complete_data(kind, field, **overrides) -> dict:
    """Every item the recognition form requires before submitting."""
    number = next(_titles)
    data = {
        "title": f"Số hóa quy trình tiếp nhận hồ sơ sáng kiến, đợt thử số {number}",
        "kind": kind,
        "field": field,
        "summary": "Chuyển việc tiếp nhận hồ sơ từ giấy sang phần mềm, rút ngắn thời gian xử lý.",
        "owner": "Sở Khoa học và Công nghệ",
        "first_applied_on": dt.date(2025, 10, 1),
        "current_situation": "Hồ sơ nộp bằng giấy, mất nhiều ngày để tổng hợp và dễ thất lạc.",
        "solution_content": "Xây dựng biểu mẫu trực tuyến, tự động đánh số và theo dõi trạng thái hồ sơ.",
        "novelty": "Lần đầu áp dụng tại tỉnh; tích hợp chữ ký số của cán bộ tiếp nhận.",
        "application_conditions": "Máy tính nối mạng nội bộ.",
        "application_scope": "Áp dụng được cho mọi sở, ban, ngành và Ủy ban nhân dân cấp huyện.",
        "economic_benefit_vnd": 120_000_000,
        "benefits_by_author": "Giảm 70% thời gian tổng hợp, tiết kiệm giấy in.",
    }
    data.update(overrides)
    return data


def _review_actor(unit):
    """The unit's reviewer: the one a test already made (e.g. the `reviewer` fixture), or a new one."""
    membership = (
        Membership.objects.filter(unit=unit, role=Role.UNIT_REVIEWER, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership is not None:
        return membership.user
    return person_with_role(Role.UNIT_REVIEWER, unit, full_name="Phan Văn Khải")


@pytest.fixture
def make_dossier(campaign, kind, field):
    """make_dossier(unit, creator, status=..., campaign=..., authors=..., reviewer=..., **fields)."""

    def make(unit, creator, status=Status.DRAFT, campaign=campaign, authors=None, reviewer=None, **fields):
        dossier = services.dossier_create(
            campaign=campaign,
            unit=unit,
            actor=creator,
            data=complete_data(fields.pop("kind", kind), fields.pop("field", field), **fields),
            authors=two_authors() if authors is None else authors,
        )
        for step in PATHS[status]:
            if step == Status.SUBMITTED:
                dossier = services.dossier_submit(dossier=dossier, actor=creator, today=SUBMIT_DAY)
            elif step == Status.WITHDRAWN:
                dossier = services.dossier_withdraw(
                    dossier=dossier, actor=creator, reason="Đơn vị rút để hoàn thiện thêm."
                )
            elif step == Status.RETURNED:
                dossier = services.dossier_return(
                    dossier=dossier,
                    actor=reviewer or _review_actor(unit),
                    reason="Bổ sung số liệu hiệu quả kinh tế.",
                    today=REVIEW_DAY,
                )
            elif step == Status.RECOGNISED_AT_UNIT:
                dossier = services.dossier_recognise(
                    dossier=dossier,
                    actor=reviewer or _review_actor(unit),
                    grade=UnitGrade.GOOD,
                    today=REVIEW_DAY,
                )
            elif step == Status.NOMINATED:
                dossier = services.dossier_nominate(
                    dossier=dossier, actor=reviewer or _review_actor(unit), today=REVIEW_DAY
                )
            elif step in (Status.IN_APPRAISAL, Status.INELIGIBLE):
                dossier = services.dossier_screen(
                    dossier=dossier,
                    actor=reviewer or _review_actor(unit),
                    eligible=step == Status.IN_APPRAISAL,
                    reason="Hội đồng xử lý.",
                    today=REVIEW_DAY,
                )
            else:
                only = Dossier.objects.filter(pk=dossier.pk)
                none = Dossier.objects.none()
                actor = reviewer or _review_actor(unit)
                if step == Status.SCORED:
                    services.dossiers_scored(dossiers=only, actor=actor)
                elif step == Status.RANKED:
                    services.dossiers_ranked(dossiers=only)
                elif step == Status.AWARDED:
                    services.dossiers_conclude(awarded=only, not_awarded=none, actor=actor)
                else:
                    services.dossiers_conclude(awarded=none, not_awarded=only, actor=actor)
        dossier.refresh_from_db()
        assert dossier.status == status
        return dossier

    return make
