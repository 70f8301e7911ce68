"""/tin-moi.atom: the newest public records and published award lists, for feed readers and
harvesters. Links are absolute, built from SITE_URL (the address people know, whatever host the
request came through); nothing withdrawn and nothing unpublished is ever an item."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardList
from public.models import PublicRecord
from public.selectors import visible_records

LIMIT = 30


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


class LatestFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Đoàn kết sáng tạo — sáng kiến và danh sách tôn vinh mới công bố")
    subtitle = gettext_lazy(
        "Các bản ghi mới của cơ sở dữ liệu sáng tạo và các danh sách tôn vinh "
        "«Người Việt Nam đoàn kết sáng tạo» vừa được công bố."
    )

    def link(self):
        return _absolute(reverse("public:search"))

    def feed_url(self):
        return _absolute(reverse("feed"))

    def author_name(self):
        return _("Ủy ban MTTQ Việt Nam %(province)s") % {"province": settings.PROVINCE_NAME}

    def items(self):
        """The 30 newest of both kinds, newest first: at most 30 of each are read, then merged."""
        records = list(
            visible_records()
            .only("reference", "title", "summary", "published_at", "updated_at")
            .order_by("-published_at", "-pk")[:LIMIT]
        )
        lists = list(
            AwardList.objects.filter(status=AwardList.Status.PUBLISHED, published_at__isnull=False)
            .select_related("campaign")
            .order_by("-published_at", "-pk")[:LIMIT]
        )
        return sorted(records + lists, key=lambda item: item.published_at, reverse=True)[:LIMIT]

    def item_title(self, item):
        if isinstance(item, PublicRecord):
            return f"{item.reference} — {item.title}"
        return item.title

    def item_link(self, item):
        if isinstance(item, PublicRecord):
            return _absolute(item.get_absolute_url())
        return _absolute(reverse("awards_public:year", args=[item.campaign.year]))

    def item_description(self, item):
        """Atom's summary is HTML (type="html"): the plain text is escaped, so «<b>» stays text."""
        if isinstance(item, PublicRecord):
            return escape(item.summary)
        text = _("Danh sách tôn vinh năm %(year)s được công bố.") % {"year": item.campaign.year}
        return escape(f"{text} {item.decision}".strip())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at if isinstance(item, PublicRecord) else item.published_at
