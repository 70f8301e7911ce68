"""The province summary's section «V. Nhân rộng sáng kiến, giải pháp»: the applications of public
records that the units' reviewers confirmed, begun in the report's year — how many, which records,
which units, and the measured benefit in đồng."""

import datetime as dt

import pytest

from accounts.models import UnitKind
from dksangtao.jobs import JobStatus
from dksangtao.roles import Role
from public import services as public_services
from reports import services
from reports.models import ReportKind
from reports.selectors import replication_summary
from tests.factories import UnitFactory, person_with_role
from tests.public.conftest import make_record  # noqa: F401  (fixture)
from tests.reports.conftest import pdf_text
from tests.submissions.conftest import _review_actor

pytestmark = pytest.mark.django_db

SECTION = "V. NHÂN RỘNG SÁNG KIẾN, GIẢI PHÁP"


@pytest.fixture
def apply_confirmed(db):
    """apply_confirmed(record, unit, applied_on, benefit_vnd, status="confirmed") → RecordApplication,
    recorded by a staff member of the unit and decided by its reviewer, through the services."""

    def apply(record, unit, applied_on, benefit_vnd, status="confirmed"):
        application = public_services.application_record(
            public_record=record,
            unit=unit,
            actor=person_with_role(Role.UNIT_STAFF, unit),
            data={
                "applied_on": applied_on,
                "scope": "Toàn đơn vị",
                "benefit_vnd": benefit_vnd,
                "contact": "x",
            },
        )
        if status == "confirmed":
            application = public_services.application_confirm(
                application=application, actor=_review_actor(unit)
            )
        elif status == "rejected":
            application = public_services.application_reject(
                application=application, actor=_review_actor(unit), reason="Chưa đúng thực tế."
            )
        return application

    return apply


@pytest.fixture
def spread(make_record, apply_confirmed, unit_a, unit_a_child, unit_b, outsider, front_admin):  # noqa: F811
    """Two records applied in 2026 by three units (one without a figure), and what must not count: an
    application waiting, one rejected, one begun in 2025, and one of a record since withdrawn."""
    district = UnitFactory(name="Ủy ban nhân dân phường Thuận Hóa", kind=UnitKind.PEOPLES_COMMITTEE_COMMUNE)
    qr = make_record(unit=unit_b, creator=outsider, title="Ứng dụng mã QR tra cứu di tích")
    sen = make_record(title="Máy bóc vỏ hạt sen bán tự động")
    gone = make_record(title="Bản ghi đã gỡ")
    apply_confirmed(qr, unit_a, dt.date(2026, 3, 5), 1_500_000)
    apply_confirmed(qr, district, dt.date(2026, 1, 15), 2_750_000)
    apply_confirmed(sen, unit_b, dt.date(2026, 8, 20), None)
    apply_confirmed(sen, unit_a_child, dt.date(2026, 6, 1), 1_234_567)
    apply_confirmed(sen, district, dt.date(2026, 6, 1), 900_000, status="pending")
    apply_confirmed(qr, unit_a_child, dt.date(2026, 6, 1), 800_000, status="rejected")
    apply_confirmed(sen, unit_a, dt.date(2025, 12, 31), 5_000_000)  # last year's
    apply_confirmed(gone, unit_b, dt.date(2026, 2, 2), 7_000_000)
    public_services.record_withdraw(public_record=gone, actor=front_admin, reason="Trùng hồ sơ khác.")
    return {"qr": qr, "sen": sen, "district": district}


def test_the_section_counts_the_confirmed_applications_begun_in_the_year(
    spread, unit_a, unit_a_child, unit_b, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the applications with their record and unit, one query
        summary = replication_summary(year=2026)
        rows = [
            (row.record.title, [a.unit.name for a in row.applications], row.benefit)
            for row in summary.records
        ]
    qr, sen = sorted([spread["qr"], spread["sen"]], key=lambda record: record.reference)
    assert [row[0] for row in rows] == [qr.title, sen.title]  # by reference
    by_title = {title: (units, benefit) for title, units, benefit in rows}
    # each record's units by the day they began
    assert by_title[spread["qr"].title] == ([spread["district"].name, unit_a.name], 4_250_000)
    assert by_title[spread["sen"].title] == ([unit_a_child.name, unit_b.name], 1_234_567)
    assert (summary.count, len(summary.records), summary.unit_count) == (4, 2, 4)
    assert summary.benefit == 5_484_567
    assert summary.unmeasured == 1
    assert replication_summary(year=2025).count == 1
    assert replication_summary(year=2027).records == []


def build_province_summary(campaign, actor, capture) -> bytes:
    with capture(execute=True):
        job, _created = services.report_request(
            kind=ReportKind.PROVINCE_SUMMARY, campaign=campaign, unit=None, actor=actor
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job.file.read()


def test_the_province_summary_pdf_has_the_replication_section(
    tmp_path, campaign, spread, unit_a, front_admin, django_capture_on_commit_callbacks
):
    content = build_province_summary(campaign, front_admin, django_capture_on_commit_callbacks)
    (tmp_path / "tong-hop-tinh.pdf").write_bytes(content)
    text = pdf_text(content, tmp_path)
    assert SECTION in text
    section = text[text.index(SECTION) :]
    for expected in [
        "ngày bắt đầu áp dụng trong năm 2026 (không tính bản ghi đã gỡ khỏi cơ sở dữ liệu)",
        "Số lượt áp dụng được xác nhận 4",
        "Số sáng kiến, giải pháp được nhân rộng 2",
        "Số đơn vị áp dụng 4",
        "Tổng lợi ích đo được (đồng/năm) 5.484.567 đ",
        "Tổng cộng: 4 lượt áp dụng của 4 đơn vị 5.484.567 đ",
        "Có 1 lượt áp dụng chưa tính được lợi ích bằng tiền",
    ]:
        assert expected in section, expected
    compact = section.replace(" ", "")
    assert spread["qr"].reference in section and spread["sen"].reference in section
    assert "ỦybannhândânphườngThuậnHóa(15/01/2026):2.750.000đ" in compact
    assert f"{unit_a.name}(05/03/2026):1.500.000đ".replace(" ", "") in compact
    assert "SởGiáodụcvàĐàotạo(20/08/2026):—" in compact  # no figure: a dash, as the note says
    assert "4.250.000đ" in compact and "1.234.567đ" in compact
    assert "Bản ghi đã gỡ" not in text and "7.000.000" not in text and "5.000.000" not in text


def test_with_no_confirmed_application_the_section_says_so(
    tmp_path, campaign, front_admin, django_capture_on_commit_callbacks
):
    text = pdf_text(
        build_province_summary(campaign, front_admin, django_capture_on_commit_callbacks), tmp_path
    )
    assert SECTION in text
    assert "Số lượt áp dụng được xác nhận 0" in text
    assert "Tổnglợiíchđođược(đồng/năm)0đ" in text.replace(" ", "")  # «0 đ»: pdftotext may drop that space
    assert "Chưa có lượt áp dụng nhân rộng nào được xác nhận trong năm 2026." in text
