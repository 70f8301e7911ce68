"""How machines find the public pages: the Atom feed of new records and award lists, sitemap.xml and
robots.txt — absolute addresses from SITE_URL, nothing withdrawn and nothing unpublished."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardList, RankingRun
from public import feeds, services
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

SITE = "https://sangtao.example.vn"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DECISION = "Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/2026"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def records(make_record, front_admin):
    """Two visible records (the first with markup in its summary) and one withdrawn."""
    kept = [make_record(summary="Giảm <b>70%</b> thời gian & giấy tờ."), make_record()]
    gone = make_record()
    services.record_withdraw(public_record=gone, actor=front_admin, reason="Trùng lặp.")
    return kept, gone


def award_list(campaign, front_admin, *, published: bool) -> AwardList:
    """A list as award_list_publish leaves it (the whole journey is tests/awards/test_award_list.py)."""
    run = RankingRun.objects.create(campaign=campaign, started_by=front_admin, status="done")
    return AwardList.objects.create(
        campaign=campaign,
        run=run,
        title=f"Danh sách tôn vinh năm {campaign.year}",
        decision=DECISION if published else "",
        status=AwardList.Status.PUBLISHED if published else AwardList.Status.DRAFT,
        drafted_by=front_admin,
        published_at=timezone.now() if published else None,
    )


def entries(response) -> list[dict]:
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "id": entry.findtext(f"{ATOM}id"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_is_atom_with_new_records_and_published_lists(client, records, campaign, front_admin):
    (first, second), gone = records
    published = award_list(campaign, front_admin, published=True)
    response = client.get("/tin-moi.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title") == "Đoàn kết sáng tạo — sáng kiến và danh sách tôn vinh mới công bố"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Ủy ban MTTQ Việt Nam thành phố Huế"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/tin-moi.atom"
    items = entries(response)
    by_title = {item["title"]: item for item in items}
    assert (
        by_title[f"{first.reference} — {first.title}"]["link"] == f"{SITE}/co-so-du-lieu/{first.reference}/"
    )
    assert f"{second.reference} — {second.title}" in by_title
    assert by_title[published.title]["link"] == f"{SITE}/giai-thuong/{campaign.year}/"
    assert DECISION in by_title[published.title]["summary"]
    assert items[0]["title"] == published.title  # newest first
    assert gone.reference not in response.content.decode() and len(items) == 3
    # The summary is HTML-typed: the record's markup arrives escaped, shown as the text it is.
    assert (
        by_title[f"{first.reference} — {first.title}"]["summary"]
        == "Giảm &lt;b&gt;70%&lt;/b&gt; thời gian &amp; giấy tờ."
    )


def test_the_feed_has_no_draft_list_and_at_most_its_limit(
    client, records, campaign, front_admin, monkeypatch
):
    award_list(campaign, front_admin, published=False)
    assert len(entries(client.get(reverse("feed")))) == 2
    monkeypatch.setattr(feeds, "LIMIT", 1)
    (first, second), gone = records
    assert [item["title"] for item in entries(client.get(reverse("feed")))] == [
        f"{second.reference} — {second.title}"  # the newest
    ]


def test_the_sitemap_lists_record_pages_award_years_and_the_public_pages(
    client, records, campaign, front_admin
):
    (first, second), gone = records
    award_list(campaign, front_admin, published=True)
    award_list(CampaignFactory(year=2025), front_admin, published=False)  # a draft: not listed
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    files = [f.findtext(f"{SITEMAP}loc") for f in index.findall(f"{SITEMAP}sitemap")]
    assert files == [f"{SITE}/sitemap-records.xml", f"{SITE}/sitemap-awards.xml", f"{SITE}/sitemap-pages.xml"]
    locations = []
    for address in files:
        part = client.get(address.removeprefix(SITE))
        assert part.status_code == 200 and part["Content-Type"] == "application/xml"
        root = ET.fromstring(part.content)
        locations += [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
        assert gone.reference not in part.content.decode()
    assert sorted(locations) == sorted(
        [
            f"{SITE}/co-so-du-lieu/{first.reference}/",
            f"{SITE}/co-so-du-lieu/{second.reference}/",
            f"{SITE}/giai-thuong/2026/",
            f"{SITE}/co-so-du-lieu/",
            f"{SITE}/co-so-du-lieu/thong-ke/",
            f"{SITE}/du-lieu-mo/",
            f"{SITE}/giai-thuong/",
        ]
    )
    assert gone.reference not in response.content.decode()


def test_the_sitemap_index_names_each_page_of_records_and_each_file_stays_small(client, records, monkeypatch):
    from public import sitemaps

    (first, second), gone = records
    monkeypatch.setattr(sitemaps.RecordSitemap, "limit", 1)  # one record a file
    index = ET.fromstring(client.get("/sitemap.xml").content)
    files = [f.findtext(f"{SITEMAP}loc") for f in index.findall(f"{SITEMAP}sitemap")]
    assert files[:2] == [f"{SITE}/sitemap-records.xml", f"{SITE}/sitemap-records.xml?p=2"]
    pages = [client.get(address.removeprefix(SITE)) for address in files[:2]]
    held = [
        [u.findtext(f"{SITEMAP}loc") for u in ET.fromstring(p.content).findall(f"{SITEMAP}url")]
        for p in pages
    ]
    assert sorted(held) == sorted([[f"{SITE}/co-so-du-lieu/{r.reference}/"] for r in (first, second)])
    for junk in ("?p=3", "?p=0", "?p=x", "?p=1.5"):
        assert client.get(f"/sitemap-records.xml{junk}").status_code == 404
    assert client.get("/sitemap-secrets.xml").status_code == 404
    assert sitemaps.RECORDS_PER_FILE * 140 < 300 * 1024  # about 130 bytes an address: each file under 300 kB


def test_robots_txt_opens_the_public_pages_closes_the_staff_ones_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in (
        "/admin/",
        "/dossiers/",
        "/council/",
        "/awards/",
        "/fund/",
        "/reports/",
        "/audit/",
        "/nhan-rong/",
    ):
        assert f"Disallow: {path}" in lines
    for path in ("/co-so-du-lieu/", "/giai-thuong/", "/du-lieu-mo/"):
        assert f"Allow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert reverse("robots") == "/robots.txt" and reverse("sitemap") == "/sitemap.xml"


@pytest.mark.parametrize("path", ["/robots.txt", "/sitemap.xml", "/sitemap-records.xml"])
def test_discovery_files_only_answer_reads(client, path):
    assert client.post(path).status_code == 405
    assert client.head(path).status_code == 200
