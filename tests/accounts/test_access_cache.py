"""A person's memberships are cached between requests (accounts.selectors.user_memberships): a role
granted or revoked, a position or a unit renamed, shows on the very next request all the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, User
from accounts.selectors import unit_permissions, user_memberships
from accounts.services import (
    membership_grant,
    membership_revoke,
    membership_set_position,
    role_request_approve,
    role_request_create,
    unit_members_refresh,
)
from dksangtao.roles import REVIEW_DOSSIERS, Role
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

QUEUE = "submissions:review_queue"


def _membership_reads(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, sum('FROM "accounts_membership"' in q["sql"] for q in queries.captured_queries)


def test_the_second_request_reads_the_memberships_from_the_cache(client, reviewer):
    client.force_login(reviewer)
    assert _membership_reads(client, reverse(QUEUE)) == (200, 1)
    assert _membership_reads(client, reverse(QUEUE)) == (200, 0)


def test_a_revoked_role_is_gone_on_the_very_next_request(client, reviewer, front_admin):
    client.force_login(reviewer)
    assert client.get(reverse(QUEUE)).status_code == 200
    assert client.get(reverse(QUEUE)).status_code == 200  # now served from the cache
    membership = Membership.objects.get(user=reviewer, role=Role.UNIT_REVIEWER)
    membership_revoke(membership=membership, actor=front_admin)
    assert client.get(reverse(QUEUE)).status_code == 403
    assert reverse(QUEUE) not in client.get(reverse("dashboard")).content.decode()  # nor in the menu


def test_a_granted_role_opens_the_page_on_the_very_next_request(client, outsider, unit_a):
    client.force_login(outsider)
    assert client.get(reverse(QUEUE)).status_code == 403
    assert client.get(reverse(QUEUE)).status_code == 403
    membership_grant(user=outsider, unit=unit_a, role=Role.UNIT_REVIEWER, actor=None)
    assert client.get(reverse(QUEUE)).status_code == 200


def test_a_money_role_revoked_through_a_request_is_gone_on_the_next_request(
    settings, client, fund_checker, front_admin, front_unit
):
    settings.MONEY_ROLE_COOLING_DAYS = 0
    second_admin = person_with_role(Role.FRONT_ADMIN, front_unit)
    client.force_login(fund_checker)
    assert client.get(reverse("fund:approvals")).status_code == 200
    assert client.get(reverse("fund:approvals")).status_code == 200
    request = role_request_create(
        user=fund_checker, unit=front_unit, role=Role.FUND_CHECKER, kind="revoke", actor=front_admin
    )
    role_request_approve(request=request, actor=second_admin)
    assert client.get(reverse("fund:approvals")).status_code == 403


def test_a_new_position_and_a_renamed_unit_show_on_the_next_request(client, staff, unit_a):
    client.force_login(staff)
    client.get(reverse("dashboard"))
    membership = Membership.objects.get(user=staff, unit=unit_a)
    membership_set_position(membership=membership, position="Chuyên viên", actor=None)
    assert user_memberships(User.objects.get(pk=staff.pk))[0].position == "Chuyên viên"
    unit_a.name = "Sở Thử Nghiệm Đổi Tên"
    unit_a.save()
    unit_members_refresh(unit=unit_a)
    assert "Sở Thử Nghiệm Đổi Tên" in client.get(reverse("dashboard")).content.decode()


def test_unit_permissions_follow_the_memberships(reviewer, unit_a, unit_b, front_admin):
    assert unit_permissions(User.objects.get(pk=reviewer.pk))[REVIEW_DOSSIERS] == {unit_a.pk}
    membership_grant(user=reviewer, unit=unit_b, role=Role.UNIT_REVIEWER, actor=None)
    assert unit_permissions(User.objects.get(pk=reviewer.pk))[REVIEW_DOSSIERS] == {unit_a.pk, unit_b.pk}
    membership_revoke(membership=Membership.objects.get(user=reviewer, unit=unit_a), actor=front_admin)
    assert unit_permissions(User.objects.get(pk=reviewer.pk))[REVIEW_DOSSIERS] == {unit_b.pk}
    User.objects.filter(pk=reviewer.pk).update(is_active=False)
    assert not unit_permissions(User.objects.get(pk=reviewer.pk))
