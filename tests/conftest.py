"""The fixed cast every test can call on (../shared/STYLE.md): unit A with a child unit, unit B
outside it, the Front committee and the finance department, one person per role, and the 2026
campaign's council on which the secretary, the chair and a member have their places."""

import pytest
from django.conf import settings as django_settings

from accounts.models import UnitKind
from councils.models import MemberRole
from councils.services import council_found
from dksangtao.roles import Role
from tests.factories import CampaignFactory, UnitFactory, person_on_council, person_with_role
from tests.s3server import s3_endpoint, s3_media  # noqa: F401  (fixtures: a real local S3 server)


def pytest_collection_modifyitems(config, items):
    skip_redis = pytest.mark.skip(
        reason="REDIS_URL is not set: no broker to run a real Celery worker against"
    )
    skip_postgres = pytest.mark.skip(
        reason="needs PostgreSQL (its triggers, row locks or pg_trgm); SQLite has none of them, and the "
        "services check the same rules. CI runs these on PostgreSQL."
    )
    on_sqlite = django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    for item in items:
        # Mixing transactional tests with and without serialized_rollback breaks the next one: the
        # flush after a plain one re-creates content types under new ids, which the restore of a
        # serialized one then inserts again. So every transactional test restores what migrations seed.
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )
        if "transactional_db" in getattr(item, "fixturenames", ()):
            raise pytest.UsageError(
                f"{item.nodeid}: mark it django_db(transaction=True, serialized_rollback=True)"
            )
        if "redis_only" in item.keywords and not django_settings.REDIS_URL:
            item.add_marker(skip_redis)
        if "postgres_only" in item.keywords and on_sqlite:
            item.add_marker(skip_postgres)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """What migrations put in the database — content types, permissions, guardian's anonymous user
    (post_migrate), the fields and kinds of dossiers, the fund's chart of accounts. Every transactional
    test restores them from the serialized database, but not once a browser test has run: Playwright's
    event loop is running by then and Django hands that context a connection without the serialized
    copy, so the transactional tests after it (a real worker's import) started from empty tables. So
    every transactional test puts back whatever is missing (all idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    from importlib import import_module

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    if not ContentType.objects.exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for module in (
        "submissions.migrations.0002_seed_fields_kinds_and_trigram_index",
        "fund.migrations.0002_chart_of_accounts",
    ):
        import_module(module).seed(apps, None)


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Files a test writes (uploads, reports, the open data rebuilt after a change) go to a folder of
    its own, never into the project's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Tasks run in the test's own thread unless a test starts a real worker (tests marked redis_only)."""
    from dksangtao.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before


@pytest.fixture
def unit_a(db):
    return UnitFactory(name="Sở Khoa học và Công nghệ", code="so-khcn", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def unit_a_child(unit_a):
    return UnitFactory(
        name="Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        code="tt-khcn",
        kind=UnitKind.PUBLIC_SERVICE,
        parent=unit_a,
    )


@pytest.fixture
def unit_b(db):
    return UnitFactory(name="Sở Giáo dục và Đào tạo", code="so-gddt", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def front_unit(db):
    return UnitFactory(name="Ủy ban MTTQ Việt Nam tỉnh", code="mttq-tinh", kind=UnitKind.FRONT_PROVINCE)


@pytest.fixture
def finance_unit(db):
    return UnitFactory(name="Sở Tài chính", code="so-tc", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def staff(unit_a):
    return person_with_role(Role.UNIT_STAFF, unit_a, full_name="Nguyễn Thị Lan", email="lan@example.vn")


@pytest.fixture
def reviewer(unit_a):
    return person_with_role(Role.UNIT_REVIEWER, unit_a, full_name="Trần Văn Hùng", email="hung@example.vn")


@pytest.fixture
def outsider(unit_b):
    return person_with_role(Role.UNIT_STAFF, unit_b, full_name="Lê Thị Hoa", email="hoa@example.vn")


@pytest.fixture
def campaign(db):
    """The 2026 campaign: with no ceremony still to come, the current one (current_campaign)."""
    return CampaignFactory()


@pytest.fixture
def council(campaign):
    """The campaign's appraisal council; the secretary, chair and member fixtures take their places on it."""
    return council_found(
        campaign=campaign,
        name=f"Hội đồng thẩm định sáng tạo năm {campaign.year}",
        decision_number="45/QĐ-MTTQ",
        decision_date=campaign.submissions_open,
        signer="Chủ tịch UB MTTQ tỉnh",
        actor=None,
    )


@pytest.fixture
def council_member(council):
    home = UnitFactory(name="Liên hiệp các Hội Khoa học và Kỹ thuật", kind=UnitKind.FRONT_MEMBER_ORGANISATION)
    return person_on_council(
        council, MemberRole.MEMBER, home, full_name="Hoàng Văn Nam", email="nam@example.vn"
    )


@pytest.fixture
def secretary(council, front_unit):
    return person_on_council(
        council, MemberRole.SECRETARY, front_unit, full_name="Phạm Minh Tuấn", email="tuan@example.vn"
    )


@pytest.fixture
def chair(council, front_unit):
    return person_on_council(
        council, MemberRole.CHAIR, front_unit, full_name="Võ Thị Thu", email="thu@example.vn"
    )


@pytest.fixture
def front_admin(front_unit):
    return person_with_role(Role.FRONT_ADMIN, front_unit, full_name="Đặng Quốc Bảo", email="bao@example.vn")


@pytest.fixture
def fund_maker(finance_unit):
    return person_with_role(Role.FUND_MAKER, finance_unit, full_name="Bùi Thị Mai", email="mai@example.vn")


@pytest.fixture
def fund_checker(front_unit):
    return person_with_role(Role.FUND_CHECKER, front_unit, full_name="Ngô Văn Phúc", email="phuc@example.vn")


@pytest.fixture
def department_viewer(unit_b):
    return person_with_role(Role.DEPARTMENT_VIEWER, unit_b, full_name="Đỗ Thị Hạnh", email="hanh@example.vn")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the pages keep what is the same for everyone (the public
    figures) and a person's memberships between requests, and a rolled-back test's ids come back."""
    from django.core.cache import cache

    cache.clear()
