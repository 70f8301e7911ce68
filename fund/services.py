"""Every write on the fund's ledger, and the one posting service.

A transaction is drafted by a fund maker (`transaction_draft` and the named drafts around it:
receipts, donations, payments, prize batches, reversals) and becomes part of the books only through
`transaction_approve`, by a fund checker or Front admin who is not the drafter. Approval locks the
transaction row, then the cash and bank rows it touches (in id order, so two approvals never wait on
each other crosswise), reads their posted balances under that lock and refuses to let any go below
zero. The rules the database holds on PostgreSQL (fund/migrations/0003, fund/models.py) are checked
here too, so SQLite behaves the same.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.files import store_upload
from dksangtao.formatting import format_vnd
from dksangtao.text import nfc
from fund import chart
from fund.models import Account, DonorKind, Entry, Kind, PrizePayee, Status, Transaction, Voucher
from fund.payables import PrizePayable
from fund.permissions import approval_wait, may_approve, may_draft, may_draft_prize_batch
from fund.selectors import posted_movements

# A ceiling far above any fund (a hundred thousand billion đồng) that keeps sums inside BIGINT.
MAX_AMOUNT = 10**14
MONEY_ACCOUNTS = (chart.CASH, chart.BANK)


@dataclass(frozen=True)
class Leg:
    """One side of one entry: an account code and a positive amount on exactly one side."""

    account: str
    debit: int = 0
    credit: int = 0


def _check_amount(amount, label=None) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ActionRefused(_("Số tiền phải là số nguyên đồng."))
    if amount <= 0:
        raise ActionRefused(_("Số tiền phải lớn hơn 0 đồng."))
    if amount > MAX_AMOUNT:
        raise ActionRefused(_("Số tiền vượt quá mức cho phép (%(max)s).") % {"max": format_vnd(MAX_AMOUNT)})
    return amount


def _check_legs(legs: Sequence[Leg]) -> None:
    """The rules the database holds: at least two entries, each with exactly one positive side and
    no negative one, debits equal to credits."""
    if len(legs) < 2:
        raise ActionRefused(_("Một chứng từ cần ít nhất hai bút toán (một bên Nợ, một bên Có)."))
    for leg in legs:
        for side in (leg.debit, leg.credit):
            if isinstance(side, bool) or not isinstance(side, int):
                raise ActionRefused(_("Số tiền phải là số nguyên đồng."))
            if side < 0:
                raise ActionRefused(_("Số tiền không được âm."))
        if (leg.debit > 0) == (leg.credit > 0):
            raise ActionRefused(_("Mỗi bút toán ghi đúng một bên: Nợ hoặc Có."))
        _check_amount(leg.debit or leg.credit)
    debit = sum(leg.debit for leg in legs)
    credit = sum(leg.credit for leg in legs)
    if debit != credit:
        raise ActionRefused(
            _("Chứng từ không cân: tổng Nợ %(debit)s, tổng Có %(credit)s.")
            % {"debit": format_vnd(debit), "credit": format_vnd(credit)}
        )


def _require_maker(user, *, prize_batch: bool = False) -> None:
    if (may_draft_prize_batch if prize_batch else may_draft)(user):
        return
    raise ActionRefused(_("Chỉ Kế toán Quỹ được lập chứng từ."))


def _text(value: str, message: str, limit: int) -> str:
    value = nfc(value or "").strip()
    if not value:
        raise ActionRefused(message)
    return value[:limit]


def _money_account(code: str) -> str:
    if code not in MONEY_ACCOUNTS:
        raise ActionRefused(_("Hãy chọn Tiền mặt hoặc Tiền gửi ngân hàng, kho bạc."))
    return code


def _overdrafts(movement_by_account: dict[int, int], accounts: dict[int, Account]) -> list[str]:
    """Messages for the money accounts that `movement_by_account` (debit − credit) would overdraw,
    judged on their posted balances now."""
    money_ids = [pk for pk in movement_by_account if accounts[pk].is_money]
    balances = posted_movements(account_ids=money_ids)
    problems = []
    for pk in money_ids:
        after = balances.get(pk, 0) + movement_by_account[pk]
        if after < 0:
            problems.append(
                _("Số dư «%(account)s» hiện là %(balance)s, không đủ để chi %(amount)s.")
                % {
                    "account": accounts[pk].name,
                    "balance": format_vnd(balances.get(pk, 0)),
                    "amount": format_vnd(-movement_by_account[pk]),
                }
            )
    return problems


VOUCHER_TYPES = frozenset({"pdf", "jpg", "png"})  # vouchers are scans
VOUCHER_REFUSAL = gettext_lazy("Tệp «%(name)s» không được nhận: chứng từ kèm theo là PDF, JPG hoặc PNG.")


def _voucher_add(txn: Transaction, upload, actor) -> Voucher:
    return store_upload(
        Voucher(transaction=txn, uploaded_by=actor),
        upload,
        max_bytes=settings.ATTACHMENT_MAX_BYTES,
        allowed=VOUCHER_TYPES,
        refusal=str(VOUCHER_REFUSAL),
    )


# Drafting --------------------------------------------------------------------------------------


def transaction_draft(*, drafted_by, **fields) -> Transaction:
    """Write a draft: the transaction, its entries, payees and vouchers, all or nothing (fields as
    for _draft_write). Only a fund maker drafts."""
    _require_maker(drafted_by)
    return _draft_write(drafted_by=drafted_by, **fields)


def _draft_write(
    *,
    kind: str,
    date: dt.date,
    description: str,
    legs: Sequence[Leg],
    drafted_by,
    reference: str = "",
    reverses: Transaction | None = None,
    donor_name: str = "",
    donor_kind: str = "",
    donor_contact: str = "",
    payees: Iterable[PrizePayable] = (),
    vouchers: Iterable = (),
    check_balance: bool = True,
) -> Transaction:
    """The rules every draft meets, then the rows. Payments that the cash or bank balance cannot
    cover are refused now already, unless `check_balance` is off (approval checks again, under the
    lock, since other payments may be posted in between). Callers have checked who drafts."""
    if kind not in Kind.values:
        raise ActionRefused(_("Loại nghiệp vụ không hợp lệ."))
    if not isinstance(date, dt.date):
        raise ActionRefused(_("Hãy nhập ngày chứng từ (dd/mm/yyyy)."))
    description = _text(description, _("Hãy nhập diễn giải."), 500)
    _check_legs(legs)
    accounts_by_code = {a.code: a for a in Account.objects.filter(code__in={leg.account for leg in legs})}
    unknown = {leg.account for leg in legs} - set(accounts_by_code)
    if unknown:
        raise ActionRefused(_("Không có tài khoản %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    movement: dict[int, int] = defaultdict(int)
    for leg in legs:
        movement[accounts_by_code[leg.account].pk] += leg.debit - leg.credit
    problems = _overdrafts(movement, {a.pk: a for a in accounts_by_code.values()}) if check_balance else []
    if problems:
        raise ActionRefused(" ".join(problems))
    with transaction.atomic():
        txn = Transaction.objects.create(
            kind=kind,
            date=date,
            description=description,
            reference=nfc(reference).strip()[:120],
            drafted_by=drafted_by,
            reverses=reverses,
            donor_name=nfc(donor_name).strip()[:200],
            donor_kind=donor_kind,
            donor_contact=nfc(donor_contact).strip()[:300],
        )
        Entry.objects.bulk_create(
            Entry(transaction=txn, account=accounts_by_code[leg.account], debit=leg.debit, credit=leg.credit)
            for leg in legs
        )
        PrizePayee.objects.bulk_create(
            PrizePayee(
                transaction=txn,
                name=p.name,
                reference=p.reference,
                bank_account=p.bank_account,
                bank_name=p.bank_name,
                amount=p.amount,
            )
            for p in payees
        )
        for upload in vouchers:
            _voucher_add(txn, upload, drafted_by)
        record(
            actor=drafted_by,
            action=Action.FUND_DRAFTED,
            obj=txn,
            detail={"kind": kind, "amount": sum(leg.debit for leg in legs), "summary": description},
        )
    return txn


def budget_receipt_draft(
    *, date: dt.date, decision_number: str, amount: int, into: str, description: str, drafted_by
) -> Transaction:
    """The state budget allocation, with the number of the decision that grants it."""
    decision_number = _text(decision_number, _("Hãy nhập số quyết định cấp kinh phí."), 120)
    amount = _check_amount(amount)
    into = _money_account(into)
    return transaction_draft(
        kind=Kind.BUDGET,
        date=date,
        description=description
        or _("Kinh phí ngân sách cấp theo Quyết định số %(n)s") % {"n": decision_number},
        reference=decision_number,
        legs=[Leg(into, debit=amount), Leg(chart.STATE_BUDGET, credit=amount)],
        drafted_by=drafted_by,
    )


def donation_draft(
    *,
    date: dt.date,
    amount: int,
    into: str,
    donor_name: str,
    donor_kind: str,
    donor_contact: str = "",
    description: str = "",
    reference: str = "",
    drafted_by,
) -> Transaction:
    donor_name = _text(donor_name, _("Hãy nhập tên nhà tài trợ."), 200)
    if donor_kind not in DonorKind.values:
        raise ActionRefused(_("Hãy chọn nhà tài trợ là tổ chức hay cá nhân."))
    amount = _check_amount(amount)
    into = _money_account(into)
    return transaction_draft(
        kind=Kind.DONATION,
        date=date,
        description=description or _("Tiếp nhận tài trợ của %(donor)s") % {"donor": donor_name},
        reference=reference,
        legs=[Leg(into, debit=amount), Leg(chart.DONATIONS, credit=amount)],
        donor_name=donor_name,
        donor_kind=donor_kind,
        donor_contact=donor_contact,
        drafted_by=drafted_by,
    )


def interest_receipt_draft(
    *, date: dt.date, amount: int, into: str, reference: str = "", description: str = "", drafted_by
) -> Transaction:
    """Interest the bank (or treasury) pays on the fund's deposit, from its statement."""
    amount = _check_amount(amount)
    into = _money_account(into)
    return transaction_draft(
        kind=Kind.INTEREST,
        date=date,
        description=description or _("Lãi tiền gửi"),
        reference=reference,
        legs=[Leg(into, debit=amount), Leg(chart.INTEREST, credit=amount)],
        drafted_by=drafted_by,
    )


