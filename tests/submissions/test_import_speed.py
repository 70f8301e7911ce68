"""How long a 1,000-row backlog takes: reading the file, the dry run and the commit, through the same
functions the import view calls. Run on demand (it takes a while and prints its timings):

    DKST_BENCH=1 DATABASE_URL=postgres://… .venv/bin/pytest tests/submissions/test_import_speed.py -s
"""

import datetime as dt
import io
import os
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from dksangtao.audit import Action
from dksangtao.models import AuditEvent
from submissions.imports import HEADERS, author_header, dossier_import, read_upload
from submissions.models import Author, Campaign, Dossier, Status

ROWS = 1000


class QueryCounter:
    """Counts the statements sent to the database (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(os.environ.get("DKST_BENCH") != "1", reason="benchmark: set DKST_BENCH=1 to run it"),
]


def _workbook(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Hồ sơ"
    sheet.append(HEADERS)
    for number in range(1, rows + 1):
        cells = {
            "Tên sáng kiến": f"Cải tiến quy trình số {number:04d} tại bộ phận một cửa",
            "Loại hồ sơ": "Sáng kiến",
            "Lĩnh vực": "Quản lý nhà nước & cải cách hành chính",
            "Tóm tắt": "Rút ngắn thời gian xử lý hồ sơ nhờ biểu mẫu điện tử và theo dõi trực tuyến. " * 3,
            "Chủ đầu tư": "Sở Nội vụ",
            "Ngày áp dụng lần đầu": dt.datetime(2025, 1 + number % 12, 1 + number % 28),
            "Tình trạng hiện tại": "Hồ sơ giấy, tổng hợp thủ công.",
            "Nội dung giải pháp": "Số hóa biểu mẫu, tự động nhắc hạn.",
            "Tính mới": "Lần đầu áp dụng tại đơn vị.",
            "Điều kiện áp dụng": "Máy tính nối mạng.",
            "Phạm vi áp dụng": "Toàn tỉnh.",
            "Lợi ích kinh tế (đồng/năm)": f"{number * 1000:,}".replace(",", "."),
            "Lợi ích theo tác giả": "Giảm 40% thời gian xử lý.",
            author_header(1, "Họ và tên"): f"Nguyễn Văn Tác Giả {number}",
            author_header(1, "Ngày sinh"): "12/04/1980",
            author_header(1, "Nơi công tác"): "Sở Nội vụ",
            author_header(1, "Tỷ lệ (%)"): 55,
            author_header(2, "Họ và tên"): f"Trần Thị Đồng Tác Giả {number}",
            author_header(2, "Ngày sinh"): dt.datetime(1990, 6, 1),
            author_header(2, "Tỷ lệ (%)"): 45,
        }
        sheet.append([cells.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_thousand_rows(staff, unit_a):
    campaign = Campaign.objects.create(
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
    content = _workbook(ROWS)
    timings = {}

    started = time.perf_counter()
    dataset = read_upload(SimpleUploadedFile("ton-dong.xlsx", content))
    timings["đọc tệp"] = time.perf_counter() - started

    started = time.perf_counter()
    with QueryCounter() as dry_queries:
        report = dossier_import(dataset=dataset, unit=unit_a, campaign=campaign, actor=staff)
    timings["chạy thử (dry run)"] = time.perf_counter() - started
    assert report.ok and len(report.rows) == ROWS
    assert Dossier.objects.count() == 0

    started = time.perf_counter()
    with QueryCounter() as commit_queries:
        report = dossier_import(dataset=dataset, unit=unit_a, campaign=campaign, actor=staff, commit=True)
    timings["ghi (commit)"] = time.perf_counter() - started

    assert report.created == ROWS
    assert Dossier.objects.filter(unit=unit_a, campaign=campaign, status=Status.DRAFT).count() == ROWS
    assert Author.objects.count() == 2 * ROWS
    assert AuditEvent.objects.filter(action=Action.DOSSIER_CREATED).count() == ROWS

    print(f"\n{ROWS} dòng, {len(content) / 1024:.0f} KB, cơ sở dữ liệu {connection.vendor}:")
    for step, seconds in timings.items():
        print(f"  {step:<20} {seconds:6.2f} s")
    print(f"  truy vấn: chạy thử {dry_queries.count}, ghi {commit_queries.count}")
