"""What the Django admin writes goes into the audit trail too (AuditedAdmin), and superusers can read
the trail there (the Front admins' page is /audit/)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dksangtao.audit import Action, record
from dksangtao.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that only services write (the trail, the ledger, report jobs): the admin reads them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Records every add, change and delete made on the admin's pages, inline rows included, with the
    names of the fields that changed. The admin wraps each save in a transaction, so the record and
    the change commit together."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = Action.RECORD_CHANGED if change else Action.RECORD_ADDED
        record(actor=request.user, action=action, obj=obj, detail={"fields": list(form.changed_data)})

    def delete_model(self, request, obj):
        record(actor=request.user, action=Action.RECORD_DELETED, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(actor=request.user, action=Action.RECORD_DELETED, obj=obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        for row in formset.deleted_forms:
            if row.instance.pk is not None:  # recorded now: a deleted row has no id afterwards
                record(actor=request.user, action=Action.RECORD_DELETED, obj=row.instance)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record(actor=request.user, action=Action.RECORD_ADDED, obj=obj)
        for obj, fields in formset.changed_objects:
            record(actor=request.user, action=Action.RECORD_CHANGED, obj=obj, detail={"fields": fields})


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "what", "object_repr", "reason"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__full_name", "actor__email", "reason"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"

    @admin.display(description=_("việc"))
    def what(self, event):
        return event.label
