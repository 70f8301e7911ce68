"""Error pages (issue #15, item 8), with DEBUG off: 400, 403, 404, 429, 500 and the CSRF refusal, each
in Vietnamese in the portal's frame, saying what to do next; 500 renders with no context at all."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.shortcuts import render
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from dksangtao.urls import urlpatterns as portal_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_error_pages")]


def _bad(request):
    raise SuspiciousOperation("a hostile value")


def _refused(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("__loi-400__/", _bad),
    path("__loi-403__/", _refused),
    path("__loi-500__/", _broken),
    *portal_urlpatterns,
]

ENGLISH = ["Bad Request", "Forbidden", "Not Found", "Server Error", "CSRF verification failed"]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def assert_portal_page(response, status, *texts):
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="vi"' in page
    assert "css/portal.css" in page and "site-header" in page
    for text in texts:
        assert text in page, text
    for english in ENGLISH:
        assert english not in page, english
    return page


def test_400_in_vietnamese(client):
    page = assert_portal_page(client.get("/__loi-400__/"), 400, "Yêu cầu không hợp lệ", "Lỗi 400")
    assert "Không có dữ liệu nào bị thay đổi" in page


def test_a_disallowed_host_gets_the_400_page_too(client):
    assert_portal_page(client.get("/", HTTP_HOST="ke-la.example"), 400, "Yêu cầu không hợp lệ")


def test_403_in_vietnamese_with_the_way_back(client, staff):
    client.force_login(staff)
    page = assert_portal_page(client.get("/__loi-403__/"), 403, "Không có quyền truy cập", "Lỗi 403")
    assert reverse("dashboard") in page


def test_a_real_refusal_uses_it(client, staff):
    client.force_login(staff)
    response = client.get(reverse("audit"))
    assert_portal_page(response, 403, "Không có quyền truy cập")


def test_404_in_vietnamese(client):
    page = assert_portal_page(client.get("/khong-co-trang-nay/"), 404, "Không tìm thấy trang", "Lỗi 404")
    assert reverse("public:search") in page


def test_500_in_vietnamese():
    client = Client(raise_request_exception=False)
    page = assert_portal_page(client.get("/__loi-500__/"), 500, "Lỗi hệ thống", "Lỗi 500")
    assert "Vui lòng thử lại sau ít phút" in page


def test_500_renders_with_no_context_and_no_database():
    with CaptureQueriesContext(connection) as queries:
        page = loader.get_template("500.html").render()
    assert len(queries) == 0
    assert "Lỗi hệ thống" in page and "css/portal.css" in page


def test_the_csrf_refusal_is_vietnamese_with_a_link_back(staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"),
        {"username": staff.email, "password": "x"},
        HTTP_REFERER="http://testserver/accounts/login/?next=/dashboard/",
    )
    page = assert_portal_page(
        response, 403, "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ", "Quay lại trang trước"
    )
    assert 'href="http://testserver/accounts/login/?next=/dashboard/"' in page
    assert "_auth_user_id" not in client.session


def test_the_csrf_refusal_never_links_to_another_site():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {}, HTTP_REFERER="https://ke-la.example/gia-mao")
    page = assert_portal_page(response, 403, "Phiên làm việc đã hết hạn")
    assert "ke-la.example" not in page
    assert "Quay lại trang trước" not in page


def test_429_in_vietnamese(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    page = render(request, "429.html", status=429).content.decode()
    assert "Quá nhiều yêu cầu" in page and "Lỗi 429" in page and "site-header" in page
