"""The admin for units, users and memberships: Front admins only, Vietnamese labels, safe edits."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Unit
from dksangtao.roles import Role

pytestmark = pytest.mark.django_db


def test_front_admin_searches_and_filters_units(client, front_admin, unit_a, unit_b):
    client.force_login(front_admin)
    response = client.get(reverse("admin:accounts_unit_changelist"), {"q": "Khoa học"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sở Khoa học và Công nghệ" in page
    assert "Sở Giáo dục và Đào tạo" not in page
    response = client.get(reverse("admin:accounts_unit_changelist"), {"kind__exact": "so_ban_nganh"})
    assert "Loại đơn vị" in response.content.decode()


def test_the_unit_list_costs_the_same_for_few_and_many_units(
    client, front_admin, django_assert_max_num_queries
):
    from tests.factories import UnitFactory

    client.force_login(front_admin)
    parent = UnitFactory()
    UnitFactory.create_batch(3, parent=parent)
    client.get(reverse("admin:accounts_unit_changelist"))  # the memberships cached from now on
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("admin:accounts_unit_changelist"))
    UnitFactory.create_batch(40, parent=parent)
    with django_assert_max_num_queries(12) as many:
        client.get(reverse("admin:accounts_unit_changelist"))
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("person", ["staff", "reviewer", "council_member", "fund_maker"])
def test_other_roles_cannot_open_the_admin(client, request, person):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("admin:accounts_unit_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_moving_a_unit_under_its_child_is_refused_and_nothing_changes(
    client, front_admin, unit_a, unit_a_child
):
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:accounts_unit_change", args=[unit_a.pk]),
        {
            "name": "Tên đã sửa",
            "code": unit_a.code,
            "kind": unit_a.kind,
            "parent": unit_a_child.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "không thể là chính đơn vị này hoặc một đơn vị trực thuộc" in response.content.decode()
    unit_a.refresh_from_db()
    assert unit_a.parent is None
    assert unit_a.name == "Sở Khoa học và Công nghệ"


def test_granting_a_role_in_the_admin_grants_the_unit_permissions(client, front_admin, unit_b):
    from tests.factories import UserFactory

    person = UserFactory()
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": person.pk, "unit": unit_b.pk, "role": Role.UNIT_REVIEWER, "position": "Phó Giám đốc"},
    )
    assert response.status_code == 302, response.content.decode()
    assert person.has_perm("accounts.review_dossiers", unit_b)
    membership = Membership.objects.get(user=person)
    client.post(reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"})
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_perm("accounts.review_dossiers", unit_b)


def test_a_role_in_an_inactive_unit_is_refused(client, front_admin):
    from tests.factories import UnitFactory, UserFactory

    old_district = UnitFactory(is_active=False, name="UBND huyện Phú Vang")
    person = UserFactory()
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": person.pk, "unit": old_district.pk, "role": Role.UNIT_STAFF},
    )
    assert response.status_code == 200
    assert "đơn vị đã ngừng hoạt động" in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()
    assert Unit.objects.filter(pk=old_district.pk, is_active=False).exists()


def test_a_front_admin_cannot_make_anyone_superuser_nor_touch_a_superuser(client, front_admin):
    from accounts.models import User

    root = User.objects.create_superuser("root@example.vn", "Root-Password-2026", full_name="Quản trị gốc")
    client.force_login(front_admin)
    client.post(
        reverse("admin:accounts_user_change", args=[front_admin.pk]),
        {
            "email": front_admin.email,
            "full_name": front_admin.full_name,
            "phone": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "01/01/2026",
            "date_joined_1": "00:00",
        },
    )
    front_admin.refresh_from_db()
    assert not front_admin.is_superuser
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Chiem-Quyen-2026", "password2": "Chiem-Quyen-2026"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("Root-Password-2026")


def test_an_extension_cannot_be_moved_to_another_unit(client, front_admin, unit_a, unit_b):
    import datetime as dt

    from submissions.models import DeadlineExtension
    from tests.submissions.conftest import CampaignFactory

    campaign = CampaignFactory(year=2026)
    extension = DeadlineExtension.objects.create(
        campaign=campaign,
        unit=unit_a,
        submissions_close=dt.date(2026, 7, 5),
        reason="Bão.",
        granted_by=front_admin,
    )
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:submissions_deadlineextension_change", args=[extension.pk]),
        {
            "unit": unit_b.pk,
            "campaign": campaign.pk,
            "submissions_close": "08/07/2026",
            "reason": "Bão số 5.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(DeadlineExtension.objects.values_list("unit__code", "submissions_close")) == [
        ("so-khcn", dt.date(2026, 7, 8))
    ]


def test_a_position_changed_and_an_extension_deleted_in_the_admin_are_recorded(client, front_admin, unit_a):
    import datetime as dt

    from dksangtao.audit import Action, trail_for
    from dksangtao.models import AuditEvent
    from submissions.models import DeadlineExtension
    from submissions.services import deadline_extend
    from tests.factories import UserFactory
    from tests.submissions.conftest import CampaignFactory

    person = UserFactory()
    client.force_login(front_admin)
    client.post(
        reverse("admin:accounts_membership_add"),
        {"user": person.pk, "unit": unit_a.pk, "role": Role.UNIT_STAFF, "position": "Chuyên viên"},
    )
    membership = Membership.objects.get(user=person)
    response = client.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]), {"position": "Trưởng phòng"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (changed,) = trail_for(person, actions=[Action.POSITION_CHANGED])
    assert (changed.actor, changed.detail["summary"]) == (front_admin, "Chuyên viên → Trưởng phòng")

    campaign = CampaignFactory(year=2026)
    extension = deadline_extend(
        campaign=campaign, unit=unit_a, until=dt.date(2026, 7, 5), reason="Bão.", actor=front_admin
    )
    delete = reverse("admin:submissions_deadlineextension_delete", args=[extension.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403  # a Front admin changes, never deletes
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    client.post(delete, {"post": "yes"})
    assert not DeadlineExtension.objects.exists()
    deleted = AuditEvent.objects.get(action=Action.RECORD_DELETED)
    assert (deleted.actor, deleted.object_id) == (superuser, extension.pk)
