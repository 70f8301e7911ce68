"""The posting service: maker-checker, the overdraft check, reversals, prize batches, and the same
balance rules as the database enforced in Python (so SQLite behaves the same)."""

import pytest
from django.utils import timezone

from accounts.services import membership_grant
from dksangtao.roles import Role
from fund import chart
from fund.models import Entry, Kind, PrizePayee, Status, Transaction
from fund.payables import PrizePayable
from fund.selectors import account_balances
from fund.services import (
    ActionRefused,
    Leg,
    donation_draft,
    payment_draft,
    prize_batch_draft,
    transaction_approve,
    transaction_draft,
    transaction_reject,
    transaction_reverse,
)
from tests.factories import person_with_role
from tests.fund.conftest import DAY, voucher


def balances():
    return {row.account.code: row.balance for row in account_balances()}


def balance(code):
    return balances()[code]


def _payment(maker, amount, out_of=chart.BANK):
    return transaction_draft(
        kind=Kind.ORGANISING,
        date=DAY,
        description="Thuê hội trường lễ tôn vinh",
        legs=[Leg(chart.ORGANISING, debit=amount), Leg(out_of, credit=amount)],
        drafted_by=maker,
    )


# Maker-checker ----------------------------------------------------------------------------------


def test_a_draft_counts_only_once_another_person_approves_it(funded, fund_maker, fund_checker):
    funded()
    donation = donation_draft(
        date=DAY,
        amount=20_000_000,
        into=chart.BANK,
        donor_name="Công ty Cổ phần Dệt may Phú Bài",
        donor_kind="organisation",
        donor_contact="0234 3861 234",
        drafted_by=fund_maker,
    )
    assert donation.status == Status.DRAFT
    assert balance(chart.BANK) == 100_000_000
    transaction_approve(txn=donation, approver=fund_checker)
    donation.refresh_from_db()
    assert (donation.status, donation.approved_by, donation.drafted_by) == (
        Status.POSTED,
        fund_checker,
        fund_maker,
    )
    assert donation.approved_at is not None
    assert balance(chart.BANK) == 120_000_000
    assert balance(chart.DONATIONS) == 20_000_000


def test_the_drafter_cannot_approve_even_holding_an_approving_role(funded, fund_maker, finance_unit):
    # Maker and checker are never one person (test_separation_of_duties); a Front admin may keep the
    # books and approve others' drafts, never their own.
    funded()
    membership_grant(user=fund_maker, unit=finance_unit, role=Role.FRONT_ADMIN, actor=None)
    txn = _payment(fund_maker, 1_000)
    with pytest.raises(ActionRefused, match="Người lập chứng từ không được tự duyệt"):
        transaction_approve(txn=txn, approver=fund_maker)
    with pytest.raises(ActionRefused, match="không được tự duyệt"):
        transaction_reject(txn=txn, approver=fund_maker, reason="Tự từ chối")
    assert Transaction.objects.get(pk=txn.pk).status == Status.DRAFT


def test_only_checkers_and_front_admins_approve_and_only_makers_draft(
    funded, fund_maker, fund_checker, front_admin, outsider, department_viewer
):
    funded()
    other_maker = person_with_role(
        Role.FUND_MAKER, front_admin.memberships.first().unit, full_name="Lê Văn Tư"
    )
    txn = _payment(fund_maker, 1_000)
    for person in (other_maker, outsider, department_viewer):
        with pytest.raises(ActionRefused, match="Chỉ Kiểm soát Quỹ hoặc Ban Thường trực"):
            transaction_approve(txn=txn, approver=person)
    for person in (fund_checker, front_admin, outsider):
        with pytest.raises(ActionRefused, match="Chỉ Kế toán Quỹ được lập chứng từ"):
            _payment(person, 1_000)
    transaction_approve(txn=txn, approver=front_admin)
    assert Transaction.objects.get(pk=txn.pk).approved_by == front_admin


def test_a_transaction_is_approved_once_and_a_rejected_one_never(
    funded, fund_maker, fund_checker, front_admin
):
    funded()
    first, second = _payment(fund_maker, 1_000), _payment(fund_maker, 2_000)
    transaction_approve(txn=first, approver=fund_checker)
    with pytest.raises(ActionRefused, match="đã ở trạng thái «Đã ghi sổ»"):
        transaction_approve(txn=first, approver=front_admin)
    with pytest.raises(ActionRefused, match="Hãy nêu lý do"):
        transaction_reject(txn=second, approver=fund_checker, reason="  ")
    transaction_reject(txn=second, approver=fund_checker, reason="Thiếu hóa đơn đỏ")
    second.refresh_from_db()
    assert (second.status, second.rejected_by, second.rejection_reason) == (
        Status.REJECTED,
        fund_checker,
        "Thiếu hóa đơn đỏ",
    )
    with pytest.raises(ActionRefused, match="Bị từ chối"):
        transaction_approve(txn=second, approver=front_admin)
    assert balance(chart.BANK) == 100_000_000 - 1_000


