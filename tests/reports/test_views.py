"""The download centre, the job views and the statistics dashboard: each works for the people it is
for, refuses everyone else (404 for a report they may not see, whatever id they try) and refuses bad
input with a Vietnamese message, changing nothing."""

import hashlib
import io

import openpyxl
import pytest
from django.urls import reverse

from dksangtao.jobs import JobStatus
from reports import services
from reports.models import ReportJob, ReportKind
from submissions.models import Status
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

UNIT = ReportKind.UNIT_SUMMARY
PROVINCE = ReportKind.PROVINCE_SUMMARY


@pytest.fixture
def school(unit_b):
    return UnitFactory(name="Trường THPT chuyên Quốc Học", code="thpt-quoc-hoc", parent=unit_b)


@pytest.fixture
def built(campaign, django_capture_on_commit_callbacks):
    def build(unit, actor, kind=UNIT):
        with django_capture_on_commit_callbacks(execute=True):
            job, _created = services.report_request(kind=kind, campaign=campaign, unit=unit, actor=actor)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error
        return job

    return build


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


# The download centre ------------------------------------------------------------------------------


def test_a_department_sees_its_unit_and_children_only(client, campaign, department_viewer, school, unit_a):
    client.force_login(department_viewer)
    response = client.get(reverse("reports:centre"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Trung tâm tải báo cáo" in text
    assert f'data-report="unit_summary-{school.pk}"' in text
    assert f'data-report="unit_summary-{department_viewer.memberships.get().unit_id}"' in text
    assert f"unit_summary-{unit_a.pk}" not in text
    assert "province_summary" not in text and "Toàn tỉnh" not in text
    assert "Tạo tất cả báo cáo" not in text


def test_a_front_admin_sees_the_province_and_every_unit(client, campaign, front_admin, unit_a, unit_b):
    client.force_login(front_admin)
    text = page_text(client.get(reverse("reports:centre")))
    assert 'data-report="province_summary-tinh"' in text
    assert (
        f'data-report="unit_summary-{unit_a.pk}"' in text
        and f'data-report="unit_summary-{unit_b.pk}"' in text
    )
    assert "Tạo tất cả báo cáo của đợt hiện tại" in text


@pytest.mark.parametrize("person", ["staff", "outsider", "council_member", "fund_maker"])
def test_people_without_reports_are_refused(client, request, campaign, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("reports:centre")).status_code == 403
    assert client.get(reverse("reports:statistics")).status_code == 403
    assert client.post(reverse("reports:request"), {"kind": PROVINCE, "year": 2026}).status_code == 403
    assert not ReportJob.objects.exists()


def test_anonymous_people_are_sent_to_log_in(client, campaign):
    response = client.get(reverse("reports:centre"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_bad_year_in_the_centre_is_refused_with_a_message(client, campaign, department_viewer):
    client.force_login(department_viewer)
    response = client.get(reverse("reports:centre"), {"year": "1999"})
    assert response.status_code == 400
    assert "Không có đợt xét chọn của năm này." in page_text(response)


def test_the_centre_reads_the_same_number_of_queries_whatever_the_number_of_jobs(
    client, campaign, front_admin, unit_a, unit_b, django_assert_num_queries
):
    client.force_login(front_admin)
    client.get(reverse("reports:centre"))  # fills the process-wide ContentType cache
    # session, user (memberships and council places: cached by the first request; unit permissions: read
    # from them); the current campaign (the next ceremony, else the latest: two) and the chosen year's
    # campaign; units count and page
    # (paginator); the jobs of the page's units (one query, whatever their number); the campaigns of the year
    # select (once: a filter's select is never required, so Django does not read its first choice to decide)
    expected = 8
    with django_assert_num_queries(expected):
        assert client.get(reverse("reports:centre")).status_code == 200
    for unit in (unit_a, unit_b, None):
        for status in (JobStatus.FAILED, JobStatus.QUEUED):
            ReportJob.objects.create(
                kind=UNIT if unit else PROVINCE, campaign=campaign, unit=unit, status=status, error="x"
            )
    UnitFactory.create_batch(5)
    with django_assert_num_queries(expected):
        assert client.get(reverse("reports:centre")).status_code == 200


# Requesting, progress, download -----------------------------------------------------------------


def test_a_department_requests_its_schools_summary_and_downloads_it(
    client, campaign, department_viewer, school, django_capture_on_commit_callbacks
):
    client.force_login(department_viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:request"), {"kind": UNIT, "year": "2026", "unit": school.pk})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert (job.kind, job.unit, job.requested_by, job.status) == (UNIT, school, department_viewer, "done")
    text = page_text(client.get(response["Location"]))
    assert "Đã gửi yêu cầu tạo báo cáo" in text
    assert reverse("reports:download", args=[job.pk]) in text
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-tong-hop-2026-thpt-quoc-hoc.pdf"' in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == job.checksum


def test_a_request_through_htmx_answers_with_the_row_and_its_progress(
    client, campaign, department_viewer, unit_b, django_capture_on_commit_callbacks
):
    client.force_login(department_viewer)
    response = client.post(
        reverse("reports:request"), {"kind": UNIT, "year": "2026", "unit": unit_b.pk}, HTTP_HX_REQUEST="true"
    )
    # Without on-commit callbacks the job stays queued, as it would until a worker picks it up.
    job = ReportJob.objects.get()
    text = page_text(response)
    assert response.status_code == 200
    assert text.startswith(f'<tr id="report-unit_summary-{unit_b.pk}"')
    assert f'hx-get="{reverse("reports:job_status", args=[job.pk])}" hx-trigger="every 2s"' in text
    assert "Đang chờ" in text and 'value="0"' in text

    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=40)
    text = page_text(client.get(reverse("reports:job_status", args=[job.pk]), HTTP_HX_REQUEST="true"))
    assert "Đang chạy" in text and "40%" in text and 'hx-trigger="every 2s"' in text

    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, progress=0)
    services.report_build(job_id=job.pk)
    text = page_text(client.get(reverse("reports:job_status", args=[job.pk]), HTTP_HX_REQUEST="true"))
    assert "Đã xong" in text and "Tải PDF" in text and "hx-trigger" not in text


def test_asking_again_while_it_runs_returns_the_running_job(client, campaign, department_viewer, unit_b):
    running = ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_b, status=JobStatus.RUNNING)
    client.force_login(department_viewer)
    response = client.post(reverse("reports:request"), {"kind": UNIT, "year": "2026", "unit": unit_b.pk})
    assert ReportJob.objects.get() == running
    assert "Báo cáo này đang được tạo theo một yêu cầu trước" in page_text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "bao_cao_bi_mat", "year": "2026"}, "Loại báo cáo không hợp lệ."),
        ({"kind": UNIT, "year": "1999", "unit": "UNIT_B"}, "Không có đợt xét chọn của năm này."),
        ({"kind": UNIT, "year": "2026"}, "Hãy chọn đơn vị cho báo cáo tổng hợp của đơn vị."),
        ({"kind": UNIT, "year": "2026", "unit": "abc"}, "Mã đơn vị không hợp lệ."),
        ({"kind": PROVINCE, "year": "2026", "unit": "UNIT_B"}, "Báo cáo toàn tỉnh không gắn với một đơn vị."),
        ({"year": "2026"}, "Hãy chọn loại báo cáo."),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_nothing_changes(
    client, campaign, front_admin, unit_b, data, message
):
    data = {key: str(unit_b.pk) if value == "UNIT_B" else value for key, value in data.items()}
    client.force_login(front_admin)
    response = client.post(reverse("reports:request"), data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not ReportJob.objects.exists()


def test_a_department_cannot_ask_for_another_units_or_the_provinces_report(
    client, campaign, department_viewer, unit_a, unit_a_child
):
    client.force_login(department_viewer)
    for data in (
        {"kind": UNIT, "year": "2026", "unit": unit_a.pk},
        {"kind": UNIT, "year": "2026", "unit": unit_a_child.pk},
        {"kind": UNIT, "year": "2026", "unit": 987654},
        {"kind": PROVINCE, "year": "2026"},
    ):
        assert client.post(reverse("reports:request"), data).status_code == 404
    assert not ReportJob.objects.exists()


def test_a_department_cannot_see_or_download_another_units_report_by_guessing(
    client, built, campaign, department_viewer, reviewer, front_admin, unit_a, unit_b
):
    theirs = built(unit_a, reviewer)
    province = built(None, front_admin, kind=PROVINCE)
    ours = built(unit_b, department_viewer)
    failed = ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_a, status=JobStatus.FAILED)
    client.force_login(department_viewer)
    for job_id in (theirs.pk, province.pk, failed.pk, 999_999):
        assert client.get(reverse("reports:download", args=[job_id])).status_code == 404
        assert client.get(reverse("reports:job_status", args=[job_id])).status_code == 404
        assert client.post(reverse("reports:retry", args=[job_id])).status_code == 404
    assert theirs.file.name not in page_text(client.get(reverse("reports:centre")))
    assert client.get(reverse("reports:download", args=[ours.pk])).status_code == 200
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED
    # The reviewer of unit A, for their part, cannot reach the department's file.
    client.force_login(reviewer)
    assert client.get(reverse("reports:download", args=[ours.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[theirs.pk])).status_code == 200
    # The Front admin reaches every file.
    client.force_login(front_admin)
    for job in (theirs, province, ours):
        assert client.get(reverse("reports:download", args=[job.pk])).status_code == 200


def test_a_job_not_finished_has_nothing_to_download(client, campaign, department_viewer, unit_b):
    job = ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_b, status=JobStatus.RUNNING)
    client.force_login(department_viewer)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_the_job_views_take_only_their_method(client, campaign, department_viewer, unit_b):
    job = ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_b, status=JobStatus.FAILED)
    client.force_login(department_viewer)
    assert client.get(reverse("reports:request")).status_code == 405
    assert client.get(reverse("reports:retry", args=[job.pk])).status_code == 405
    assert client.post(reverse("reports:download", args=[job.pk])).status_code == 405


