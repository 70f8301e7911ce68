"""Under the Content-Security-Policy (issue #15, item 8) Chromium walks the demo portal — the public
pages, the API docs with a live call, every menu entry of each role, the admin — and the browser
reports no violation at all; then every error page is photographed at desk and phone width."""

import re
import time

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from accounts.management.commands.seed_demo import DEMO_DOMAIN, DEMO_PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls("tests.test_error_pages"),  # the portal plus three routes that fail on purpose
]

ROLES = [
    "canbo.khcn",
    "lanhdao.khcn",
    "thuky.hoidong",
    "chutich.hoidong",
    "ketoan.quy",
    "kiemsoat.quy",
    "baocao.gddt",
    "quantri.mttq",
]
PUBLIC = [
    "/",
    "/co-so-du-lieu/?q=rac+thai",
    "/co-so-du-lieu/thong-ke/",
    "/giai-thuong/",
    "/du-lieu-mo/",
    "/nhan-rong/",
    "/accounts/login/",
    "/accounts/password/reset/",
]
ADMIN = ["/admin/", "/admin/accounts/user/", "/admin/accounts/unit/", "/admin/axes/accessattempt/", "/audit/"]

# Watches the page for violations: Playwright's init scripts run outside the page's CSP.
LISTEN = """document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});"""


class Watch:
    def __init__(self, page):
        self.page = page
        self.seen: list[str] = []
        self.slowest = (0.0, "")
        page.add_init_script(LISTEN)
        page.on(
            "console",
            lambda msg: (
                self.seen.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None
            ),
        )

    def visit(self, url, status=None):
        started = time.monotonic()
        response = self.page.goto(url)
        self.slowest = max(self.slowest, (time.monotonic() - started, url))
        assert response.status == status if status else response.status < 500, url
        self.page.wait_for_load_state("networkidle")
        self.collect()
        return response

    def collect(self):
        for violation in self.page.evaluate("window.__csp || []"):
            self.seen.append(f"{self.page.url}: {violation}")


def log_in(page, email, password=DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard/")


def test_no_page_breaks_the_content_security_policy(browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo")
    visited = 0
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch = Watch(page)

    for url in PUBLIC:
        watch.visit(url)
        visited += 1
    page.goto("/co-so-du-lieu/?q=rac+thai")
    watch.visit(page.locator(".record-item a").first.get_attribute("href"))
    visited += 1

    # The API docs: Swagger UI starts (its script is a file) and a call goes through.
    watch.visit("/api/v1/tai-lieu/")
    operation = page.locator(".opblock-get").filter(has_text="/api/v1/records/").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table .highlight-code").first).to_contain_text("DKST-")
    watch.collect()
    visited += 1

    for local in ROLES:
        context.clear_cookies()
        log_in(page, f"{local}@{DEMO_DOMAIN}")
        watch.collect()
        links = page.locator(".main-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        for href in dict.fromkeys(links):
            watch.visit(href)
            visited += 1
        if local == "canbo.khcn":  # the dossier form (formset.js, htmx) and a dossier's page
            watch.visit("/dossiers/new/", status=200)
            page.goto("/dossiers/")
            watch.visit(page.locator("table a[href^='/dossiers/']").first.get_attribute("href"), status=200)
            visited += 2
    for url in ADMIN:  # still signed in as the Front admin
        watch.visit(url)
        visited += 1
    page.goto("/admin/accounts/user/")
    watch.visit(page.locator("#result_list a").first.get_attribute("href"), status=200)
    visited += 1

    assert visited >= 30
    assert watch.seen == [], "\n".join(watch.seen)
    # gunicorn kills a request at 60 s (gunicorn.conf.py): no page comes within half of it.
    print(f"CSP walk: {visited} pages, slowest {watch.slowest[0]:.2f} s ({watch.slowest[1]})")
    assert watch.slowest[0] < 30, watch.slowest


ERROR_PAGES = [
    (400, "/__loi-400__/", "Yêu cầu không hợp lệ"),
    (404, "/khong-co-trang-nay/", "Không tìm thấy trang"),
    (500, "/__loi-500__/", "Lỗi hệ thống"),
]


def test_every_error_page_in_the_portal_look_at_both_widths(
    browser, live_server, screenshot, settings, staff
):
    settings.AXES_FAILURE_LIMIT = 3
    settings.PASSWORD_RESET_LIMIT_PER_IP = 1
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(
            locale="vi-VN", viewport={"width": width, "height": height}, base_url=live_server.url
        )
        page = context.new_page()
        watch = Watch(page)
        for name, url, heading in ERROR_PAGES:
            watch.visit(url, status=name)
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            screenshot(page, f"error-{name}-{width}")

        # The CSRF refusal: the form's cookie is gone when it is sent (a session that expired).
        page.goto("/accounts/login/")
        context.clear_cookies()
        page.get_by_label("Thư điện tử").fill(staff.email)
        page.get_by_label("Mật khẩu").fill("bat-ky")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ"
        )
        watch.collect()
        screenshot(page, f"error-csrf-{width}")
        page.get_by_role("link", name="Quay lại trang trước").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")

        # 429: password reset asked twice from this machine in an hour.
        for _n in range(2):
            page.goto("/accounts/password/reset/")
            page.locator("input[name=email]").fill(f"ai-do-{width}@example.vn")
            page.get_by_role("button", name="Gửi hướng dẫn").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Quá nhiều yêu cầu trong thời gian ngắn")
        watch.collect()
        screenshot(page, f"error-429-{width}")

        # The login lockout.
        for _n in range(3):
            page.goto("/accounts/login/")
            page.get_by_label("Thư điện tử").fill(f"khoa-{width}@example.vn")
            page.get_by_label("Mật khẩu").fill("sai-mat-khau")
            page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("alert")).to_contain_text("Tạm thời chưa thể đăng nhập")
        watch.collect()
        screenshot(page, f"login-locked-{width}")

        # 403: a clerk opens the audit page (signed in through the session: this address is locked).
        context.clear_cookies()
        client = Client()
        client.force_login(staff)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        watch.visit("/audit/", status=403)
        expect(page.get_by_role("heading", level=1)).to_have_text("Không có quyền truy cập")
        screenshot(page, f"error-403-{width}")

        assert not re.search(r"Bad Request|Forbidden|Not Found|Server Error", page.content())
        assert watch.seen == [], "\n".join(watch.seen)
        context.close()
