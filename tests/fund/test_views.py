"""Every fund page: it works for the right person, an outsider is refused, bad input is refused with
a clear Vietnamese message, what was typed is kept, and nothing changes."""

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from dksangtao.roles import Role
from fund import chart
from fund.models import Kind, PrizePayee, Status, Transaction
from fund.payables import PrizePayable
from fund.services import donation_draft, prize_batch_draft, transaction_approve
from tests.factories import person_with_role
from tests.fund.conftest import DAY, PDF, voucher

READ_PAGES = ["fund:overview", "fund:approvals", "fund:statement", "fund:budget_new"]


def _count():
    return Transaction.objects.count()


@pytest.fixture
def finance_viewer(finance_unit):
    return person_with_role(
        Role.DEPARTMENT_VIEWER, finance_unit, full_name="Phan Thị Ngọc", email="ngoc@example.vn"
    )


@pytest.fixture
def donation(funded, fund_maker):
    funded()
    return donation_draft(
        date=DAY,
        amount=50_000_000,
        into=chart.BANK,
        donor_name="Công ty Cổ phần Dệt may Phú Bài",
        donor_kind="organisation",
        donor_contact="Khu công nghiệp Phú Bài",
        drafted_by=fund_maker,
    )


# Who may open what ------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", READ_PAGES)
def test_outsiders_are_refused_and_anonymous_sent_to_login(client, outsider, department_viewer, url_name):
    assert client.get(reverse(url_name)).status_code == 302
    for person in (outsider, department_viewer):
        client.force_login(person)
        assert client.get(reverse(url_name)).status_code == 403


def test_each_role_sees_its_part(client, fund_maker, fund_checker, front_admin, finance_viewer):
    expectations = {
        fund_maker: {
            "fund:overview": 200,
            "fund:budget_new": 200,
            "fund:approvals": 403,
            "fund:statement": 200,
        },
        fund_checker: {
            "fund:overview": 200,
            "fund:budget_new": 403,
            "fund:approvals": 200,
            "fund:statement": 200,
        },
        front_admin: {
            "fund:overview": 200,
            "fund:budget_new": 403,
            "fund:approvals": 200,
            "fund:statement": 200,
        },
        finance_viewer: {
            "fund:overview": 403,
            "fund:budget_new": 403,
            "fund:approvals": 403,
            "fund:statement": 200,
        },
    }
    for person, pages in expectations.items():
        client.force_login(person)
        assert {name: client.get(reverse(name)).status_code for name in pages} == pages, person


def test_the_menu_and_the_dashboard_show_the_fund_to_its_people(client, fund_checker, outsider, donation):
    client.force_login(fund_checker)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-panel="fund"' in page
    assert "1 chứng từ chờ bạn duyệt" in page
    assert "150.000.000 đ" not in page  # the draft does not count
    assert "100.000.000 đ" in page
    assert reverse("fund:approvals") in page
    client.force_login(outsider)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-panel="fund"' not in page and reverse("fund:overview") not in page


# Receipts ---------------------------------------------------------------------------------------


