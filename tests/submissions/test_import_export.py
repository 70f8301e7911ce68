"""Excel import of a unit's backlog (template, dry run, all-or-nothing confirm) and the list export.

Every file here is a real .xlsx (or .csv) built in memory and sent through the real views and
services; nothing of ours is mocked."""

import csv
import datetime as dt
import io
import unicodedata
import uuid

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import membership_grant
from dksangtao.audit import Action
from dksangtao.models import AuditEvent
from dksangtao.roles import Role
from submissions import imports, services
from submissions.imports import HEADERS, ImportRefused, author_header, dossier_import, read_upload
from submissions.models import Author, Campaign, Dossier, DossierKind, Field, ImportJob, Status
from tests.factories import UnitFactory, person_with_role
from tests.trail import status_changes

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("submissions:import")
TEMPLATE_URL = reverse("submissions:import_template")
LIST_URL = reverse("submissions:list")
KIND = "Sáng kiến"
FIELD = "Khoa học – công nghệ & chuyển đổi số"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        year=2026,
        name="Đợt xét chọn năm 2026",
        submissions_open=dt.date(2026, 3, 1),
        submissions_close=dt.date(2026, 6, 30),
        unit_review_deadline=dt.date(2026, 7, 15),
        screening_deadline=dt.date(2026, 7, 25),
        scoring_start=dt.date(2026, 7, 26),
        scoring_end=dt.date(2026, 8, 10),
        ceremony_date=dt.date(2099, 9, 2),
    )


@pytest.fixture
def staff_client(client, staff, campaign):
    client.force_login(staff)
    return client


def row(number: int, **overrides) -> dict:
    """One valid dossier row (header → cell), two authors 70/30."""
    cells = {
        "Tên sáng kiến": f"Ứng dụng bản đồ số quản lý hạ tầng, phần {number}",
        "Loại hồ sơ": KIND,
        "Lĩnh vực": FIELD,
        "Tóm tắt": "Số hóa bản đồ hạ tầng kỹ thuật để tra cứu nhanh khi sửa chữa, bảo trì.",
        "Chủ đầu tư": "Sở Khoa học và Công nghệ",
        "Ngày áp dụng lần đầu": "05/03/2025",
        "Tình trạng hiện tại": "Bản đồ giấy, cập nhật chậm.",
        "Nội dung giải pháp": "Xây dựng lớp dữ liệu GIS dùng chung.",
        "Tính mới": "Lần đầu áp dụng tại tỉnh.",
        "Điều kiện áp dụng": "Máy tính nối mạng.",
        "Phạm vi áp dụng": "Các sở, ngành.",
        "Lợi ích kinh tế (đồng/năm)": "150.000.000",
        "Lợi ích theo tác giả": "Giảm một nửa thời gian tra cứu.",
        author_header(1, "Họ và tên"): "Phạm Văn Đông",
        author_header(1, "Ngày sinh"): dt.datetime(1979, 2, 14),
        author_header(1, "Nơi công tác"): "Sở Khoa học và Công nghệ",
        author_header(1, "Chức danh"): "Trưởng phòng",
        author_header(1, "Trình độ"): "Tiến sĩ",
        author_header(1, "Tỷ lệ (%)"): 70,
        author_header(2, "Họ và tên"): "Lý Thị Hồng",
        author_header(2, "Tỷ lệ (%)"): 30,
    }
    cells.update(overrides)
    return cells


