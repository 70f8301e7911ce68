"""The fund's journey in Chromium: the fund maker records a donation, the fund checker approves it
from the queue; a prize batch drafted from a test award list (the call the awards app will make) is
approved too; the yearly statement shows the right totals on the page and in its PDF."""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fund import chart
from fund.models import Kind, Status, Transaction
from fund.payables import PrizePayable
from fund.services import budget_receipt_draft, prize_batch_draft, transaction_approve
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_role_dashboards import log_in

# serialized_rollback: the flush after a transactional test would wipe the seeded chart of accounts
# (and the dossier fields and kinds) that later tests rely on.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEST_AWARD_LIST = [
    PrizePayable("Nguyễn Thị Lan", 10_000_000, "0161000123456", "Vietcombank – CN Huế", "DKST-2026-00003"),
    PrizePayable("Tập thể Khoa Nội, Bệnh viện Y học cổ truyền", 15_000_000, "55110000987654", "BIDV Huế"),
    PrizePayable("Trần Quốc Việt", 5_000_000, "102870001234", "VietinBank Huế", "DKST-2026-00011"),
]


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_donation_approval_prize_batch_and_yearly_statement(page, screenshot, fund_maker, fund_checker):
    chart.chart_ensure()
    today = timezone.localdate()
    budget = budget_receipt_draft(
        date=dt.date(today.year, 1, 15),
        decision_number="125/QĐ-UBND",
        amount=300_000_000,
        into=chart.BANK,
        description="",
        drafted_by=fund_maker,
    )
    transaction_approve(txn=budget, approver=fund_checker)

    # The fund maker records a donation.
    log_in(page, fund_maker.email)
    page.get_by_role("link", name="Quỹ", exact=True).click()
    expect(page.locator('[data-account="112"] .money')).to_have_text("300.000.000 đ")
    page.get_by_role("link", name="Thu tài trợ").click()
    page.get_by_label("Tên nhà tài trợ").fill("Công ty Cổ phần Dệt may Phú Bài")
    page.get_by_label("Tổ chức").check()
    page.get_by_label("Địa chỉ, điện thoại, thư điện tử").fill("Khu công nghiệp Phú Bài; 0234 3861 234")
    page.get_by_label("Số tiền").fill("50.000.000")
    screenshot(page, "fund-1-donation-form")
    page.get_by_role("button", name="Lập chứng từ").click()
    expect(page.locator("[data-status]")).to_have_text("Chờ duyệt")
    expect(page.get_by_text("Chứng từ do bạn lập đang chờ một người khác duyệt.")).to_be_visible()
    screenshot(page, "fund-2-donation-drafted")
    donation = Transaction.objects.get(kind=Kind.DONATION)

    # The awards app hands over a published list (here a test list): one draft for the batch.
    batch = prize_batch_draft(
        award_list_label="Quyết định 45/QĐ-MTTQ-BTT", payables=TEST_AWARD_LIST, drafted_by=fund_maker
    )
    log_out(page)

    # The fund checker approves both from the queue.
    log_in(page, fund_checker.email)
    expect(page.locator('[data-panel="fund"]')).to_contain_text("2 chứng từ chờ bạn duyệt")
    page.get_by_role("link", name="Chứng từ chờ duyệt").first.click()
    expect(page.locator("tr[data-txn]")).to_have_count(2)
    screenshot(page, "fund-3-approvals-queue")
    page.locator(f'tr[data-txn="{donation.pk}"]').get_by_role("button", name="Duyệt").click()
    expect(page.get_by_text(f"Đã duyệt và ghi sổ chứng từ {donation.number}.")).to_be_visible()
    page.locator(f'tr[data-txn="{batch.pk}"]').get_by_role("link", name=batch.number).click()
    expect(page.get_by_role("cell", name="Tập thể Khoa Nội, Bệnh viện Y học cổ truyền")).to_be_visible()
    page.get_by_role("button", name="Duyệt và ghi sổ").click()
    expect(page.locator("[data-status]")).to_have_text("Đã ghi sổ")
    approved = re.compile(r"Duyệt, ghi sổ chứng từ\s+Ngô Văn Phúc")
    expect(page.locator('[data-panel="audit"]')).to_contain_text(approved)
    screenshot(page, "fund-4-prize-batch-posted")
    assert set(Transaction.objects.values_list("status", flat=True)) == {Status.POSTED}

    # The acknowledgement letter of the donation.
    page.goto(f"/fund/transactions/{donation.pk}/")
    letter = page.request.get(page.get_by_role("link", name="Thư cảm ơn (PDF)").get_attribute("href"))
    assert letter.ok and letter.headers["content-type"] == "application/pdf"
    assert "50.000.000 đ" in pdf_text(letter.body())

    # The yearly statement: page and PDF.
    page.get_by_role("link", name="Báo cáo Quỹ").click()
    page.get_by_label("Năm").fill(str(today.year))
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.locator('[data-line="opening"] .money')).to_have_text("0 đ")
    expect(page.locator('[data-line="receipts"] .money')).to_have_text("350.000.000 đ")
    expect(page.locator('[data-line="payments"] .money')).to_have_text("30.000.000 đ")
    expect(page.locator('[data-line="closing"] .money')).to_have_text("320.000.000 đ")
    screenshot(page, "fund-5-statement")
    href = page.get_by_role("link", name="Tải PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "fund-6-statement.pdf").write_bytes(response.body())
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "fund-6-statement.pdf",
             "fund-6-statement-pdf"],
            cwd=SCREENSHOTS,
            check=True,
        )  # fmt: skip
    text = pdf_text(response.body())
    assert "BÁO CÁO THU, CHI" in text
    assert f"Từ ngày 01/01/{today.year} đến ngày 31/12/{today.year}" in " ".join(text.split())
    lines = {
        label: int(re.search(rf"{re.escape(label)}\s+([\d.]+)\s*đ", text).group(1).replace(".", ""))
        for label in [
            "I. Số dư đầu kỳ",
            "II. Thu trong kỳ (theo nguồn)",
            "III. Chi trong kỳ (theo nội dung)",
            "IV. Số dư cuối kỳ (I + II − III)",
            "Kinh phí ngân sách nhà nước cấp",
            "Tài trợ, ủng hộ của tổ chức, cá nhân",
            "Chi giải thưởng",
        ]
    }
    assert lines == {
        "I. Số dư đầu kỳ": 0,
        "II. Thu trong kỳ (theo nguồn)": 350_000_000,
        "III. Chi trong kỳ (theo nội dung)": 30_000_000,
        "IV. Số dư cuối kỳ (I + II − III)": 320_000_000,
        "Kinh phí ngân sách nhà nước cấp": 300_000_000,
        "Tài trợ, ủng hộ của tổ chức, cá nhân": 50_000_000,
        "Chi giải thưởng": 30_000_000,
    }
