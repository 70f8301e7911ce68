"""The dossier pages at province scale (issue #16): a bounded count, a search the indexes can answer
(a reference or words, never both), the similar-dossier look-up bounded and off the dossier page."""

import re

import pytest
from django import forms
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from dksangtao.forms import LongSelect
from dksangtao.lists import Listing
from submissions import selectors, views
from submissions.models import Dossier, Status
from submissions.selectors import similar_dossiers


@pytest.fixture
def dossier_of(make_dossier):
    def make(unit, creator, status=Status.DRAFT, **fields):
        return make_dossier(unit, creator, status=status, **fields)

    return make


# Counting -----------------------------------------------------------------------------------------


def test_a_capped_listing_counts_at_most_its_limit_and_pages_within_it(db, make_dossier, unit_a, staff):
    for n in range(5):
        make_dossier(unit_a, staff, title=f"Hồ sơ thứ {n}")
    request = RequestFactory().get("/")
    capped = Listing(request, Dossier.objects.order_by("-id"), page_size=1, count_limit=3)
    paginator = capped.page.paginator
    assert paginator.count == 4 and paginator.more_than_limit
    assert paginator.num_pages == 3  # the pages of the first 3 rows; a filter narrows the rest
    assert list(paginator.page(3).object_list) == [Dossier.objects.order_by("-id")[2]]
    exact = Listing(request, Dossier.objects.order_by("-id"), page_size=1, count_limit=5)
    assert exact.page.paginator.count == 5 and not exact.page.paginator.more_than_limit
    assert Listing(request, Dossier.objects.all(), page_size=1).page.paginator.count == 5  # no limit


@pytest.mark.parametrize("url_name", ["submissions:list", "submissions:review_queue"])
def test_beyond_the_limit_the_list_says_more_than_in_vietnamese(
    client,
    staff,
    reviewer,
    unit_a,
    dossier_of,
    monkeypatch,
    url_name,
):
    monkeypatch.setattr(views, "COUNT_LIMIT", 3)
    for _ in range(4):
        dossier_of(unit_a, staff, Status.SUBMITTED)
    client.force_login(staff if url_name == "submissions:list" else reviewer)
    page = client.get(reverse(url_name)).content.decode()
    assert "hơn 3 hồ sơ" in page
    monkeypatch.setattr(views, "COUNT_LIMIT", 4)
    page = client.get(reverse(url_name)).content.decode()
    assert "hơn" not in page.split('class="count"')[1][:60] and "4 hồ sơ" in page


# Searching ----------------------------------------------------------------------------------------


def _found(client, url_name, query):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    return {d.pk for d in response.context["listing"].page.object_list}


@pytest.mark.parametrize("url_name", ["submissions:list", "submissions:review_queue"])
def test_search_finds_the_starts_of_words_and_a_reference_or_its_piece(
    client,
    staff,
    reviewer,
    unit_a,
    dossier_of,
    url_name,
):
    shrimp = dossier_of(unit_a, staff, Status.SUBMITTED, title="Mô hình nuôi tôm sú thâm canh")
    waste = dossier_of(unit_a, staff, Status.SUBMITTED, title="Xử lý rác thải hữu cơ tại chợ")
    client.force_login(staff if url_name == "submissions:list" else reviewer)
    assert _found(client, url_name, "NUÔI tôm") == {shrimp.pk}
    assert _found(client, url_name, "thâm can") == {shrimp.pk}
    assert _found(client, url_name, "hữu cơ chợ xử") == {waste.pk}
    assert _found(client, url_name, "tôm rác") == set()
    assert _found(client, url_name, waste.reference) == {waste.pk}
    assert _found(client, url_name, waste.reference.lower()) == {waste.pk}
    number = waste.reference.rsplit("-", 1)[1]  # «00002»: a piece of the reference
    assert _found(client, url_name, number) == {waste.pk}
    year_and_number = waste.reference.split("-", 1)[1]
    assert _found(client, url_name, year_and_number) == {waste.pk}


@pytest.mark.postgres_only
def test_short_words_match_whole_words_on_postgresql(client, staff, unit_a, dossier_of):
    canh = dossier_of(unit_a, staff, Status.SUBMITTED, title="Thâm canh lúa")
    ca = dossier_of(unit_a, staff, Status.SUBMITTED, title="Nuôi cá lồng")
    client.force_login(staff)
    assert _found(client, "submissions:list", "ca") == {ca.pk}
    assert _found(client, "submissions:list", "can") == {canh.pk}


@pytest.mark.postgres_only
def test_the_words_column_is_kept_by_the_database_whoever_writes(make_dossier, unit_a, staff):
    dossier = make_dossier(unit_a, staff, title="Ứng dụng bản đồ số", summary="Quản lý đất đai.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_words::text FROM submissions_dossier WHERE id = %s", [dossier.pk])
        assert (
            cursor.fetchone()[0] == "'ban':3 'dai':9 'dat':8 'do':4 'dung':2 'ly':7 'quan':6 'so':5 'ung':1"
        )
    Dossier.objects.filter(pk=dossier.pk).update(search_text="nuoi tom")
    assert Dossier.objects.filter(pk=dossier.pk, search_words="tom").exists()
    copy = Dossier.objects.get(pk=dossier.pk)
    copy.pk, copy.reference, copy.status, copy.search_text = None, None, Status.DRAFT, "may gat"
    Dossier.objects.bulk_create([copy])  # an import or a generator writes rows in bulk
    assert Dossier.objects.filter(search_words="gat").count() == 1