def xlsx(rows: list[dict], headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Hồ sơ"
    sheet.append(list(headers))
    for cells in rows:
        sheet.append([cells.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "ho-so-ton-dong.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def check(rows, unit, campaign, actor, *, commit=False):
    """Read a file of `rows` and run the import the way the view does."""
    dataset = read_upload(upload(xlsx(rows)))
    return dossier_import(dataset=dataset, unit=unit, campaign=campaign, actor=actor, commit=commit)


def kept_files(media_root) -> list:
    folder = media_root / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


_on_commit = {}


@pytest.fixture(autouse=True)
def jobs_run_at_once(django_capture_on_commit_callbacks):
    """The job a request queues runs when the request's transaction commits (Celery runs eagerly
    without REDIS_URL), as a free worker would take it at once."""
    _on_commit["capture"] = django_capture_on_commit_callbacks


def post(client, data):
    """POST to the import page, run the job it queued, and follow to the job's page."""
    with _on_commit["capture"](execute=True):
        response = client.post(IMPORT_URL, data)
    if (
        response.status_code == 302
        and response["Location"].startswith(IMPORT_URL)
        and response["Location"] != IMPORT_URL
    ):
        return client.get(response["Location"])
    return response


def preview(client, rows, name="ho-so-ton-dong.xlsx", **extra):
    return post(client, {"file": upload(xlsx(rows), name), **extra})


def confirm(client, token, unit):
    return post(client, {"confirm": "1", "upload": token, "unit": unit.pk})


def the_job() -> ImportJob:
    return ImportJob.objects.get(mode="check")


# The template ----------------------------------------------------------------------------------


def test_template_download_for_staff(staff_client):
    response = staff_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == imports.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames[0] == "Hồ sơ"
    assert "Hướng dẫn" in workbook.sheetnames
    sheet = workbook["Hồ sơ"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == HEADERS
    assert headers[:3] == ["Tên sáng kiến", "Loại hồ sơ", "Lĩnh vực"]
    assert "Tác giả 5 – Tỷ lệ (%)" in headers
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width >= 30
    assert sheet["A2"].comment is not None  # the example row says it is an example
    guide = [row[0] for row in workbook["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Ngày áp dụng lần đầu" in guide
    assert KIND in [row[0] for row in workbook["Danh mục"].iter_rows(values_only=True)]


def test_template_refused_without_a_staff_unit(client, reviewer, campaign):
    client.force_login(reviewer)  # reviews unit A, prepares no dossier
    assert client.get(TEMPLATE_URL).status_code == 403
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": upload(xlsx([row(1)]))}).status_code == 403
    assert Dossier.objects.count() == 0


def test_template_and_import_need_login(client, campaign):
    for url in (TEMPLATE_URL, IMPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_template_round_trip(staff_client, staff, unit_a, campaign, media_root):
    template = staff_client.get(TEMPLATE_URL).getvalue()
    response = post(staff_client, {"file": upload(template, "mau-nhap-ho-so-sang-kien.xlsx")})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.errors == []
    assert report.total == 1 and len(report.rows) == 1
    response = confirm(staff_client, response.context["token"], unit_a)
    assert response.status_code == 200
    assert "Đã nhập 1 hồ sơ (bản nháp)" in response.content.decode()
    dossier = Dossier.objects.get()
    assert dossier.title == imports.EXAMPLE_ROW["Tên sáng kiến"]
    assert dossier.first_applied_on == dt.date(2025, 10, 1)  # a real Excel date cell
    assert dossier.economic_benefit_vnd == 150_000_000
    assert dossier.kind.name == KIND
    assert [(a.full_name, a.contribution_percent) for a in dossier.authors.all()] == [
        ("Nguyễn Văn Bình", 60),
        ("Trần Thị Ngọc Ánh", 40),
    ]
    assert dossier.authors.first().date_of_birth == dt.date(1980, 4, 12)


# Dry run and confirm ---------------------------------------------------------------------------


def test_valid_file_preview_lists_rows_and_creates_nothing(staff_client, media_root):
    response = preview(staff_client, [row(1), row(2), row(3)])
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert report.ok and report.total == 3 and [r["row"] for r in report.rows] == [2, 3, 4]
    for number in (1, 2, 3):
        assert f"Ứng dụng bản đồ số quản lý hạ tầng, phần {number}" in html
    assert "Nhập 3 hồ sơ" in html
    assert "Phạm Văn Đông (70%)" in html
    assert "150.000.000" in html
    assert Dossier.objects.count() == 0
    assert Author.objects.count() == 0
    assert response.context["token"] == the_job().token
    assert kept_files(media_root) == [media_root / the_job().file.name]


def test_confirm_creates_drafts_of_the_unit(staff_client, staff, unit_a, campaign, media_root):
    token = preview(staff_client, [row(1), row(2), row(3)]).context["token"]
    response = confirm(staff_client, token, unit_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã nhập 3 hồ sơ (bản nháp) vào đơn vị «Sở Khoa học và Công nghệ»" in html
    assert LIST_URL in html
    dossiers = list(Dossier.objects.order_by("title"))
    assert len(dossiers) == 3
    for number, dossier in enumerate(dossiers, start=1):
        assert dossier.title == f"Ứng dụng bản đồ số quản lý hạ tầng, phần {number}"
        assert dossier.unit == unit_a
        assert dossier.campaign == campaign
        assert dossier.status == Status.DRAFT
        assert dossier.reference is None
        assert dossier.created_by == staff
        assert dossier.first_applied_on == dt.date(2025, 3, 5)  # dd/mm/yyyy, not 3 May
        assert dossier.economic_benefit_vnd == 150_000_000
        assert dossier.field.name == FIELD
        assert dossier.search_text.startswith("ung dung ban do so")
        authors = list(dossier.authors.all())
        assert [(a.full_name, a.contribution_percent, a.order) for a in authors] == [
            ("Phạm Văn Đông", 70, 0),
            ("Lý Thị Hồng", 30, 1),
        ]
        assert authors[0].date_of_birth == dt.date(1979, 2, 14)
        assert authors[0].position == "Trưởng phòng"
        (event,) = status_changes(dossier)
        assert (event.from_status, event.to_status, event.actor) == ("", Status.DRAFT, staff)
    assert kept_files(media_root) == []  # the temporary file is gone
    # the same check cannot be confirmed twice
    again = confirm(staff_client, token, unit_a)
    assert "Tệp này đã được xác nhận nhập; không nhập lại lần nữa." in again.content.decode()
    assert Dossier.objects.count() == 3
    assert ImportJob.objects.filter(mode="import").count() == 1


def test_one_bad_row_blocks_the_whole_file(staff_client, unit_a, media_root):
    rows = [row(1), row(2, **{"Ngày áp dụng lần đầu": "31/02/2026"}), row(3)]
    response = preview(staff_client, rows)
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert report.errors == [
        "Dòng 3, cột «Ngày áp dụng lần đầu»: «31/02/2026» không phải ngày hợp lệ (dd/mm/yyyy)."
    ]
    assert report.invalid_count == 1
    assert "Dòng 3, cột «Ngày áp dụng lần đầu»: «31/02/2026» không phải ngày hợp lệ (dd/mm/yyyy)." in html
    assert "chưa hồ sơ nào được nhập" in html
    assert 'name="confirm"' not in html and "Nhập 2 hồ sơ" not in html
    assert response.context["token"] is None
    assert kept_files(media_root) == []  # nothing kept to confirm
    forged = post(staff_client, {"confirm": "1", "upload": str(uuid.uuid4()), "unit": unit_a.pk})
    assert forged.status_code == 404
    not_confirmable = confirm(staff_client, the_job().token, unit_a)  # a check with errors
    assert "Chỉ nhập được tệp đã kiểm tra xong và không có lỗi." in not_confirmable.content.decode()
    assert Dossier.objects.count() == 0


def test_every_error_of_a_file_is_listed_in_row_order(staff, unit_a, campaign):
    rows = [
        row(1, **{"Loại hồ sơ": "Sáng kiến cải tiến"}),
        row(2),
        row(3, **{"Tên sáng kiến": "", author_header(2, "Tỷ lệ (%)"): 20}),
    ]
    report = check(rows, unit_a, campaign, staff)
    assert not report.ok
    assert [message.split(",")[0] for message in report.errors] == ["Dòng 2", "Dòng 4", "Dòng 4"]
    assert report.invalid_count == 2
    assert [r.row for r in report.rows] == [3]


def test_commit_is_all_or_nothing(staff, unit_a, campaign):
    """Every row is checked before anything is written: a bad last row, and nothing is inserted."""
    rows = [row(1), row(2), row(3, **{author_header(2, "Tỷ lệ (%)"): 20})]
    with CaptureQueriesContext(connection) as queries:
        report = check(rows, unit_a, campaign, staff, commit=True)
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert report.created == 0
    assert report.errors == [
        "Dòng 4, cột «Tác giả 1 – Tỷ lệ (%)», «Tác giả 2 – Tỷ lệ (%)»: tổng tỷ lệ đóng góp của các tác "
        "giả là 90%, phải bằng đúng 100%."
    ]
    assert Dossier.objects.count() == 0
    assert Author.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.DOSSIER_CREATED).exists()


def test_confirm_checks_the_file_again(staff_client, staff, unit_a, campaign, media_root):
    """Between the preview and the confirm someone creates a dossier with the title of row 3:
    the confirm refuses the whole file."""
    token = preview(staff_client, [row(1), row(2), row(3)]).context["token"]
    services.dossier_create(
        campaign=campaign,
        unit=unit_a,
        actor=staff,
        data={
            "title": "ứng dụng bản đồ số quản lý hạ tầng,  PHẦN 3",
            "kind": DossierKind.objects.get(name=KIND),
            "field": Field.objects.get(name=FIELD),
            "summary": "Đã lập tay.",
        },
        authors=[{"full_name": "Phạm Văn Đông", "contribution_percent": 100}],
    )
    response = confirm(staff_client, token, unit_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert "chưa hồ sơ nào được nhập" in html
    assert "Dòng 4, cột «Tên sáng kiến»: đơn vị «Sở Khoa học và Công nghệ» đã có hồ sơ" in html
    assert 'name="confirm"' not in html
    assert Dossier.objects.count() == 1
    assert kept_files(media_root) == []


# Each kind of row error ------------------------------------------------------------------------

ERRORS = [
    pytest.param(
        {"Ngày áp dụng lần đầu": "31/02/2026"},
        "Dòng 2, cột «Ngày áp dụng lần đầu»: «31/02/2026» không phải ngày hợp lệ (dd/mm/yyyy).",
        id="bad-date",
    ),
    pytest.param(
        {author_header(1, "Ngày sinh"): "1979-14-02"},
        "Dòng 2, cột «Tác giả 1 – Ngày sinh»: «1979-14-02» không phải ngày hợp lệ (dd/mm/yyyy).",
        id="bad-birth-date",
    ),
    pytest.param(
        {author_header(1, "Tỷ lệ (%)"): 60, author_header(2, "Tỷ lệ (%)"): 30},
        "Dòng 2, cột «Tác giả 1 – Tỷ lệ (%)», «Tác giả 2 – Tỷ lệ (%)»: tổng tỷ lệ đóng góp của các tác giả "
        "là 90%, phải bằng đúng 100%.",
        id="percent-not-100",
    ),
    pytest.param(
        {author_header(1, "Tỷ lệ (%)"): "bảy mươi"},
        "Dòng 2, cột «Tác giả 1 – Tỷ lệ (%)»: «bảy mươi» không phải số nguyên từ 1 đến 100.",
        id="percent-not-a-number",
    ),
    pytest.param(
        {"Loại hồ sơ": "Sáng kiến cải tiến"},
        "Dòng 2, cột «Loại hồ sơ»: không có loại hồ sơ «Sáng kiến cải tiến». Các loại được nhận: "
        "«Sáng kiến»; «Sáng chế»; «Giải pháp»; «Ý tưởng mới»; «Công trình / đề tài».",
        id="unknown-kind",
    ),
    pytest.param(
        {"Lĩnh vực": "Thể thao"},
        "Dòng 2, cột «Lĩnh vực»: không có lĩnh vực «Thể thao». Các lĩnh vực được nhận: "
        "«Quản lý nhà nước & cải cách hành chính»; «Nông – lâm – ngư nghiệp»; "
        "«Công nghiệp – xây dựng – giao thông»; «Giáo dục – đào tạo»; «Y tế»; "
        "«Khoa học – công nghệ & chuyển đổi số»; «Văn hóa – xã hội – du lịch»; «Quốc phòng – an ninh».",
        id="unknown-field",
    ),
    pytest.param(
        {"Tên sáng kiến": "   "},
        "Dòng 2, cột «Tên sáng kiến»: chưa điền; đây là cột bắt buộc.",
        id="missing-title",
    ),
    pytest.param(
        {"Tóm tắt": None},
        "Dòng 2, cột «Tóm tắt»: chưa điền; đây là cột bắt buộc.",
        id="missing-summary",
    ),
    pytest.param(
        {
            author_header(1, "Họ và tên"): None,
            author_header(1, "Ngày sinh"): None,
            author_header(1, "Nơi công tác"): None,
            author_header(1, "Chức danh"): None,
            author_header(1, "Trình độ"): None,
            author_header(1, "Tỷ lệ (%)"): None,
            author_header(2, "Họ và tên"): None,
            author_header(2, "Tỷ lệ (%)"): None,
        },
        "Dòng 2, cột «Tác giả 1 – Họ và tên»: chưa có tác giả nào; mỗi hồ sơ cần ít nhất một tác giả.",
        id="no-author",
    ),
    pytest.param(
        {author_header(2, "Tỷ lệ (%)"): None},
        "Dòng 2, cột «Tác giả 2 – Tỷ lệ (%)»: tác giả «Lý Thị Hồng» chưa có tỷ lệ đóng góp.",
        id="author-without-percent",
    ),
    pytest.param(
        {author_header(3, "Nơi công tác"): "Sở Tài chính"},
        "Dòng 2, cột «Tác giả 3 – Họ và tên»: có thông tin của tác giả 3 nhưng chưa ghi họ và tên.",
        id="author-without-name",
    ),
    pytest.param(
        {author_header(2, "Họ và tên"): "phạm văn đông"},
        "Dòng 2, cột «Tác giả 1 – Họ và tên», «Tác giả 2 – Họ và tên»: tác giả «Phạm Văn Đông» được khai "
        "hai lần.",
        id="author-twice",
    ),
    pytest.param(
        {"Lợi ích kinh tế (đồng/năm)": "khoảng 150 triệu"},
        "Dòng 2, cột «Lợi ích kinh tế (đồng/năm)»: «khoảng 150 triệu» không phải số tiền hợp lệ (số nguyên, "
        "đơn vị đồng, ví dụ 150.000.000).",
        id="bad-money",
    ),
    pytest.param(
        {"Lợi ích kinh tế (đồng/năm)": "99999999999999999999"},
        "Dòng 2, cột «Lợi ích kinh tế (đồng/năm)»: "
        "số tiền quá lớn (tối đa 1.000.000.000.000.000 đồng mỗi năm).",
        id="money-too-large",
    ),
    pytest.param(
        {"Tên sáng kiến": "Đ" * 501},
        "Dòng 2, cột «Tên sáng kiến»: dài 501 ký tự, tối đa 500 ký tự.",
        id="title-too-long",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), ERRORS)
def test_row_error(staff, unit_a, campaign, overrides, message):
    report = check([row(1, **overrides)], unit_a, campaign, staff, commit=True)
    assert report.errors == [message]
    assert not report.ok and report.rows == []
    assert Dossier.objects.count() == 0


def test_duplicate_row_in_the_file(staff, unit_a, campaign):
    rows = [row(1), row(2), row(3, **{"Tên sáng kiến": " ỨNG DỤNG bản đồ số quản lý hạ tầng, phần 1 "})]
    report = check(rows, unit_a, campaign, staff, commit=True)
    assert report.errors == ["Dòng 4, cột «Tên sáng kiến»: trùng tên sáng kiến với dòng 2 trong tệp."]
    assert Dossier.objects.count() == 0


def test_title_already_in_the_unit_this_campaign(staff, outsider, unit_a, unit_b, campaign):
    existing = row(2)["Tên sáng kiến"]
    kind, field = DossierKind.objects.get(name=KIND), Field.objects.get(name=FIELD)
    common = {"kind": kind, "field": field, "summary": "Đã có."}
    authors = [{"full_name": "Phạm Văn Đông", "contribution_percent": 100}]
    services.dossier_create(
        campaign=campaign, unit=unit_a, actor=staff, data={"title": existing, **common}, authors=authors
    )
    # the same title in another unit, or in another year, does not count
    services.dossier_create(
        campaign=campaign,
        unit=unit_b,
        actor=outsider,
        data={"title": row(1)["Tên sáng kiến"], **common},
        authors=authors,
    )
    report = check([row(1), row(2)], unit_a, campaign, staff, commit=True)
    assert report.errors == [
        f"Dòng 3, cột «Tên sáng kiến»: đơn vị «Sở Khoa học và Công nghệ» đã có hồ sơ «{existing}» trong "
        "«Đợt xét chọn năm 2026»."
    ]
    assert Dossier.objects.count() == 2


def test_lenient_cells_are_accepted(staff, unit_a, campaign):
    """Kind and field without diacritics or case; money as text with dots or as a number; a date as
    text d/m/yyyy or a real Excel date cell; percentages as «50%»."""
    rows = [
        row(
            1,
            **{
                "Loại hồ sơ": "SANG KIEN",
                "Lĩnh vực": "khoa hoc - cong nghe & chuyen doi so",
                "Lợi ích kinh tế (đồng/năm)": "1.234.567 đ",
                "Ngày áp dụng lần đầu": "5/3/2025",
                author_header(1, "Tỷ lệ (%)"): "50%",
                author_header(2, "Tỷ lệ (%)"): 50.0,
            },
        ),
        row(
            2, **{"Lợi ích kinh tế (đồng/năm)": 2_000_000, "Ngày áp dụng lần đầu": dt.datetime(2025, 12, 31)}
        ),
        row(3, **{"Lợi ích kinh tế (đồng/năm)": None, "Ngày áp dụng lần đầu": None}),
    ]
    report = check(rows, unit_a, campaign, staff, commit=True)
    assert report.errors == [] and report.created == 3
    first, second, third = Dossier.objects.order_by("title")
    assert first.kind.name == KIND and first.field.name == FIELD
    assert (first.economic_benefit_vnd, first.first_applied_on) == (1_234_567, dt.date(2025, 3, 5))
    assert [a.contribution_percent for a in first.authors.all()] == [50, 50]
    assert (second.economic_benefit_vnd, second.first_applied_on) == (2_000_000, dt.date(2025, 12, 31))
    assert (third.economic_benefit_vnd, third.first_applied_on) == (None, None)


def test_decomposed_text_is_stored_composed(staff, unit_a, campaign):
    title = unicodedata.normalize("NFD", "Sổ tay điện tử của tổ hòa giải")
    report = check([row(1, **{"Tên sáng kiến": title})], unit_a, campaign, staff, commit=True)
    assert report.created == 1
    assert Dossier.objects.get().title == "Sổ tay điện tử của tổ hòa giải"


# Files that are refused ------------------------------------------------------------------------


def test_executable_renamed_xlsx_is_refused(staff_client, media_root):
    response = post(staff_client, {"file": upload(ELF, "danh-sach.xlsx")})
    assert response.status_code == 400
    assert (
        "Nội dung tệp «danh-sach.xlsx» không phải tệp Excel (.xlsx); tệp không được nhận."
        in response.content.decode()
    )
    assert Dossier.objects.count() == 0
    assert kept_files(media_root) == []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "trong.xlsx", "Tệp «trong.xlsx» trống."),
        (b"MZ\x90\x00" + b"\x00" * 60, "chuong-trinh.exe", "chỉ nhận tệp Excel (.xlsx) hoặc CSV (UTF-8)"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 60, "cu.xls", "hãy lưu lại dưới dạng Excel Workbook (.xlsx)"),
        (b"PK\x03\x04" + b"\x00" * 60, "hong.xlsx", "không phải tệp Excel (.xlsx)"),
        (
            "Tên sáng;Tóm tắt\n".encode("latin-1", errors="replace"),  # a legacy 8-bit code page
            "ho-so.csv",
            "không ở bảng mã UTF-8",
        ),
    ],
    ids=["empty", "exe", "old-xls", "broken-zip", "csv-not-utf8"],
)
def test_bad_files_are_refused(staff_client, content, name, message):
    response = post(staff_client, {"file": upload(content, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Dossier.objects.count() == 0


def test_wrong_headers_are_refused(staff_client):
    headers = ["Tên đề tài", "Loại hồ sơ", "Lĩnh vực", "Tóm tắt", "Tác giả 1 – Họ và tên"]
    response = post(staff_client, {"file": upload(xlsx([row(1)], headers=headers))})
    # the headers are read by the worker: the job fails with the reason, shown on its page
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không nhập được tệp; chưa hồ sơ nào được nhập." in html
    assert "Tệp thiếu cột bắt buộc: «Tên sáng kiến», «Tác giả 1 – Tỷ lệ (%)»." in html
    assert "Tệp có cột không nhận ra: «Tên đề tài»." in html
    assert the_job().status == "failed" and 'name="confirm"' not in html
    assert Dossier.objects.count() == 0


def test_headers_only_is_refused(staff_client):
    response = post(staff_client, {"file": upload(xlsx([]))})
    assert response.status_code == 200 and the_job().status == "failed"
    assert "Tệp không có dòng hồ sơ nào dưới dòng tiêu đề." in response.content.decode()


def test_file_field_is_required(staff_client):
    response = staff_client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert Dossier.objects.count() == 0


def test_headers_typed_by_hand_and_blank_rows(staff, unit_a, campaign):
    """Headers differing only in case, diacritics or the dash still match; blank rows are skipped and
    row numbers stay the file's own."""
    headers = [h.upper().replace(" – ", " - ") for h in HEADERS]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    sheet.append([row(1).get(h) for h in HEADERS])
    sheet.append([None] * len(HEADERS))
    sheet.append([row(2, **{"Ngày áp dụng lần đầu": "32/01/2025"}).get(h) for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    dataset = read_upload(upload(buffer.getvalue()))
    report = dossier_import(dataset=dataset, unit=unit_a, campaign=campaign, actor=staff)
    assert report.total == 2
    assert report.errors == [
        "Dòng 4, cột «Ngày áp dụng lần đầu»: «32/01/2025» không phải ngày hợp lệ (dd/mm/yyyy)."
    ]


def test_csv_utf8_import(staff_client, unit_a):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for number in (1, 2):
        cells = row(number, **{author_header(1, "Ngày sinh"): "14/02/1979"})
        writer.writerow(["" if cells.get(h) is None else cells.get(h) for h in HEADERS])
    content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    response = post(staff_client, {"file": upload(content, "ho-so.csv")})
    assert response.status_code == 200
    assert response.context["report"].errors == []
    response = confirm(staff_client, response.context["token"], unit_a)
    assert response.status_code == 200
    assert Dossier.objects.filter(unit=unit_a).count() == 2
    assert Author.objects.get(full_name="Phạm Văn Đông", dossier__title__endswith="phần 1").date_of_birth == (
        dt.date(1979, 2, 14)
    )


def test_read_upload_refuses_text_renamed_csv_with_nul_bytes():
    with pytest.raises(ImportRefused):
        read_upload(upload(b"Ten\x00\x00", "x.csv"))


# Who may confirm what --------------------------------------------------------------------------


def test_outsider_cannot_confirm_staff_upload(staff_client, outsider, unit_a, unit_b, media_root):
    token = preview(staff_client, [row(1), row(2)]).context["token"]
    other = Client()
    other.force_login(outsider)
    for unit in (unit_a, unit_b):
        response = confirm(other, token, unit)
        assert response.status_code == 404
        assert other.get(reverse("submissions:import_job", args=[token])).status_code == 404
    assert Dossier.objects.count() == 0
    assert len(kept_files(media_root)) == 1  # still there for its owner
    response = confirm(staff_client, token, unit_a)
    assert response.status_code == 200
    assert Dossier.objects.filter(unit=unit_a).count() == 2


def test_confirm_after_the_file_is_gone(staff_client, unit_a, media_root):
    token = preview(staff_client, [row(1)]).context["token"]
    (media_root / the_job().file.name).unlink()  # e.g. swept after a day
    response = confirm(staff_client, token, unit_a)
    assert "Tệp đã tải lên không còn trên máy chủ; vui lòng tải lên lại." in response.content.decode()
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize("token", ["../../etc/passwd", "not-a-uuid", ""])
def test_confirm_with_bad_token_is_404(staff_client, unit_a, token):
    response = post(staff_client, {"confirm": "1", "upload": token, "unit": unit_a.pk})
    assert response.status_code == 404


def test_confirm_for_another_unit_than_previewed_is_404(staff_client, unit_a, unit_b):
    token = preview(staff_client, [row(1)]).context["token"]
    response = confirm(staff_client, token, unit_b)
    assert response.status_code == 404
    assert Dossier.objects.count() == 0


def test_person_of_several_units_chooses_one(client, unit_a, unit_b, campaign):
    clerk = person_with_role(Role.UNIT_STAFF, unit_a, full_name="Vũ Thị Yến", email="yen@example.vn")
    membership_grant(user=clerk, unit=unit_b, role=Role.UNIT_STAFF, actor=None)
    elsewhere = UnitFactory(name="Sở Tư pháp", code="so-tp")
    client.force_login(clerk)
    page = client.get(IMPORT_URL).content.decode()
    assert 'name="unit"' in page and unit_a.name in page and unit_b.name in page
    assert elsewhere.name not in page
    refused = preview(client, [row(1)], unit=elsewhere.pk)
    assert refused.status_code == 400
    assert Dossier.objects.count() == 0
    response = preview(client, [row(1)], unit=unit_b.pk)
    assert response.status_code == 200
    assert response.context["unit"] == unit_b
    confirm(client, response.context["token"], unit_b)
    dossier = Dossier.objects.get()
    assert dossier.unit == unit_b and dossier.created_by == clerk


def test_single_unit_form_does_not_ask_for_the_unit(staff_client, unit_a, unit_b):
    page = staff_client.get(IMPORT_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="unit"' not in html
    assert TEMPLATE_URL in html
    # a unit posted anyway is ignored: the rows go to the person's only unit
    response = preview(staff_client, [row(1)], unit=unit_b.pk)
    assert response.context["unit"] == unit_a


def test_no_campaign_yet(client, staff):
    client.force_login(staff)
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"] == LIST_URL


# List export -----------------------------------------------------------------------------------


@pytest.fixture
def two_units_dossiers(staff, outsider, unit_a, unit_b, campaign):
    kind, field = DossierKind.objects.get(name=KIND), Field.objects.get(name=FIELD)

    def make(unit, actor, title):
        return services.dossier_create(
            campaign=campaign,
            unit=unit,
            actor=actor,
            data={
                "title": title,
                "kind": kind,
                "field": field,
                "summary": "Tóm tắt.",
                "economic_benefit_vnd": 5,
            },
            authors=[{"full_name": "Hà Văn Khoa", "contribution_percent": 100}],
        )

    return make(unit_a, staff, "Sáng kiến của Sở Khoa học"), make(
        unit_b, outsider, "Sáng kiến của Sở Giáo dục"
    )


EXPORT_HEADERS = ["Số hồ sơ", "Tên sáng kiến", "Loại", "Lĩnh vực", "Đơn vị", "Năm", "Trạng thái"]


def test_xlsx_export_contains_only_visible_dossiers(client, staff, two_units_dossiers):
    client.force_login(staff)
    response = client.get(LIST_URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == imports.XLSX_CONTENT_TYPE
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert all(header in rows[0] for header in EXPORT_HEADERS)
    titles = [r[rows[0].index("Tên sáng kiến")] for r in rows[1:]]
    assert titles == ["Sáng kiến của Sở Khoa học"]
    assert rows[1][rows[0].index("Trạng thái")] == "Bản nháp"


def test_csv_export_contains_only_visible_dossiers(client, staff, two_units_dossiers):
    client.force_login(staff)
    response = client.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert all(header in rows[0] for header in EXPORT_HEADERS)
    assert "Sáng kiến của Sở Khoa học" in text
    assert "Sáng kiến của Sở Giáo dục" not in text
    assert len(rows) == 2


def test_outsider_export_lacks_unit_a(client, outsider, two_units_dossiers):
    client.force_login(outsider)
    for export_format in ("xlsx", "csv"):
        response = client.get(LIST_URL, {"export": export_format})
        assert response.status_code == 200
        if export_format == "csv":
            text = response.getvalue().decode("utf-8")
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
            text = "\n".join(str(cell) for r in sheet.iter_rows(values_only=True) for cell in r)
        assert "Sáng kiến của Sở Giáo dục" in text
        assert "Sáng kiến của Sở Khoa học" not in text


def test_the_authors_consent_column(staff, unit_a, campaign):
    """«Có», «x», «co» mean yes; blank, «Không» and an old file without the column mean no."""
    consent = "Tác giả đồng ý công khai họ tên"
    rows = [
        row(1, **{consent: "Có"}),
        row(2, **{consent: "x"}),
        row(3, **{consent: "KHONG"}),
        row(4, **{consent: None}),
    ]
    report = check(rows, unit_a, campaign, staff, commit=True)
    assert report.errors == [] and report.created == 4
    by_part = {d.title[-1]: d.authors_consent for d in Dossier.objects.all()}
    assert by_part == {"1": True, "2": True, "3": False, "4": False}
    old_headers = [header for header in HEADERS if header != consent]
    dataset = read_upload(upload(xlsx([row(5)], headers=old_headers)))
    report = dossier_import(dataset=dataset, unit=unit_a, campaign=campaign, actor=staff, commit=True)
    assert report.errors == [] and not Dossier.objects.get(title__endswith="5").authors_consent


def test_a_bad_consent_cell_names_the_row(staff, unit_a, campaign):
    report = check(
        [row(1, **{"Tác giả đồng ý công khai họ tên": "có lẽ"})], unit_a, campaign, staff, commit=True
    )
    assert report.errors == [
        "Dòng 2, cột «Tác giả đồng ý công khai họ tên»: «có lẽ» không hợp lệ: ghi «Có» hoặc «Không»."
    ]
    assert Dossier.objects.count() == 0
