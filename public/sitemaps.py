"""sitemap.xml: the public pages search engines should know — every visible record's page, the
published award years and the static public pages. Addresses are built from SITE_URL (scheme and
host), whatever host the request came through. Nothing withdrawn or unpublished is listed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from awards.models import AwardList
from public.selectors import visible_records

RECORDS_PER_FILE = 1000


class _PortalSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class RecordSitemap(_PortalSitemap):
    changefreq = "monthly"
    # The protocol allows 50,000 addresses a file; 1,000 keeps each file near 130 kB (one file of
    # 6,000 records was 790 kB), the index (sitemap.xml) naming every page (?p=2, ?p=3…).
    limit = RECORDS_PER_FILE

    def items(self):
        return visible_records().only("reference", "updated_at").order_by("reference")

    def lastmod(self, record):
        return record.updated_at


class AwardYearSitemap(_PortalSitemap):
    changefreq = "yearly"

    def items(self):
        return (
            AwardList.objects.filter(status=AwardList.Status.PUBLISHED)
            .select_related("campaign")
            .order_by("-campaign__year")
        )

    def location(self, award_list):
        return reverse("awards_public:year", args=[award_list.campaign.year])

    def lastmod(self, award_list):
        return award_list.published_at


class StaticSitemap(_PortalSitemap):
    changefreq = "daily"

    def items(self):
        return ["public:search", "public:statistics", "opendata:index", "awards_public:index"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"records": RecordSitemap, "awards": AwardYearSitemap, "pages": StaticSitemap}
