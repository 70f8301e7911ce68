"""Login protection (issue #15, item 5): django-axes locks an account tried too often from anywhere
and an address that tries too many accounts, says so in Vietnamese with the time to come back and whom
to call, and a Front admin can lift the lock; password reset requests are limited per address and per
e-mail address without ever telling whether an address has an account."""

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dksangtao.models import Action, AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"
LOCKOUT_TEXT = "Tạm thời chưa thể đăng nhập"


@pytest.fixture(autouse=True)
def _own_cache_and_fast_hashing(settings):
    """A cache of this test's own: the reset counters of one test never reach another. And a fast
    password hasher (set before the cast is created), since these tests log in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(uuid.uuid4())}
    }


def log_in(client, email, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_fifty_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(client, staff, settings):
    statuses = [log_in(client, staff.email, f"sai-{n}").status_code for n in range(50)]
    # The first failures are the usual «sai mật khẩu» (200); from the limit on, the lockout page (429).
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit:]) == {429}

    response = log_in(client, staff.email, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKOUT_TEXT in page
    assert "Vui lòng thử lại sau" in page
    until = timezone.localtime(timezone.now() + timedelta(minutes=30))
    assert until.strftime("%d/%m/%Y") in page
    assert re.search(r"thử lại sau \d\d:\d\d ngày", page)
    assert settings.LOGIN_HELP_CONTACT in page
    assert "Account locked" not in page and "too many" not in page.lower()
    assert '<form method="post"' in page  # still the login page, in the portal's frame
    assert "_auth_user_id" not in client.session


def test_one_account_tried_from_many_addresses_is_locked_everywhere(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, staff.email, "sai-mat-khau", address=f"10.1.{n}.9")
    response = log_in(client, staff.email, PASSWORD, address="10.9.9.9")
    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.content.decode()


def test_one_address_trying_many_accounts_is_locked_even_for_a_right_password(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"doan-mo-{n}@example.vn", "sai-mat-khau", address="10.2.0.7")
    response = log_in(client, staff.email, PASSWORD, address="10.2.0.7")
    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.content.decode()
    # The account itself is not locked: from its own office it logs in.
    response = log_in(client, staff.email, PASSWORD, address="10.2.0.8")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_a_few_mistakes_do_not_lock(client, staff, settings):
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, staff.email, "sai-mat-khau").status_code == 200
    assert log_in(client, staff.email, PASSWORD).status_code == 302


def test_the_lock_lifts_by_itself_after_the_cool_off(client, staff, settings):
    for _n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, staff.email, "sai-mat-khau")
    assert log_in(client, staff.email, PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert log_in(client, staff.email, PASSWORD).status_code == 302


def test_behind_the_proxy_the_visitor_is_the_last_forwarded_address(client, staff, settings):
    """Every request reaches gunicorn from the proxy: without X-Forwarded-For one attacker would lock
    out the whole province; a forged first entry changes nothing."""
    settings.TRUST_X_FORWARDED_FOR = True
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": f"doan-mo-{n}@example.vn", "password": "x"},
            REMOTE_ADDR="172.18.0.2",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.5",
        )
    locked = client.post(
        LOGIN,
        {"username": staff.email, "password": PASSWORD},
        REMOTE_ADDR="172.18.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert locked.status_code == 429
    other_office = client.post(
        LOGIN,
        {"username": staff.email, "password": PASSWORD},
        REMOTE_ADDR="172.18.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert other_office.status_code == 302


def test_a_malformed_forwarded_address_falls_back_to_the_connection(client, staff, settings):
    """A request that reaches gunicorn without the proxy may carry any header; it must neither break
    the login (PostgreSQL stores the address as inet) nor choose its own address."""
    settings.TRUST_X_FORWARDED_FOR = True
    response = client.post(
        LOGIN,
        {"username": staff.email, "password": "sai-mat-khau"},
        REMOTE_ADDR="172.18.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, khong-phai-dia-chi",
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "172.18.0.2"


def test_a_session_opened_in_code_has_no_address_and_that_is_fine(client, staff):
    client.force_login(staff)  # axes logs the login; the request has no REMOTE_ADDR
    assert client.get(reverse("dashboard")).status_code == 200


def lock(client, user, settings):
    for _n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, "sai-mat-khau")
    assert log_in(client, user.email, PASSWORD).status_code == 429


def test_a_front_admin_lifts_the_lock_in_the_admin_and_it_is_recorded(client, staff, front_admin, settings):
    lock(client, staff, settings)
    admin_client = type(client)()
    admin_client.force_login(front_admin)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin_client.get(changelist, {"bi_khoa": "1"}).content.decode().lower()
    assert staff.email in page
    assert "mở khóa đăng nhập các dòng đã chọn" in page
    assert "số lần sai" in page and "địa chỉ máy (ip)" in page
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Khóa đăng nhập" in index

    ids = list(AccessAttempt.objects.filter(username=staff.email).values_list("pk", flat=True))
    response = admin_client.post(changelist, {"action": "unlock", "_selected_action": ids}, follow=True)
    assert "Đã mở khóa" in response.content.decode()
    assert not AccessAttempt.objects.filter(username=staff.email).exists()
    event = AuditEvent.objects.get(action=Action.LOGIN_UNLOCKED)
    assert event.actor == front_admin and event.object_id == staff.pk
    assert log_in(client, staff.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("person", ["staff", "fund_maker", "fund_checker"])
def test_other_roles_cannot_see_or_lift_lockouts(client, request, person, staff, settings):
    lock(client, staff, settings)
    intruder = request.getfixturevalue(person)
    other = type(client)()
    other.force_login(intruder)
    changelist = reverse("admin:axes_accessattempt_changelist")
    response = other.get(changelist)
    assert response.status_code in (302, 403)
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    other.post(changelist, {"action": "unlock", "_selected_action": ids})
    assert AccessAttempt.objects.filter(pk__in=ids).count() == len(ids)
    assert log_in(client, staff.email, PASSWORD).status_code == 429


def test_a_superuser_lifts_a_lock_too(client, staff, settings):
    lock(client, staff, settings)
    root = UserFactory(is_superuser=True, is_staff=True)
    admin_client = type(client)()
    admin_client.force_login(root)
    attempt = AccessAttempt.objects.filter(username=staff.email).first()
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN_UNLOCKED, actor=root).count() == 1
    assert log_in(client, staff.email, PASSWORD).status_code == 302


# --- Password reset ---------------------------------------------------------------------------


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    """Ask for a reset as from `address`; the mail leaves after the commit, as in production."""

    def ask(email, address="10.3.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, REMOTE_ADDR=address)

    return ask


def test_reset_mails_to_one_address_stop_at_the_limit_with_the_same_neutral_page(ask_reset, staff, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 5
    responses = [ask_reset(staff.email, address=f"10.4.0.{n}") for n in range(8)]
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 5


def test_reset_for_an_unknown_address_looks_the_same_at_and_past_the_limit(ask_reset, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    for n in range(4):
        response = ask_reset("khong-ton-tai@example.vn", address=f"10.5.0.{n}")
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_too_many_reset_requests_from_one_address_get_a_vietnamese_429(ask_reset, staff, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    for n in range(3):
        assert ask_reset(f"ai-do-{n}@example.vn").status_code == 302
    response = ask_reset(staff.email)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Quá nhiều yêu cầu" in page
    assert staff.email not in page
    assert mail.outbox == []
    # Another office is not affected.
    assert ask_reset(staff.email, address="10.6.0.1").status_code == 302
    assert len(mail.outbox) == 1


def test_a_reset_with_a_bad_address_is_refused_as_before_and_counts_nothing(ask_reset, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 1
    response = ask_reset("khong-phai-thu")
    assert response.status_code == 200
    assert "Vui lòng kiểm tra lại" in response.content.decode()
    assert ask_reset("ai-do@example.vn").status_code == 302