def test_a_maker_records_a_budget_allocation(client, fund_maker):
    client.force_login(fund_maker)
    response = client.post(
        reverse("fund:budget_new"),
        {"decision_number": "125/QĐ-UBND", "date": "15/01/2026", "amount": "300.000.000", "into": "112"},
    )
    txn = Transaction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("fund:transaction", args=[txn.pk])
    assert (txn.kind, txn.status, txn.reference, txn.date) == (
        Kind.BUDGET,
        Status.DRAFT,
        "125/QĐ-UBND",
        dt.date(2026, 1, 15),
    )
    assert txn.amount == 300_000_000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision_number": "", "amount": "300.000.000"}, "Trường này là bắt buộc."),
        ({"decision_number": "125/QĐ-UBND", "amount": "ba trăm"}, "Nhập số tiền bằng chữ số, đơn vị đồng"),
        ({"decision_number": "125/QĐ-UBND", "amount": "-5"}, "Số tiền phải lớn hơn 0 đồng."),
        (
            {"decision_number": "125/QĐ-UBND", "amount": "300.000.000", "date": "31/02/2026"},
            "Nhập một ngày hợp lệ.",
        ),
    ],
    ids=["no-decision", "words", "negative", "bad-date"],
)
def test_a_bad_budget_allocation_is_refused_and_kept(client, fund_maker, data, message):
    client.force_login(fund_maker)
    response = client.post(reverse("fund:budget_new"), {"date": "15/01/2026", "into": "112", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Vui lòng kiểm tra lại các mục sau" in page
    assert f'value="{data["amount"]}"' in page
    assert _count() == 0


def test_a_donation_with_its_donor(client, fund_maker):
    client.force_login(fund_maker)
    form = {
        "donor_name": "Ngân hàng TMCP Ngoại thương – Chi nhánh Huế",
        "donor_kind": "organisation",
        "donor_contact": "78 Hùng Vương, Huế",
        "date": "20/02/2026",
        "amount": "100.000.000",
        "into": "112",
    }
    missing_kind = client.post(reverse("fund:donation_new"), {**form, "donor_kind": ""})
    assert missing_kind.status_code == 400 and "Trường này là bắt buộc." in missing_kind.content.decode()
    assert "78 Hùng Vương, Huế" in missing_kind.content.decode()
    assert _count() == 0
    assert client.post(reverse("fund:donation_new"), form).status_code == 302
    txn = Transaction.objects.get()
    assert (txn.donor_name, txn.donor_kind, txn.donor_contact) == (
        "Ngân hàng TMCP Ngoại thương – Chi nhánh Huế",
        "organisation",
        "78 Hùng Vương, Huế",
    )
    assert txn.description == "Tiếp nhận tài trợ của Ngân hàng TMCP Ngoại thương – Chi nhánh Huế"


def test_the_acknowledgement_letter_of_a_posted_donation(
    client, fund_maker, fund_checker, outsider, donation
):
    url = reverse("fund:thank_you", args=[donation.pk])
    client.force_login(fund_maker)
    assert client.get(url).status_code == 404  # not approved yet: no thanks for money not booked
    transaction_approve(txn=donation, approver=fund_checker)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    letter = response.getvalue()
    assert letter.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=letter, capture_output=True, check=True
        ).stdout.decode()
        assert "THƯ CẢM ƠN" in text
        assert "Công ty Cổ phần Dệt may Phú Bài" in text
        assert "50.000.000 đ" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    client.force_login(outsider)
    assert client.get(url).status_code == 403


# Payments ---------------------------------------------------------------------------------------


def _payment_form(**overrides):
    return {
        "purpose": "organising",
        "description": "In giấy chứng nhận, khung bằng khen",
        "reference": "HĐ 0001234",
        "date": "10/03/2026",
        "amount": "12.500.000",
        "out_of": "112",
        "voucher": voucher(),
        **overrides,
    }


def test_a_payment_with_its_voucher(client, fund_maker, fund_checker, outsider, funded):
    funded()
    client.force_login(fund_maker)
    assert client.post(reverse("fund:payment_new"), _payment_form()).status_code == 302
    txn = Transaction.objects.get(kind=Kind.ORGANISING)
    stored = txn.vouchers.get()
    url = reverse("fund:voucher", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"voucher": ""}, 400, "Trường này là bắt buộc."),
        ({"voucher": voucher("hoa-don.pdf", b"GIF89a...")}, 409, "không phải PDF"),
        ({"voucher": voucher("hoa-don.exe", b"MZ")}, 409, "chứng từ kèm theo là PDF, JPG hoặc PNG"),
        ({"amount": "150.000.000"}, 409, "không đủ để chi 150.000.000 đ"),
        ({"out_of": "111"}, 409, "Số dư «Tiền mặt» hiện là 0 đ"),
    ],
    ids=["no-voucher", "fake-pdf", "exe", "overdraft", "empty-cash"],
)
def test_a_bad_payment_is_refused_and_kept(client, fund_maker, funded, overrides, status, message):
    funded()
    before = _count()
    client.force_login(fund_maker)
    response = client.post(reverse("fund:payment_new"), _payment_form(**overrides))
    assert response.status_code == status
    page = response.content.decode()
    assert message in page
    assert "In giấy chứng nhận, khung bằng khen" in page
    assert _count() == before


