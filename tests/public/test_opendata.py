"""Open data (/du-lieu-mo/): every visible record as CSV (UTF-8 with BOM), XLSX with typed cells and
JSON, built by the background task into private media and served with ETag/Last-Modified; nothing
confidential, nothing withdrawn; no file written on a GET."""

import codecs
import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from dksangtao.roles import Role
from public import opendata, services
from public.models import PublicRecord
from tests.factories import person_with_role
from tests.public.conftest import CONFIDENTIAL

pytestmark = pytest.mark.django_db

SITE = "https://sangtao.example.vn"
WITHDRAWAL_REASON = "Trùng với sáng kiến đã công nhận năm trước."
NEVER_PUBLIC = ["dossier", "dossier_id", "confidential_info", "withdrawn_reason", "published_by", "source"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = SITE
    return settings.MEDIA_ROOT


@pytest.fixture
def three(make_record, front_admin):
    """Two visible records and one withdrawn."""
    kept = [make_record(), make_record()]
    gone = make_record()
    services.record_withdraw(public_record=gone, actor=front_admin, reason=WITHDRAWAL_REASON)
    return kept, gone


def stored(fmt) -> bytes:
    """The built file's bytes, read through the media storage as the download view reads them."""
    with opendata.open_file(fmt) as handle:
        return handle.read()


def csv_rows() -> tuple[list[str], list[dict]]:
    text = stored("csv").decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return reader.fieldnames, list(reader)


def download(client, fmt, **headers):
    return client.get(reverse("opendata:download", args=[fmt]), headers=headers)


def test_the_csv_has_a_bom_and_every_visible_record_and_nothing_else(three):
    (first, second), gone = three
    opendata.build_all()
    raw = stored("csv")
    assert raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    header, rows = csv_rows()
    assert header == [column.name for column in opendata.COLUMNS]
    assert not set(header) & set(NEVER_PUBLIC)
    assert {row["reference"] for row in rows} == {first.reference, second.reference}
    assert gone.reference not in text and gone.title not in text and WITHDRAWAL_REASON not in text
    assert CONFIDENTIAL not in text
    row = next(row for row in rows if row["reference"] == first.reference)
    assert row["url"] == f"{SITE}/co-so-du-lieu/{first.reference}/"
    assert row["title"] == first.title and row["field"] == first.field.name and row["kind"] == first.kind.name
    assert row["year"] == "2026" and row["economic_benefit_vnd"] == "120000000"
    assert row["first_applied_on"] == "2025-10-01"  # ISO dates
    assert dt.datetime.fromisoformat(row["published_at"]) == first.published_at.replace(microsecond=0)
    assert row["published_at"].endswith("+07:00")  # Vietnam's time, with its offset
    assert row["recognition"] == "Công nhận cấp đơn vị"
    assert (row["score"], row["applications_count"], row["applications_benefit_vnd"]) == ("", "0", "0")


def test_the_xlsx_has_typed_cells_and_formula_looking_text_stays_text(make_record):
    record = make_record(title="=1+1", summary="Dòng một\x0bdòng hai")  # a vertical tab: illegal in XLSX
    PublicRecord.objects.filter(pk=record.pk).update(score=Decimal("27.50"))  # as a published list writes
    opendata.build_all()
    book = openpyxl.load_workbook(io.BytesIO(stored("xlsx")))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [str(column.label) for column in opendata.COLUMNS]  # Vietnamese names for people
    cells = dict(zip([column.name for column in opendata.COLUMNS], sheet[2], strict=True))
    assert cells["title"].data_type == "s" and cells["title"].value == "'=1+1"
    assert cells["summary"].value == "Dòng mộtdòng hai"
    for name in ("year", "economic_benefit_vnd", "applications_count", "applications_benefit_vnd"):
        assert type(cells[name].value) is int, name
    assert cells["year"].value == 2026 and cells["economic_benefit_vnd"].value == 120_000_000
    assert cells["economic_benefit_vnd"].number_format == '#,##0" đ"'
    assert cells["score"].value == 27.5
    assert isinstance(cells["first_applied_on"].value, dt.date)
    assert cells["first_applied_on"].value.date() == dt.date(2025, 10, 1)
    assert cells["first_applied_on"].number_format == "DD/MM/YYYY"
    assert isinstance(cells["published_at"].value, dt.datetime)
    dictionary = book.worksheets[1]
    names = [row[1] for row in dictionary.iter_rows(min_row=2, values_only=True)]
    assert all(column.name in names for column in opendata.COLUMNS)


def test_the_json_carries_the_licence_the_count_and_typed_values(three, settings, unit_b, outsider):
    (first, second), gone = three
    reviewer_b = person_with_role(Role.UNIT_REVIEWER, unit_b, full_name="Lý Văn Tâm")
    application = services.application_record(
        public_record=first,
        unit=unit_b,
        actor=outsider,
        data={
            "applied_on": dt.date(2026, 8, 1),
            "scope": "Bộ phận một cửa của Sở.",
            "benefit_vnd": 15_000_000,
            "contact": "Lê Thị Hoa, 0234 3822 000",
        },
    )
    services.application_confirm(application=application, actor=reviewer_b)
    opendata.build_all()
    data = json.loads(stored("json").decode("utf-8"))
    assert (data["licence"], data["licence_url"]) == (
        settings.OPEN_DATA_LICENCE,
        settings.OPEN_DATA_LICENCE_URL,
    )
    assert list(data)[:5] == ["licence", "licence_url", "source", "generated_at", "count"]
    assert data["count"] == 2 and len(data["records"]) == 2
    by_reference = {item["reference"]: item for item in data["records"]}
    assert set(by_reference) == {first.reference, second.reference}
    item = by_reference[first.reference]
    assert list(item) == [column.name for column in opendata.COLUMNS]
    assert item["year"] == 2026 and item["economic_benefit_vnd"] == 120_000_000
    assert item["first_applied_on"] == "2025-10-01" and item["score"] is None
    assert (item["applications_count"], item["applications_benefit_vnd"]) == (1, 15_000_000)
    assert "Lê Thị Hoa" not in json.dumps(data, ensure_ascii=False)  # the contact is not public data
    assert CONFIDENTIAL not in json.dumps(data, ensure_ascii=False)


def test_a_download_is_an_attachment_with_validators_and_a_conditional_get_answers_304(client, three):
    opendata.build_all()
    for fmt, content_type in opendata.FORMATS.items():
        response = download(client, fmt)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="co-so-du-lieu-sang-tao.{fmt}"'
        assert b"".join(response.streaming_content) == stored(fmt)
        assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
        etag, modified = response["ETag"], response["Last-Modified"]
        assert etag == f'"{opendata.metadata()["files"][fmt]["sha256"]}"'

        again = download(client, fmt, if_none_match=etag)
        assert again.status_code == 304 and again["ETag"] == etag
        assert "max-age=3600" in again["Cache-Control"]
        assert download(client, fmt, if_modified_since=modified).status_code == 304
        assert download(client, fmt, if_none_match='"something-else"').status_code == 200
    assert client.head(reverse("opendata:download", args=["csv"])).status_code == 200


def test_a_rebuild_without_change_keeps_the_etag_and_a_change_gives_a_new_one(client, three, front_admin):
    (first, second), gone = three
    opendata.build_all()
    etags = {fmt: download(client, fmt)["ETag"] for fmt in opendata.FORMATS}
    assert opendata.build_all()["files"] == opendata.metadata()["files"]
    assert {fmt: download(client, fmt)["ETag"] for fmt in opendata.FORMATS} == etags  # idempotent

    services.record_withdraw(public_record=second, actor=front_admin, reason=WITHDRAWAL_REASON)
    opendata.build_all()
    for fmt, etag in etags.items():
        response = download(client, fmt, if_none_match=etag)
        assert response.status_code == 200 and response["ETag"] != etag
    assert [row["reference"] for row in csv_rows()[1]] == [first.reference]
    # Nothing is left behind but the three files and their metadata.
    folders, files = default_storage.listdir(opendata.FOLDER)
    assert (folders, sorted(files)) == (
        [],
        [
            "co-so-du-lieu-sang-tao.csv",
            "co-so-du-lieu-sang-tao.json",
            "co-so-du-lieu-sang-tao.xlsx",
            "metadata.json",
        ],
    )


def test_before_the_first_build_a_download_answers_503_and_writes_nothing(client, three, media):
    for fmt in opendata.FORMATS:
        response = download(client, fmt)
        assert response.status_code == 503
        assert response["Retry-After"] == "120"
        assert response["Cache-Control"] == "no-store"
        assert "Tệp dữ liệu đang được chuẩn bị, vui lòng quay lại sau ít phút." in response.content.decode()
    page = client.get(reverse("opendata:index")).content.decode()
    assert page.count("chưa có") == 6  # three sizes, three dates
    assert not media.exists()


def test_a_change_through_a_service_rebuilds_the_files(
    three, front_admin, django_capture_on_commit_callbacks
):
    (first, second), gone = three
    with django_capture_on_commit_callbacks(execute=True):
        services.record_withdraw(public_record=first, actor=front_admin, reason=WITHDRAWAL_REASON)
    assert [row["reference"] for row in csv_rows()[1]] == [second.reference]
    with django_capture_on_commit_callbacks(execute=True):
        services.record_mark(dossier=gone.dossier, actor=front_admin)  # back in the database
    assert {row["reference"] for row in csv_rows()[1]} == {second.reference, gone.reference}
    assert opendata.metadata()["count"] == 2


def test_the_page_names_the_licence_the_files_and_every_column(client, three, settings):
    opendata.build_all()
    response = client.get("/du-lieu-mo/")
    assert response.status_code == 200
    page = response.content.decode()
    assert settings.OPEN_DATA_LICENCE in page and f'href="{settings.OPEN_DATA_LICENCE_URL}"' in page
    assert 'href="/api/v1/tai-lieu/"' in page
    assert "Các tệp gồm 2 bản ghi" in page and "chưa có" not in page
    for fmt in opendata.FORMATS:
        assert f'href="/du-lieu-mo/co-so-du-lieu-sang-tao.{fmt}"' in page
    built = opendata.parse_moment(opendata.metadata()["built_at"])
    assert built.strftime("%d/%m/%Y %H:%M") in page
    for column in opendata.COLUMNS:
        assert f"<code>{column.name}</code>" in page and str(column.label) in page


def test_the_page_reads_no_row_from_the_database(client, three, django_assert_num_queries):
    opendata.build_all()
    with django_assert_num_queries(0):  # the count, sizes and dates come from metadata.json
        assert client.get(reverse("opendata:index")).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_downloads_and_the_page_only_answer_reads(client, three, method):
    opendata.build_all()
    assert getattr(client, method)(reverse("opendata:download", args=["csv"])).status_code == 405
    assert getattr(client, method)(reverse("opendata:index")).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/du-lieu-mo/co-so-du-lieu-sang-tao.exe",
        "/du-lieu-mo/co-so-du-lieu-sang-tao.CSV",
        "/du-lieu-mo/co-so-du-lieu-sang-tao.%2e%2e%2fmetadata.json",
        "/du-lieu-mo/co-so-du-lieu-sang-tao.",
        "/du-lieu-mo/metadata.json",
        "/du-lieu-mo/.build.lock",
    ],
)
def test_a_hostile_format_is_not_found(client, three, path):
    opendata.build_all()
    assert client.get(path).status_code == 404


def test_a_nul_in_the_path_is_400(client, three):
    """Refused before the view by dksangtao.middleware.HostileInputMiddleware (issue #15)."""
    assert client.get("/du-lieu-mo/co-so-du-lieu-sang-tao.csv%00").status_code == 400