PAYMENT_ACCOUNTS = {Kind.SUPPORT: chart.AUTHOR_SUPPORT, Kind.ORGANISING: chart.ORGANISING}


def payment_draft(
    *,
    purpose: str,
    date: dt.date,
    amount: int,
    out_of: str,
    description: str,
    reference: str,
    voucher,
    drafted_by,
) -> Transaction:
    """Support to authors or organising costs, with the voucher (invoice, receipt) attached."""
    if purpose not in PAYMENT_ACCOUNTS:
        raise ActionRefused(_("Hãy chọn nội dung chi."))
    if voucher is None:
        raise ActionRefused(_("Hãy đính kèm chứng từ (hóa đơn, giấy biên nhận) dạng PDF, JPG hoặc PNG."))
    amount = _check_amount(amount)
    out_of = _money_account(out_of)
    return transaction_draft(
        kind=purpose,
        date=date,
        description=description,
        reference=reference,
        legs=[Leg(PAYMENT_ACCOUNTS[purpose], debit=amount), Leg(out_of, credit=amount)],
        vouchers=[voucher],
        drafted_by=drafted_by,
    )


def prize_batch_draft(
    *,
    award_list_label: str,
    payables: Sequence[PrizePayable],
    drafted_by,
    date: dt.date | None = None,
    out_of: str = chart.BANK,
) -> Transaction:
    """The prizes of one award list paid in one batch: a single draft transaction, debit 611 «Chi
    giải thưởng» and credit the bank (or cash) for the total, with one PrizePayee row per payable
    (name, reference, bank account, bank name, amount). It is posted by the normal approval. The
    awards app calls this when a list is published (fund/payables.py), so the drafter may be the
    Front admin who publishes the list as well as a fund maker; either way a different person
    (fund checker or another Front admin) must approve it before money leaves the bank.
    Publishing a list does not wait for the money: the batch is drafted whatever the balance, and
    its approval is refused (under the lock) until the bank can pay it."""
    _require_maker(drafted_by, prize_batch=True)
    award_list_label = _text(award_list_label, _("Hãy nhập danh sách tôn vinh (số quyết định)."), 120)
    if not payables:
        raise ActionRefused(_("Danh sách chi giải thưởng chưa có người nhận nào."))
    cleaned = []
    for number, payable in enumerate(payables, start=1):
        name = nfc(payable.name).strip()
        bank_account = nfc(payable.bank_account).strip()
        bank_name = nfc(payable.bank_name).strip()
        if not (name and bank_account and bank_name):
            raise ActionRefused(
                _("Người nhận thứ %(n)s thiếu họ tên, số tài khoản hoặc ngân hàng.") % {"n": number}
            )
        try:
            amount = _check_amount(payable.amount)
        except ActionRefused as refused:
            raise ActionRefused(_("Người nhận thứ %(n)s: %(why)s") % {"n": number, "why": refused}) from None
        cleaned.append(
            PrizePayable(
                name=name[:200],
                amount=amount,
                bank_account=bank_account[:40],
                bank_name=bank_name[:120],
                reference=nfc(payable.reference).strip()[:60],
            )
        )
    total = sum(p.amount for p in cleaned)
    return _draft_write(
        kind=Kind.PRIZES,
        date=date or timezone.localdate(),
        description=_("Chi giải thưởng theo %(list)s (%(n)s người nhận)")
        % {"list": award_list_label, "n": len(cleaned)},
        reference=award_list_label,
        legs=[Leg(chart.PRIZES, debit=_check_amount(total)), Leg(_money_account(out_of), credit=total)],
        payees=cleaned,
        drafted_by=drafted_by,
        check_balance=False,
    )


