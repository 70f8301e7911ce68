"""The PDF toolkit (dksangtao/pdf.py and templates/pdf/): the one renderer, which fetches no URL; the
one base template and header, which alone write the national motto; the date line of Decree 30."""

import base64
import datetime as dt
import io
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.template import Context, Template
from PIL import Image

from dksangtao import pdf
from dksangtao.templatetags.portal import decree_date

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
IMPORTS_WEASYPRINT = re.compile(r"^\s*(?:from|import)\s+weasyprint\b", re.MULTILINE)


def pdf_text(content: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(text.decode("utf-8").split())


def images_in(content: bytes, tmp_path) -> int:
    """How many images the PDF holds (pdfimages lists them under two header lines)."""
    path = tmp_path / "images.pdf"
    path.write_bytes(content)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True)
    return len(listing.stdout.decode().splitlines()) - 2


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


# One renderer, one header ------------------------------------------------------------------------


def test_only_the_toolkit_imports_weasyprint():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not any(
            part.startswith(".") or part in {"node_modules", "var"} for part in path.relative_to(ROOT).parts
        )
        and path != ROOT / "dksangtao" / "pdf.py"
        and IMPORTS_WEASYPRINT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "render PDFs with dksangtao.pdf.render_pdf:\n" + "\n".join(offenders)


def test_the_national_motto_is_written_in_one_template():
    holders = [
        str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html") if MOTTO in p.read_text("utf-8")
    ]
    assert holders == ["pdf/_header.html"]


def test_every_pdf_template_extends_the_one_base():
    documents = [
        "councils/minutes.html",
        "awards/certificate.html",
        "awards/booklet.html",
        "awards/dossier_pdf.html",
        "fund/statement_pdf.html",
        "fund/thank_you_pdf.html",
        "reports/pdf_unit_summary.html",
        "reports/pdf_province_summary.html",
    ]
    for name in documents:
        assert (TEMPLATES / name).read_text("utf-8").startswith('{% extends "pdf/base.html" %}'), name


# The renderer fetches nothing but data: URIs -----------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(png())

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_hostile_value_cannot_make_the_renderer_read_a_file_or_call_an_address(tmp_path, web_server):
    picture = tmp_path / "secret.png"
    picture.write_bytes(png())
    html = (
        f'<link rel="stylesheet" href="{web_server}/style.css">'
        f'<style>@import url("{web_server}/import.css");'
        f' p {{ background: url("{picture.as_uri()}"); }}</style>'
        f'<p>Ảnh: <img src="{picture.as_uri()}"> <img src="{web_server}/tracker.png"> <img src="secret.png">'
        f' <img src="/etc/passwd"> <img src="ftp://127.0.0.1/x.png"></p>'
    )
    content = pdf.html_to_pdf(html)
    assert _Recorder.requests == []
    assert images_in(content, tmp_path) == 0
    assert "Ảnh:" in pdf_text(content)


def test_a_data_uri_is_embedded(tmp_path):
    uri = "data:image/png;base64," + base64.b64encode(png()).decode("ascii")
    assert images_in(pdf.html_to_pdf(f'<p><img src="{uri}"></p>'), tmp_path) == 1


