"""The public search as people type it: any word order, with or without diacritics, any case, NFC or
NFD; facets with counts; sorting; stable URLs; and no 500 on hostile input."""

import unicodedata

import pytest
from django.urls import reverse

from public.models import Recognition
from public.search import search_words_refresh
from public.services import record_withdraw
from submissions.models import DossierKind, Field

URL = reverse("public:search")
COMPOST = "Xử lý rác thải hữu cơ thành phân compost tại hộ gia đình"


@pytest.fixture
def records(make_record, unit_b, front_admin):
    other_field = Field.objects.exclude(code="khcn-cds").order_by("order").first()
    compost = make_record(
        title=COMPOST, summary="Mỗi hộ ủ rác hữu cơ bằng men vi sinh, giảm 30% rác chôn lấp."
    )
    irrigation = make_record(
        title="Tưới tiết kiệm nước cho vườn thanh trà",
        summary="Hệ thống tưới nhỏ giọt điều khiển bằng điện thoại.",
        field=other_field,
    )
    clinic = make_record(
        title="Phần mềm đặt lịch khám bệnh qua Zalo", summary="Người bệnh đặt lịch, giảm thời gian chờ."
    )
    return {"compost": compost, "irrigation": irrigation, "clinic": clinic}


def found(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return [record.reference for record in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query",
    [
        "rac thai huu co xu ly",
        "XỬ LÝ rác thải",
        "compost ho gia dinh",
        unicodedata.normalize("NFD", "xử lý rác thải"),
        "  Rác   THẢI  ",
    ],
)
def test_finds_by_words_in_any_order_case_and_accents(client, records, query):
    assert found(client, q=query) == [records["compost"].reference]


def test_every_word_must_match(client, records):
    response = client.get(URL, {"q": "rac thai zalo"})
    # Nothing holds all three words, and each is a word some record holds: nothing to correct.
    assert not response.context["page"].object_list and response.context["corrected"] == ""


@pytest.mark.postgres_only
def test_a_typo_is_corrected_to_the_nearest_word_on_postgresql(client, records):
    search_words_refresh()
    response = client.get(URL, {"q": "xu ly rac thia huu co"})
    assert response.context["corrected"] == "xu ly rac thai huu co"
    assert [r.reference for r in response.context["page"].object_list] == [records["compost"].reference]
    html = response.content.decode()
    assert "kết quả cho «xu ly rac thai huu co»" in html and "<mark>thải</mark>" in html
    # a word near nothing is dropped; the rest still finds the record
    response = client.get(URL, {"q": "compost qqqqzzzz"})
    assert response.context["corrected"] == "compost"


@pytest.mark.postgres_only
def test_the_word_list_follows_the_records(records, front_admin):
    from django.db import connection

    search_words_refresh()
    record_withdraw(public_record=records["clinic"], actor=front_admin, reason="Gỡ thử.")
    search_words_refresh()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM public_search_word WHERE word IN ('zalo', 'compost')")
        assert cursor.fetchone()[0] == 1  # «zalo» was only in the withdrawn record


def test_unit_name_is_searched(client, records, unit_a):
    assert len(found(client, q=unit_a.name)) == 3


def test_matched_words_are_highlighted_and_escaped(client, make_record):
    make_record(title="Giải pháp <script>alert(1)</script> xử lý rác")
    response = client.get(URL, {"q": "xu ly"})
    html = response.content.decode()
    assert "<mark>xử</mark> <mark>lý</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_no_query_lists_newest_year_first(client, records):
    assert set(found(client)) == {r.reference for r in records.values()}


def test_facets_count_the_other_filters(client, records):
    compost_field = records["compost"].field
    response = client.get(URL, {"field": compost_field.pk})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2
    groups = {group["name"]: group for group in response.context["facet_groups"]}
    field_values = {value["label"]: (value["count"], value["chosen"]) for value in groups["field"]["values"]}
    # The field facet still shows the other field with its count, so a visitor can switch.
    assert field_values[compost_field.name] == (2, True)
    assert field_values[records["irrigation"].field.name] == (1, False)
    years = groups["year"]["values"]
    assert years[0]["count"] == 2


def test_filter_by_year_kind_unit_and_recognition(client, records, unit_a, unit_b):
    year = records["compost"].year
    kind = DossierKind.objects.get(pk=records["compost"].kind_id)
    assert len(found(client, year=year, kind=kind.pk)) == 3
    assert found(client, year=year - 1) == []
    assert len(found(client, unit=unit_a.pk)) == 3
    assert found(client, unit=unit_b.pk) == []
    assert len(found(client, recognition=Recognition.UNIT)) == 3
    assert found(client, recognition=Recognition.HONOURED) == []


def test_unit_filter_includes_child_units(client, make_record, unit_a, unit_a_child, staff):
    from dksangtao.roles import Role
    from tests.factories import person_with_role

    child_staff = person_with_role(Role.UNIT_STAFF, unit_a_child, full_name="Lê Văn Con")
    child = make_record(unit=unit_a_child, creator=child_staff, title="Sổ tay điện tử chi bộ")
    assert child.reference in found(client, unit=unit_a.pk)


def test_sorts(client, records):
    assert len(found(client, sort="-score")) == 3
    assert len(found(client, sort="year")) == 3
    assert found(client, q="rac", sort="relevance") == [records["compost"].reference]


def test_withdrawn_records_are_not_found(client, records, front_admin):
    record_withdraw(public_record=records["compost"], actor=front_admin, reason="Trùng với bản ghi khác.")
    assert found(client, q="rac thai") == [] or found(client, q="rac thai") != [records["compost"].reference]
    assert records["compost"].reference not in found(client)


def test_pagination_keeps_the_search_in_stable_urls(client, make_record):
    for n in range(23):
        make_record(title=f"Mô hình thu gom rác số {n}")
    response = client.get(URL, {"q": "thu gom", "page": "2"})
    assert len(response.context["page"].object_list) == 3
    assert response.context["page_query"] == "q=thu+gom"
    html = response.content.decode()
    assert "?q=thu+gom&amp;page=1" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"page": "999999"},
        {"page": "-1"},
        {"page": "٣"},
    ],
)
def test_hostile_input_gets_a_normal_page(client, records, params):
    response = client.get(URL, params)
    assert response.status_code == 200


