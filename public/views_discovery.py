"""How machines find the public pages: sitemap.xml and robots.txt (the Atom feed is public.feeds).
robots.txt lets crawlers into the public pages and keeps them out of the staff ones."""

import re
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from public.selectors import public_cached
from public.sitemaps import SITEMAPS

# The public pages: the creativity database, the award pages, the open data, the feed.
ALLOWED = ["/co-so-du-lieu/", "/giai-thuong/", "/du-lieu-mo/", "/tin-moi.atom"]
# The staff pages (English paths), and the public database's staff-only address.
DISALLOWED = [
    "/admin/",
    "/dossiers/",
    "/council/",
    "/awards/",
    "/fund/",
    "/reports/",
    "/audit/",
    "/nhan-rong/",
    "/co-so-du-lieu/dua-vao/",
]


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap_view(request):
    """The sitemap index: one file per section and page (public.sitemaps: at most RECORDS_PER_FILE
    record addresses a file, where one file of every record was 790 kB at 6,000 records). Addresses
    from SITE_URL, whatever host the request came through; built once per change of the public
    database."""

    def build():
        base = settings.SITE_URL.rstrip("/")
        files = []
        for section, site in SITEMAPS.items():
            pages = site().paginator.num_pages
            location = f"{base}{reverse('sitemap_section', args=[section])}"
            files += [location if n == 1 else f"{location}?p={n}" for n in range(1, pages + 1)]
        entries = "".join(f"<sitemap><loc>{escape(location)}</loc></sitemap>" for location in files)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n'
        )

    return _sitemap_response(public_cached("sitemap:index", build).encode(), None)


@require_safe
@cache_control(public=True, max_age=3600)
def sitemap_section_view(request, section):
    """One section's addresses, a page (?p=N) at a time; 404 for a section or a page there is not."""

    def build():
        response = sitemap(request, sitemaps=SITEMAPS, section=section)
        response.render()
        return response.content, response.get("Last-Modified")

    page = request.GET.get("p", "1")
    if section not in SITEMAPS or not re.fullmatch(r"[0-9]{1,6}", page):
        raise Http404
    return _sitemap_response(*public_cached(f"sitemap:{section}:{page}", build))


def _sitemap_response(content: bytes, last_modified: str | None) -> HttpResponse:
    response = HttpResponse(content, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if last_modified:
        response.headers["Last-Modified"] = last_modified
    return response


@require_safe
@cache_control(public=True, max_age=86400)
def robots_view(request):
    lines = ["User-agent: *"]
    lines += [f"Allow: {path}" for path in ALLOWED]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