def test_the_fetcher_refuses_every_scheme_but_data():
    fetcher = pdf.DataOnlyFetcher()
    for url in (
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/a.png",
    ):
        with pytest.raises(ValueError, match="fetches no URL"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,SHXhur8=").read() == "Huế".encode()


# The standard document context -------------------------------------------------------------------


def test_the_document_context_gives_province_place_and_today_and_the_caller_wins(settings):
    settings.PROVINCE_NAME = "tỉnh Quảng Trị"
    settings.PLACE_NAME = "Quảng Trị"
    html = pdf.render_html("pdf/base.html", {"issuer": pdf.Issuer.of_front("Ban Thường trực")})
    assert "ỦY BAN MTTQ VIỆT NAM" not in html  # upper case is the stylesheet's job, the text stays as written
    assert "Ủy ban MTTQ Việt Nam tỉnh Quảng Trị" in html
    assert "Quảng Trị, ngày" in html
    html = pdf.render_html(
        "pdf/base.html", {"issuer": pdf.Issuer("Ban Thường trực"), "today": dt.date(2026, 1, 5)}
    )
    assert "Quảng Trị, ngày 05 tháng 01 năm 2026" in html


def test_the_header_reads_as_decree_30_lays_it_out(settings):
    settings.PROVINCE_NAME = "thành phố Huế"
    settings.PLACE_NAME = "Huế"
    issuer = pdf.Issuer.of_front("Hội đồng thẩm định sáng tạo", number=pdf.number_to_fill("BB-HĐTĐ"))
    text = pdf_text(pdf.render_pdf("pdf/base.html", {"issuer": issuer, "today": dt.date(2026, 8, 15)}))
    # pdftotext reads the left column, then the right one
    assert text == (
        "ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ HUẾ HỘI ĐỒNG THẨM ĐỊNH SÁNG TẠO Số: /BB-HĐTĐ "
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Huế, ngày 15 tháng 8 năm 2026"
    )


def test_a_unit_is_issued_under_its_parent_unit_or_what_the_caller_puts_above_the_top():
    department = type("Unit", (), {"name": "Sở Giáo dục và Đào tạo", "parent_id": None, "parent": None})()
    school = type("Unit", (), {"name": "Trường THPT Hai Bà Trưng", "parent_id": 7, "parent": department})()
    assert pdf.Issuer.of_unit(department) == pdf.Issuer(name="Sở Giáo dục và Đào tạo", parent="")
    assert pdf.Issuer.of_unit(school, number="12/BC") == pdf.Issuer(
        name="Trường THPT Hai Bà Trưng", parent="Sở Giáo dục và Đào tạo", number="12/BC"
    )
    assert pdf.Issuer.of_unit(department, top_parent="Ủy ban MTTQ Việt Nam thành phố Huế").parent == (
        "Ủy ban MTTQ Việt Nam thành phố Huế"
    )


# The date line of Decree 30 ----------------------------------------------------------------------


@pytest.mark.parametrize("day", range(1, 32))
def test_a_day_below_ten_takes_a_leading_zero(day):
    expected_day = f"0{day}" if day < 10 else str(day)
    assert decree_date(dt.date(2026, 1, day)) == f"ngày {expected_day} tháng 01 năm 2026"
    assert decree_date(dt.date(2026, 3, day)) == f"ngày {expected_day} tháng 3 năm 2026"


@pytest.mark.parametrize(
    ("month", "written"),
    [(1, "01"), (2, "02"), (3, "3"), (4, "4"), (5, "5"), (6, "6"), (7, "7"), (8, "8"), (9, "9"), (10, "10")]
    + [(11, "11"), (12, "12")],
)
def test_only_the_months_one_and_two_take_a_leading_zero(month, written):
    assert decree_date(dt.date(2026, month, 15)) == f"ngày 15 tháng {written} năm 2026"


def test_the_examples_of_the_decree_and_the_edges():
    assert decree_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert decree_date(dt.date(2026, 8, 15)) == "ngày 15 tháng 8 năm 2026"
    assert decree_date(dt.date(2028, 2, 29)) == "ngày 29 tháng 02 năm 2028"
    assert decree_date(dt.date(2026, 12, 31)) == "ngày 31 tháng 12 năm 2026"
    assert decree_date(dt.date(2026, 10, 9)) == "ngày 09 tháng 10 năm 2026"


def test_a_moment_is_dated_in_vietnam_and_no_date_leaves_blanks(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    late_evening_utc = dt.datetime(2026, 1, 31, 18, 30, tzinfo=dt.UTC)  # 01:30 on 1 February in Huế
    assert decree_date(late_evening_utc) == "ngày 01 tháng 02 năm 2026"
    blank = "\u00a0" * 6
    assert decree_date(None) == f"ngày {blank} tháng {blank} năm {blank}"
    rendered = Template("{% load portal %}{{ day|decree_date }}").render(
        Context({"day": dt.date(2026, 2, 3)})
    )
    assert rendered == "ngày 03 tháng 02 năm 2026"