# The balance rules in Python -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("legs", "message"),
    [
        ([Leg("613", debit=100)], "ít nhất hai bút toán"),
        ([Leg("613", debit=100), Leg("112", credit=90)], "Chứng từ không cân"),
        ([Leg("613", debit=100, credit=100), Leg("112", credit=0)], "đúng một bên"),
        ([Leg("613", debit=-100), Leg("112", credit=-100)], "không được âm"),
        ([Leg("613", debit=100.0), Leg("112", credit=100)], "số nguyên đồng"),
        ([Leg("613", debit=100), Leg("999", credit=100)], "Không có tài khoản 999"),
    ],
    ids=["one-leg", "unequal", "both-sides", "negative", "float", "unknown-account"],
)
def test_the_service_refuses_what_the_database_would(funded, fund_maker, legs, message):
    funded()
    before = Transaction.objects.count(), Entry.objects.count()
    with pytest.raises(ActionRefused, match=message):
        transaction_draft(kind=Kind.ORGANISING, date=DAY, description="x", legs=legs, drafted_by=fund_maker)
    assert (Transaction.objects.count(), Entry.objects.count()) == before


# Overdraft --------------------------------------------------------------------------------------


def test_a_payment_larger_than_the_balance_is_refused_when_drafted(funded, fund_maker):
    funded(amount=5_000_000, into=chart.CASH)
    with pytest.raises(
        ActionRefused, match="Số dư «Tiền mặt» hiện là 5.000.000 đ, không đủ để chi 6.000.000 đ"
    ):
        _payment(fund_maker, 6_000_000, out_of=chart.CASH)
    with pytest.raises(ActionRefused, match="Tiền gửi ngân hàng"):
        _payment(fund_maker, 1, out_of=chart.BANK)  # nothing in the bank


def test_two_drafts_that_together_overdraw_the_second_approval_is_refused(funded, fund_maker, fund_checker):
    funded(amount=100_000_000)
    first, second = _payment(fund_maker, 70_000_000), _payment(fund_maker, 70_000_000)
    transaction_approve(txn=first, approver=fund_checker)
    with pytest.raises(ActionRefused, match="hiện là 30.000.000 đ, không đủ để chi 70.000.000 đ"):
        transaction_approve(txn=second, approver=fund_checker)
    assert Transaction.objects.get(pk=second.pk).status == Status.DRAFT
    assert balance(chart.BANK) == 30_000_000


# Reversals --------------------------------------------------------------------------------------


def test_a_reversal_nets_to_zero_and_is_made_once(funded, fund_maker, fund_checker):
    funded()
    before = balances()
    donation = donation_draft(
        date=DAY, amount=7_500_000, into=chart.BANK, donor_name="Bà Hồ Thị Sen", donor_kind="individual",
        drafted_by=fund_maker,
    )  # fmt: skip
    transaction_approve(txn=donation, approver=fund_checker)
    with pytest.raises(ActionRefused, match="Hãy nêu lý do"):
        transaction_reverse(original=donation, drafted_by=fund_maker, reason="")
    reversal = transaction_reverse(original=donation, drafted_by=fund_maker, reason="Nhà tài trợ chuyển nhầm")
    assert (
        reversal.kind == Kind.REVERSAL and reversal.reverses == donation and reversal.status == Status.DRAFT
    )
    assert sorted((e.account.code, e.debit, e.credit) for e in reversal.entries.all()) == [
        ("112", 0, 7_500_000),
        ("512", 7_500_000, 0),
    ]
    with pytest.raises(ActionRefused, match="đã có bút toán đảo"):
        transaction_reverse(original=donation, drafted_by=fund_maker, reason="Lần hai")
    transaction_approve(txn=reversal, approver=fund_checker)
    assert balances() == before
    with pytest.raises(ActionRefused, match="Không đảo một bút toán đảo"):
        transaction_reverse(original=reversal, drafted_by=fund_maker, reason="Đảo lại")
    with pytest.raises(ActionRefused, match="đã có bút toán đảo"):
        transaction_reverse(original=donation, drafted_by=fund_maker, reason="Lần ba")


def test_a_rejected_reversal_frees_the_place_and_drafts_are_not_reversed(funded, fund_maker, fund_checker):
    posted = funded()
    reversal = transaction_reverse(original=posted, drafted_by=fund_maker, reason="Sai số quyết định")
    transaction_reject(txn=reversal, approver=fund_checker, reason="Không sai")
    again = transaction_reverse(original=posted, drafted_by=fund_maker, reason="Sai số quyết định thật")
    assert again.reverses == posted
    draft = _payment(fund_maker, 1_000)
    with pytest.raises(ActionRefused, match="Chỉ đảo được chứng từ đã ghi sổ"):
        transaction_reverse(original=draft, drafted_by=fund_maker, reason="x")


def test_reversing_a_receipt_already_spent_is_refused_at_approval(funded, fund_maker, fund_checker):
    budget = funded(amount=10_000_000)
    transaction_approve(txn=_payment(fund_maker, 8_000_000), approver=fund_checker)
    with pytest.raises(ActionRefused, match="không đủ để chi 10.000.000 đ"):
        transaction_reverse(original=budget, drafted_by=fund_maker, reason="Cấp nhầm")