def test_a_prize_batch_typed_on_the_form(client, fund_maker, funded):
    funded()
    client.force_login(fund_maker)
    form = {
        "award_list_label": "45/QĐ-MTTQ-BTT ngày 20/8/2026",
        "date": "02/09/2026",
        "out_of": "112",
        "payees-TOTAL_FORMS": "5",
        "payees-INITIAL_FORMS": "0",
        "payees-0-name": "Nguyễn Thị Lan",
        "payees-0-reference": "DKST-2026-00003",
        "payees-0-bank_account": "0161000123456",
        "payees-0-bank_name": "Vietcombank Huế",
        "payees-0-amount": "10.000.000",
        "payees-1-name": "Trần Quốc Việt",
        "payees-1-bank_account": "102870001234",
        "payees-1-bank_name": "VietinBank Huế",
        "payees-1-amount": "5.000.000",
    }
    response = client.post(reverse("fund:prize_batch_new"), {**form, "payees-1-bank_account": ""})
    assert response.status_code == 400 and "Dòng 2 – Số tài khoản" in response.content.decode()
    empty = {k: v for k, v in form.items() if not k.startswith("payees-") or k.endswith("_FORMS")}
    response = client.post(reverse("fund:prize_batch_new"), empty)
    assert response.status_code == 400 and "Hãy khai ít nhất một người nhận." in response.content.decode()
    assert _count() == 1  # the budget only
    assert client.post(reverse("fund:prize_batch_new"), form).status_code == 302
    batch = Transaction.objects.get(kind=Kind.PRIZES)
    assert batch.amount == 15_000_000 and batch.payees.count() == 2


# Approvals --------------------------------------------------------------------------------------


def test_the_checker_approves_from_the_queue(client, fund_checker, donation):
    client.force_login(fund_checker)
    page = client.get(reverse("fund:approvals")).content.decode()
    assert donation.number in page and "50.000.000 đ" in page
    response = client.post(reverse("fund:approve", args=[donation.pk]), {"next": "queue"})
    assert response.status_code == 302 and response["Location"] == reverse("fund:approvals")
    assert Transaction.objects.get(pk=donation.pk).status == Status.POSTED
    again = client.post(reverse("fund:approve", args=[donation.pk]))
    assert again.status_code == 409 and "đã ở trạng thái «Đã ghi sổ»" in again.content.decode()


def test_the_drafter_cannot_approve_through_the_page(client, fund_maker, finance_unit, donation):
    from accounts.services import membership_grant

    # A Front admin who also keeps the books (maker and checker are never one person).
    membership_grant(user=fund_maker, unit=finance_unit, role=Role.FRONT_ADMIN, actor=None)
    client.force_login(fund_maker)
    page = client.get(reverse("fund:approvals")).content.decode()
    assert "Chứng từ do bạn lập: cần người khác duyệt" in page
    response = client.post(reverse("fund:approve", args=[donation.pk]))
    assert response.status_code == 409
    assert "Người lập chứng từ không được tự duyệt" in response.content.decode()
    assert Transaction.objects.get(pk=donation.pk).status == Status.DRAFT