@pytest.mark.parametrize("params", [{"q": "rác\x00thải"}, {"q": "\x01\x02\x1f"}])
def test_control_characters_get_the_400_page(client, records, params):
    """Refused before the view by dksangtao.middleware.HostileInputMiddleware (issue #15)."""
    response = client.get(URL, params)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "9999"},
        {"year": "２０２６"},
        {"field": "999999"},
        {"unit": "x"},
        {"recognition": "gold"},
        {"sort": "password"},
    ],
)
def test_unknown_facet_values_get_a_clear_400(client, records, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_query_count_is_constant(client, make_record, django_assert_num_queries):
    for n in range(3):
        make_record(title=f"Giải pháp tiết kiệm điện số {n}")
    with django_assert_num_queries(5):
        # Every facet's counts (one statement, which also tells whether anything matched), the
        # page of records, and the fields', kinds' and units' names — read once per change of the
        # public database: no COUNT(*), no EXISTS of its own.
        client.get(URL, {"q": "tiet kiem"})
    with django_assert_num_queries(2) as few:
        client.get(URL, {"q": "tiet kiem"})
    for n in range(3, 25):
        make_record(title=f"Giải pháp tiết kiệm điện số {n}")
    with django_assert_num_queries(2) as many:  # the names kept: no new record was committed
        response = client.get(URL, {"q": "tiet kiem"})
    assert len(few.captured_queries) == len(many.captured_queries)
    assert response.context["page"].paginator.count == 25


def test_facet_counts_follow_the_other_filters_in_one_statement(client, make_record, unit_a, unit_a_child):
    from dksangtao.roles import Role
    from public.models import PublicRecord
    from tests.factories import person_with_role

    maker = person_with_role(Role.UNIT_STAFF, unit_a_child, full_name="Lê Văn Con")
    older = make_record(title="Máy sấy nông sản năng lượng mặt trời")
    make_record(title="Máy sấy cá bằng năng lượng mặt trời")
    make_record(title="Máy sấy chè năng lượng mặt trời", unit=unit_a_child, creator=maker)
    make_record(title="Sổ tay điện tử")
    year = older.year
    PublicRecord.objects.filter(pk=older.pk).update(year=year - 1)

    def facets(**params):
        response = client.get(URL, params)
        groups = {
            g["name"]: {v["label"]: v["count"] for v in g["values"]} for g in response.context["facet_groups"]
        }
        return response.context["page"].paginator.count, groups

    total, groups = facets(q="may say", year=str(year))
    assert total == 2
    assert groups["year"] == {str(year): 2, str(year - 1): 1}  # the year facet ignores the chosen year
    assert groups["unit"] == {unit_a.name: 2}
    total, groups = facets(q="may say", unit=unit_a_child.pk)
    assert total == 1
    assert groups["year"] == {str(year): 1}
    assert groups["unit"] == {
        unit_a.name: 3,
        unit_a_child.name: 1,
    }  # every unit, the chosen one's filter aside


def test_the_unit_facet_shows_the_top_level_and_opens_the_chosen_branch(
    client, make_record, unit_a, unit_a_child
):
    from accounts.models import Unit, UnitKind
    from dksangtao.roles import Role
    from tests.factories import person_with_role

    grandchild = Unit.objects.create(
        name="Tổ công nghệ của đơn vị con", code="to-cn", kind=UnitKind.PUBLIC_SERVICE, parent=unit_a_child
    )
    maker = person_with_role(Role.UNIT_STAFF, grandchild, full_name="Lê Thị Cháu")
    make_record(unit=grandchild, creator=maker, title="Sổ tay điện tử")

    def unit_labels(**params):
        groups = {g["name"]: g for g in client.get(URL, params).context["facet_groups"]}
        return [(v["label"], v["depth"], v["count"]) for v in groups["unit"]["values"]]

    assert unit_labels() == [(unit_a.name, 0, 1)]  # the top level only
    assert unit_labels(unit=unit_a.pk) == [(unit_a.name, 0, 1), (unit_a_child.name, 1, 1)]
    assert unit_labels(unit=unit_a_child.pk) == [
        (unit_a.name, 0, 1),
        (unit_a_child.name, 1, 1),
        (grandchild.name, 2, 1),
    ]
