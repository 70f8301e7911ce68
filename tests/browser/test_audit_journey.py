# ruff: noqa: F811  (pytest fixtures imported from the submissions conftest are used as arguments)
"""A Front admin reads the audit log in a browser: finds who returned a dossier and why, narrows the
list to that dossier, downloads the rows as Excel; the page fits a phone."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from submissions.models import Status
from tests.browser.test_role_dashboards import log_in
from tests.submissions.conftest import field, kind, make_dossier  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_front_admin_finds_who_returned_a_dossier_and_exports_it(
    page, browser, live_server, screenshot, tmp_path, front_admin, reviewer, staff, unit_a, make_dossier
):
    returned = make_dossier(unit_a, staff, Status.RETURNED, reviewer=reviewer)
    make_dossier(unit_a, staff, Status.SUBMITTED, title="Một hồ sơ khác")

    log_in(page, front_admin.email)
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="Nhật ký hệ thống").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhật ký hệ thống")
    page.get_by_label("Việc").select_option(label="Trả lại hồ sơ")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("#audit tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(reviewer.full_name)
    expect(rows.first).to_contain_text("Bổ sung số liệu hiệu quả kinh tế.")
    screenshot(page, "audit-1-filtered")

    # The object's name narrows the log to everything that happened to that dossier.
    rows.first.get_by_role("link").click()
    expect(page.locator("#audit tbody tr")).to_have_count(3)
    texts = page.locator("#audit tbody").inner_text()
    assert "Lập hồ sơ" in texts and "Nộp hồ sơ" in texts and "Trả lại hồ sơ" in texts
    assert "Một hồ sơ khác" not in texts
    assert returned.title in texts

    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    path = tmp_path / "audit.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).active
    actions = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(actions) == sorted(["Lập hồ sơ", "Nộp hồ sơ", "Trả lại hồ sơ"])

    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, base_url=live_server.url
    ).new_page()
    log_in(phone, front_admin.email)
    phone.wait_for_url("**/dashboard/")
    phone.goto("/audit/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the audit page scrolls sideways at phone width ({width}px)"
    screenshot(phone, "audit-2-phone")
    phone.context.close()
