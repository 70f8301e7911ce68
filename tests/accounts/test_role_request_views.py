"""The «Đề nghị giao, thu hồi vai trò» page: a Front admin asks, a second one decides; outsiders are
refused, bad input gets a clear message and changes nothing."""

import pytest
from django.urls import reverse

from accounts.models import Membership, RoleRequest
from accounts.services import role_request_create
from dksangtao.roles import Role
from tests.factories import UserFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_admin(front_unit):
    return person_with_role(
        Role.FRONT_ADMIN, front_unit, full_name="Hồ Thị Minh Nguyệt", email="nguyet@example.vn"
    )


def ask(front_unit, person, **overrides):
    return {
        "kind": "grant",
        "email": person.email,
        "role": Role.FUND_CHECKER,
        "unit": front_unit.pk,
        **overrides,
    }


def test_a_front_admin_asks_and_a_second_one_approves_on_the_page(
    client, front_admin, second_admin, front_unit
):
    person = UserFactory(email="can.bo@example.vn")
    client.force_login(front_admin)
    response = client.post(
        reverse("role_request_new"), ask(front_unit, person, reason="Bổ sung kiểm soát Quỹ")
    )
    assert response.status_code == 302
    request = RoleRequest.objects.get()
    page = client.get(reverse("role_requests")).content.decode()
    assert "1 đề nghị chờ duyệt" in page and "Người đề nghị không được tự duyệt" in page
    own = client.post(reverse("role_request_approve", args=[request.pk]))
    assert own.status_code == 409 and "Người đề nghị không được tự duyệt" in own.content.decode()
    assert not Membership.objects.filter(user=person).exists()
    client.force_login(second_admin)
    assert "1 đề nghị chờ duyệt" in client.get(reverse("dashboard")).content.decode()
    assert client.post(reverse("role_request_approve", args=[request.pk])).status_code == 302
    assert Membership.objects.filter(user=person, role=Role.FUND_CHECKER).exists()


def test_the_pages_are_refused_to_everyone_else(client, front_admin, front_unit, fund_checker, staff):
    request = role_request_create(
        user=UserFactory(), unit=front_unit, role=Role.FUND_MAKER, kind="grant", actor=front_admin
    )
    for person in (fund_checker, staff):
        client.force_login(person)
        assert client.get(reverse("role_requests")).status_code == 403
        assert client.post(reverse("role_request_new"), ask(front_unit, person)).status_code == 403
        for name in ("role_request_approve", "role_request_reject", "role_request_cancel"):
            assert client.post(reverse(name, args=[request.pk]), {"reason": "x"}).status_code == 403
    client.logout()
    assert client.get(reverse("role_requests")).status_code == 302
    assert RoleRequest.objects.get().status == RoleRequest.Status.PENDING
    assert RoleRequest.objects.count() == 1 and not Membership.objects.filter(role=Role.FUND_MAKER).exists()


def test_bad_input_gets_a_clear_message_and_changes_nothing(client, front_admin, second_admin, front_unit):
    person = UserFactory()
    client.force_login(front_admin)
    unknown = client.post(reverse("role_request_new"), ask(front_unit, person, email="khong.co@example.vn"))
    assert unknown.status_code == 400
    assert "Không có tài khoản nào dùng địa chỉ thư điện tử này" in unknown.content.decode()
    direct = client.post(reverse("role_request_new"), ask(front_unit, person, role=Role.UNIT_STAFF))
    assert direct.status_code == 400
    garbage = client.post(reverse("role_request_new"), ask(front_unit, person, unit="abc", kind="x"))
    assert garbage.status_code == 400
    assert not RoleRequest.objects.exists()
    request = role_request_create(
        user=person, unit=front_unit, role=Role.FUND_MAKER, kind="grant", actor=front_admin
    )
    client.force_login(second_admin)
    no_reason = client.post(reverse("role_request_reject", args=[request.pk]), {"reason": "  "})
    assert no_reason.status_code == 400 and "Hãy nêu lý do từ chối" in no_reason.content.decode()
    assert client.post(reverse("role_request_approve", args=[999999])).status_code == 404
    assert RoleRequest.objects.get().status == RoleRequest.Status.PENDING
    rejected = client.post(
        reverse("role_request_reject", args=[request.pk]), {"reason": "Chưa có quyết định"}
    )
    assert rejected.status_code == 302
    request.refresh_from_db()
    assert request.status == RoleRequest.Status.REJECTED and request.decision_reason == "Chưa có quyết định"
    assert not Membership.objects.filter(user=person).exists()


def test_the_list_costs_the_same_for_few_and_many_requests(client, front_admin, front_unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(front_admin)

    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("role_requests")).status_code == 200
        return len(captured)

    role_request_create(
        user=UserFactory(), unit=front_unit, role=Role.FUND_MAKER, kind="grant", actor=front_admin
    )
    queries_for_page()  # the first request of a session also reads what is cached afterwards
    few = queries_for_page()
    for _ in range(5):
        role_request_create(
            user=UserFactory(), unit=front_unit, role=Role.FUND_CHECKER, kind="grant", actor=front_admin
        )
    assert queries_for_page() == few
