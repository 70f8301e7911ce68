from django.contrib import admin

from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by reports.services (the download centre and the scheduled export)."""

    list_display = ["id", "kind", "campaign", "unit", "status", "progress", "requested_by", "created_at"]
    list_filter = ["kind", "status", "campaign"]
    search_fields = ["unit__name", "requested_by__full_name", "checksum"]
    list_select_related = ["campaign", "unit", "requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
