"""The fund's menu entries, dashboard panel and demo data (registered in FundConfig.ready)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from fund import chart
from fund.models import Status, Transaction
from fund.permissions import may_approve, may_draft, may_read_ledger
from fund.selectors import money_balances, pending_count_for
from fund.services import budget_receipt_draft, donation_draft, transaction_approve


def fund_panel(user):
    if not may_read_ledger(user):
        return None
    return {
        "balances": money_balances(),
        "can_approve": may_approve(user),
        "pending": pending_count_for(user) if may_approve(user) else 0,
        "can_draft": may_draft(user),
        "own_drafts": Transaction.objects.filter(status=Status.DRAFT, drafted_by=user).count()
        if may_draft(user)
        else 0,
    }


DOMAIN = "demo.dksangtao.vn"
DEMO_REFERENCE = "125/QĐ-UBND"
DONATIONS = [
    # (donor, kind, contact, amount, days after the allocation, posted?)
    (
        "Công ty Cổ phần Dệt may Phú Bài",
        "organisation",
        "Khu công nghiệp Phú Bài; 0234 3861 234",
        50_000_000,
        20,
        True,
    ),
    (
        "Ngân hàng TMCP Ngoại thương – Chi nhánh Huế",
        "organisation",
        "78 Hùng Vương, Huế",
        100_000_000,
        35,
        True,
    ),
    ("Ông Trần Đình Phong", "individual", "0905 123 456", 5_000_000, 41, True),
    ("Hợp tác xã Nông nghiệp Thủy Thanh", "organisation", "Thủy Thanh, Hương Thủy", 10_000_000, 50, False),
]


def seed_demo(stdout) -> None:
    """A budget allocation and three donations posted, one donation drafted awaiting approval. Runs
    once: nothing is added when the allocation is already there."""
    chart.chart_ensure()
    if Transaction.objects.filter(reference=DEMO_REFERENCE).exists():
        return
    maker = User.objects.get(email=f"ketoan.quy@{DOMAIN}")
    checker = User.objects.get(email=f"kiemsoat.quy@{DOMAIN}")
    start = dt.date(timezone.localdate().year, 1, 15)
    with transaction.atomic():
        budget = budget_receipt_draft(
            date=start,
            decision_number=DEMO_REFERENCE,
            amount=300_000_000,
            into=chart.BANK,
            description="",
            drafted_by=maker,
        )
        transaction_approve(txn=budget, approver=checker)
        for donor, kind, contact, amount, days, posted in DONATIONS:
            donation = donation_draft(
                date=min(start + dt.timedelta(days=days), timezone.localdate()),
                amount=amount,
                into=chart.BANK,
                donor_name=donor,
                donor_kind=kind,
                donor_contact=contact,
                drafted_by=maker,
            )
            if posted:
                transaction_approve(txn=donation, approver=checker)
    stdout.write("Quỹ: kinh phí ngân sách cấp và 3 khoản tài trợ đã ghi sổ, 1 khoản tài trợ chờ duyệt.")