def test_a_failed_report_is_retried_from_the_centre(
    client, campaign, department_viewer, unit_b, django_capture_on_commit_callbacks
):
    job = ReportJob.objects.create(
        kind=UNIT, campaign=campaign, unit=unit_b, status=JobStatus.FAILED, error="OSError: đĩa đầy"
    )
    client.force_login(department_viewer)
    text = page_text(client.get(reverse("reports:centre")))
    assert "Không tạo được báo cáo." in text and "Thử lại" in text
    assert "đĩa đầy" not in text  # the technical error is for Front admins
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    response = client.post(reverse("reports:retry", args=[job.pk]), follow=True)
    assert "Chỉ tạo lại được báo cáo bị lỗi." in page_text(response)
    assert ReportJob.objects.count() == 1


def test_only_a_front_admin_runs_the_export_of_every_summary(
    client, campaign, front_admin, department_viewer, make_dossier, unit_a, staff
):
    make_dossier(unit_a, staff, Status.SUBMITTED)
    client.force_login(department_viewer)
    assert client.post(reverse("reports:export_all")).status_code == 403
    assert not ReportJob.objects.exists()
    client.force_login(front_admin)
    response = client.post(reverse("reports:export_all"), follow=True)
    assert "Đã gửi yêu cầu tạo 2 báo cáo của đợt xét chọn hiện tại." in page_text(response)
    assert set(ReportJob.objects.values_list("kind", "unit")) == {(PROVINCE, None), (UNIT, unit_a.pk)}


