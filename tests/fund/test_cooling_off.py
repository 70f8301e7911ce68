"""The last step of today's attack: a payment drafted by one person and approved by an account made
(or promoted) for the purpose days ago. An account created, or granted a money role, within
MONEY_ROLE_COOLING_DAYS cannot approve money (issue #15, item 1)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from accounts.services import role_request_approve, role_request_create, user_invite
from dksangtao.errors import ActionRefused
from dksangtao.roles import Role
from fund.models import Status, Transaction
from fund.services import transaction_approve
from tests.factories import UserFactory, person_with_role
from tests.fund.test_posting_service import _payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_admin(front_unit):
    return person_with_role(
        Role.FRONT_ADMIN, front_unit, full_name="Hồ Thị Minh Nguyệt", email="nguyet@example.vn"
    )


def test_a_checker_made_for_the_purpose_cannot_approve_the_payment(
    settings, funded, fund_maker, front_admin, second_admin, front_unit
):
    settings.MONEY_ROLE_COOLING_DAYS = 7
    funded()
    crony = user_invite(email="tay.chan@example.vn", full_name="Tay Chân", actor=front_admin)
    request = role_request_create(
        user=crony, unit=front_unit, role=Role.FUND_CHECKER, kind="grant", actor=front_admin
    )
    role_request_approve(request=request, actor=second_admin)  # even if the second admin is fooled
    txn = _payment(fund_maker, 2_000_000)
    opens = timezone.localtime(User.objects.get(pk=crony.pk).date_joined + dt.timedelta(days=7))
    with pytest.raises(ActionRefused, match=f"chỉ được duyệt từ {opens:%H:%M} ngày {opens:%d/%m/%Y}"):
        transaction_approve(txn=txn, approver=User.objects.get(pk=crony.pk))
    assert Transaction.objects.get(pk=txn.pk).status == Status.DRAFT
    # a week later the account may approve like any other checker
    User.objects.filter(pk=crony.pk).update(date_joined=timezone.now() - dt.timedelta(days=8))
    Membership.objects.filter(user=crony).update(created_at=timezone.now() - dt.timedelta(days=8))
    transaction_approve(txn=txn, approver=User.objects.get(pk=crony.pk))
    assert Transaction.objects.get(pk=txn.pk).status == Status.POSTED


def test_an_old_account_newly_made_checker_waits_too_and_the_page_says_until_when(
    settings, client, funded, fund_maker, front_unit
):
    settings.MONEY_ROLE_COOLING_DAYS = 7
    funded()
    old_hand = UserFactory(full_name="Phan Văn Cũ")
    from accounts.services import membership_grant

    membership_grant(user=old_hand, unit=front_unit, role=Role.FUND_CHECKER, actor=None)
    txn = _payment(fund_maker, 1_000_000)
    client.force_login(old_hand)
    queue = client.get(reverse("fund:approvals")).content.decode()
    assert "bạn chỉ được duyệt từ" in queue and reverse("fund:approve", args=[txn.pk]) not in queue
    response = client.post(reverse("fund:approve", args=[txn.pk]))
    assert response.status_code == 409
    assert "mới được giao vai trò duyệt chi" in response.content.decode()
    assert Transaction.objects.get(pk=txn.pk).status == Status.DRAFT