def test_approve_and_reject_are_refused_to_others(client, fund_maker, outsider, donation):
    for person in (fund_maker, outsider):
        client.force_login(person)
        assert client.post(reverse("fund:approve", args=[donation.pk])).status_code == 403
        assert client.post(reverse("fund:reject", args=[donation.pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("fund:approve", args=[donation.pk])).status_code == 405
    assert Transaction.objects.get(pk=donation.pk).status == Status.DRAFT


def test_a_rejection_needs_a_reason(client, fund_checker, donation):
    client.force_login(fund_checker)
    response = client.post(reverse("fund:reject", args=[donation.pk]), {"reason": ""})
    assert response.status_code == 400 and "Trường này là bắt buộc." in response.content.decode()
    assert Transaction.objects.get(pk=donation.pk).status == Status.DRAFT
    response = client.post(reverse("fund:reject", args=[donation.pk]), {"reason": "Sai tên nhà tài trợ"})
    assert response.status_code == 302
    page = client.get(reverse("fund:transaction", args=[donation.pk])).content.decode()
    assert "Bị từ chối" in page and "Sai tên nhà tài trợ" in page and "Ngô Văn Phúc" in page


# The transaction page: audit and reversal -------------------------------------------------------


def test_the_transaction_page_shows_the_audit_and_the_reversal_trail(
    client, fund_maker, fund_checker, donation
):
    transaction_approve(txn=donation, approver=fund_checker)
    client.force_login(fund_maker)
    url = reverse("fund:transaction", args=[donation.pk])
    page = client.get(url).content.decode()
    assert re.search(r"<strong>Lập chứng từ</strong>.*?Bùi Thị Mai", page, re.S)
    assert re.search(r"<strong>Duyệt, ghi sổ chứng từ</strong>.*?Ngô Văn Phúc", page, re.S)
    assert "Lập bút toán đảo" in page
    response = client.post(reverse("fund:reverse", args=[donation.pk]), {"reverse-reason": ""})
    assert response.status_code == 400 and "Trường này là bắt buộc." in response.content.decode()
    response = client.post(reverse("fund:reverse", args=[donation.pk]), {"reverse-reason": "Chuyển nhầm"})
    reversal = Transaction.objects.get(kind=Kind.REVERSAL)
    assert response["Location"] == reverse("fund:transaction", args=[reversal.pk])
    page = client.get(url).content.decode()
    assert (
        f'Được đảo bởi <a href="{reverse("fund:transaction", args=[reversal.pk])}">{reversal.number}</a>'
        in page
    )
    assert "Lập bút toán đảo" not in page  # once
    page = client.get(reverse("fund:transaction", args=[reversal.pk])).content.decode()
    assert f'Đảo chứng từ <a href="{url}">{donation.number}</a>' in page
    second = client.post(reverse("fund:reverse", args=[donation.pk]), {"reverse-reason": "Lần hai"})
    assert second.status_code == 400 and "đã có bút toán đảo" in second.content.decode()


def test_the_transaction_page_is_refused_to_outsiders_and_unknown_ids_are_404(
    client, outsider, fund_maker, donation
):
    client.force_login(outsider)
    assert client.get(reverse("fund:transaction", args=[donation.pk])).status_code == 403
    assert (
        client.post(reverse("fund:reverse", args=[donation.pk]), {"reverse-reason": "x"}).status_code == 403
    )
    client.force_login(fund_maker)
    assert client.get(reverse("fund:transaction", args=[donation.pk + 1000])).status_code == 404


# Ledgers ----------------------------------------------------------------------------------------


def test_the_ledger_shows_a_running_balance(client, fund_maker, fund_checker, funded, outsider):
    funded(amount=10_000_000)
    batch = prize_batch_draft(
        award_list_label="45/QĐ",
        payables=[PrizePayable("Nguyễn Thị Lan", 4_000_000, "1", "BIDV")],
        drafted_by=fund_maker,
        date=DAY,
    )
    transaction_approve(txn=batch, approver=fund_checker)
    client.force_login(fund_maker)
    page = client.get(reverse("fund:ledger", args=[chart.BANK])).content.decode()
    assert page.index("10.000.000 đ") < page.index("6.000.000 đ")
    assert "2 bút toán đã ghi sổ" in page
    assert client.get(reverse("fund:ledger", args=["999"])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("fund:ledger", args=[chart.BANK])).status_code == 403


def test_a_ledger_page_costs_the_same_for_3_and_120_entries(
    client, fund_maker, fund_checker, funded, django_assert_num_queries
):
    for _ in range(3):
        funded(amount=1_000)
    client.force_login(fund_maker)
    url = reverse("fund:ledger", args=[chart.BANK])
    client.get(url)  # warm the content-type cache
    # session, user (memberships and council places: cached by the first request; unit permissions: read
    # from them), the account, the paginator's count, the page's rows with the running balance (a window
    # function).
    expected = 5
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert "3.000 đ" in response.content.decode()
    for _ in range(117):
        funded(amount=1_000)
    with django_assert_num_queries(expected):
        response = client.get(url + "?page=3")
    page = response.content.decode()
    assert "120 bút toán đã ghi sổ" in page and "Trang 3/3" in page
    assert "120.000 đ" in page and "101.000 đ" in page  # rows 101 to 120, balances carried over


# Statements -------------------------------------------------------------------------------------


@pytest.fixture
def year_of_books(funded, fund_maker, fund_checker, donation):
    transaction_approve(txn=donation, approver=fund_checker)
    batch = prize_batch_draft(
        award_list_label="45/QĐ-MTTQ-BTT",
        payables=[PrizePayable("Nguyễn Thị Lan", 30_000_000, "1", "BIDV")],
        drafted_by=fund_maker,
        date=dt.date(2026, 9, 2),
    )
    transaction_approve(txn=batch, approver=fund_checker)
    funded(amount=7_000_000, date=dt.date(2027, 1, 5))  # next year: not in 2026


def test_the_yearly_statement_page_pdf_and_excel(client, finance_viewer, year_of_books):
    client.force_login(finance_viewer)
    page = client.get(reverse("fund:statement"), {"year": "2026"}).content.decode()
    for expected in ["150.000.000 đ", "30.000.000 đ", "120.000.000 đ", "01/01/2026", "31/12/2026"]:
        assert expected in page
    assert "Số liệu không khớp" not in page
    response = client.get(reverse("fund:statement_pdf"), {"year": "2026"})
    pdf = response.getvalue()
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "BÁO CÁO THU, CHI" in text
        assert "150.000.000 đ" in text and "120.000.000 đ" in text
        assert "Công ty Cổ phần Dệt may Phú Bài" in text  # the donors of the period
    xlsx = client.get(reverse("fund:statement_xlsx"), {"year": "2026"})
    assert "bao-cao-quy-20260101-20261231.xlsx" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    values = {row[1]: row[2] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert values["IV. Số dư cuối kỳ (I + II − III)"] == 120_000_000
    next_year = client.get(reverse("fund:statement"), {"year": "2027"}).content.decode()
    assert "127.000.000 đ" in next_year  # opening 120.000.000 + 7.000.000


def test_a_statement_for_a_period(client, fund_checker, year_of_books):
    client.force_login(fund_checker)
    page = client.get(
        reverse("fund:statement"), {"start": "01/09/2026", "end": "30/09/2026"}
    ).content.decode()
    assert "150.000.000 đ" in page  # the opening balance
    assert "30.000.000 đ" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "30/09/2026", "end": "01/09/2026"}, "Ngày bắt đầu phải trước ngày kết thúc."),
        ({"start": "01/09/2026"}, "Hãy nhập cả ngày bắt đầu và ngày kết thúc của kỳ."),
        ({"year": "năm nay"}, "Nhập năm bằng chữ số, ví dụ 2026."),
    ],
)
def test_a_bad_period_is_refused_with_its_reason(client, fund_checker, query, message):
    client.force_login(fund_checker)
    response = client.get(reverse("fund:statement"), query)
    assert response.status_code == 400 and message in response.content.decode()
    assert client.get(reverse("fund:statement_pdf"), query).status_code == 302


