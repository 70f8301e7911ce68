"""The Front admins' audit page: every recorded change, searchable, as a page and as Excel."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dksangtao.access import requires
from dksangtao.filters import AuditFilter
from dksangtao.lists import COUNT_LIMIT, Column, Listing
from dksangtao.models import AuditEvent
from dksangtao.permissions import may_read_audit

COLUMNS = [
    Column(gettext_lazy("Thời điểm"), lambda e: e.created_at, "datetime", width=18),
    Column(
        gettext_lazy("Người thực hiện"),
        lambda e: e.actor.full_name if e.actor else _("Hệ thống (tự động)"),
        width=24,
    ),
    Column(gettext_lazy("Tài khoản"), lambda e: e.actor.email if e.actor else "", width=28),
    Column(gettext_lazy("Việc"), lambda e: e.label, width=30),
    Column(gettext_lazy("Đối tượng"), lambda e: e.object_repr, width=48),
    Column(gettext_lazy("Mã đối tượng"), lambda e: e.object_id, "number", width=12),
    Column(gettext_lazy("Lý do"), lambda e: e.reason, width=40),
    Column(gettext_lazy("Nội dung"), lambda e: e.detail.get("summary", ""), width=48),
]


@requires(may_read_audit)
def audit_view(request):
    events = AuditEvent.objects.select_related("actor", "content_type").order_by("-created_at", "-id")
    # Counted up to COUNT_LIMIT: COUNT(*) of a province's 300,000 events was half the page's time.
    listing = Listing(request, events, filterset_class=AuditFilter, count_limit=COUNT_LIMIT)
    if listing.export_format:
        return listing.export(COLUMNS, filename="nhat-ky", title=_("Nhật ký"))
    return render(request, "audit.html", {"listing": listing, "page": listing.page}, status=listing.status)
