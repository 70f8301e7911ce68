"""Numbered certificates (giấy chứng nhận) of a published list: one PDF per honouree, and all of them
in one PDF for printing. Rendered from the database on request, so a recorded amendment shows at once."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from awards.models import AwardList, Honouree


def _pdf(award_list: AwardList, honourees: list[Honouree]) -> bytes:
    context = {
        "award_list": award_list,
        "campaign": award_list.campaign,
        "honourees": honourees,
        "province": settings.PROVINCE_NAME,
    }
    return HTML(string=render_to_string("awards/certificate.html", context)).write_pdf()


def certificate_pdf(honouree: Honouree) -> bytes:
    return _pdf(honouree.award_list, [honouree])


def certificates_pdf(award_list: AwardList) -> bytes:
    return _pdf(award_list, list(award_list.honourees.select_related("dossier")))
