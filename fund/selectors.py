"""Reads of the ledger: who may see what, balances, an account's ledger, the approvals queue, statements.

Only posted transactions count in balances, ledgers and statements; drafts wait in the queue."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum, Window
from django.http import Http404
from django.shortcuts import get_object_or_404

from fund.models import Account, AccountType, Entry, Status, Transaction, Voucher
from fund.permissions import may_read_ledger

LEDGER_PAGE_SIZE = 50


# Balances --------------------------------------------------------------------------------------


def posted_movements(*, account_ids=None, until: dt.date | None = None, since: dt.date | None = None) -> dict:
    """{account id: sum(debit) - sum(credit)} over posted entries, in one grouped query."""
    entries = Entry.objects.filter(transaction__status=Status.POSTED)
    if account_ids is not None:
        entries = entries.filter(account_id__in=account_ids)
    if until is not None:
        entries = entries.filter(transaction__date__lte=until)
    if since is not None:
        entries = entries.filter(transaction__date__gte=since)
    rows = entries.order_by().values("account_id").annotate(net=Sum(F("debit") - F("credit")))
    return {row["account_id"]: row["net"] or 0 for row in rows}


@dataclass(frozen=True)
class AccountBalance:
    account: Account
    balance: int


# How long today's sums stay in the shared cache. Correctness does not depend on it (the key changes
# with every posting); it bounds the memory kept for sums nobody asks for any more.
BALANCES_CACHE_SECONDS = 60 * 60


def current_movements() -> dict:
    """posted_movements() as they stand, from the shared cache: a posted transaction never changes or
    goes away (fund.services; on PostgreSQL the fund_*_immutable triggers), so the number of posted
    transactions and the last one's id name the sums exactly. One index-only count instead of
    summing every entry — the dashboards of the Front and the fund show the balances."""
    posted = Transaction.objects.filter(status=Status.POSTED).aggregate(n=Count("id"), last=Max("id"))
    key = f"fund:movements:{posted['n']}:{posted['last']}"
    return cache.get_or_set(key, posted_movements, BALANCES_CACHE_SECONDS)


def account_balances(*, until: dt.date | None = None) -> list[AccountBalance]:
    """Every account with its balance on its normal side (two queries)."""
    movements = posted_movements(until=until) if until is not None else current_movements()
    return [
        AccountBalance(account, movements.get(account.pk, 0) * account.sign)
        for account in Account.objects.all()
    ]


def balances_by_code() -> dict[str, int]:
    """{account code: balance} for every account (what a backup's manifest keeps)."""
    return {row.account.code: row.balance for row in account_balances()}


def money_balances() -> list[AccountBalance]:
    return [row for row in account_balances() if row.account.is_money]


# Transactions ----------------------------------------------------------------------------------


def _with_entries(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("drafted_by", "approved_by", "rejected_by").prefetch_related(
        Prefetch("entries", queryset=Entry.objects.select_related("account"))
    )


def transaction_for_user(user, pk) -> Transaction:
    """The transaction with everything its page shows, for whoever reads the ledger; 404 otherwise."""
    if not may_read_ledger(user):
        raise Http404
    queryset = _with_entries(Transaction.objects.select_related("reverses")).prefetch_related(
        "vouchers", "payees", Prefetch("reversals", queryset=Transaction.objects.select_related("drafted_by"))
    )
    return get_object_or_404(queryset, pk=pk)


def voucher_for_user(user, pk) -> Voucher:
    """A voucher (a scanned invoice or receipt), for whoever reads the ledger; 404 otherwise."""
    if not may_read_ledger(user):
        raise Http404
    return get_object_or_404(Voucher.objects.select_related("transaction"), pk=pk)


def approvals_queue() -> QuerySet:
    """Drafts waiting for a checker, oldest first (index fund_txn_status_date)."""
    return _with_entries(Transaction.objects.filter(status=Status.DRAFT)).order_by("date", "id")


def pending_count_for(user) -> int:
    """Drafts this person could approve (not their own)."""
    return Transaction.objects.filter(status=Status.DRAFT).exclude(drafted_by=user).count()


def recent_transactions(limit: int = 10) -> QuerySet:
    return _with_entries(Transaction.objects.all()).order_by("-drafted_at", "-id")[:limit]


# An account's ledger ---------------------------------------------------------------------------


@dataclass
class LedgerRow:
    entry: Entry
    balance: int


def account_for_ledger(code: str) -> Account:
    return get_object_or_404(Account, code=code)


def ledger_entries(account: Account) -> QuerySet:
    """The account's posted entries, oldest first, each with the running balance after it. The running
    balance is a window over the whole ledger (evaluated before LIMIT/OFFSET), so a page costs two
    queries — the count and the rows — however many entries precede it."""
    return (
        Entry.objects.filter(account=account, transaction__status=Status.POSTED)
        .select_related("transaction")
        .annotate(
            running=Window(
                Sum(F("debit") - F("credit")),
                order_by=[F("transaction__date").asc(), F("transaction_id").asc(), F("id").asc()],
            )
        )
        .order_by("transaction__date", "transaction_id", "id")
    )


def ledger_rows(account: Account, entries) -> list[LedgerRow]:
    """A page of ledger_entries with the balance on the account's normal side."""
    return [LedgerRow(entry, entry.running * account.sign) for entry in entries]


# Statements ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    account: Account
    amount: int


@dataclass
class Statement:
    start: dt.date
    end: dt.date
    opening: int
    receipts: list[StatementLine] = field(default_factory=list)
    payments: list[StatementLine] = field(default_factory=list)
    closing: int = 0
    money_opening: list[StatementLine] = field(default_factory=list)
    money_closing: list[StatementLine] = field(default_factory=list)

    @property
    def total_receipts(self) -> int:
        return sum(line.amount for line in self.receipts)

    @property
    def total_payments(self) -> int:
        return sum(line.amount for line in self.payments)

    @property
    def reconciles(self) -> bool:
        return self.opening + self.total_receipts - self.total_payments == self.closing


def statement(*, start: dt.date, end: dt.date) -> Statement:
    """Opening balance of cash and bank before `start`, receipts by source (income accounts) and
    payments by purpose (expense accounts) posted from `start` to `end`, closing balance at `end`.
    The closing balance is read from the money accounts themselves, not derived, so the identity
    opening + receipts − payments = closing is a check (Statement.reconciles), not a tautology.
    Reversals count in the period of their own date, netting the line they reverse. Four queries."""
    accounts = list(Account.objects.all())
    before = posted_movements(until=start - dt.timedelta(days=1))
    during = posted_movements(since=start, until=end)
    after = posted_movements(until=end)
    money = [a for a in accounts if a.type == AccountType.ASSET]
    result = Statement(start=start, end=end, opening=sum(before.get(a.pk, 0) for a in money))
    result.money_opening = [StatementLine(a, before.get(a.pk, 0)) for a in money]
    result.money_closing = [StatementLine(a, after.get(a.pk, 0)) for a in money]
    result.closing = sum(after.get(a.pk, 0) for a in money)
    result.receipts = [
        StatementLine(a, -during.get(a.pk, 0)) for a in accounts if a.type == AccountType.INCOME
    ]
    result.payments = [
        StatementLine(a, during.get(a.pk, 0)) for a in accounts if a.type == AccountType.EXPENSE
    ]
    return result


def donations_in(*, start: dt.date, end: dt.date) -> QuerySet:
    """Posted donations of the period, for the statement's list of donors."""
    return _with_entries(
        Transaction.objects.filter(
            Q(kind="donation"), status=Status.POSTED, date__gte=start, date__lte=end
        ).exclude(reversals__status=Status.POSTED)
    ).order_by("date", "id")
