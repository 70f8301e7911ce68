"""Login, dashboard, logout, password change and reset, language switch."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_lands_on_the_dashboard_of_the_role(client, reviewer):
    response = client.post(
        reverse("login"), {"username": "hung@example.vn", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    page = response.content.decode()
    assert "Xin chào, Trần Văn Hùng" in page
    assert 'data-role="unit_reviewer"' in page
    assert "Sở Khoa học và Công nghệ" in page


def test_wrong_password_is_refused_in_vietnamese_and_keeps_the_email(client, staff):
    response = client.post(reverse("login"), {"username": "lan@example.vn", "password": "sai-mat-khau"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thư điện tử hoặc mật khẩu không đúng" in page
    assert 'value="lan@example.vn"' in page
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_person_without_roles_sees_what_to_do_next(client):
    client.force_login(UserFactory())
    page = client.get(reverse("dashboard")).content.decode()
    assert "Tài khoản chưa được giao vai trò nào" in page


def test_the_dashboard_costs_the_same_whatever_the_number_of_roles(
    client, unit_a, unit_b, council, django_assert_num_queries
):
    from accounts.services import membership_grant
    from councils.models import MemberRole
    from councils.services import council_member_add
    from dksangtao.roles import Role

    person = UserFactory()
    client.force_login(person)
    membership_grant(user=person, unit=unit_a, role=Role.UNIT_STAFF, actor=None)
    membership_grant(user=person, unit=unit_a, role=Role.UNIT_REVIEWER, actor=None)
    # session, user, memberships with units (each grant replaced their cache key), council places and
    # the current campaign's id (both then cached), the
    # unit tree (reviewer; the unit permissions are read from the memberships), then the panels: the
    # current campaign ×2, the unit's counts by status, its deadline extension (the unit is one of
    # the memberships'), the review queue count.
    with django_assert_num_queries(11):
        client.get(reverse("dashboard"))
    for role in (Role.UNIT_REVIEWER, Role.DEPARTMENT_VIEWER, Role.UNIT_STAFF):
        membership_grant(user=person, unit=unit_b, role=role, actor=None)
    council_member_add(council=council, user=person, role=MemberRole.MEMBER, home_unit=unit_b, actor=None)
    # the same, the council places read again (the new place replaced their key), plus the council
    # itself (its name on the place's card; councils are read fresh, never kept with the places)
    with django_assert_num_queries(11):
        response = client.get(reverse("dashboard"))
    assert response.content.decode().count('class="card"') == 4  # three roles and the council place


def test_logout_needs_post_and_ends_the_session(client, staff):
    client.force_login(staff)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_password_change_refuses_a_wrong_old_password_and_changes_nothing(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "khong-dung",
            "new_password1": "MatKhauMoi#2026",
            "new_password2": "MatKhauMoi#2026",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_password_change_works(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "MatKhauMoi#2026", "new_password2": "MatKhauMoi#2026"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("MatKhauMoi#2026")


def test_password_reset_mails_a_working_link_after_commit(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "lan@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@example.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Kính gửi Nguyễn Thị Lan" in message.body
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "MatKhauMoi#2026"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert User.objects.get(pk=staff.pk).check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "khong-co@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_refuses_a_malformed_address_in_vietnamese(client):
    response = client.post(reverse("password_reset"), {"email": "khong-phai-email"})
    assert response.status_code == 200
    # Django's own Vietnamese says «Nhập địa chỉ email.»; Django REST framework's catalogue, installed
    # for the public API, brings the better «Nhập một địa chỉ email hợp lệ.»
    assert "Nhập một địa chỉ email hợp lệ." in response.content.decode()


def test_switching_to_english_translates_the_interface(client, staff):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("dashboard")})
    page = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="en">' in page
    assert "Dashboard" in page
    assert "Unit staff" in page


def test_the_home_page_names_the_movement_and_the_province(client, settings):
    settings.PROVINCE_NAME = "tỉnh Quảng Trị"
    page = client.get(reverse("home")).content.decode()
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Trị" in page
    assert "Đoàn kết sáng tạo" in page


def test_a_browser_set_to_english_still_gets_vietnamese_until_the_switch(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
    client.post(reverse("set_language"), {"language": "xx", "next": reverse("login")})
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()
