# ruff: noqa: F811  (pytest fixtures imported from other test modules are used as arguments)
"""The read-only public API (issue #11): records with search, filters and pages; one record (410 once
withdrawn); a year's published award list; the statistics; the schema and its docs page. Only reads,
nothing non-public in any answer, errors in Vietnamese and never a 500, a rate limit, CORS for GET."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from awards import services as award_services
from dksangtao.roles import Role
from public.models import PublicRecord, Recognition
from public.services import application_confirm, application_record, record_withdraw
from submissions.models import DossierKind, Field, Status
from tests.awards.test_award_list import DECISION, draft, run, second_admin, with_bank_details  # noqa: F401
from tests.awards.test_ranking import scored_entries  # noqa: F401
from tests.councils.test_progress import three  # noqa: F401
from tests.councils.test_scoring import council, scoring_campaign  # noqa: F401
from tests.factories import person_with_role
from tests.public.conftest import CONFIDENTIAL

pytestmark = pytest.mark.django_db

RECORDS = reverse("api:record_list")
STATISTICS = reverse("api:statistics")
COMPOST = "Xử lý rác thải hữu cơ thành phân compost tại hộ gia đình"
DRAFT_TITLE = "Bản nháp chưa nộp: máy ép viên nén trấu"
WITHDRAWN_TITLE = "Giải pháp đã gỡ: đo mực nước sông bằng cảm biến"
RECORD_FIELDS = {
    "reference",
    "url",
    "year",
    "title",
    "kind",
    "field",
    "unit_name",
    "authors",
    "summary",
    "first_applied_on",
    "current_situation",
    "solution_content",
    "novelty",
    "application_conditions",
    "application_scope",
    "economic_benefit_vnd",
    "benefits_by_author",
    "benefits_by_others",
    "recognition",
    "recognition_label",
    "classification",
    "classification_label",
    "honour",
    "score",
    "decision",
    "published_at",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """The anonymous rate limit counts in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def records(make_record):
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


@pytest.fixture
def hidden(make_record, make_dossier, unit_a, staff, front_admin):
    """What must never show: a withdrawn record and a draft dossier (both with the confidential section)."""
    withdrawn = make_record(title=WITHDRAWN_TITLE)
    record_withdraw(
        public_record=withdrawn, actor=front_admin, reason="Tác giả đề nghị gỡ để đăng ký sáng chế."
    )
    make_dossier(unit_a, staff, Status.DRAFT, title=DRAFT_TITLE, confidential_info=CONFIDENTIAL)
    withdrawn.refresh_from_db()
    return withdrawn


@pytest.fixture
def published(draft, second_admin):
    """The 2026 award list, with the prize winners' bank details, approved and published."""
    with_bank_details(draft)
    award_services.award_list_approve(award_list=draft, actor=second_admin)
    award_services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    draft.refresh_from_db()
    return draft


