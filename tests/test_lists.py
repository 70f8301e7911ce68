# ruff: noqa: F811  (pytest fixtures imported from the submissions conftest are used as arguments)
"""The one list pattern (dksangtao.lists): exports with typed cells and no formula, filters that stay
within the person's scope — here on the dossier list, whose unit filter takes the child units."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from dksangtao.lists import Column, export_response
from dksangtao.roles import Role
from submissions.models import Status
from tests.factories import person_with_role
from tests.submissions.conftest import field, kind, make_dossier  # noqa: F401

ROWS = [
    {
        "name": '=HYPERLINK("http://evil","bấm")',
        "money": 1_500_000,
        "points": Decimal("87.25"),
        "day": dt.date(2026, 9, 2),
        "at": timezone.make_aware(dt.datetime(2026, 8, 20, 9, 30)),
    },
    {"name": "-2+3", "money": None, "points": None, "day": None, "at": None},
    {"name": "@SUM(A1)", "money": 0, "points": 70, "day": None, "at": None},
]
COLUMNS = [
    Column("Tên", lambda r: r["name"]),
    Column("Tiền", lambda r: r["money"], "money"),
    Column("Điểm", lambda r: r["points"], "points"),
    Column("Ngày", lambda r: r["day"], "date"),
    Column("Lúc", lambda r: r["at"], "datetime"),
]


def test_the_workbook_has_typed_cells_and_no_formula():
    response = export_response(ROWS, COLUMNS, export_format="xlsx", filename="thu")
    assert response["Content-Disposition"].startswith('attachment; filename="thu-')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, first, second, third = sheet.iter_rows(values_only=True)
    assert header == ("Tên", "Tiền", "Điểm", "Ngày", "Lúc")
    assert first == (
        '\'=HYPERLINK("http://evil","bấm")',
        1_500_000,
        87.25,
        dt.datetime(2026, 9, 2),  # Excel keeps a date as a datetime at midnight
        dt.datetime(2026, 8, 20, 9, 30),  # in the portal's local time
    )
    assert second == ("'-2+3", None, None, None, None)
    assert third[:3] == ("'@SUM(A1)", 0, 70.0)
    assert sheet["B2"].number_format == '#,##0" đ"'
    assert sheet["D2"].number_format == "DD/MM/YYYY"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_csv_reads_in_excel_with_dates_as_dd_mm_yyyy_and_no_formula():
    response = export_response(ROWS, COLUMNS, export_format="csv", filename="thu")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == [
        '\'=HYPERLINK("http://evil","bấm")',
        "1500000",
        "87.25",
        "02/09/2026",
        "20/08/2026 09:30",
    ]
    assert rows[2][0] == "'-2+3" and rows[3][0] == "'@SUM(A1)"


@pytest.fixture
def tree_dossiers(make_dossier, unit_a, unit_a_child, unit_b, staff, outsider):
    child_staff = person_with_role(
        Role.UNIT_STAFF, unit_a_child, full_name="Lý Thị Cúc", email="cuc@example.vn"
    )
    return {
        "parent": make_dossier(unit_a, staff, Status.SUBMITTED, title="Sáng kiến của Sở"),
        "child": make_dossier(unit_a_child, child_staff, Status.SUBMITTED, title="Sáng kiến của Trung tâm"),
        "other": make_dossier(unit_b, outsider, Status.SUBMITTED, title="Sáng kiến của Sở Giáo dục"),
    }


def titles(response) -> set[str]:
    return {row.title for row in response.context["page"].object_list}


def test_the_unit_filter_takes_the_unit_and_its_child_units(
    client, reviewer, unit_a, unit_a_child, tree_dossiers
):
    client.force_login(reviewer)
    url = reverse("submissions:list")
    assert titles(client.get(url)) == {"Sáng kiến của Sở", "Sáng kiến của Trung tâm"}
    assert titles(client.get(url, {"unit": unit_a.pk})) == {"Sáng kiến của Sở", "Sáng kiến của Trung tâm"}
    assert titles(client.get(url, {"unit": unit_a_child.pk})) == {"Sáng kiến của Trung tâm"}

    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(url, {"unit": unit_a_child.pk, "export": "xlsx"}).streaming_content))
    ).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Sáng kiến của Trung tâm"]


@pytest.mark.parametrize("unit", ["other", "999999", "abc", "1\x00"])
def test_a_unit_outside_the_persons_scope_is_refused_in_vietnamese(
    client, reviewer, unit_b, tree_dossiers, unit
):
    client.force_login(reviewer)
    value = str(unit_b.pk) if unit == "other" else unit
    response = client.get(reverse("submissions:list"), {"unit": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sáng kiến của Sở Giáo dục" not in page
    if "\x00" not in value:  # Django's own NUL message has no Vietnamese yet: issue #15 (hardening)
        errors = re.findall(r'<p class="error">([^<]+)</p>', page)
        assert errors == [f"Không tìm thấy đơn vị «{value}» trong các đơn vị bạn được xem."]


# Formula injection in every spreadsheet the portal writes (OWASP «CSV injection») ----------------

HOSTILE = ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_every_formula_start_is_neutralised_and_negative_numbers_stay_numbers():
    rows = [{"name": text, "money": -250_000, "points": Decimal("-1.5")} for text in HOSTILE]
    columns = [
        Column("Tên", lambda r: r["name"]),
        Column("Tiền", lambda r: r["money"], "money"),
        Column("Điểm", lambda r: r["points"], "points"),
        Column("Số", lambda r: r["money"]),  # a number in a text column is still a number
    ]
    xlsx = export_response(rows, columns, export_format="xlsx", filename="thu")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    # (XML reads a carriage return back as a line feed)
    assert [row[0].replace("\n", "\r") for row in body] == [f"'{text}" for text in HOSTILE]
    assert all(row[1:] == (-250_000, -1.5, -250_000) for row in body)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    csv_response = export_response(rows, columns, export_format="csv", filename="thu")
    text = b"".join(csv_response.streaming_content).decode("utf-8").lstrip("\ufeff")
    body = list(csv.reader(io.StringIO(text)))[1:]
    assert [row[0] for row in body] == [f"'{text}" for text in HOSTILE]
    assert all(row[1:] == ["-250000", "-1.5", "-250000"] for row in body)


def test_the_statistics_workbook_neutralises_names():
    from reports.exports import statistics_workbook
    from reports.selectors import Tally, TallyRow

    tally = Tally("Theo đơn vị", rows={"u": TallyRow("=HYPERLINK(1)", total=3, nominated=1, awarded=0)})
    book = openpyxl.load_workbook(
        io.BytesIO(statistics_workbook([("Theo đơn vị", "Đơn vị", tally)], caption="@x"))
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "'@x"
    assert rows[2] == ("'=HYPERLINK(1)", 3, 1, 0)


def test_the_fund_statement_workbook_neutralises_names_and_keeps_amounts_numbers():
    from types import SimpleNamespace

    from fund.documents import statement_xlsx

    line = SimpleNamespace(account=SimpleNamespace(code="+111", name="=cmd|' /C calc'!A0"), amount=-5_000)
    statement = SimpleNamespace(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        opening=0,
        money_opening=[line],
        total_receipts=0,
        receipts=[],
        total_payments=5_000,
        payments=[],
        closing=-5_000,
        money_closing=[],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(statement_xlsx(statement=statement))).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[1] == ("'+111", "'=cmd|' /C calc'!A0", -5_000)
    assert rows[-1][2] == -5_000
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_upward_csv_and_the_open_data_csv_neutralise_text_and_keep_numbers():
    from awards.upward import _csv
    from public.opendata import _csv_text

    text = _csv([["=1+2", -3, "-x"]]).decode("utf-8").lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(text))) == [["'=1+2", "-3", "'-x"]]
    assert [_csv_text(v) for v in ("@a", -7, Decimal("-1.5"), None)] == ["'@a", "-7", "-1.5", ""]
