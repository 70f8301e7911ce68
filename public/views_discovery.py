"""How machines find the public pages: sitemap.xml and robots.txt (the Atom feed is public.feeds).
robots.txt lets crawlers into the public pages and keeps them out of the staff ones."""

import re

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
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
    """Every visible record's address (5 MB and 90 ms of SQL at 40,000 records), the same for every
    crawler: built once per change of the public database."""

    def build():
        response = sitemap(request, sitemaps=SITEMAPS)
        response.render()
        return response.content, response.get("Last-Modified")

    page = request.GET.get("p", "1")
    if not re.fullmatch(r"[0-9]{1,6}", page):
        return sitemap(request, sitemaps=SITEMAPS)  # its own 404
    content, last_modified = public_cached(f"sitemap:{page}", build)
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
