"""Separation of duties that one person cannot get around (issue #15, item 1). Today's attack, step by
step: a Front admin creates an account in the admin with a password, grants it the fund checker role,
grants themself the maker role, drafts a payment and approves it as the other account. Each step is
refused here; the payment and the award list's steps are in tests/fund/test_cooling_off.py and
tests/awards/test_award_list_cooling.py."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, RoleRequest, User
from accounts.permissions import money_approval_opens_at, money_approval_refusal
from accounts.services import (
    invitation_resend,
    membership_grant,
    role_request_approve,
    role_request_cancel,
    role_request_create,
    role_request_reject,
    user_invite,
)
from dksangtao.audit import Action
from dksangtao.errors import ActionRefused
from dksangtao.models import AuditEvent
from dksangtao.roles import MONEY_APPROVER_ROLES, Role
from tests.factories import PASSWORD, UserFactory, person_with_role

pytestmark = pytest.mark.django_db

GRANT, REVOKE = RoleRequest.Kind.GRANT, RoleRequest.Kind.REVOKE


@pytest.fixture
def second_admin(front_unit):
    return person_with_role(
        Role.FRONT_ADMIN, front_unit, full_name="Hồ Thị Minh Nguyệt", email="nguyet@example.vn"
    )


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.vn", "Root-Password-2026", full_name="Quản trị gốc")


def actions_on(user):
    return list(AuditEvent.objects.filter(object_id=user.pk).order_by("id").values_list("action", flat=True))


# Step 1: create an account with a password -----------------------------------------------------------


def test_the_admin_creates_accounts_without_any_password_and_invites_the_person(
    client, front_admin, django_capture_on_commit_callbacks
):
    client.force_login(front_admin)
    page = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert 'name="password1"' not in page and 'name="password2"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_add"),
            {
                "email": "Tay.Chan@Example.vn",
                "full_name": "Tay Chân",
                "phone": "",
                "password1": "Mat-Khau-Do-Admin-Dat-2026",
                "password2": "Mat-Khau-Do-Admin-Dat-2026",
            },
        )
    assert response.status_code == 302, response.content.decode()
    crony = User.objects.get(email="tay.chan@example.vn")
    assert not crony.has_usable_password()
    assert not crony.check_password("Mat-Khau-Do-Admin-Dat-2026")
    assert crony.created_by == front_admin
    assert Action.ACCOUNT_INVITED in actions_on(crony)
    (message,) = mail.outbox
    assert message.to == ["tay.chan@example.vn"]
    assert "/accounts/invitation/" in message.body and "tự đặt mật khẩu" in message.body


def test_no_admin_form_shows_or_sets_another_persons_password_but_a_superusers(
    client, front_admin, staff, superuser
):
    client.force_login(front_admin)
    page = client.get(reverse("admin:accounts_user_change", args=[staff.pk])).content.decode()
    assert "pbkdf2" not in page and "password/" not in page
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": "Chiem-Quyen-2026", "password2": "Chiem-Quyen-2026"},
    )
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
    # break glass: the superuser may, and it is on the record
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {
            "password1": "Khan-Cap-Mo-Khoa-2026",
            "password2": "Khan-Cap-Mo-Khoa-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password("Khan-Cap-Mo-Khoa-2026")
    assert Action.PASSWORD_SET_BY_SUPERUSER in actions_on(staff)


def test_the_invitation_link_sets_the_first_password_once(
    client, front_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = user_invite(email="moi@example.vn", full_name="Người Mới", actor=front_admin)
    link = mail.outbox[0].body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    response = client.get(link, follow=True)
    assert "Đặt mật khẩu cho tài khoản mới" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and not User.objects.get(pk=person.pk).has_usable_password()
    done = client.post(
        form_url, {"new_password1": "Tu-Dat-Mat-Khau-2026", "new_password2": "Tu-Dat-Mat-Khau-2026"}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=person.pk).check_password("Tu-Dat-Mat-Khau-2026")
    again = client.get(link, follow=True).content.decode()
    assert "không hợp lệ, đã hết hạn hoặc đã được dùng" in again
    with pytest.raises(ActionRefused, match="đã tự đặt mật khẩu"):
        invitation_resend(user=User.objects.get(pk=person.pk), actor=front_admin)


def test_the_invite_page_creates_and_resends_and_refuses_outsiders_and_bad_input(
    client, front_admin, outsider, django_capture_on_commit_callbacks
):
    client.force_login(outsider)
    assert client.get(reverse("invite")).status_code == 403
    assert client.post(reverse("invite"), {"email": "x@example.vn", "full_name": "X"}).status_code == 403
    client.force_login(front_admin)
    assert client.get(reverse("invite")).status_code == 200
    bad = client.post(reverse("invite"), {"email": "khong-phai-thu", "full_name": "  "})
    assert bad.status_code == 400 and "Vui lòng kiểm tra lại các mục sau" in bad.content.decode()
    taken = client.post(reverse("invite"), {"email": outsider.email.upper(), "full_name": "Trùng"})
    assert (
        taken.status_code == 400 and "Đã có tài khoản dùng địa chỉ thư điện tử này" in taken.content.decode()
    )
    assert User.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            reverse("invite"), {"email": "moi@example.vn", "full_name": "Người Mới", "phone": ""}
        )
    assert made.status_code == 302
    person = User.objects.get(email="moi@example.vn")
    assert person.created_by == front_admin and not person.has_usable_password()
    assert "Người Mới" in client.get(reverse("invite")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("invitation_resend", args=[person.pk])).status_code == 302
    assert len(mail.outbox) == 2 and Action.INVITATION_RESENT in actions_on(person)
    refused = client.post(reverse("invitation_resend", args=[outsider.pk]))
    assert refused.status_code == 409 and "đã tự đặt mật khẩu" in refused.content.decode()


# Step 2: grant the crony the checker role, and oneself the maker role ----------------------------------


def test_the_admin_membership_page_refuses_sensitive_roles_to_a_front_admin(client, front_admin, front_unit):
    crony = UserFactory(created_by=front_admin)
    client.force_login(front_admin)
    for person, role in (
        (crony, Role.FUND_CHECKER),
        (front_admin, Role.FUND_MAKER),
        (crony, Role.FRONT_ADMIN),
    ):
        response = client.post(
            reverse("admin:accounts_membership_add"), {"user": person.pk, "unit": front_unit.pk, "role": role}
        )
        assert response.status_code == 200
        assert "chỉ được giao qua đề nghị có người thứ hai duyệt" in response.content.decode()
    assert not Membership.objects.filter(role__in=[Role.FUND_CHECKER, Role.FUND_MAKER]).exists()
    assert not Membership.objects.filter(user=crony).exists()


def test_the_admin_cannot_delete_a_sensitive_role_but_a_superuser_can_and_it_is_recorded(
    client, front_admin, second_admin, superuser
):
    membership = second_admin.memberships.get(role=Role.FRONT_ADMIN)
    client.force_login(front_admin)
    assert (
        client.post(
            reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    bulk = client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 403)
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.force_login(superuser)
    response = client.post(reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Action.ROLE_GRANTED_BY_SUPERUSER in actions_on(second_admin)


def test_a_sensitive_grant_is_a_request_and_changes_nothing_until_a_second_admin_approves(
    front_admin, second_admin, fund_checker, front_unit
):
    person = UserFactory()
    request = role_request_create(
        user=person, unit=front_unit, role=Role.FUND_CHECKER, kind=GRANT, actor=front_admin
    )
    assert request.status == RoleRequest.Status.PENDING
    assert not Membership.objects.filter(user=person).exists()
    with pytest.raises(ActionRefused, match="Người đề nghị không được tự duyệt"):
        role_request_approve(request=request, actor=front_admin)
    with pytest.raises(ActionRefused, match="Chỉ Ban Thường trực"):
        role_request_approve(request=request, actor=fund_checker)
    assert not Membership.objects.filter(user=person).exists()
    role_request_approve(request=request, actor=second_admin)
    request.refresh_from_db()
    assert request.status == RoleRequest.Status.APPROVED and request.decided_by == second_admin
    assert Membership.objects.filter(user=person, role=Role.FUND_CHECKER).exists()
    assert actions_on(person) == [Action.ROLE_REQUESTED, Action.ROLE_GRANTED, Action.ROLE_REQUEST_APPROVED]
    with pytest.raises(ActionRefused, match="đã ở trạng thái «Đã duyệt»"):
        role_request_approve(request=request, actor=second_admin)


def test_nobody_approves_a_request_about_themself_or_about_an_account_they_created(
    front_admin, second_admin, front_unit, superuser
):
    crony = UserFactory(created_by=front_admin)
    # the crony's checker role, asked by the other admin: still not for its creator to approve
    about_crony = role_request_create(
        user=crony, unit=front_unit, role=Role.FUND_CHECKER, kind=GRANT, actor=second_admin
    )
    with pytest.raises(ActionRefused, match="Người đã tạo tài khoản này không được duyệt"):
        role_request_approve(request=about_crony, actor=front_admin)
    # the admin's own maker role, asked by the other admin: not for the admin to approve
    about_self = role_request_create(
        user=front_admin, unit=front_unit, role=Role.FUND_MAKER, kind=GRANT, actor=second_admin
    )
    with pytest.raises(ActionRefused, match="chính mình"):
        role_request_approve(request=about_self, actor=front_admin)
    with pytest.raises(ActionRefused, match="chính mình"):
        role_request_reject(request=about_self, actor=front_admin, reason="Tự từ chối")
    assert not Membership.objects.filter(role__in=[Role.FUND_CHECKER, Role.FUND_MAKER]).exists()
    assert RoleRequest.objects.filter(status=RoleRequest.Status.PENDING).count() == 2
    # a superuser decides, and the database keeps the four eyes too
    role_request_reject(request=about_crony, actor=superuser, reason="Tài khoản chưa xác minh")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRequest.objects.filter(pk=about_self.pk).update(decided_by=front_admin)


def test_a_revoke_is_a_request_too_and_the_requester_may_cancel(front_admin, second_admin, fund_checker):
    unit = fund_checker.memberships.get().unit
    request = role_request_create(
        user=fund_checker, unit=unit, role=Role.FUND_CHECKER, kind=REVOKE, actor=front_admin
    )
    assert Membership.objects.filter(user=fund_checker).exists()
    with pytest.raises(ActionRefused, match="Đã có một đề nghị giống hệt"):
        role_request_create(
            user=fund_checker, unit=unit, role=Role.FUND_CHECKER, kind=REVOKE, actor=second_admin
        )
    with pytest.raises(ActionRefused, match="Chỉ người đề nghị được hủy"):
        role_request_cancel(request=request, actor=second_admin)
    role_request_approve(request=request, actor=second_admin)
    assert not Membership.objects.filter(user=fund_checker).exists()
    again = role_request_create(
        user=fund_checker, unit=unit, role=Role.FUND_CHECKER, kind=GRANT, actor=front_admin
    )
    role_request_cancel(request=again, actor=front_admin)
    assert RoleRequest.objects.get(pk=again.pk).status == RoleRequest.Status.CANCELLED
    with pytest.raises(ActionRefused, match="không giữ vai trò đó"):
        role_request_create(
            user=fund_checker, unit=unit, role=Role.FUND_CHECKER, kind=REVOKE, actor=front_admin
        )


def test_only_people_managers_request_and_other_roles_stay_direct(staff, fund_checker, front_admin, unit_a):
    person = UserFactory()
    with pytest.raises(ActionRefused, match="Chỉ Ban Thường trực"):
        role_request_create(user=person, unit=unit_a, role=Role.FUND_MAKER, kind=GRANT, actor=fund_checker)
    with pytest.raises(ActionRefused, match="được giao trực tiếp"):
        role_request_create(user=person, unit=unit_a, role=Role.UNIT_STAFF, kind=GRANT, actor=front_admin)
    assert not RoleRequest.objects.exists()


# One person never holds maker and checker --------------------------------------------------------------


def test_maker_and_checker_are_never_one_person_in_the_service(
    fund_maker, fund_checker, front_admin, front_unit
):
    with pytest.raises(ActionRefused, match="không được vừa lập chứng từ vừa duyệt chứng từ"):
        membership_grant(user=fund_maker, unit=front_unit, role=Role.FUND_CHECKER, actor=None)
    with pytest.raises(ActionRefused, match="không được vừa lập chứng từ vừa duyệt chứng từ"):
        role_request_create(
            user=fund_checker, unit=front_unit, role=Role.FUND_MAKER, kind=GRANT, actor=front_admin
        )
    assert set(fund_maker.memberships.values_list("role", flat=True)) == {Role.FUND_MAKER}
    assert set(fund_checker.memberships.values_list("role", flat=True)) == {Role.FUND_CHECKER}


def test_a_request_that_became_a_conflict_is_refused_at_approval(
    front_admin, second_admin, front_unit, finance_unit
):
    person = UserFactory()
    as_checker = role_request_create(
        user=person, unit=front_unit, role=Role.FUND_CHECKER, kind=GRANT, actor=front_admin
    )
    as_maker = role_request_create(
        user=person, unit=finance_unit, role=Role.FUND_MAKER, kind=GRANT, actor=front_admin
    )
    role_request_approve(request=as_checker, actor=second_admin)
    with pytest.raises(ActionRefused, match="không được vừa lập chứng từ vừa duyệt chứng từ"):
        role_request_approve(request=as_maker, actor=second_admin)
    assert RoleRequest.objects.get(pk=as_maker.pk).status == RoleRequest.Status.PENDING
    assert not Membership.objects.filter(user=person, role=Role.FUND_MAKER).exists()


@pytest.mark.postgres_only
def test_the_database_refuses_maker_and_checker_for_one_person(fund_maker, front_unit):
    with (
        pytest.raises(IntegrityError, match="membership_fund_maker_not_checker"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO accounts_membership (user_id, unit_id, role, position, created_at) "
            "VALUES (%s, %s, 'fund_checker', '', now())",
            [fund_maker.pk, front_unit.pk],
        )
    # the same role in another unit, and other roles beside it, stay possible
    Membership.objects.create(user=fund_maker, unit=front_unit, role=Role.FUND_MAKER)
    Membership.objects.create(user=fund_maker, unit=front_unit, role=Role.FRONT_ADMIN)


# Cooling-off ---------------------------------------------------------------------------------------


def test_a_fresh_account_or_a_fresh_money_role_waits_before_approving(settings, front_unit):
    settings.MONEY_ROLE_COOLING_DAYS = 7
    fresh = User.objects.create_user("moi@example.vn", None, full_name="Người Mới")
    membership_grant(user=fresh, unit=front_unit, role=Role.FUND_CHECKER, actor=None)
    message = money_approval_refusal(fresh, MONEY_APPROVER_ROLES)
    opens = timezone.localtime(fresh.date_joined + dt.timedelta(days=7))
    assert f"bạn chỉ được duyệt từ {opens:%H:%M} ngày {opens:%d/%m/%Y}" in message
    # an old account with a role granted today waits too, from the grant
    old = UserFactory()
    membership_grant(user=old, unit=front_unit, role=Role.FRONT_ADMIN, actor=None)
    assert money_approval_opens_at(old, MONEY_APPROVER_ROLES) is not None
    # eight days on (travelling rather than back-dating the row: memberships are cached under the
    # person's access_version, which only the services bump)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        old = User.objects.get(pk=old.pk)
        assert money_approval_opens_at(old, MONEY_APPROVER_ROLES) is None
    settings.MONEY_ROLE_COOLING_DAYS = 0
    assert money_approval_refusal(fresh, MONEY_APPROVER_ROLES) == ""


def test_the_demo_approvers_are_not_held_by_the_cooling_off():
    from django.core.management import call_command

    call_command("seed_demo")
    for local in ("kiemsoat.quy", "quantri.mttq", "thuongtruc.mttq"):
        person = User.objects.get(email=f"{local}@demo.dksangtao.vn")
        assert money_approval_opens_at(person, MONEY_APPROVER_ROLES) is None, local


def test_a_front_admin_cannot_redirect_someones_password_link_by_changing_their_address(
    client, front_admin, fund_checker
):
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:accounts_user_change", args=[fund_checker.pk]),
        {
            "email": "bao.rieng@example.vn",
            "full_name": fund_checker.full_name,
            "phone": "",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    fund_checker.refresh_from_db()
    assert fund_checker.email == "phuc@example.vn"