def get_json(client, url, params=None, status=200, **headers):
    response = client.get(url, params or {}, **headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def references(client, **params) -> list[str]:
    return [row["reference"] for row in get_json(client, RECORDS, params)["results"]]


def record_url(reference: str) -> str:
    return reverse("api:record_detail", args=[reference])


# Records: the list, search, filters, order and pages -----------------------------------------------


def test_the_list_shows_the_public_records_with_their_public_fields(client, records):
    body = get_json(client, RECORDS)
    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    row = next(r for r in body["results"] if r["reference"] == records["compost"].reference)
    assert set(row) == RECORD_FIELDS
    compost = records["compost"]
    assert row["url"] == f"http://testserver{compost.get_absolute_url()}"
    assert (row["title"], row["year"], row["kind"], row["field"]) == (
        COMPOST,
        2026,
        compost.kind.name,
        compost.field.name,
    )
    assert row["authors"] == compost.authors
    assert row["first_applied_on"] == "2025-10-01"
    assert row["economic_benefit_vnd"] == 120_000_000
    assert (row["recognition"], row["recognition_label"]) == ("unit", "Công nhận cấp đơn vị")
    assert row["score"] is None
    assert CONFIDENTIAL not in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("query", ["rac thai xu ly", "XỬ LÝ rác thải", "  compost   HO gia dinh "])
def test_search_finds_words_in_any_order_with_or_without_accents(client, records, query):
    assert references(client, q=query) == [records["compost"].reference]


def test_search_needs_every_word_and_orders_title_matches_first(client, records, make_record):
    assert references(client, q="rac thai zalo") == []
    in_summary = make_record(title="Ủ phân vi sinh", summary="Dùng rác thải nhà bếp.")
    assert references(client, q="rac thai") == [records["compost"].reference, in_summary.reference]
    assert references(client, q="rac thai", ordering="-year") == sorted(
        [records["compost"].reference, in_summary.reference]
    )


def test_filters_by_year_field_kind_unit_and_recognition(client, records, make_record, unit_a_child, unit_b):
    compost, irrigation = records["compost"], records["irrigation"]
    PublicRecord.objects.filter(pk=compost.pk).update(year=2025)
    assert references(client, year="2025") == [compost.reference]
    field = irrigation.field
    assert references(client, field=str(field.pk)) == [irrigation.reference]
    assert references(client, field=field.code) == [irrigation.reference]
    kind = DossierKind.objects.get(code="sang-kien")
    assert len(references(client, kind=kind.code)) == 3
    assert references(client, kind=str(kind.pk), year="2025") == [compost.reference]

    child_staff = person_with_role(
        Role.UNIT_STAFF, unit_a_child, full_name="Lý Văn Tâm", email="tam@example.vn"
    )
    in_child = make_record(
        unit=unit_a_child, creator=child_staff, title="Sổ tay điện tử cho phòng thí nghiệm"
    )
    assert in_child.reference in references(client, unit=str(records["clinic"].unit_id))  # unit A and below
    assert len(references(client, unit=unit_a_child.code)) == 1
    assert references(client, unit=str(unit_b.pk)) == []

    PublicRecord.objects.filter(pk=irrigation.pk).update(recognition=Recognition.PROVINCE)
    assert references(client, recognition="province") == [irrigation.reference]


def test_orders_by_year_either_way_and_by_score(client, records):
    compost, irrigation, clinic = records["compost"], records["irrigation"], records["clinic"]
    PublicRecord.objects.filter(pk=compost.pk).update(year=2024, score=Decimal("91.50"))
    PublicRecord.objects.filter(pk=irrigation.pk).update(year=2025, score=Decimal("80"))
    assert references(client) == [clinic.reference, irrigation.reference, compost.reference]
    assert references(client, ordering="year") == [compost.reference, irrigation.reference, clinic.reference]
    assert references(client, ordering="-score") == [
        compost.reference,
        irrigation.reference,
        clinic.reference,
    ]
    assert get_json(client, RECORDS, {"ordering": "-score"})["results"][0]["score"] == "91.50"
    # «relevance» without a search falls back to the newest first.
    assert references(client, ordering="relevance") == references(client)


def test_pages_of_a_chosen_size_capped_at_a_hundred(client, records):
    first = get_json(client, RECORDS, {"page_size": "2"})
    assert (first["count"], len(first["results"])) == (3, 2)
    assert first["next"].startswith("http://testserver/api/v1/records/?") and "page=2" in first["next"]
    second = get_json(client, RECORDS, {"page_size": "2", "page": "2"})
    assert len(second["results"]) == 1 and second["previous"] is not None
    seen = [r["reference"] for r in first["results"] + second["results"]]
    assert sorted(seen) == sorted(r.reference for r in records.values())
    assert len(get_json(client, RECORDS, {"page_size": "1000"})["results"]) == 3  # at most 100 a page


def test_a_page_past_the_end_is_a_vietnamese_404(client, records):
    assert get_json(client, RECORDS, {"page": "9"}, status=404) == {"detail": "Không có trang này."}
    assert get_json(client, RECORDS, {"page": "abc"}, status=404) == {"detail": "Không có trang này."}


@pytest.mark.parametrize(
    ("params", "name", "message"),
    [
        ({"year": "abc"}, "year", "Năm phải là số, ví dụ 2026."),
        ({"year": "２０２６"}, "year", "Năm phải là số, ví dụ 2026."),
        ({"year": "2026.5"}, "year", "Năm phải là số, ví dụ 2026."),
        ({"year": "99999999999999999999999"}, "year", "Năm phải là số, ví dụ 2026."),
        ({"year": "1999"}, "year", "Năm phải từ 2000 đến 2100."),
        ({"field": "khong-co"}, "field", "Không có lĩnh vực này."),
        ({"field": "999999"}, "field", "Không có lĩnh vực này."),
        ({"unit": "-1"}, "unit", "Không có đơn vị này."),
        (
            {"recognition": "secret"},
            "recognition",
            "Hình thức ghi nhận phải là honoured, province hoặc unit.",
        ),
        ({"ordering": "-created_by"}, "ordering", "Thứ tự phải là relevance, -year, year hoặc -score."),
    ],
)
def test_a_bad_filter_is_a_vietnamese_400(client, records, params, name, message):
    body = get_json(client, RECORDS, params, status=400)
    assert body == {"detail": "Tham số không hợp lệ.", "errors": {name: [message]}}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "rác\x00thải"},
        {"q": "\x00"},
        {"q": "xử lý " * 500},
        {"q": "%' OR 1=1 --"},
        {"q": "\u202erac\ufeff"},
        {"page_size": "abc"},
        {"page_size": "-5"},
        {"page_size": "\x00"},
        {"page": "\x00"},
        {"page": "２"},
        {"field": ""},
        {"year": ""},
    ],
)
def test_hostile_input_never_breaks_the_list(client, records, params):
    response = client.get(RECORDS, params)
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"].startswith("application/json")