def test_the_statements_are_refused_to_other_departments(client, department_viewer):
    client.force_login(department_viewer)
    for name in ("fund:statement", "fund:statement_pdf", "fund:statement_xlsx"):
        assert client.get(reverse(name)).status_code == 403


# Demo data --------------------------------------------------------------------------------------


def test_the_demo_seeder_posts_a_budget_and_donations_and_leaves_one_waiting():
    call_command("seed_demo")
    first = list(Transaction.objects.values_list("kind", "status"))
    call_command("seed_demo")
    assert list(Transaction.objects.values_list("kind", "status")) == first
    assert sorted(first) == sorted(
        [
            (Kind.BUDGET, Status.POSTED),
            (Kind.DONATION, Status.POSTED),
            (Kind.DONATION, Status.POSTED),
            (Kind.DONATION, Status.POSTED),
            (Kind.DONATION, Status.DRAFT),
            (Kind.PRIZES, Status.DRAFT),  # the demo's last campaign published its award list
        ]
    )
    assert PrizePayee.objects.count() == 1  # its one honouree with a prize, waiting for approval


def test_the_approvals_queue_costs_the_same_for_1_and_30_drafts(
    client, fund_maker, fund_checker, funded, django_assert_num_queries
):
    funded()

    def draft():
        donation_draft(
            date=DAY,
            amount=1_000,
            into=chart.BANK,
            donor_name="Ông A",
            donor_kind="individual",
            drafted_by=fund_maker,
        )

    draft()
    client.force_login(fund_checker)
    url = reverse("fund:approvals")
    client.get(url)  # warm the content-type cache
    # session, user (memberships and council places: cached by the first request; unit permissions: read
    # from them), the paginator's count, the drafts with their drafters (joined), their entries with accounts
    # (one prefetch).
    expected = 5
    with django_assert_num_queries(expected):
        client.get(url)
    for _ in range(29):
        draft()
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert "30 chứng từ chờ duyệt" in response.content.decode()


def test_deposit_interest_is_a_receipt_of_its_own(client, fund_maker, fund_checker, outsider):
    client.force_login(fund_maker)
    response = client.post(reverse("fund:interest_new"), {"date": "31/03/2026", "amount": "0", "into": "112"})
    assert response.status_code == 400 and "Số tiền phải lớn hơn 0 đồng." in response.content.decode()
    assert _count() == 0
    form = {"date": "31/03/2026", "amount": "1.250.000", "into": "112", "reference": "Sổ phụ 03/2026"}
    assert client.post(reverse("fund:interest_new"), form).status_code == 302
    interest = Transaction.objects.get()
    transaction_approve(txn=interest, approver=fund_checker)
    page = client.get(reverse("fund:statement"), {"year": "2026"}).content.decode()
    assert "Lãi tiền gửi" in page and "1.250.000 đ" in page
    client.force_login(outsider)
    assert client.get(reverse("fund:interest_new")).status_code == 403
