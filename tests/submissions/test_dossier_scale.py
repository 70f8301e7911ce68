"""The dossier pages at province scale (issue #16): a bounded count, a search the indexes can answer
(a reference or words, never both), the similar-dossier look-up bounded and off the dossier page."""

import re

import pytest
from django import forms
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
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
    # as the list's pin (test_dossier_views): the count, the rows… — a word search on PostgreSQL
    # counts with its rows (COUNT(*) OVER (): the words' index hands every match to both)
    queries = 6 if query == "nuôi tôm" and connection.vendor == "postgresql" else 7
    with django_assert_num_queries(queries):
        client.get(url, {"q": query})
    for _ in range(49):
        dossier_of(unit_a, staff, Status.SUBMITTED, title="Nuôi tôm sú")
    with django_assert_num_queries(queries):
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


# The unit filter: a typed unit, not a 2,000-option drop-down ------------------------------------


def test_the_drop_downs_of_a_list_are_written_in_one_pass_with_their_groups():
    choices = [("", "Tất cả"), ("Hồ sơ", [(1, "Hồ sơ <A>"), (2, "Tác giả")]), (3, "Khác")]
    html = LongSelect(choices=choices).render("kind", "2", {"id": "id_kind"})
    assert html == (
        '<select name="kind" id="id_kind"><option value="">Tất cả</option>'
        '<optgroup label="Hồ sơ"><option value="1">Hồ sơ &lt;A&gt;</option>'
        '<option value="2" selected>Tác giả</option></optgroup><option value="3">Khác</option></select>'
    )


@pytest.fixture
def many_units(db, unit_a):
    """A province's units: far more than a datalist should hold; two share a name's start."""
    from tests.factories import UnitFactory

    return [UnitFactory(name=f"Trường Tiểu học số {n}", code=f"th-{n:03d}") for n in range(1, 31)]


def filtered(client, unit):
    response = client.get(reverse("submissions:list"), {"unit": unit})
    return response, {row.title for row in response.context["listing"].page.object_list}


@pytest.mark.parametrize("typed", ["so-khcn", "SO-KHCN", "Sở Khoa học và Công nghệ", "so khoa hoc va cong"])
def test_a_front_admin_types_a_unit_by_code_or_name_with_or_without_diacritics(
    client, front_admin, staff, unit_a, unit_a_child, unit_b, outsider, dossier_of, many_units, typed
):
    dossier_of(unit_a, staff, Status.SUBMITTED, title="Sáng kiến của Sở")
    dossier_of(unit_b, outsider, Status.SUBMITTED, title="Sáng kiến của Sở Giáo dục")
    client.force_login(front_admin)
    response, titles = filtered(client, typed)
    assert response.status_code == 200 and titles == {"Sáng kiến của Sở"}


def test_an_ambiguous_unit_is_refused_in_vietnamese_naming_a_few(client, front_admin, unit_b, many_units):
    client.force_login(front_admin)
    response, titles = filtered(client, "tiểu học số 1")  # số 1 and số 10…19
    assert response.status_code == 400 and titles == set()
    [error] = re.findall(r'<p class="error">([^<]+)</p>', response.content.decode())
    assert error.startswith("«tiểu học số 1» khớp với 11 đơn vị: Trường Tiểu học số 1 (th-001), ")
    assert error.endswith("Hãy gõ mã đơn vị hoặc tên đầy đủ hơn.")
    response, _titles = filtered(client, "Trường Tiểu học số 1")  # the whole name: that one
    assert response.status_code == 200
    response, _titles = filtered(client, "Sở")  # as typed first: «Sở», not every «số»
    [error] = re.findall(r'<p class="error">([^<]+)</p>', response.content.decode())
    assert error.startswith("«Sở» khớp với 2 đơn vị: Sở Giáo dục và Đào tạo (so-gddt), Sở Khoa học")


