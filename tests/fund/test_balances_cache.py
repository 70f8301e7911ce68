"""Today's balances are read from the shared cache under a key that every posting changes (issue #16:
the Front's and the fund's dashboards and the overview show them on every visit): a second visit sums
no entry, and an approval or a reversal shows at once."""

import pytest
from django.urls import reverse

from fund import chart
from fund.selectors import account_balances, posted_movements
from fund.services import budget_receipt_draft, transaction_approve, transaction_reverse
from tests.fund.conftest import DAY

pytestmark = pytest.mark.django_db


def _bank(client) -> str:
    page = client.get(reverse("fund:overview")).content.decode()
    row = page[page.index(f'data-account="{chart.BANK}"') :].split("</tr>", 1)[0]
    return row


def _bank_balance() -> int:
    return next(row.balance for row in account_balances() if row.account.code == chart.BANK)


def test_a_second_visit_sums_no_entry(client, fund_maker, funded, django_assert_num_queries):
    funded(5_000_000)
    client.force_login(fund_maker)
    assert "5.000.000" in _bank(client)
    with django_assert_num_queries(6) as visit:  # session, person, posted count, accounts, latest…
        client.get(reverse("fund:overview"))
    assert not any("SUM(" in query["sql"] for query in visit.captured_queries)


def test_an_approval_and_a_reversal_show_at_once(client, fund_maker, fund_checker, funded):
    funded(5_000_000)
    client.force_login(fund_maker)
    assert "5.000.000" in _bank(client)
    draft = budget_receipt_draft(
        date=DAY,
        decision_number="7/QĐ-UBND",
        amount=2_000_000,
        into=chart.BANK,
        description="",
        drafted_by=fund_maker,
    )
    assert "5.000.000" in _bank(client)  # a draft moves nothing
    posted = transaction_approve(txn=draft, approver=fund_checker)
    assert "7.000.000" in _bank(client)
    reversal = transaction_reverse(original=posted, reason="Nhập nhầm quyết định.", drafted_by=fund_maker)
    transaction_approve(txn=reversal, approver=fund_checker)
    assert "5.000.000" in _bank(client)
    assert _bank_balance() == posted_movements()[posted.entries.get(account__code=chart.BANK).account_id]
