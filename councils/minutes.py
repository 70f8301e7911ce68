"""The council's minutes (biên bản) as a PDF in Vietnamese administrative form (Decree 30/2020:
national motto header, A4, Times-compatible serif, administrative margins)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from councils.models import Council
from councils.selectors import council_results


def minutes_pdf(*, council: Council) -> bytes:
    members = list(council.members.select_related("user", "home_unit").order_by("role", "user__full_name"))
    context = {
        "council": council,
        "campaign": council.campaign,
        "members": members,
        "results": council_results(council),
        "today": timezone.localdate(),
        "province": settings.PROVINCE_NAME,
        "chair": next((m for m in members if m.role == "chair"), None),
        "secretary": next((m for m in members if m.role == "secretary"), None),
    }
    html = render_to_string("councils/minutes.html", context)
    return HTML(string=html).write_pdf()