# Menu and dashboard ---------------------------------------------------------------------------------


def test_the_menu_and_the_dashboard_panel_are_for_people_with_reports(
    client, campaign, department_viewer, staff, front_admin
):
    client.force_login(department_viewer)
    text = page_text(client.get(reverse("dashboard")))
    assert "Trung tâm tải báo cáo" in text and "Thống kê" in text
    assert 'data-panel="reports"' in text and "của đơn vị và các đơn vị trực thuộc" in text
    client.force_login(front_admin)
    text = page_text(client.get(reverse("dashboard")))
    assert 'data-panel="reports"' in text and "của toàn tỉnh và của từng đơn vị" in text
    client.force_login(staff)
    text = page_text(client.get(reverse("dashboard")))
    assert "Trung tâm tải báo cáo" not in text and 'data-panel="reports"' not in text


# Statistics -------------------------------------------------------------------------------------


@pytest.fixture
def spread(campaign, make_dossier, unit_a, unit_b, school, staff, outsider):
    """Unit A: 2 submitted (one nominated); unit B: 1 submitted; the school: 1 nominated, 1 draft."""
    make_dossier(unit_a, staff, Status.SUBMITTED)
    make_dossier(unit_a, staff, Status.NOMINATED)
    make_dossier(unit_b, outsider, Status.SUBMITTED)
    school_staff = outsider
    make_dossier(school, school_staff, Status.NOMINATED)
    make_dossier(school, school_staff, Status.DRAFT)