def test_a_nul_in_the_search_is_a_json_400(client, records):
    """Refused before the view by dksangtao.middleware.HostileInputMiddleware, in the API's form."""
    body = get_json(client, RECORDS, {"q": "rac\x00thai"}, status=400)
    assert body == {"detail": "Yêu cầu có ký tự không hợp lệ (ký tự điều khiển)."}


def test_the_lists_queries_do_not_grow_with_rows(client, make_record, django_assert_num_queries):
    for n in range(3):
        make_record(title=f"Sáng kiến thử số {n}")

    def count(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            get_json(client, RECORDS, params)
        return len(queries)

    few = {"plain": count(), "search": count(q="sang kien"), "unit": count(unit="so-khcn")}
    for n in range(3, 15):
        make_record(title=f"Sáng kiến thử số {n}")
    assert {"plain": count(), "search": count(q="sang kien"), "unit": count(unit="so-khcn")} == few
    # The count of the page's records, then the page itself (with its field and kind joined).
    with django_assert_num_queries(2):
        get_json(client, RECORDS, {"page_size": "100"})
    # The unit, the unit tree, then the same two.
    with django_assert_num_queries(4):
        get_json(client, RECORDS, {"unit": "so-khcn"})


# One record ---------------------------------------------------------------------------------------


def test_a_record_with_its_confirmed_applications_only(client, records, unit_b, outsider, front_unit):
    compost = records["compost"]
    reviewer_b = person_with_role(Role.UNIT_REVIEWER, unit_b, full_name="Mai Văn Đức", email="duc@example.vn")
    confirmed = application_record(
        public_record=compost,
        unit=unit_b,
        actor=outsider,
        data={
            "applied_on": dt.date(2026, 9, 1),
            "scope": "Ba trường học của huyện Phong Điền.",
            "benefit_vnd": 15_000_000,
            "contact": "Phòng Kế hoạch, 0234 3822 111",
        },
    )
    application_confirm(application=confirmed, actor=reviewer_b)
    front_staff = person_with_role(Role.UNIT_STAFF, front_unit, full_name="Võ An", email="an@example.vn")
    application_record(  # still waiting for its reviewer: not shown
        public_record=compost,
        unit=front_unit,
        actor=front_staff,
        data={"applied_on": dt.date(2026, 10, 1), "scope": "Chưa xác nhận", "benefit_vnd": 9, "contact": "x"},
    )

    body = get_json(client, record_url(compost.reference))
    assert set(body) == RECORD_FIELDS | {"applications", "totals"}
    assert body["reference"] == compost.reference and body["title"] == COMPOST
    assert body["applications"] == [
        {
            "unit": unit_b.name,
            "applied_on": "2026-09-01",
            "scope": "Ba trường học của huyện Phong Điền.",
            "benefit_vnd": 15_000_000,
            "contact": "Phòng Kế hoạch, 0234 3822 111",
        }
    ]
    assert body["totals"] == {"count": 1, "benefit": 15_000_000}
    assert CONFIDENTIAL not in json.dumps(body, ensure_ascii=False)


def test_a_withdrawn_record_is_gone_and_an_unknown_one_not_found(client, records, hidden):
    assert get_json(client, record_url(hidden.reference), status=410) == {
        "detail": "Bản ghi này đã được gỡ khỏi cơ sở dữ liệu sáng tạo."
    }
    assert hidden.reference not in references(client)
    assert get_json(client, record_url("DKST-2026-99999"), status=404) == {"detail": "Không tìm thấy."}
    assert get_json(client, record_url("a\x00b"), status=400) == {
        "detail": "Yêu cầu có ký tự không hợp lệ (ký tự điều khiển)."
    }
    assert get_json(client, record_url("x" * 300), status=404) == {"detail": "Không tìm thấy."}


# The award lists and the statistics ----------------------------------------------------------------


def test_a_published_award_list_as_its_public_page_shows_it(client, published, scored_entries):
    year = published.campaign.year
    body = get_json(client, reverse("api:award_year", args=[year]))
    assert (body["year"], body["title"], body["decision"]) == (year, published.title, DECISION)
    first = body["honourees"][0]
    c = scored_entries["C"]
    assert first == {
        "position": 1,
        "name": first["name"],
        "kind": "collective",
        "kind_label": "Tập thể",
        "unit_name": c.unit.name,
        "honour": first["honour"],
        "classification": "excellent",
        "classification_label": "Xuất sắc",
        "score": "91.00",
        "certificate_number": f"001/GCN-ĐKST-{year}",
        "record": {
            "reference": c.reference,
            "title": c.title,
            "field": c.field.name,
            "url": f"http://testserver{PublicRecord.objects.get(dossier=c).get_absolute_url()}",
        },
    }
    assert [h["position"] for h in body["honourees"]] == [1, 2]
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("bank", "0123456789", "Vietcombank", "prize", "10000000", scored_entries["B"].title):
        assert secret not in text


def test_an_award_list_answers_in_pages_with_the_same_queries_for_any_page(
    client, published, scored_entries, django_assert_num_queries
):
    url = reverse("api:award_year", args=[published.campaign.year])
    # The list, the honourees' count, one page of them, their works in the public database.
    with django_assert_num_queries(4):
        first = get_json(client, url, {"page_size": "1"})
    assert (first["count"], first["previous"]) == (2, None)
    assert [h["position"] for h in first["honourees"]] == [1]
    assert first["next"].startswith("http://testserver/api/v1/awards/") and "page=2" in first["next"]
    with django_assert_num_queries(4):
        second = get_json(client, url, {"page_size": "1", "page": "2"})
    assert [h["position"] for h in second["honourees"]] == [2] and second["next"] is None
    assert second["title"] == first["title"] == published.title
    assert get_json(client, url, {"page": "3"}, status=404) == {"detail": "Không có trang này."}
    assert get_json(client, url, {"page": "abc"}, status=404) == {"detail": "Không có trang này."}
    assert len(get_json(client, url, {"page_size": "1000"})["honourees"]) == 2  # at most 100 a page


def test_an_honoured_work_withdrawn_from_the_database_is_left_out(
    client, published, scored_entries, front_admin
):
    record = PublicRecord.objects.get(dossier=scored_entries["C"])
    record_withdraw(public_record=record, actor=front_admin, reason="Trùng với sáng kiến đã công nhận.")
    body = get_json(client, reverse("api:award_year", args=[published.campaign.year]))
    assert body["honourees"][0]["record"] is None
    assert scored_entries["C"].title not in json.dumps(body, ensure_ascii=False)


def test_no_award_list_before_publication(client, draft, second_admin):
    url = reverse("api:award_year", args=[draft.campaign.year])
    assert get_json(client, url, status=404) == {"detail": "Không tìm thấy."}
    award_services.award_list_approve(award_list=draft, actor=second_admin)
    assert get_json(client, url, status=404) == {"detail": "Không tìm thấy."}
    assert get_json(client, reverse("api:award_year", args=[2031]), status=404) == {
        "detail": "Không tìm thấy."
    }
    assert client.get("/api/v1/awards/99999999999999999999/").status_code == 404


def test_the_statistics_count_only_public_records(client, records, hidden):
    body = get_json(client, STATISTICS)
    assert body["total"] == 3 and body["honoured"] == 0
    assert body["benefit"] == 3 * 120_000_000
    assert body["by_year"] == [{"year": 2026, "n": 3, "benefit": 360_000_000}]
    assert sum(row["n"] for row in body["by_field"]) == 3
    assert body["by_unit_kind"] == [
        {"unit_kind": "so_ban_nganh", "unit_kind_label": "Sở, ban, ngành", "n": 3}
    ]
    assert body["applications"] == {"n": 0, "benefit": None, "records": 0}


# Only reads, and nothing more for a logged-in admin ------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_even_for_a_front_admin(client, records, published, front_admin, method):
    urls = [
        RECORDS,
        record_url(records["compost"].reference),
        reverse("api:award_year", args=[published.campaign.year]),
        STATISTICS,
    ]
    for logged_in in (False, True):
        if logged_in:
            client.force_login(front_admin)
        for url in urls:
            assert client.head(url).status_code == 200 and client.options(url).status_code == 200
            response = getattr(client, method)(url, data="{}", content_type="application/json")
            assert response.status_code == 405, (url, response.content)
            assert "POST" not in response["Allow"] and "GET" in response["Allow"]
            assert response.json() == {
                "detail": f"API chỉ cho phép đọc: không dùng được phương thức {method.upper()}."
            }
    assert PublicRecord.objects.count() == 5  # three records and the two honoured works


def test_a_logged_in_front_admin_reads_exactly_what_a_visitor_reads(client, records, hidden, front_admin):
    anonymous = client.get(RECORDS).json(), client.get(STATISTICS).json()
    gone = client.get(record_url(hidden.reference)).status_code
    client.force_login(front_admin)
    assert (client.get(RECORDS).json(), client.get(STATISTICS).json()) == anonymous
    assert client.get(record_url(hidden.reference)).status_code == gone == 410


def test_no_answer_ever_shows_what_is_not_public(client, records, hidden, published, front_admin):
    year = published.campaign.year
    client.force_login(front_admin)  # a session changes nothing
    answers = [
        client.get(RECORDS, {"page_size": "100"}),
        client.get(RECORDS, {"q": "giai phap do muc nuoc"}),
        client.get(RECORDS, {"q": "may ep vien nen trau"}),
        client.get(RECORDS, HTTP_ACCEPT="text/html"),  # the browsable API
        client.get(record_url(hidden.reference)),
        client.get(reverse("api:award_year", args=[year])),
        client.get(reverse("api:award_year", args=[year]), HTTP_ACCEPT="text/html"),
        client.get(STATISTICS),
        client.get(reverse("api:schema")),
        client.get(reverse("api:docs")),
    ]
    answers += [client.get(record_url(r.reference)) for r in PublicRecord.objects.all()]
    for response in answers:
        assert response.status_code in (200, 410)
        text = response.content.decode()
        for secret in (
            CONFIDENTIAL,
            "confidential",
            "bank_account",
            "bank_name",
            "prize_amount",
            "0123456789",
            "Vietcombank",
            "withdrawn_reason",
            "Tác giả đề nghị gỡ",
            "created_by",
            WITHDRAWN_TITLE,
            DRAFT_TITLE,
        ):
            assert secret not in text, (response.request["PATH_INFO"], secret)


# Rate limit, schema, docs, CORS ----------------------------------------------------------------------


def test_too_many_requests_answer_429_in_vietnamese_with_retry_after(client, records, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    for _ in range(3):
        assert client.get(STATISTICS).status_code == 200
    response = client.get(RECORDS)
    assert response.status_code == 429
    assert int(response["Retry-After"]) in range(1, 61)
    assert response.json() == {
        "detail": f"Quá nhiều yêu cầu. Vui lòng thử lại sau {response['Retry-After']} giây."
    }
    cache.clear()
    assert client.get(RECORDS).status_code == 200


def test_the_openapi_schema_describes_only_reads(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/records/",
        "/api/v1/records/{reference}/",
        "/api/v1/awards/{year}/",
        "/api/v1/statistics/",
    }
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    parameters = {p["name"] for p in schema["paths"]["/api/v1/records/"]["get"]["parameters"]}
    assert parameters == {
        "q",
        "year",
        "field",
        "kind",
        "unit",
        "recognition",
        "ordering",
        "page",
        "page_size",
    }
    text = json.dumps(schema, ensure_ascii=False)
    assert "bank_account" not in text and "confidential" not in text


def test_the_docs_page_loads_nothing_from_outside(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/" in page
    # Its start-up script comes from its own URL (no inline script, for the CSP) and reads the schema.
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "cdn" not in page.lower()


def test_other_sites_may_read_but_not_write(client, records):
    response = client.get(RECORDS, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        RECORDS,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    allowed = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://example.org")
