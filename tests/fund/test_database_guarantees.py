"""What the database refuses by itself, whatever code talks to it: the ORM's QuerySet.update() and
delete(), raw SQL. Triggers are PostgreSQL's (skipped on SQLite); CHECK and UNIQUE constraints and
PROTECT hold on both."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from fund import chart
from fund.models import Account, Entry, Kind, PrizePayee, Status, Transaction, Voucher
from fund.payables import PrizePayable
from fund.services import (
    donation_draft,
    payment_draft,
    prize_batch_draft,
    transaction_approve,
    transaction_reverse,
)
from tests.fund.conftest import DAY, postgres_only, voucher


def _raw_draft(drafter, legs):
    """A draft written straight through the ORM, bypassing the services' checks."""
    txn = Transaction.objects.create(
        kind=Kind.ORGANISING, date=DAY, description="Ghi thẳng", drafted_by=drafter
    )
    for code, debit, credit in legs:
        Entry.objects.create(
            transaction=txn, account=Account.objects.get(code=code), debit=debit, credit=credit
        )
    return txn


def _refused_now(callable_):
    """Run in a savepoint and make deferred triggers fire at once (they would at COMMIT)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def posted(funded, fund_maker, fund_checker):
    funded()
    txn = donation_draft(
        date=DAY,
        amount=2_000_000,
        into=chart.CASH,
        donor_name="Công ty TNHH Cơ khí Hương Giang",
        donor_kind="organisation",
        drafted_by=fund_maker,
    )
    return transaction_approve(txn=txn, approver=fund_checker)


# Balance (deferred constraint trigger) ----------------------------------------------------------


@pytest.mark.parametrize(
    "legs",
    [
        [("613", 100, 0)],  # one entry
        [("613", 100, 0), ("112", 0, 90)],  # debits ≠ credits
        [],  # no entry at all
    ],
    ids=["one-entry", "unequal", "empty"],
)
@postgres_only
def test_the_database_refuses_an_unbalanced_transaction(fund_maker, legs):
    _refused_now(lambda: _raw_draft(fund_maker, legs))


@postgres_only
def test_the_database_accepts_a_balanced_one(fund_maker):
    with transaction.atomic():
        _raw_draft(fund_maker, [("613", 100, 0), ("112", 0, 60), ("111", 0, 40)])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@postgres_only
def test_raw_sql_cannot_unbalance_a_draft_either(fund_maker):
    txn = _raw_draft(fund_maker, [("613", 100, 0), ("112", 0, 100)])

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE fund_entry SET debit = 150 WHERE transaction_id = %s AND debit > 0", [txn.pk]
            )

    _refused_now(raw)


# One positive side per entry (CHECK constraints, both databases) ------------------------------


@pytest.mark.parametrize(("debit", "credit"), [(100, 100), (0, 0), (-100, 0), (0, -5), (-100, 100)], ids=str)
def test_each_entry_has_exactly_one_positive_side(fund_maker, debit, credit):
    txn = _raw_draft(fund_maker, [("613", 100, 0), ("112", 0, 100)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            transaction=txn, account=Account.objects.get(code="613"), debit=debit, credit=credit
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(transaction=txn, debit=100).update(debit=debit, credit=credit)


# Posted rows are immutable (trigger) ------------------------------------------------------------


@postgres_only
def test_queryset_update_and_delete_of_a_posted_transaction_are_refused(posted):
    _refused_now(lambda: Transaction.objects.filter(pk=posted.pk).update(description="sửa"))
    _refused_now(lambda: Transaction.objects.filter(pk=posted.pk).update(status=Status.DRAFT))
    _refused_now(lambda: Entry.objects.filter(transaction=posted).update(debit=1, credit=0))
    _refused_now(lambda: Entry.objects.filter(transaction=posted).delete())
    posted.refresh_from_db()
    assert posted.status == Status.POSTED
    assert posted.amount == 2_000_000


@postgres_only
def test_raw_sql_update_and_delete_of_posted_rows_are_refused(posted):
    statements = [
        ("UPDATE fund_transaction SET description = 'sửa' WHERE id = %s", [posted.pk]),
        ("UPDATE fund_transaction SET date = date - 1 WHERE id = %s", [posted.pk]),
        ("DELETE FROM fund_entry WHERE transaction_id = %s", [posted.pk]),
        ("DELETE FROM fund_transaction WHERE id = %s", [posted.pk]),
        (
            "UPDATE fund_entry SET debit = debit * 2, credit = credit * 2 WHERE transaction_id = %s",
            [posted.pk],
        ),
    ]
    for sql, params in statements:

        def raw(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

        _refused_now(raw)
    assert Entry.objects.filter(transaction=posted).count() == 2


@postgres_only
def test_no_entry_can_be_added_to_a_posted_transaction_even_a_balanced_pair(posted):
    def add_pair():
        Entry.objects.create(transaction=posted, account=Account.objects.get(code="611"), debit=5, credit=0)
        Entry.objects.create(transaction=posted, account=Account.objects.get(code="111"), debit=0, credit=5)

    _refused_now(add_pair)


@postgres_only
def test_payees_and_vouchers_of_posted_transactions_are_immutable(funded, fund_maker, fund_checker):
    funded()
    batch = prize_batch_draft(
        award_list_label="45/QĐ-MTTQ-BTT",
        payables=[PrizePayable("Nguyễn Thị Lan", 10_000_000, "0123456789", "Vietcombank Huế")],
        drafted_by=fund_maker,
    )
    transaction_approve(txn=batch, approver=fund_checker)
    _refused_now(lambda: PrizePayee.objects.filter(transaction=batch).update(bank_account="999"))
    _refused_now(lambda: PrizePayee.objects.filter(transaction=batch).delete())
    assert PrizePayee.objects.get(transaction=batch).bank_account == "0123456789"
    payment = payment_draft(
        purpose=Kind.ORGANISING,
        date=DAY,
        amount=3_000_000,
        out_of=chart.BANK,
        description="In giấy khen",
        reference="HĐ 0001234",
        voucher=voucher(),
        drafted_by=fund_maker,
    )
    transaction_approve(txn=payment, approver=fund_checker)
    _refused_now(lambda: Voucher.objects.filter(transaction=payment).update(original_name="x"))
    _refused_now(lambda: Voucher.objects.filter(transaction=payment).delete())
    assert Voucher.objects.get(transaction=payment).original_name == "Hóa đơn.pdf"


@postgres_only
def test_a_draft_may_still_change_and_its_move_to_posted_passes_the_trigger(fund_maker, fund_checker, funded):
    funded()
    txn = donation_draft(
        date=DAY,
        amount=1_000,
        into=chart.BANK,
        donor_name="Ông A",
        donor_kind="individual",
        drafted_by=fund_maker,
    )
    Transaction.objects.filter(pk=txn.pk).update(description="Sửa bản nháp")  # a draft: allowed
    transaction_approve(txn=txn, approver=fund_checker)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the balance trigger passes
    assert Transaction.objects.get(pk=txn.pk).status == Status.POSTED


# Maker-checker and reversals in the schema (CHECK / partial UNIQUE, both databases) -------------


def test_the_database_refuses_a_posted_row_approved_by_its_drafter(fund_maker):
    txn = _raw_draft(fund_maker, [("613", 100, 0), ("112", 0, 100)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.filter(pk=txn.pk).update(
            status=Status.POSTED, approved_by=fund_maker, approved_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.filter(pk=txn.pk).update(status=Status.POSTED)  # nobody approved it


def test_the_database_refuses_a_second_reversal(posted, fund_maker):
    transaction_reverse(original=posted, drafted_by=fund_maker, reason="Ghi nhầm tài khoản")
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.create(
            kind=Kind.REVERSAL, date=DAY, description="Đảo lần hai", drafted_by=fund_maker, reverses=posted
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.create(
            kind=Kind.REVERSAL, date=DAY, description="Đảo không gốc", drafted_by=fund_maker
        )


# PROTECT and the read-only admin ----------------------------------------------------------------


def test_foreign_keys_protect_accounts_and_transactions(posted):
    with pytest.raises(ProtectedError), transaction.atomic():
        Account.objects.get(code=chart.CASH).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Transaction.objects.get(pk=posted.pk).delete()
    assert Transaction.objects.filter(pk=posted.pk).exists()


def test_the_admin_shows_posted_rows_read_only(admin_client, posted):
    change = reverse("admin:fund_transaction_change", args=[posted.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"description": "sửa"}).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:fund_transaction_delete", args=[posted.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:fund_transaction_add")).status_code == 403
    posted.refresh_from_db()
    assert posted.description != "sửa"
