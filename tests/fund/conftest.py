"""The fund's tests: the chart of accounts (re-created after a transactional test's flush), private
media in a temporary directory, and a funded bank account made through the real services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fund import chart
from fund.services import budget_receipt_draft, transaction_approve
from tests.samples import PDF

DAY = dt.date(2026, 3, 10)

# The database's own guarantees (triggers, row locks): tests/conftest.py skips them on SQLite.
postgres_only = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _chart(db):
    chart.chart_ensure()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def voucher(name="Hóa đơn.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def funded(fund_maker, fund_checker):
    """100.000.000 đ of state budget posted into the bank account."""

    def make(amount=100_000_000, into=chart.BANK, date=DAY):
        txn = budget_receipt_draft(
            date=date,
            decision_number="125/QĐ-UBND",
            amount=amount,
            into=into,
            description="",
            drafted_by=fund_maker,
        )
        return transaction_approve(txn=txn, approver=fund_checker)

    return make