def test_the_unit_picker_suggests_a_bounded_list_and_the_look_up_the_matches(
    client, front_admin, staff, unit_a, unit_a_child, many_units
):
    client.force_login(staff)  # two units (theirs and the one below): suggested as they are
    page = client.get(reverse("submissions:list")).content.decode()
    datalist = re.search(r'<datalist id="id_unit-choices">(.*?)</datalist>', page).group(1)
    assert datalist.count("<option") == 1 and 'value="so-khcn"' in datalist  # staff prepare for one
    assert 'list="id_unit-choices"' in page and '<select name="unit"' not in page

    client.force_login(front_admin)  # 33 units: none written in the page, the look-up narrows
    page = client.get(reverse("submissions:list")).content.decode()
    assert '<datalist id="id_unit-choices"></datalist>' in page
    assert f'hx-get="{reverse("submissions:unit_lookup")}"' in page
    found = client.get(reverse("submissions:unit_lookup"), {"unit": "tieu hoc"}).content.decode()
    assert found.count("<option") == 20 and '<option value="th-001">Trường Tiểu học số 1</option>' in found
    found = client.get(reverse("submissions:unit_lookup"), {"unit": "khcn"}).content.decode()
    assert re.findall(r'value="([^"]+)"', found) == ["so-khcn", "tt-khcn"]
    assert client.get(reverse("submissions:unit_lookup"), {"unit": ""}).content == b""


def test_the_unit_look_up_answers_only_within_the_persons_units(client, staff, unit_b, outsider):
    client.force_login(staff)
    assert (
        client.get(reverse("submissions:unit_lookup"), {"unit": "so"}).content.decode().count("<option") == 1
    )  # their own unit, not the Sở Giáo dục
    client.logout()
    assert client.get(reverse("submissions:unit_lookup"), {"unit": "so"}).status_code == 302


@pytest.mark.parametrize("url_name", ["submissions:list", "submissions:review_queue"])
def test_the_lists_read_no_long_section_of_a_dossier_and_draw_their_selects_in_one_pass(
    client, staff, reviewer, unit_a, dossier_of, url_name
):
    dossier_of(unit_a, staff, Status.SUBMITTED, title="Nuôi tôm sú", summary="Một đoạn tóm tắt dài.")
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name))
    rows = [q["sql"] for q in queries.captured_queries if "submissions_author" in q["sql"]]
    assert len(rows) == 1 and '"submissions_dossier"."title"' in rows[0]
    for column in ("summary", "solution_content", "current_situation", "search_text", "search_words"):
        assert f'"submissions_dossier"."{column}"' not in rows[0]
    assert "Nuôi tôm sú" in response.content.decode()
    fields = response.context["listing"].filterset.form.fields
    assert isinstance(fields["field"].widget, LongSelect)


@pytest.mark.parametrize("url_name", ["submissions:list", "submissions:review_queue"])
def test_a_word_searchs_rows_carry_its_count_and_its_pages_stay_right(
    client, staff, reviewer, unit_a, dossier_of, monkeypatch, url_name
):
    monkeypatch.setattr(views, "COUNT_LIMIT", 60)
    made = [dossier_of(unit_a, staff, Status.SUBMITTED, title=f"Nuôi tôm sú số {n}") for n in range(55)]
    dossier_of(unit_a, staff, Status.SUBMITTED, title="Trồng lúa")
    client.force_login(staff if url_name == "submissions:list" else reviewer)
    url = reverse(url_name)

    def listed(**query):
        response = client.get(url, {"q": "tôm sú", **query})
        page = response.context["listing"].page
        return page.paginator.count, page.number, {d.pk for d in page.object_list}

    count, number, first = listed()
    assert (count, number, len(first)) == (55, 1, 25)
    assert listed(page="3")[:2] == (55, 3) and len(listed(page="3")[2]) == 5
    assert listed(page="99")[1] == 3 and listed(page="abc")[1] == 1  # as Django's get_page answers
    assert set().union(*(listed(page=str(n))[2] for n in (1, 2, 3))) == {d.pk for d in made}
    monkeypatch.setattr(views, "COUNT_LIMIT", 50)
    count, _number, _rows = listed()
    assert count == 51 and "hơn 50 hồ sơ" in client.get(url, {"q": "tôm sú"}).content.decode()
    assert listed(page="2")[2] and listed(page="3")[1] == 2  # the pages of the first 50
    assert listed(q="lúa")[0] == 1 and listed(q="không có")[0] == 0
