# ruff: noqa: F811  (pytest fixtures imported from other test modules are used as arguments)
"""The award list's two-admin rule, defeated today by a second admin account made for the purpose:
an admin account created or promoted within MONEY_ROLE_COOLING_DAYS cannot approve the list, which
fixes the prizes (issue #15, item 1)."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Membership, User
from accounts.services import membership_grant
from awards import services
from awards.models import AwardList
from dksangtao.errors import ActionRefused
from dksangtao.roles import Role
from tests.awards.test_award_list import draft, run  # noqa: F401
from tests.awards.test_ranking import scored_entries  # noqa: F401
from tests.councils.test_progress import three  # noqa: F401
from tests.councils.test_scoring import council, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_second_admin_made_for_the_purpose_cannot_approve_the_list(settings, draft, front_unit):
    settings.MONEY_ROLE_COOLING_DAYS = 7
    sock_puppet = User.objects.create_user("buc.nhin@example.vn", None, full_name="Bù Nhìn")
    membership_grant(user=sock_puppet, unit=front_unit, role=Role.FRONT_ADMIN, actor=None)
    with pytest.raises(ActionRefused, match="bạn chỉ được duyệt từ"):
        services.award_list_approve(award_list=draft, actor=User.objects.get(pk=sock_puppet.pk))
    assert AwardList.objects.get(pk=draft.pk).status == AwardList.Status.DRAFT
    week_ago = timezone.now() - dt.timedelta(days=8)
    User.objects.filter(pk=sock_puppet.pk).update(date_joined=week_ago)
    Membership.objects.filter(user=sock_puppet).update(created_at=week_ago)
    services.award_list_approve(award_list=draft, actor=User.objects.get(pk=sock_puppet.pk))
    assert AwardList.objects.get(pk=draft.pk).status == AwardList.Status.APPROVED