@pytest.mark.parametrize("query", ["", "nuôi tôm", "DKST-2026-00001"])
def test_the_list_and_its_search_cost_the_same_for_1_and_50_dossiers(
    client,
    staff,
    unit_a,
    dossier_of,
    django_assert_num_queries,
    query,
):
    dossier_of(unit_a, staff, Status.SUBMITTED, title="Nuôi tôm sú")
    client.force_login(staff)
    url = reverse("submissions:list")
    client.get(url, {"q": query})
    with django_assert_num_queries(7):  # as the list's pin (test_dossier_views): the count, the rows…
        client.get(url, {"q": query})
    for _ in range(49):
        dossier_of(unit_a, staff, Status.SUBMITTED, title="Nuôi tôm sú")
    with django_assert_num_queries(7):
        client.get(url, {"q": query})


# The similar-dossier look-up ----------------------------------------------------------------------


def test_the_dossier_page_leaves_the_look_up_to_its_fragment(
    client,
    staff,
    outsider,
    unit_a,
    dossier_of,
):
    earlier = dossier_of(unit_a, staff, Status.SUBMITTED, title="Ứng dụng quản lý hồ sơ một cửa tại xã")
    dossier = dossier_of(unit_a, staff, Status.SUBMITTED, title="Phần mềm quản lý hồ sơ một cửa điện tử")
    client.force_login(staff)
    page = client.get(reverse("submissions:detail", args=[dossier.pk])).content.decode()
    fragment_url = reverse("submissions:detail_similar", args=[dossier.pk])
    assert f'hx-get="{fragment_url}"' in page and earlier.title not in page
    fragment = client.get(fragment_url)
    assert fragment.status_code == 200
    assert earlier.title in fragment.content.decode()
    assert dossier.reference not in fragment.content.decode()  # never itself
    client.force_login(outsider)
    assert client.get(fragment_url).status_code == 404
    assert client.post(fragment_url).status_code == 405


def test_the_look_up_ranks_a_bounded_number_of_candidates(db, make_dossier, unit_a, staff, monkeypatch):
    title = "Phần mềm quản lý hồ sơ một cửa"
    for n in range(8):
        make_dossier(unit_a, staff, status=Status.SUBMITTED, title=f"{title} số {n}", summary="Một cửa.")
    monkeypatch.setattr(selectors, "SIMILAR_CANDIDATES", 3)
    found = similar_dossiers(title, title=title)
    assert len(found) == (3 if connection.vendor == "postgresql" else 5)  # SQLite ranks all, in Python
    assert all(item.similarity >= selectors.SIMILARITY_THRESHOLD for item in found)
    assert [i.similarity for i in found] == sorted((i.similarity for i in found), reverse=True)
    assert not found.timed_out


@pytest.mark.postgres_only
def test_a_look_up_out_of_time_says_so_and_leaves_the_connection_as_it_was(db, monkeypatch):
    monkeypatch.setattr(selectors, "SIMILAR_TIMEOUT_MS", 50)

    def slow():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
        return selectors.SimilarFound(["never"])

    gave_up = selectors._within_timeout(slow)
    assert gave_up == [] and gave_up.timed_out
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"  # the SET LOCAL ended with the look-up's savepoint
    assert Dossier.objects.count() == 0  # the transaction goes on


def test_the_fragment_says_when_the_look_up_ran_out_of_time(rf):
    gave_up = selectors.SimilarFound()
    gave_up.timed_out = True
    page = render_to_string("submissions/_similar.html", {"similar": gave_up})
    assert "Chưa so sánh được lúc này" in page and "Chưa thấy hồ sơ nào tương tự" not in page
    page = render_to_string("submissions/_similar.html", {"similar": selectors.SimilarFound()})
    assert "Chưa thấy hồ sơ nào tương tự" in page


@pytest.mark.parametrize("value", ["1", None, ""])
def test_the_long_select_writes_what_djangos_select_writes(value):
    """The unit filter's drop-down (every unit for a Front admin) without one template render per
    option: the same name, id, options, labels (escaped) and selected option as Django's Select."""
    choices = [("", "Tất cả"), (0, 'Xã "A" <B>'), (1, "Phường Đông Ba")]

    def parsed(html):
        options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
        return re.search(r"<select ([^>]*)>", html).group(1).split(" "), options

    django_attrs, django_options = parsed(
        forms.Select(choices=choices).render("unit", value, {"id": "id_unit"})
    )
    plain_attrs, plain_options = parsed(LongSelect(choices=choices).render("unit", value, {"id": "id_unit"}))
    assert sorted(plain_attrs) == sorted(django_attrs) == ['id="id_unit"', 'name="unit"']
    assert plain_options == django_options
    assert ("1", " selected", "Phường Đông Ba") in plain_options or value != "1"
    assert ("0", "", "Xã &quot;A&quot; &lt;B&gt;") in plain_options