# Payments with vouchers and prize batches -------------------------------------------------------


def test_a_payment_needs_a_real_voucher(funded, fund_maker):
    funded()
    common = {
        "purpose": Kind.SUPPORT,
        "date": DAY,
        "amount": 2_000_000,
        "out_of": chart.BANK,
        "description": "Hỗ trợ tác giả",
        "reference": "",
        "drafted_by": fund_maker,
    }
    with pytest.raises(ActionRefused, match="Hãy đính kèm chứng từ"):
        payment_draft(voucher=None, **common)
    with pytest.raises(ActionRefused, match="không phải PDF"):
        payment_draft(voucher=voucher("Hóa đơn.pdf", b"MZ\x90\x00 not a pdf"), **common)
    assert not Transaction.objects.filter(kind=Kind.SUPPORT).exists()
    txn = payment_draft(voucher=voucher(), **common)
    assert txn.vouchers.get().file_type == "pdf"


AWARD_LIST = [
    PrizePayable("Nguyễn Thị Lan", 10_000_000, "0161000123456", "Vietcombank – CN Huế", "DKST-2026-00003"),
    PrizePayable("Tập thể Khoa Nội, Bệnh viện Y học cổ truyền", 15_000_000, "55110000987654", "BIDV Huế"),
    PrizePayable("Trần Quốc Việt", 5_000_000, "102870001234", "VietinBank Huế", "DKST-2026-00011"),
]


def test_a_prize_batch_from_an_award_list_is_one_balanced_draft(funded, fund_maker, fund_checker):
    funded()
    batch = prize_batch_draft(
        award_list_label="Quyết định 45/QĐ-MTTQ-BTT ngày 20/8/2026",
        payables=AWARD_LIST,
        drafted_by=fund_maker,
    )
    assert batch.kind == Kind.PRIZES and batch.status == Status.DRAFT and batch.date == timezone.localdate()
    assert sorted((e.account.code, e.debit, e.credit) for e in batch.entries.all()) == [
        ("112", 0, 30_000_000),
        ("611", 30_000_000, 0),
    ]
    payees = list(batch.payees.values_list("name", "bank_account", "amount", "reference"))
    assert payees[0] == ("Nguyễn Thị Lan", "0161000123456", 10_000_000, "DKST-2026-00003")
    assert len(payees) == 3
    transaction_approve(txn=batch, approver=fund_checker)
    assert balance(chart.BANK) == 70_000_000
    assert balance(chart.PRIZES) == 30_000_000


@pytest.mark.parametrize(
    ("payables", "message"),
    [
        ([], "chưa có người nhận"),
        ([PrizePayable("A", 0, "1", "B")], "Người nhận thứ 1: Số tiền phải lớn hơn 0"),
        ([AWARD_LIST[0], PrizePayable("A", 1_000, "", "B")], "Người nhận thứ 2 thiếu"),
    ],
    ids=["empty", "zero", "no-bank-account"],
)
def test_a_bad_award_list_is_refused_whole(funded, fund_maker, payables, message):
    funded()
    with pytest.raises(ActionRefused, match=message):
        prize_batch_draft(award_list_label="45/QĐ-MTTQ-BTT", payables=payables, drafted_by=fund_maker)
    assert not PrizePayee.objects.exists()
    assert not Transaction.objects.filter(kind=Kind.PRIZES).exists()


def test_the_front_admin_publishing_an_award_list_drafts_its_batch_but_cannot_approve_it(
    funded, front_admin, fund_checker, outsider
):
    """Awards hands the batch over as the Front admin who publishes the list (fund/payables.py)."""
    funded()
    batch = prize_batch_draft(award_list_label="45/QĐ-MTTQ-BTT", payables=AWARD_LIST, drafted_by=front_admin)
    assert batch.drafted_by == front_admin
    with pytest.raises(ActionRefused, match="không được tự duyệt"):
        transaction_approve(txn=batch, approver=front_admin)
    transaction_approve(txn=batch, approver=fund_checker)
    with pytest.raises(ActionRefused, match="Chỉ Kế toán Quỹ được lập chứng từ"):
        prize_batch_draft(award_list_label="46/QĐ", payables=AWARD_LIST, drafted_by=outsider)
    with pytest.raises(ActionRefused, match="Chỉ Kế toán Quỹ được lập chứng từ"):
        _payment(front_admin, 1_000)  # other payments: fund makers only


def test_a_batch_larger_than_the_bank_is_drafted_but_waits_for_the_money(funded, fund_maker, fund_checker):
    """Publishing an award list does not depend on the fund's balance; paying it does."""
    batch = prize_batch_draft(award_list_label="45/QĐ-MTTQ-BTT", payables=AWARD_LIST, drafted_by=fund_maker)
    with pytest.raises(ActionRefused, match="hiện là 0 đ, không đủ để chi 30.000.000 đ"):
        transaction_approve(txn=batch, approver=fund_checker)
    assert Transaction.objects.get(pk=batch.pk).status == Status.DRAFT
    funded(amount=30_000_000)
    transaction_approve(txn=batch, approver=fund_checker)
    assert balance(chart.BANK) == 0
