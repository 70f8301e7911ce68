"""Real commits on PostgreSQL: two approvals racing in two connections cannot overdraw the bank (the
row lock), and the deferred balance trigger fires at COMMIT.

serialized_rollback: the flush after a transactional test would also wipe what migrations seed (the
chart of accounts, the dossier fields and kinds) that later tests rely on."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from fund import chart
from fund.models import Account, Entry, Kind, Status, Transaction
from fund.selectors import posted_movements
from fund.services import ActionRefused, Leg, transaction_approve, transaction_draft
from tests.fund.conftest import DAY, postgres_only

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _payment(maker, amount):
    return transaction_draft(
        kind=Kind.ORGANISING,
        date=DAY,
        description="Chi tổ chức lễ tôn vinh",
        legs=[Leg(chart.ORGANISING, debit=amount), Leg(chart.BANK, credit=amount)],
        drafted_by=maker,
    )


def _race(jobs):
    """Run each job in its own thread (its own connection), all released at once."""
    start = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            start.wait(timeout=10)
            outcomes[index] = job()
        except BaseException as error:  # reported in the main thread
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@postgres_only
@pytest.mark.parametrize("attempt", range(3))
def test_two_payments_approved_at_once_cannot_overdraw(
    funded, fund_maker, fund_checker, front_admin, attempt
):
    funded(amount=100_000_000)
    first, second = _payment(fund_maker, 70_000_000), _payment(fund_maker, 70_000_000)
    outcomes = _race(
        [
            lambda: transaction_approve(txn=first, approver=fund_checker),
            lambda: transaction_approve(txn=second, approver=front_admin),
        ]
    )
    refused = [o for o in outcomes if isinstance(o, ActionRefused)]
    posted = [o for o in outcomes if isinstance(o, Transaction)]
    assert len(refused) == 1 and len(posted) == 1, outcomes
    assert "không đủ để chi 70.000.000 đ" in str(refused[0])
    bank = Account.objects.get(code=chart.BANK)
    assert posted_movements(account_ids=[bank.pk])[bank.pk] == 30_000_000
    assert Transaction.objects.filter(kind=Kind.ORGANISING, status=Status.POSTED).count() == 1


@postgres_only
def test_many_small_payments_racing_stop_exactly_at_zero(funded, fund_maker, fund_checker):
    funded(amount=5_000_000)
    drafts = [_payment(fund_maker, 1_000_000) for _ in range(8)]
    outcomes = _race([lambda txn=txn: transaction_approve(txn=txn, approver=fund_checker) for txn in drafts])
    assert sum(isinstance(o, Transaction) for o in outcomes) == 5
    assert sum(isinstance(o, ActionRefused) for o in outcomes) == 3
    bank = Account.objects.get(code=chart.BANK)
    assert posted_movements(account_ids=[bank.pk])[bank.pk] == 0


@postgres_only
def test_the_balance_trigger_fires_at_commit(fund_maker):
    cash = Account.objects.get(code=chart.CASH)
    # No savepoint trick: a real COMMIT, at which the deferred trigger fires.
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        txn = Transaction.objects.create(
            kind=Kind.ORGANISING, date=DAY, description="Một vế", drafted_by=fund_maker
        )
        Entry.objects.create(transaction=txn, account=cash, debit=0, credit=500)
    assert not Transaction.objects.filter(description="Một vế").exists()
