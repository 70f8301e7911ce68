"""A visitor on the demo data uses the public creativity database: finds records by accentless,
reordered words, narrows by field and year, opens a record and its applications elsewhere, downloads
the open data in three formats and opens each, and calls the API from its docs page; the pages fit a
phone."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def search(page, words):
    page.get_by_role("searchbox").fill(words)
    page.get_by_role("button", name="Tìm", exact=True).click()


def test_a_visitor_finds_reads_downloads_and_calls_the_api(
    page, browser, live_server, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo")

    page.goto("/")
    page.get_by_role("searchbox").fill("rac thai huu co xu ly")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**/co-so-du-lieu/?q=*")
    first = page.locator(".record-item").first
    expect(first).to_contain_text("xử lý rác thải hữu cơ")
    expect(first.locator("mark").first).to_be_visible()
    screenshot(page, "public-1-search")

    for words, expected in (
        ("XỬ LÝ rác thải", "rác thải hữu cơ"),
        ("thanh tra tuoi tiet kiem", "tưới tiết kiệm"),
    ):
        search(page, words)
        expect(page.locator(".record-item").first).to_contain_text(expected)

    # Narrow by a field, then a year, with the facets (counts beside each value).
    page.goto("/co-so-du-lieu/")
    total = page.locator(".record-item").count()
    assert total == 20  # a full first page
    field_facet = page.locator(".facet").filter(has_text="Lĩnh vực")
    field_facet.get_by_role("link", name="Nông – lâm – ngư nghiệp").click()
    expect(field_facet.locator("a.chosen")).to_contain_text("Nông – lâm – ngư nghiệp")
    year_facet = page.locator(".facet").filter(has_text="Năm")
    year_link = year_facet.locator("a").first
    year = year_link.inner_text().strip()
    year_link.click()
    items = page.locator(".record-item")
    assert items.count() >= 1
    for meta in items.locator(".record-meta").all_inner_texts():
        assert "Nông – lâm – ngư nghiệp" in meta and year in meta
    screenshot(page, "public-2-facets")

    # A record with its applications elsewhere, and its printable view.
    search(page, "compost ho gia dinh")
    page.locator(".record-item h2 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("rác thải hữu cơ")
    applications = page.locator("#applications-h + p + .table-wrap tbody tr")
    expect(applications.first).to_be_visible()
    expect(page.locator("meta[property='og:title']")).to_have_attribute(
        "content", page.locator("h1").inner_text()
    )
    screenshot(page, "public-3-record")
    page.get_by_role("link", name="Bản in").click()
    expect(page.locator(".site-header")).to_have_count(0)
    page.go_back()

    # The open data: three files that open cleanly.
    page.goto("/du-lieu-mo/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "public-4-open-data")
    files = {}
    for extension in ("csv", "xlsx", "json"):
        with page.expect_download() as download:
            page.locator(f"a[href$='.{extension}']").first.click()
        path = tmp_path / f"open.{extension}"
        download.value.save_as(path)
        files[extension] = path
    raw = files["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    sheet = load_workbook(files["xlsx"], read_only=True).worksheets[0]
    xlsx_rows = list(sheet.iter_rows(min_row=2, values_only=True))
    document = json.loads(files["json"].read_text("utf-8"))
    assert len(rows) == len(xlsx_rows) == document["count"] == len(document["records"]) >= 45
    assert any("rác thải hữu cơ" in row["title"] for row in rows)
    assert any(isinstance(value, int) for value in xlsx_rows[0])  # typed cells, not text

    # The API, called from its docs page.
    page.goto("/api/v1/tai-lieu/")
    operation = page.locator(".opblock-get").filter(has_text="/api/v1/records/").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='q']").fill("tuoi tiet kiem")
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".live-responses-table .response-col_description .highlight-code").first
    expect(body).to_contain_text("DKST-")
    expect(body).to_contain_text("tiết kiệm")
    screenshot(page, "public-5-api-docs")

    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, base_url=live_server.url
    ).new_page()
    for path, name in (
        ("/co-so-du-lieu/?q=rac+thai", "public-6-phone-search"),
        ("/co-so-du-lieu/thong-ke/", "public-7-phone-statistics"),
    ):
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways at phone width ({width}px)"
        screenshot(phone, name)
    phone.context.close()
