"""The council's minutes (biên bản) as a PDF in Vietnamese administrative form (Decree 30/2020,
templates/pdf/base.html), issued by the council under the province's Front committee."""

from django.utils.translation import gettext as _

from councils.models import Council
from councils.selectors import council_results
from dksangtao.pdf import Issuer, number_to_fill, render_pdf


def minutes_pdf(*, council: Council) -> bytes:
    members = list(council.members.select_related("user", "home_unit").order_by("role", "user__full_name"))
    context = {
        "issuer": Issuer.of_front(_("Hội đồng thẩm định sáng tạo"), number=number_to_fill("BB-HĐTĐ")),
        "council": council,
        "campaign": council.campaign,
        "members": members,
        "results": council_results(council),
        "chair": next((m for m in members if m.role == "chair"), None),
        "secretary": next((m for m in members if m.role == "secretary"), None),
    }
    return render_pdf("councils/minutes.html", context)
