"""Every PDF of the portal is rendered here: a template that extends templates/pdf/base.html (the
Vietnamese administrative form of Decree 30/2020: A4, its margins, a Times-compatible serif, the
national motto header, the signature blocks), with the standard document context, by WeasyPrint.

No URL is ever fetched while rendering: there is no base URL, and the fetcher answers `data:` URIs
only (the booklet's portraits are embedded that way), so a value a user typed — an <img>, a
stylesheet, a CSS url() — can never make the renderer read a file or call a network address."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# Decree 30 writes «Số:» with room for the number that is assigned by hand when the document is signed.
NUMBER_TO_FILL = "\u00a0" * 8


@dataclass(frozen=True)
class Issuer:
    """The left column of the header: the agency above (regular, upper case; blank: no line), the
    issuing agency (bold, upper case) and «Số: …», the document's number and symbol (blank: no line)."""

    name: str
    parent: str = ""
    number: str = ""

    @classmethod
    def of_front(cls, name: str, *, number: str = "") -> "Issuer":
        """A body of the province's Front committee: «Ủy ban MTTQ Việt Nam <province>» above it."""
        return cls(name=name, parent=front_name(), number=number)

    @classmethod
    def of_unit(cls, unit, *, number: str = "", top_parent: str = "") -> "Issuer":
        """A unit under its parent unit; a unit at the top of the tree has `top_parent` above it (by
        default nothing: a department is not under the Front)."""
        parent = unit.parent.name if unit.parent_id else top_parent
        return cls(name=unit.name, parent=parent, number=number)


def front_name() -> str:
    return _("Ủy ban MTTQ Việt Nam %(p)s") % {"p": settings.PROVINCE_NAME}


def number_to_fill(symbol: str) -> str:
    """«     /BB-HĐTĐ»: the symbol after a blank the number will be written in."""
    return f"{NUMBER_TO_FILL}/{symbol}"


class DataOnlyFetcher(URLFetcher):
    """Fetches `data:` URIs and refuses everything else (file:, http:, ftp:…); WeasyPrint logs the
    refusal and leaves the resource out."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if not url[:5].lower() == "data:":
            raise ValueError(f"PDF rendering fetches no URL: {url[:100]}")
        return super().fetch(url, headers)


def render_html(template: str, context: dict) -> str:
    """The template rendered with the standard document context: `province`, `place` (the date line's
    place name) and `today`; the caller's values win (the certificates pass the list's publication date
    as `today`)."""
    return render_to_string(
        template,
        {"province": settings.PROVINCE_NAME, "place": settings.PLACE_NAME, "today": timezone.localdate()}
        | context,
    )


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=None, url_fetcher=DataOnlyFetcher()).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template, context))


def pdf_response(pdf: bytes, filename: str, *, download: bool = False) -> FileResponse:
    """A rendered document sent to the browser: shown in it, or saved (`download`) under `filename`."""
    return FileResponse(
        io.BytesIO(pdf), as_attachment=download, filename=filename, content_type="application/pdf"
    )
