"""Each role logs in through the real form in Chromium and lands on its own dashboard."""

import pytest

from dksangtao.roles import Role
from tests.factories import PASSWORD

# serialized_rollback: the flush after a transactional test would also wipe the fields and kinds
# that migration 0002 seeds, which later tests rely on.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# (fixture, the card's data-role, its heading): the council's places are cards of their own.
CAST = [
    ("staff", Role.UNIT_STAFF, Role.UNIT_STAFF.label),
    ("reviewer", Role.UNIT_REVIEWER, Role.UNIT_REVIEWER.label),
    ("council_member", "council_member", "Thành viên Hội đồng thẩm định sáng tạo"),
    ("secretary", "council_secretary", "Thư ký Hội đồng"),
    ("chair", "council_chair", "Chủ tịch Hội đồng"),
    ("front_admin", Role.FRONT_ADMIN, Role.FRONT_ADMIN.label),
    ("fund_maker", Role.FUND_MAKER, Role.FUND_MAKER.label),
    ("fund_checker", Role.FUND_CHECKER, Role.FUND_CHECKER.label),
    ("department_viewer", Role.DEPARTMENT_VIEWER, Role.DEPARTMENT_VIEWER.label),
]


def log_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.parametrize(("person", "role", "label"), CAST, ids=[p for p, _r, _l in CAST])
def test_each_role_sees_its_dashboard(page, screenshot, request, person, role, label):
    user = request.getfixturevalue(person)
    log_in(page, user.email)
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Xin chào, {user.full_name}"
    card = page.locator(f'[data-role="{role}"]')
    assert card.get_by_role("heading").inner_text() == label
    assert page.locator("section.card").count() == 1
    admin_link = page.get_by_role("link", name="Đơn vị và tài khoản")
    assert admin_link.count() == (1 if role == Role.FRONT_ADMIN else 0)
    screenshot(page, f"dashboard-{person}")


def test_a_wrong_password_is_refused_and_the_email_kept(page, screenshot, staff):
    log_in(page, staff.email, "mat-khau-sai")
    assert page.get_by_role("alert").is_visible()
    assert "Thư điện tử hoặc mật khẩu không đúng" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Thư điện tử").input_value() == staff.email
    screenshot(page, "login-refused")


def test_login_works_by_keyboard_at_phone_width_and_english_is_one_switch_away(
    browser, live_server, screenshot, reviewer
):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, base_url=live_server.url, is_mobile=True
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Thư điện tử").focus()
    page.keyboard.type(reviewer.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways at phone width ({width}px)"
    screenshot(page, "dashboard-phone")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {reviewer.full_name}"
    assert page.locator('[data-role="unit_reviewer"] h2').inner_text() == "Unit reviewer"
    screenshot(page, "dashboard-phone-en")
    context.close()
