"""fund/migrations/0005: transactions recorded before the audit trail get their «Kiểm soát» history
from their own columns — once, and never twice for a transaction that already has its events."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from dksangtao.audit import trail_for
from fund.models import Account, Entry, Kind, Transaction
from tests.fund.conftest import DAY

pytestmark = pytest.mark.django_db
copy_history = import_module("fund.migrations.0005_history_into_the_audit_trail").copy_history


def old_transaction(drafter, **outcome):
    """A transaction as the ledger held it before the trail: its columns, no events."""
    txn = Transaction.objects.create(
        kind=Kind.ORGANISING, date=DAY, description="Chi in giấy khen", drafted_by=drafter
    )
    Entry.objects.create(transaction=txn, account=Account.objects.get(code="613"), debit=750_000, credit=0)
    Entry.objects.create(transaction=txn, account=Account.objects.get(code="111"), debit=0, credit=750_000)
    Transaction.objects.filter(pk=txn.pk).update(**outcome)
    return Transaction.objects.get(pk=txn.pk)


def test_old_transactions_get_their_history_once(funded, fund_maker, fund_checker):
    at = timezone.now() + dt.timedelta(hours=1)  # decided after it was drafted (now)
    posted = old_transaction(fund_maker, status="posted", approved_by=fund_checker, approved_at=at)
    rejected = old_transaction(
        fund_maker,
        status="rejected",
        rejected_by=fund_checker,
        rejected_at=at,
        rejection_reason="Thiếu hóa đơn",
    )
    recorded = funded()  # drafted and approved through the services: its events exist
    before = list(trail_for(recorded).values_list("action", flat=True))

    copy_history(apps, None)
    copy_history(apps, None)

    assert [(e.action, e.actor, e.detail.get("amount")) for e in trail_for(posted)] == [
        ("fund.drafted", fund_maker, 750_000),
        ("fund.approved", fund_checker, None),
    ]
    assert trail_for(posted).last().created_at == at
    assert [(e.action, e.reason) for e in trail_for(rejected)] == [
        ("fund.drafted", ""),
        ("fund.rejected", "Thiếu hóa đơn"),
    ]
    assert trail_for(posted).first().object_repr == f"{posted.number} – Chi in giấy khen"
    assert list(trail_for(recorded).values_list("action", flat=True)) == before
