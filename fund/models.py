"""The fund's double-entry ledger (SPEC §6): accounts, transactions and their entries, in integer đồng.

What the database itself guarantees (constraints here, triggers in migration 0003 on PostgreSQL):
- each entry has exactly one positive side and no negative one (CheckConstraint);
- every transaction balances, with at least two entries (a deferred constraint trigger);
- a posted or rejected transaction, its entries, vouchers and payees are never updated or deleted
  (a trigger; the only change allowed is a draft's own move to posted or rejected);
- a posted transaction was approved by someone other than its drafter (CheckConstraint);
- a transaction is reversed at most once (a partial unique constraint) and foreign keys PROTECT.
fund/services.py enforces the same rules in Python, so SQLite (no triggers) behaves the same.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dksangtao.files import StoredFile


class AccountType(models.TextChoices):
    ASSET = "asset", _("Tài sản (tiền)")
    LIABILITY = "liability", _("Nợ phải trả")
    INCOME = "income", _("Nguồn thu")
    EXPENSE = "expense", _("Khoản chi")


# Accounts whose balance is on the debit side; the others (liabilities, income) on the credit side.
DEBIT_NORMAL = frozenset({AccountType.ASSET, AccountType.EXPENSE})


class Account(models.Model):
    code = models.CharField(_("số hiệu"), max_length=10, unique=True)
    name = models.CharField(_("tên tài khoản"), max_length=120)
    type = models.CharField(_("loại"), max_length=10, choices=AccountType.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("hệ thống tài khoản")
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def is_money(self) -> bool:
        """Cash and bank: their balance may never go negative."""
        return self.type == AccountType.ASSET

    @property
    def sign(self) -> int:
        """+1 when a debit raises the balance, -1 when a credit does."""
        return 1 if self.type in DEBIT_NORMAL else -1


class Kind(models.TextChoices):
    BUDGET = "budget", _("Thu kinh phí ngân sách cấp")
    DONATION = "donation", _("Thu tài trợ, ủng hộ")
    INTEREST = "interest", _("Thu lãi tiền gửi")
    PRIZES = "prizes", _("Chi giải thưởng")
    SUPPORT = "support", _("Chi hỗ trợ tác giả")
    ORGANISING = "organising", _("Chi tổ chức")
    REVERSAL = "reversal", _("Bút toán đảo")


RECEIPT_KINDS = frozenset({Kind.BUDGET, Kind.DONATION, Kind.INTEREST})


class Status(models.TextChoices):
    DRAFT = "draft", _("Chờ duyệt")
    POSTED = "posted", _("Đã ghi sổ")
    REJECTED = "rejected", _("Bị từ chối")


class DonorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Tổ chức")
    INDIVIDUAL = "individual", _("Cá nhân")


class Transaction(models.Model):
    kind = models.CharField(_("loại nghiệp vụ"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("ngày chứng từ"))
    description = models.CharField(_("diễn giải"), max_length=500)
    reference = models.CharField(
        _("số quyết định / chứng từ"), max_length=120, blank=True, help_text=_("Ví dụ: 125/QĐ-UBND")
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    drafted_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("người duyệt"),
    )
    approved_at = models.DateTimeField(_("thời điểm duyệt"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("người từ chối"),
    )
    rejected_at = models.DateTimeField(_("thời điểm từ chối"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do từ chối"), blank=True)
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("đảo bút toán"),
    )
    # Donations only: who gave, for the statement and the acknowledgement letter.
    donor_name = models.CharField(_("tên nhà tài trợ"), max_length=200, blank=True)
    donor_kind = models.CharField(_("loại nhà tài trợ"), max_length=12, choices=DonorKind.choices, blank=True)
    donor_contact = models.CharField(_("địa chỉ, điện thoại, thư điện tử"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chứng từ")
        verbose_name_plural = _("chứng từ")
        ordering = ["-date", "-id"]
        constraints = [
            # Maker-checker held by the database: a posted row names an approver who is not its drafter.
            models.CheckConstraint(
                condition=~Q(status="posted")
                | (
                    Q(approved_by__isnull=False, approved_at__isnull=False)
                    & ~Q(approved_by=models.F("drafted_by"))
                ),
                name="fund_posted_approved_by_other",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | Q(rejected_by__isnull=False, rejected_at__isnull=False),
                name="fund_rejected_names_who",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="fund_reversal_references_original",
            ),
            models.CheckConstraint(
                condition=~Q(kind="donation") | (~Q(donor_name="") & ~Q(donor_kind="")),
                name="fund_donation_names_donor",
            ),
            # A transaction is reversed once: a second reversal, drafted or posted, is refused
            # (a rejected one frees the place).
            models.UniqueConstraint(
                fields=["reverses"], condition=~Q(status="rejected"), name="fund_reversed_once"
            ),
        ]
        indexes = [
            # The approvals queue: WHERE status = 'draft' ORDER BY date, id.
            models.Index(fields=["status", "date"], name="fund_txn_status_date"),
            # The overview's latest transactions: ORDER BY drafted_at DESC, id DESC LIMIT 10 (without
            # it, a sort of every transaction: 17 ms at 5,000).
            models.Index(fields=["-drafted_at", "-id"], name="fund_txn_latest"),
        ]

    def __str__(self):
        return f"{self.number} – {self.description}"

    @property
    def number(self) -> str:
        prefix = "PT" if self.kind in RECEIPT_KINDS else "PC" if self.kind != Kind.REVERSAL else "BTĐ"
        return f"{prefix}-{self.date:%Y}-{self.pk:05d}" if self.pk else "—"

    @property
    def amount(self) -> int:
        """The total of the debit side (equal to the credit side); read from prefetched entries."""
        return sum(entry.debit for entry in self.entries.all())


class Entry(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    debit = models.BigIntegerField(_("nợ (đồng)"), default=0)
    credit = models.BigIntegerField(_("có (đồng)"), default=0)

    class Meta:
        verbose_name = _("bút toán")
        verbose_name_plural = _("bút toán")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(debit__gte=0, credit__gte=0), name="fund_entry_not_negative"),
            models.CheckConstraint(
                condition=Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0), name="fund_entry_one_side"
            ),
        ]
        indexes = [
            # An account's ledger and balances: WHERE account_id = … ORDER BY transaction date, id.
            models.Index(fields=["account", "transaction"], name="fund_entry_account_txn"),
        ]

    def __str__(self):
        return f"{self.account.code} N {self.debit} / C {self.credit}"


class Voucher(StoredFile):
    """A scanned invoice, receipt or decision attached to a transaction (PDF, JPG, PNG)."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="vouchers")

    class Meta:
        verbose_name = _("chứng từ kèm theo")
        verbose_name_plural = _("chứng từ kèm theo")
        ordering = ["id"]

    def folder(self) -> str:
        return "fund/vouchers"


class PrizePayee(models.Model):
    """One line of a prize batch: who is paid, where, how much (the honouree and the award
    reference are data here; the fund does not import awards)."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="payees")
    name = models.CharField(_("người nhận"), max_length=200)
    reference = models.CharField(_("số hồ sơ / quyết định"), max_length=60, blank=True)
    bank_account = models.CharField(_("số tài khoản"), max_length=40)
    bank_name = models.CharField(_("ngân hàng"), max_length=120)
    amount = models.BigIntegerField(_("số tiền (đồng)"))

    class Meta:
        verbose_name = _("người nhận giải thưởng")
        verbose_name_plural = _("người nhận giải thưởng")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fund_payee_amount_positive")]

    def __str__(self):
        return self.name