def transaction_reverse(
    *, original: Transaction, drafted_by, reason: str, date: dt.date | None = None
) -> Transaction:
    """Draft the correction of a posted transaction: the same entries with sides swapped, pointing
    at the original. A transaction is reversed once; a reversal is not itself reversed (draft the
    right transaction again instead)."""
    _require_maker(drafted_by)
    reason = _text(reason, _("Hãy nêu lý do đảo bút toán."), 400)
    with transaction.atomic():
        # The lock makes "not reversed yet" hold until this draft is written.
        original = Transaction.objects.select_for_update().get(pk=original.pk)
        if original.status != Status.POSTED:
            raise ActionRefused(_("Chỉ đảo được chứng từ đã ghi sổ."))
        if original.kind == Kind.REVERSAL:
            raise ActionRefused(_("Không đảo một bút toán đảo; hãy lập lại chứng từ đúng."))
        if original.reversals.exclude(status=Status.REJECTED).exists():
            raise ActionRefused(_("Chứng từ %(n)s đã có bút toán đảo.") % {"n": original.number})
        legs = [
            Leg(entry.account.code, debit=entry.credit, credit=entry.debit)
            for entry in original.entries.select_related("account")
        ]
        return transaction_draft(
            kind=Kind.REVERSAL,
            date=date or timezone.localdate(),
            description=_("Đảo chứng từ %(n)s: %(reason)s") % {"n": original.number, "reason": reason},
            reference=original.number,
            reverses=original,
            legs=legs,
            drafted_by=drafted_by,
        )