def test_statistics_count_within_the_departments_scope(client, campaign, spread, department_viewer, school):
    client.force_login(department_viewer)
    response = client.get(reverse("reports:statistics"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Năm 2026: 2 hồ sơ" in text
    assert '<td>Trường THPT chuyên Quốc Học</td><td class="num">1</td><td class="num">1</td>' in text
    assert '<td>Sở Giáo dục và Đào tạo</td><td class="num">1</td><td class="num">0</td>' in text
    assert "Sở Khoa học và Công nghệ" not in text
    assert "<svg" in text and "<title>Theo lĩnh vực</title>" in text
    filtered = page_text(client.get(reverse("reports:statistics"), {"unit": school.pk, "year": "2026"}))
    assert "Năm 2026: 1 hồ sơ" in filtered


def test_a_front_admin_sees_every_unit_in_the_statistics(client, campaign, spread, front_admin):
    client.force_login(front_admin)
    text = page_text(client.get(reverse("reports:statistics"), {"year": "2026"}))
    assert "Năm 2026: 4 hồ sơ" in text
    assert '<td>Sở Khoa học và Công nghệ</td><td class="num">2</td><td class="num">1</td>' in text


def test_a_front_admin_types_the_unit_whose_statistics_they_want(client, campaign, spread, front_admin):
    """No 2,000-option drop-down: the unit is typed, with or without diacritics (the dossier list's
    picker), and an ambiguous name is refused with the candidates."""
    client.force_login(front_admin)
    url = reverse("reports:statistics")
    text = page_text(client.get(url, {"year": "2026", "unit": "so khoa hoc va cong nghe"}))
    assert "Năm 2026: 2 hồ sơ" in text
    assert "<select" not in text.split('name="unit"')[0].rsplit("<label", 1)[-1]
    response = client.get(url, {"year": "2026", "unit": "Trường Đại học Không Có"})
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị «Trường Đại học Không Có»" in page_text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "1999"}, "Không có đợt xét chọn của năm này."),
        ({"field": "999999"}, "Không có lĩnh vực này."),
        ({"unit": "UNIT_A"}, "» trong các đơn vị bạn được xem."),  # the unit typed (an id), not theirs
    ],
)
def test_bad_statistics_filters_are_refused_with_a_message(
    client, campaign, spread, department_viewer, unit_a, params, message
):
    params = {key: str(unit_a.pk) if value == "UNIT_A" else value for key, value in params.items()}
    client.force_login(department_viewer)
    response = client.get(reverse("reports:statistics"), params)
    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert "Sở Khoa học và Công nghệ</td>" not in text
    export = client.get(reverse("reports:statistics"), {**params, "export": "xlsx"})
    assert export.status_code == 400  # no file of figures for filters that were refused


