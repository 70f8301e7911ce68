"""Statements over generated histories (hypothesis): receipts, donations, payments and reversals
drafted and approved (or refused) through the real services, in any order of dates; every period's
statement reconciles (opening + receipts − payments = closing, the closing read independently from
cash and bank), matches a model kept in plain Python, and one period's closing is the next one's
opening."""

import datetime as dt
import io

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from fund import chart
from fund.documents import statement_xlsx
from fund.selectors import statement
from fund.services import (
    ActionRefused,
    Leg,
    budget_receipt_draft,
    donation_draft,
    interest_receipt_draft,
    transaction_approve,
    transaction_draft,
    transaction_reverse,
)

YEAR_START = dt.date(2026, 1, 1)
money = st.sampled_from([chart.CASH, chart.BANK])
day = st.integers(min_value=0, max_value=729)  # two years
amount = st.integers(min_value=1, max_value=50_000_000)
operation = st.one_of(
    st.tuples(st.just("budget"), amount, money, day, st.booleans()),
    st.tuples(st.just("donation"), amount, money, day, st.booleans()),
    st.tuples(st.just("interest"), amount, money, day, st.booleans()),
    st.tuples(st.sampled_from(["611", "612", "613"]), amount, money, day, st.booleans()),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=20), money, day, st.booleans()),
)


def _apply(op, maker, checker, posted, model):
    """Draft (and maybe approve) one operation; record what was posted in `model`: a list of
    (date, {account code: debit − credit})."""
    kind, value, account, offset, approve = op
    date = YEAR_START + dt.timedelta(days=offset)
    try:
        if kind == "budget":
            txn = budget_receipt_draft(
                date=date,
                decision_number="1/QĐ",
                amount=value,
                into=account,
                description="",
                drafted_by=maker,
            )
            legs = {account: value, chart.STATE_BUDGET: -value}
        elif kind == "donation":
            txn = donation_draft(
                date=date,
                amount=value,
                into=account,
                donor_name="Ông A",
                donor_kind="individual",
                drafted_by=maker,
            )
            legs = {account: value, chart.DONATIONS: -value}
        elif kind == "interest":
            txn = interest_receipt_draft(date=date, amount=value, into=account, drafted_by=maker)
            legs = {account: value, chart.INTEREST: -value}
        elif kind == "reverse":
            if not posted:
                return
            original, original_legs = posted[value % len(posted)]
            txn = transaction_reverse(original=original, drafted_by=maker, reason="Điều chỉnh", date=date)
            legs = {code: -net for code, net in original_legs.items()}
        else:
            txn = transaction_draft(
                kind="organising",
                date=date,
                description="Chi",
                legs=[Leg(kind, debit=value), Leg(account, credit=value)],
                drafted_by=maker,
            )
            legs = {kind: value, account: -value}
        if approve:
            transaction_approve(txn=txn, approver=checker)
            model.append((date, legs))
            if kind != "reverse":
                posted.append((txn, legs))
    except ActionRefused:
        pass  # an overdraft, or a second reversal: refused, nothing posted


def _expected(model, start, end):
    def net(code, since=None, until=None):
        return sum(
            legs.get(code, 0)
            for date, legs in model
            if (since is None or date >= since) and (until is None or date <= until)
        )

    opening = sum(net(c, until=start - dt.timedelta(days=1)) for c in (chart.CASH, chart.BANK))
    closing = sum(net(c, until=end) for c in (chart.CASH, chart.BANK))
    receipts = {c: -net(c, start, end) for c in (chart.STATE_BUDGET, chart.DONATIONS, chart.INTEREST)}
    payments = {c: net(c, start, end) for c in (chart.PRIZES, chart.AUTHOR_SUPPORT, chart.ORGANISING)}
    return opening, receipts, payments, closing


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(operation, min_size=1, max_size=14),
    cut=st.tuples(day, day).map(sorted),
)
def test_statements_reconcile_over_generated_histories(fund_maker, fund_checker, history, cut):
    with transaction.atomic():
        model: list = []
        posted: list = []
        for op in history:
            _apply(op, fund_maker, fund_checker, posted, model)
        start, end = (YEAR_START + dt.timedelta(days=d) for d in cut)
        periods = [
            (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            (dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
            (start, end),
        ]
        for period_start, period_end in periods:
            result = statement(start=period_start, end=period_end)
            assert result.reconciles
            assert result.opening + result.total_receipts - result.total_payments == result.closing
            opening, receipts, payments, closing = _expected(model, period_start, period_end)
            assert result.opening == opening
            assert result.closing == closing
            assert {line.account.code: line.amount for line in result.receipts} == receipts
            assert {line.account.code: line.amount for line in result.payments} == payments
        assert (
            statement(start=periods[0][0], end=periods[0][1]).closing
            == statement(start=periods[1][0], end=periods[1][1]).opening
        )
        transaction.set_rollback(True)


def test_the_excel_statement_carries_the_same_totals(funded, fund_maker, fund_checker):
    funded(amount=100_000_000, date=dt.date(2026, 2, 1))
    donation = donation_draft(
        date=dt.date(2026, 3, 1),
        amount=25_000_000,
        into=chart.BANK,
        donor_name="Công ty Cổ phần Dệt may Phú Bài",
        donor_kind="organisation",
        drafted_by=fund_maker,
    )
    transaction_approve(txn=donation, approver=fund_checker)
    result = statement(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    sheet = load_workbook(io.BytesIO(statement_xlsx(statement=result))).active
    rows = {row[1]: row[2] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["I. Số dư đầu kỳ"] == 0
    assert rows["II. Thu trong kỳ"] == 125_000_000
    assert rows["Kinh phí ngân sách nhà nước cấp"] == 100_000_000
    assert rows["Tài trợ, ủng hộ của tổ chức, cá nhân"] == 25_000_000
    assert rows["III. Chi trong kỳ"] == 0
    assert rows["IV. Số dư cuối kỳ (I + II − III)"] == 125_000_000
