"""The third journey, in Chromium, on the demo data of `make run DEMO_PHASE=ranking`: a Front admin runs
the ranking and drafts the award list (adding the honourees' bank details, each change with a reason);
a second Front admin approves and publishes it; a visitor sees the public list and opens a
certificate, whose page is rendered to PNG."""

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from awards.models import AwardList, RankingRun
from submissions.selectors import current_campaign
from tests.browser.conftest import CHROMIUM_ARGS, SCREENSHOTS  # noqa: F401
from tests.browser.test_role_dashboards import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEMO_PASSWORD = "DemoDKST@2026"


def demo(local: str) -> str:
    return f"{local}@demo.dksangtao.vn"


@pytest.fixture
def demo_in_ranking():
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        call_command("demo_phase", "ranking", stdout=quiet)


def test_rank_draft_approve_publish_and_a_visitor_opens_a_certificate(
    browser, page, live_server, screenshot, demo_in_ranking
):
    # The first Front admin runs the ranking and watches it finish.
    log_in(page, demo("quantri.mttq"), DEMO_PASSWORD)
    page.get_by_role("link", name="Xếp hạng và tôn vinh").first.click()
    screenshot(page, "awards-1-index")
    page.get_by_role("button", name="Chạy xếp hạng").click()
    expect(page.locator("#run-progress")).to_have_attribute("data-status", "done", timeout=20_000)
    current = current_campaign()
    run = RankingRun.objects.get(campaign=current)
    expect(page.locator("#ranking tbody tr")).to_have_count(run.entry_count)
    screenshot(page, "awards-2-ranking")

    # …drafts the list and adds each honouree's bank details, with a reason.
    page.get_by_role("button", name="Lập dự thảo danh sách tôn vinh").click()
    expect(page.get_by_text("Đã lập dự thảo danh sách tôn vinh")).to_be_visible()
    award_list = AwardList.objects.get(campaign=current)
    honourees = list(award_list.honourees.order_by("position"))
    assert honourees, "the demo ranking qualifies nobody"
    for n, honouree in enumerate(honourees):
        section = page.locator(f"#tv-{honouree.pk}")
        section.get_by_label("Số tài khoản").fill(f"01234567{n:02d}")
        section.get_by_label("Ngân hàng").fill("Vietcombank chi nhánh Huế")
        section.locator(f"#id_h{honouree.pk}-reason").fill(
            "Bổ sung tài khoản nhận thưởng theo đề nghị của đơn vị"
        )
        section.get_by_role("button", name="Ghi thay đổi").click()
        expect(page.get_by_text(f"Đã ghi thay đổi của {honouree.name}.")).to_be_visible()
    expect(page.get_by_text("Anh/chị lập dự thảo này nên không tự phê duyệt được")).to_be_visible()
    screenshot(page, "awards-3-draft")
    page.get_by_role("button", name="Đăng xuất").click()

    # A second Front admin approves and publishes.
    log_in(page, demo("thuongtruc.mttq"), DEMO_PASSWORD)
    page.goto(f"/awards/lists/{award_list.pk}/")
    page.get_by_role("button", name="Phê duyệt danh sách").click()
    expect(page.get_by_text("Đã phê duyệt danh sách tôn vinh.")).to_be_visible()
    page.get_by_label("Quyết định công bố danh sách").fill("Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/2027")
    page.get_by_role("button", name="Công bố danh sách").click()
    expect(page.get_by_text("Đã công bố danh sách tôn vinh")).to_be_visible()
    screenshot(page, "awards-4-published")
    award_list.refresh_from_db()
    assert award_list.status == "published"

    # A visitor, signed in as nobody, reads the public list and opens a certificate.
    visitor = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    public = visitor.new_page()
    public.goto("/")
    public.get_by_role("link", name="Danh sách tôn vinh đã công bố").click()
    public.get_by_role("link", name=award_list.title).click()
    expect(public.locator("#honourees tbody tr")).to_have_count(len(honourees))
    screenshot(public, "awards-5-public-list")
    row = public.locator("#honourees tbody tr").first
    # The work's title leads to its record in the creativity database; the certificate is the last link.
    record = row.get_by_role("link").first
    assert public.request.get(record.get_attribute("href")).ok
    link = row.get_by_role("link", name=re.compile(r"^Số "))
    response = public.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = SCREENSHOTS / "awards-6-certificate.pdf"
    pdf.write_bytes(response.body())
    visitor.close()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "GIẤY CHỨNG NHẬN" in text and f"001/GCN-ĐKST-{award_list.campaign.year}" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(SCREENSHOTS / "awards-6-certificate"),
            ],
            check=True,
        )