def test_statistics_export_the_same_tables_to_excel(client, campaign, spread, department_viewer):
    client.force_login(department_viewer)
    response = client.get(reverse("reports:statistics"), {"year": "2026", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames == [
        "Theo năm",
        "Theo lĩnh vực",
        "Theo đơn vị",
        "Theo loại hồ sơ",
        "Theo xếp loại",
    ]
    units = list(workbook["Theo đơn vị"].iter_rows(min_row=2, values_only=True))
    assert units[0] == ("Đơn vị", "Số hồ sơ", "Đề cử lên tỉnh", "Được tôn vinh")
    assert set(units[1:-1]) == {("Trường THPT chuyên Quốc Học", 1, 1, 0), ("Sở Giáo dục và Đào tạo", 1, 0, 0)}
    assert units[-1] == ("Tổng cộng", 2, 1, 0)
    years = list(workbook["Theo năm"].iter_rows(min_row=3, values_only=True))
    assert years == [("2026", 2, 1, 0), ("Tổng cộng", 2, 1, 0)]


def test_statistics_read_the_same_number_of_queries_whatever_the_number_of_dossiers(
    client, campaign, department_viewer, make_dossier, unit_b, outsider, django_assert_num_queries
):
    client.force_login(department_viewer)
    client.get(reverse("reports:statistics"))  # fills the process-wide ContentType cache; keeps the figures
    # session, user (memberships and council places: cached by the first request; unit permissions: read
    # from them); the unit tree (view_unit_reports reaches the children); the current campaign (two) and
    # the chosen year's campaign; kinds; fields; the kept figures' fingerprint; the filter's campaigns
    # and fields (each read once: a filter's select is never required, so Django does not read its
    # first choice to decide) and the unit picker's suggestions (at most 21 read). The counts by year,
    # the grouped counts of the year and the ids that reached the province (no council query while
    # there are none) are kept until a dossier changes.
    expected = 11
    with django_assert_num_queries(expected):
        assert "Năm 2026: 0 hồ sơ" in page_text(client.get(reverse("reports:statistics")))
    for _ in range(3):
        make_dossier(unit_b, outsider, Status.SUBMITTED)
    with django_assert_num_queries(expected + 3):  # the new dossiers move the fingerprint: counted again
        assert "Năm 2026: 3 hồ sơ" in page_text(client.get(reverse("reports:statistics")))
    with django_assert_num_queries(expected):
        assert "Năm 2026: 3 hồ sơ" in page_text(client.get(reverse("reports:statistics")))


def test_the_kept_statistics_follow_a_dossiers_transition(
    client, campaign, spread, department_viewer, school
):
    """The figures are kept between requests (councils.selectors.figures_cached) and follow every
    write to a dossier: here the school's nominated dossier withdrawn through submissions.services."""
    from submissions.models import Dossier
    from submissions.services import dossier_withdraw

    client.force_login(department_viewer)
    row = '<td>Trường THPT chuyên Quốc Học</td><td class="num">1</td><td class="num">{}</td>'
    assert row.format(1) in page_text(client.get(reverse("reports:statistics")))
    dossier = Dossier.objects.get(unit=school, status=Status.NOMINATED)
    dossier_withdraw(dossier=dossier, actor=dossier.created_by, reason="Rút để hoàn thiện")
    assert row.format(0) in page_text(client.get(reverse("reports:statistics")))  # no longer nominated


def test_the_statistics_page_lists_the_units_with_most_dossiers_and_the_excel_file_all(
    client, campaign, front_admin, make_dossier, staff
):
    from reports.views import UNITS_SHOWN

    units = [UnitFactory(name=f"Đơn vị thống kê {n:02d}") for n in range(UNITS_SHOWN + 5)]
    for unit in units[:3]:  # three units with two dossiers: first in the table
        make_dossier(unit, staff, Status.SUBMITTED)
    for unit in units:
        make_dossier(unit, staff, Status.SUBMITTED)
    client.force_login(front_admin)
    text = page_text(client.get(reverse("reports:statistics"), {"year": str(campaign.year)}))
    shown = [unit.name for unit in units if f"<td>{unit.name}</td>" in text]
    assert len(shown) == UNITS_SHOWN and set(shown) >= {unit.name for unit in units[:3]}
    assert '<td>Các đơn vị khác (5 đơn vị; xem đủ trong tệp Excel)</td><td class="num">5</td>' in text
    assert f'<td class="num">{len(units) + 3}</td>' in text  # the total counts every unit
    export = client.get(reverse("reports:statistics"), {"year": str(campaign.year), "export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(export.getvalue()))["Theo đơn vị"].iter_rows(values_only=True)
    )
    assert {unit.name for unit in units} <= {row[0] for row in rows}
