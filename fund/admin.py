"""The ledger in the admin is for reading: every write goes through fund/services.py (maker-checker,
balances, the overdraft check), and posted rows cannot change anyway (the PostgreSQL triggers)."""

from django.contrib import admin

from dksangtao.admin import ReadOnlyAdmin
from fund.models import Account, Entry, PrizePayee, Transaction, Voucher


class EntryInline(admin.TabularInline):
    model = Entry
    fields = ["account", "debit", "credit"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PrizePayeeInline(EntryInline):
    model = PrizePayee
    fields = ["name", "reference", "bank_account", "bank_name", "amount"]
    readonly_fields = fields


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "type"]


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "kind", "description", "status", "drafted_by", "approved_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["drafted_by", "approved_by"]
    search_fields = ["description", "reference", "donor_name"]
    date_hierarchy = "date"
    inlines = [EntryInline, PrizePayeeInline]


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "transaction", "uploaded_by", "uploaded_at"]
    list_select_related = ["transaction", "uploaded_by"]
