"""The public pages' figures (statistics, facet counts, related records, the sitemap) are cached until
the public database changes: public.services drops them after each commit, so the next visitor sees
the change; until then no visitor pays for the aggregates."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public import services
from public.models import PublicRecord

pytestmark = pytest.mark.django_db

SEARCH = reverse("public:search")
STATISTICS = reverse("public:statistics")


def _total(page: str) -> int:
    return int(re.search(r'<span class="big-number">(\d+)</span> bản ghi công khai', page).group(1))


def test_statistics_are_read_once_then_follow_a_withdrawal(
    client, make_record, front_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, _second = make_record(), make_record()
    assert _total(client.get(STATISTICS).content.decode()) == 2
    with CaptureQueriesContext(connection) as queries:
        assert _total(client.get(STATISTICS).content.decode()) == 2
    assert not [q for q in queries.captured_queries if "public_publicrecord" in q["sql"]]
    with django_capture_on_commit_callbacks(execute=True):
        services.record_withdraw(public_record=first, actor=front_admin, reason="Trùng lặp")
    assert _total(client.get(STATISTICS).content.decode()) == 1
    assert client.get(reverse("api:statistics")).json()["total"] == 1


def test_browsing_costs_the_same_for_1_and_50_records_and_counts_them_right(
    client, make_record, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_record(title="Giải pháp số 0")
    client.get(SEARCH)  # the facets' counts computed and cached
    # the page of records with field and kind joined (the facets, their counts and the list's total
    # come from the cache)
    with django_assert_num_queries(1):
        page = client.get(SEARCH).content.decode()
    assert "1 bản ghi" in page
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1, 50):
            make_record(title=f"Giải pháp số {n}")
    client.get(SEARCH)
    with django_assert_num_queries(1):
        page = client.get(SEARCH).content.decode()
    assert "50 bản ghi" in page and "Trang 1/3" in page
    assert '<span class="count">50</span>' in page  # the cached facets were dropped too
    year = PublicRecord.objects.first().year
    assert "50 bản ghi" in client.get(SEARCH, {"year": year}).content.decode()
    assert "0 bản ghi" in client.get(SEARCH, {"year": year - 1}).content.decode()


def test_related_records_and_the_sitemap_follow_a_new_record(
    client, make_record, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        compost = make_record(title="Xử lý rác thải hữu cơ thành phân compost tại hộ gia đình")
    record_url = reverse("public:record", args=[compost.reference])
    assert "Ủ rác thải hữu cơ" not in client.get(record_url).content.decode()
    records = reverse("sitemap_section", args=["records"])
    assert compost.reference in client.get(records).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        near = make_record(title="Xử lý rác thải hữu cơ thành phân compost tại trường học")
    assert near.title in client.get(record_url).content.decode()
    assert near.reference in client.get(records).content.decode()
