from django.contrib import admin

from dksangtao.admin import ReadOnlyAdmin
from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    """Read-only: jobs are made by reports.services (the download centre and the scheduled export)."""

    list_display = ["id", "kind", "campaign", "unit", "status", "progress", "requested_by", "created_at"]
    list_filter = ["kind", "status", "campaign"]
    search_fields = ["unit__name", "requested_by__full_name", "checksum"]
    list_select_related = ["campaign", "unit", "requested_by"]
