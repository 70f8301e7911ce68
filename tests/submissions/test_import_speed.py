"""How long a 10,000-row backlog takes end to end, through the jobs the import page queues: the
check job (read the file, check every row) and the import job (read, check every row again, write
every dossier), with their query counts. Run on demand (it takes a while and prints its timings):

    DKST_BENCH=1 DATABASE_URL=postgres://… .venv/bin/pytest tests/submissions/test_import_speed.py -s

The import job must take well under a minute (the issue's goal: < 60 s, validation included).
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
from dksangtao.jobs import JobStatus
from dksangtao.models import AuditEvent
from submissions import services
from submissions.imports import HEADERS, author_header
from submissions.models import Author, Campaign, Dossier, ImportJob, Status

ROWS = int(os.environ.get("DKST_BENCH_IMPORT_ROWS", "10000"))
LIMIT_SECONDS = 60


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


def workbook(rows: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Hồ sơ")
    sheet.append(HEADERS)
    for number in range(1, rows + 1):
        cells = {
            "Tên sáng kiến": f"Cải tiến quy trình số {number:05d} tại bộ phận một cửa",
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


def test_ten_thousand_rows(staff, unit_a, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
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
    content = workbook(ROWS)
    progress = []
    report_progress = ImportJob.report_progress

    def watched(pk, percent):  # what the job's page would have seen
        progress.append((round(time.perf_counter() - started, 1), percent))
        report_progress(pk, percent)

    monkeypatch.setattr(ImportJob, "report_progress", watched)

    check = services.import_request(
        upload=SimpleUploadedFile("ton-dong.xlsx", content), unit=unit_a, campaign=campaign, actor=staff
    )
    started = time.perf_counter()
    with QueryCounter() as check_queries:
        check = services.import_run(job_id=check.pk)
    check_seconds = time.perf_counter() - started
    assert check.status == JobStatus.DONE and check.ok, (check.error, check.row_errors[:3])
    assert Dossier.objects.count() == 0
    check_progress, progress[:] = list(progress), []

    job = services.import_confirm(check=check, actor=staff)
    started = time.perf_counter()
    with QueryCounter() as import_queries:
        job = services.import_run(job_id=job.pk)
    import_seconds = time.perf_counter() - started
    assert job.status == JobStatus.DONE and job.created_count == ROWS, (job.error, job.row_errors[:3])

    assert Dossier.objects.filter(unit=unit_a, campaign=campaign, status=Status.DRAFT).count() == ROWS
    assert Author.objects.count() == 2 * ROWS
    assert AuditEvent.objects.filter(action=Action.DOSSIER_CREATED).count() == ROWS

    print(f"\n{ROWS} dòng, {len(content) / 1024:.0f} KB, cơ sở dữ liệu {connection.vendor}:")
    print(f"  việc kiểm tra   {check_seconds:6.2f} s, {check_queries.count} truy vấn")
    print(f"  việc nhập       {import_seconds:6.2f} s, {import_queries.count} truy vấn (đọc, kiểm tra, ghi)")
    print(f"  tiến độ kiểm tra (s, %): {check_progress}")
    print(f"  tiến độ nhập (s, %):     {progress}")
    assert import_seconds < LIMIT_SECONDS
