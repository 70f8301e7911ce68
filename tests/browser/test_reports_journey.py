# ruff: noqa: F811  (pytest fixtures imported from the submissions conftest are used as arguments)
"""The fourth journey, in Chromium: a department user opens the download centre, asks for the annual
summary of their department (which covers its schools), watches the job wait and then finish as a
Celery worker picks it up (the row polls every 2 s through htmx), and downloads the PDF; its first
pages are rendered to PNG with pdftoppm for a person to look at."""

import shutil
import subprocess

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from dksangtao.celery import app
from dksangtao.jobs import JobStatus
from reports.models import ReportJob
from submissions.models import Status
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_role_dashboards import log_in
from tests.factories import UnitFactory
from tests.submissions.conftest import field, kind, make_dossier  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_department_requests_watches_and_downloads_its_summary(
    page,
    screenshot,
    campaign,
    make_dossier,
    unit_b,
    outsider,
    department_viewer,
):
    school = UnitFactory(name="Trường THPT chuyên Quốc Học", code="thpt-quoc-hoc", parent=unit_b)
    make_dossier(unit_b, outsider, Status.SUBMITTED, title="Ngân hàng câu hỏi trực tuyến ôn thi tốt nghiệp")
    make_dossier(school, outsider, Status.NOMINATED, title="Dạy học STEM qua dự án robot từ vật liệu tái chế")

    log_in(page, department_viewer.email)
    page.get_by_role("link", name="Trung tâm tải báo cáo").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trung tâm tải báo cáo")
    row = page.locator(f'[data-report="unit_summary-{unit_b.pk}"]')
    expect(page.locator(f'[data-report="unit_summary-{school.pk}"]')).to_be_visible()
    expect(row).to_contain_text("Chưa tạo")

    # No worker is running yet: the web request only queues the job, and the row says so.
    app.conf.task_always_eager = False
    row.get_by_role("button", name="Tạo báo cáo").click()
    expect(row).to_contain_text("Đang chờ")
    expect(row.locator("progress")).to_be_visible()
    assert ReportJob.objects.get().status == JobStatus.QUEUED
    screenshot(page, "reports-1-queued")

    # A worker picks it up; the row, polling every 2 s, shows the file when it is ready.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        expect(row).to_contain_text("Đã xong", timeout=60_000)
    expect(row.get_by_role("link", name="Tải PDF")).to_be_visible()
    screenshot(page, "reports-2-done")

    with page.expect_download() as download_info:
        row.get_by_role("link", name="Tải PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"bao-cao-tong-hop-2026-{unit_b.code}.pdf"
    pdf = SCREENSHOTS / "reports-summary.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm is missing: `make test` installs poppler-utils")
    for old in SCREENSHOTS.glob("reports-summary-page-*.png"):
        old.unlink()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "2",
            str(pdf),
            str(SCREENSHOTS / "reports-summary-page"),
        ],
        check=True,
    )
    pages = sorted(SCREENSHOTS.glob("reports-summary-page-*.png"))
    assert len(pages) == 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "Sở Giáo dục và Đào tạo và 1 đơn vị trực thuộc" in text
    assert "Dạy học STEM qua dự án robot từ vật liệu tái chế" in text

    # The statistics of the same scope: each chart beside its table.
    page.get_by_role("link", name="Thống kê").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê hồ sơ sáng kiến")
    expect(page.locator(".count")).to_have_text("Năm 2026: 2 hồ sơ")
    expect(page.locator("section.stat-block svg")).to_have_count(5)
    screenshot(page, "reports-3-statistics")
