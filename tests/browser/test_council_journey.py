"""The second journey, in Chromium, on the demo data of `make run DEMO_PHASE=appraisal`: the secretary
screens the nominated entries and assigns scorers automatically; three members score in their own
browser contexts (the draft saves itself as they type); the chair reads the results and downloads
the minutes, whose first page is rendered to PNG."""

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from councils.models import Assignment, ScoreSheet
from submissions.models import Dossier, Status
from submissions.selectors import current_campaign
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_role_dashboards import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEMO_PASSWORD = "DemoDKST@2026"
MEMBERS = ["uyvien.hoidong", "uyvien2.hoidong", "uyvien3.hoidong"]
# Each member's points per criterion (novelty /30, applicability /30, effectiveness /30, reach /10).
POINTS = {
    "uyvien.hoidong": ["27", "25,5", "24", "8"],
    "uyvien2.hoidong": ["24", "22", "21,5", "7"],
    "uyvien3.hoidong": ["26", "24", "23", "9"],
}


def demo(local: str) -> str:
    return f"{local}@demo.dksangtao.vn"


@pytest.fixture
def demo_in_appraisal():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("demo_phase", "appraisal", stdout=open("/dev/null", "w"))  # noqa: SIM115


def member_scores_their_queue(browser, live_server, screenshot, local):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, demo(local), DEMO_PASSWORD)
    page.get_by_role("link", name="Chấm điểm").first.click()
    queue = page.locator("table.data tbody tr")
    count = queue.count()
    assert count > 0, f"{local} has nothing to score"
    for n in range(count):
        page.locator("table.data tbody tr").nth(n).get_by_role("link").first.click()
        inputs = page.locator("input[name^='points-']")
        for i, value in enumerate(POINTS[local]):
            inputs.nth(i).fill(value)
        page.locator("textarea[name^='comment-']").first.fill(
            "Giải pháp có tính mới rõ rệt so với cách làm cũ."
        )
        # The draft saves itself as they type (htmx).
        expect(page.locator("#save-status")).to_contain_text("Đã tự động lưu", timeout=10_000)
        if n == 0:
            screenshot(page, f"council-3-sheet-{local}")
        page.get_by_role("button", name="Nộp phiếu chấm").click()
        expect(page.get_by_text("Đã nộp phiếu chấm. Phiếu đã được khóa.")).to_be_visible()
    expect(page.locator("[data-progress]")).to_contain_text(f"Đã nộp {count}/{count} phiếu chấm")
    screenshot(page, f"council-4-queue-{local}")
    context.close()
    return count


def test_screen_assign_score_and_read_the_minutes(browser, page, live_server, screenshot, demo_in_appraisal):
    waiting = list(Dossier.objects.filter(status=Status.NOMINATED).values_list("reference", flat=True))
    assert len(waiting) >= 2

    # The secretary screens every nominated entry as eligible.
    log_in(page, demo("thuky.hoidong"), DEMO_PASSWORD)
    page.get_by_role("link", name="Thẩm tra điều kiện").first.click()
    expect(page.get_by_text(f"{len(waiting)} hồ sơ chờ thẩm tra")).to_be_visible()
    screenshot(page, "council-1-screening-queue")
    for _ in waiting:
        page.get_by_role("link", name="Thẩm tra").last.click()
        page.get_by_label("Đủ điều kiện — chuyển Hội đồng chấm").check()
        page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.get_by_text("Không có hồ sơ nào chờ thẩm tra")).to_be_visible()
    in_appraisal = Dossier.objects.filter(status=Status.IN_APPRAISAL).count()
    assert in_appraisal >= len(waiting)

    # …and assigns the scorers automatically.
    page.get_by_role("link", name="Phân công chấm").first.click()
    page.get_by_role("button", name="Phân công tự động").click()
    expect(page.locator(".messages, .message").first).to_contain_text(re.compile("phân công"))
    screenshot(page, "council-2-assignments")
    assigned = Assignment.objects.filter(is_active=True, council__campaign=current_campaign())
    assert set(assigned.values_list("dossier__status", flat=True)) == {Status.IN_APPRAISAL}
    assert assigned.values("dossier").distinct().count() == in_appraisal

    # Three members score in their own browser contexts.
    sheets = sum(member_scores_their_queue(browser, live_server, screenshot, local) for local in MEMBERS)
    assert sheets == assigned.count()
    submitted = ScoreSheet.objects.filter(state=ScoreSheet.State.SUBMITTED, assignment__in=assigned)
    assert submitted.count() == sheets

    # The secretary follows the progress.
    page.get_by_role("link", name="Tiến độ chấm").first.click()
    expect(page.locator("[data-progress]")).to_contain_text(f"Đã nộp {sheets}/{sheets} phiếu chấm")
    screenshot(page, "council-5-progress")
    page.get_by_role("button", name="Đăng xuất").click()

    # The chair reads the results and downloads the minutes.
    log_in(page, demo("chutich.hoidong"), DEMO_PASSWORD)
    page.get_by_role("link", name="Kết quả chấm").first.click()
    expect(page.locator("table.data tbody tr")).to_have_count(in_appraisal)
    screenshot(page, "council-6-results")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải biên bản (PDF)").click()
    pdf = SCREENSHOTS / "council-7-minutes.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "BIÊN BẢN" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(SCREENSHOTS / "council-7-minutes"),
            ],
            check=True,
        )
        assert list(SCREENSHOTS.glob("council-7-minutes*.png"))