# Approval: the one place where a transaction is posted -----------------------------------------


def _locked_draft(txn: Transaction, approver) -> Transaction:
    if not may_approve(approver):
        raise ActionRefused(_("Chỉ Kiểm soát Quỹ hoặc Ban Thường trực được duyệt chứng từ."))
    txn = Transaction.objects.select_for_update().get(pk=txn.pk)
    if txn.status != Status.DRAFT:
        raise ActionRefused(
            _("Chứng từ %(n)s đã ở trạng thái «%(status)s».")
            % {"n": txn.number, "status": Status(txn.status).label}
        )
    if txn.drafted_by_id == approver.pk:
        raise ActionRefused(_("Người lập chứng từ không được tự duyệt; cần một người khác kiểm soát."))
    return txn


def transaction_approve(*, txn: Transaction, approver) -> Transaction:
    """Post a draft. Under the locks: the draft is still a draft, the approver is another person
    with the right, the entries balance, and no cash or bank balance goes below zero."""
    with transaction.atomic():
        txn = _locked_draft(txn, approver)
        cooling = approval_wait(approver)
        if cooling:
            raise ActionRefused(cooling)
        entries = list(txn.entries.all())
        _check_legs([Leg(str(e.account_id), e.debit, e.credit) for e in entries])
        movement: dict[int, int] = defaultdict(int)
        for entry in entries:
            movement[entry.account_id] += entry.debit - entry.credit
        # Lock the touched accounts in id order, then read their balances: a concurrent approval
        # touching the same account waits here until this one commits, then sees its entries.
        accounts = {
            a.pk: a for a in Account.objects.select_for_update().filter(pk__in=movement).order_by("pk")
        }
        problems = _overdrafts(movement, accounts)
        if problems:
            raise ActionRefused(" ".join(problems))
        if txn.reverses_id is not None:
            original = Transaction.objects.get(pk=txn.reverses_id)
            if original.status != Status.POSTED:
                raise ActionRefused(_("Chứng từ gốc chưa được ghi sổ."))
        txn.status = Status.POSTED
        txn.approved_by = approver
        txn.approved_at = timezone.now()
        txn.save(update_fields=["status", "approved_by", "approved_at"])
        record(actor=approver, action=Action.FUND_APPROVED, obj=txn)
    return txn


def transaction_reject(*, txn: Transaction, approver, reason: str) -> Transaction:
    """Refuse a draft with a reason; it stays, unchangeable, for the record."""
    reason = _text(reason, _("Hãy nêu lý do từ chối."), 1000)
    with transaction.atomic():
        txn = _locked_draft(txn, approver)
        txn.status = Status.REJECTED
        txn.rejected_by = approver
        txn.rejected_at = timezone.now()
        txn.rejection_reason = reason
        txn.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason"])
        record(actor=approver, action=Action.FUND_REJECTED, obj=txn, reason=reason)
    return txn
