"""Numbered certificates (giấy chứng nhận) of a published list: one PDF per honouree, and all of them
in one PDF for printing. Rendered from the database on request, so a recorded amendment shows at once.
Each page carries the Decree 30 header of the Front's standing committee, with the certificate's number
(«(dự thảo)» before publication) and the list's publication date."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardList, Honouree
from dksangtao.pdf import Issuer, render_pdf


@dataclass
class CertificatePage:
    honouree: Honouree
    issuer: Issuer


def _pdf(award_list: AwardList, honourees: list[Honouree]) -> bytes:
    published = award_list.published_at
    context = {
        "award_list": award_list,
        "campaign": award_list.campaign,
        "pages": [
            CertificatePage(
                h, Issuer.of_front(_("Ban Thường trực"), number=h.certificate_number or _("(dự thảo)"))
            )
            for h in honourees
        ],
        "today": timezone.localdate(published) if published else None,  # a draft: the date left blank
    }
    return render_pdf("awards/certificate.html", context)


def certificate_pdf(honouree: Honouree) -> bytes:
    return _pdf(honouree.award_list, [honouree])


def certificates_pdf(award_list: AwardList) -> bytes:
    return _pdf(award_list, list(award_list.honourees.select_related("dossier")))
