import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Membership, UnitKind
from accounts.selectors import dashboard_cards, unit_ids_with_perm, unit_tree_ids, user_roles
from accounts.services import membership_grant, membership_revoke, unit_check_parent
from councils.models import MemberRole
from councils.permissions import may_screen
from councils.services import council_member_add
from dksangtao.roles import (
    PREPARE_DOSSIERS,
    REVIEW_DOSSIERS,
    ROLE_DUTIES,
    ROLE_UNIT_PERMISSIONS,
    VIEW_UNIT_REPORTS,
    Role,
)
from submissions.permissions import dossier_scope
from tests.factories import CampaignFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_unit_tree_covers_every_level_below_in_one_query(django_assert_num_queries):
    province = UnitFactory(kind=UnitKind.PEOPLES_COMMITTEE_PROVINCE)
    education = UnitFactory(parent=province)
    school = UnitFactory(parent=education, kind=UnitKind.PUBLIC_SERVICE)
    club = UnitFactory(parent=school, kind=UnitKind.PUBLIC_SERVICE)
    elsewhere = UnitFactory()
    with django_assert_num_queries(1):
        assert unit_tree_ids([education.pk]) == {education.pk, school.pk, club.pk}
    assert elsewhere.pk not in unit_tree_ids([province.pk])


def test_a_unit_cannot_be_moved_under_its_own_child(unit_a, unit_a_child):
    with pytest.raises(ValidationError) as excinfo:
        unit_check_parent(unit=unit_a, parent=unit_a_child)
    assert "trực thuộc" in str(excinfo.value)
    with pytest.raises(ValidationError):
        unit_check_parent(unit=unit_a, parent=unit_a)
    unit_check_parent(unit=unit_a_child, parent=unit_a)  # the right way round is fine


def test_the_database_refuses_a_unit_that_is_its_own_parent(unit_a):
    unit_a.parent_id = unit_a.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        unit_a.save()


def test_historical_district_units_stay_in_the_tree_but_inactive():
    province = UnitFactory(kind=UnitKind.PEOPLES_COMMITTEE_PROVINCE)
    district = UnitFactory(kind=UnitKind.PEOPLES_COMMITTEE_DISTRICT, parent=province, is_active=False)
    assert district.pk in unit_tree_ids([province.pk])
    assert district.get_kind_display() == "UBND cấp huyện (trước 01/7/2025)"


def test_staff_may_prepare_dossiers_of_their_own_unit_only(staff, unit_a, unit_a_child, unit_b):
    assert staff.has_perm(f"accounts.{PREPARE_DOSSIERS}", unit_a)
    assert not staff.has_perm(f"accounts.{PREPARE_DOSSIERS}", unit_b)
    assert not staff.has_perm(f"accounts.{REVIEW_DOSSIERS}", unit_a)
    # Staff act for their own unit only: preparing does not reach the child unit.
    assert unit_ids_with_perm(staff, PREPARE_DOSSIERS) == {unit_a.pk}


def test_a_reviewer_covers_the_child_units_and_nothing_else(reviewer, unit_a, unit_a_child, unit_b):
    assert unit_ids_with_perm(reviewer, REVIEW_DOSSIERS) == {unit_a.pk, unit_a_child.pk}
    assert unit_ids_with_perm(reviewer, PREPARE_DOSSIERS) == set()
    assert unit_b.pk not in unit_ids_with_perm(reviewer, VIEW_UNIT_REPORTS)


def test_an_outsider_gets_nothing_in_unit_a(outsider, unit_a, unit_b):
    assert not outsider.has_perm(f"accounts.{PREPARE_DOSSIERS}", unit_a)
    assert unit_ids_with_perm(outsider, PREPARE_DOSSIERS) == {unit_b.pk}


def test_one_person_may_hold_several_roles_in_several_units(unit_a, unit_b, council):
    person = UserFactory()
    membership_grant(user=person, unit=unit_a, role=Role.UNIT_STAFF, actor=None)
    membership_grant(user=person, unit=unit_b, role=Role.UNIT_REVIEWER, actor=None)
    membership_grant(user=person, unit=unit_b, role=Role.DEPARTMENT_VIEWER, actor=None)
    council_member_add(council=council, user=person, role=MemberRole.MEMBER, home_unit=unit_b, actor=None)
    assert user_roles(person) == {Role.UNIT_STAFF, Role.UNIT_REVIEWER, Role.DEPARTMENT_VIEWER}
    cards = dashboard_cards(person)
    assert [card.role for card in cards] == [
        Role.UNIT_STAFF,
        Role.UNIT_REVIEWER,
        Role.DEPARTMENT_VIEWER,
        "council_member",  # the place on the current campaign's council, not a portal role
    ]
    assert cards[1].units == [unit_b]
    assert cards[3].note == council.name


def test_a_council_role_is_a_place_on_the_current_council_only(unit_b, council, campaign):
    """Authority on the council comes from the council: a place on last year's council gives nothing
    this year, and a membership of a unit gives no council role."""
    person = UserFactory()
    council_member_add(council=council, user=person, role=MemberRole.SECRETARY, home_unit=unit_b, actor=None)
    assert may_screen(person) and person.has_perm("councils.change_rubric")
    CampaignFactory(year=campaign.year + 1)  # a new campaign begins: its council is not set up yet
    person = type(person).objects.get(pk=person.pk)  # a new request
    assert not may_screen(person) and not person.has_perm("councils.change_rubric")
    assert [card.role for card in dashboard_cards(person)] == []
    assert not dossier_scope(person).council_campaigns  # last year's entries are not theirs to read


def test_losing_another_role_keeps_the_current_secretary_in_the_admin(unit_b, front_unit, council):
    person = UserFactory()
    front_role = membership_grant(user=person, unit=front_unit, role=Role.FRONT_ADMIN, actor=None)
    council_member_add(council=council, user=person, role=MemberRole.SECRETARY, home_unit=unit_b, actor=None)
    membership_revoke(membership=front_role, actor=None)
    person = type(person).objects.get(pk=person.pk)
    assert person.is_staff and person.has_perm("councils.change_rubric")
    assert not person.has_perm("accounts.change_unit")  # what the Front admin's group gave is gone


def test_granting_twice_keeps_one_membership(unit_a):
    person = UserFactory()
    membership_grant(user=person, unit=unit_a, role=Role.UNIT_STAFF, actor=None)
    membership_grant(user=person, unit=unit_a, role=Role.UNIT_STAFF, actor=None)
    assert Membership.objects.filter(user=person).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=person, unit=unit_a, role=Role.UNIT_STAFF)


def test_revoking_a_role_keeps_what_another_role_still_gives(unit_a):
    person = UserFactory()
    viewer_role = membership_grant(user=person, unit=unit_a, role=Role.DEPARTMENT_VIEWER, actor=None)
    reviewer_role = membership_grant(user=person, unit=unit_a, role=Role.UNIT_REVIEWER, actor=None)
    membership_revoke(membership=reviewer_role, actor=None)
    person = type(person).objects.get(pk=person.pk)  # fresh permission caches
    assert person.has_perm(f"accounts.{VIEW_UNIT_REPORTS}", unit_a)  # still given by the viewer role
    assert not person.has_perm(f"accounts.{REVIEW_DOSSIERS}", unit_a)
    membership_revoke(membership=viewer_role, actor=None)
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_perm(f"accounts.{VIEW_UNIT_REPORTS}", unit_a)


def test_the_front_admin_role_opens_the_admin_and_closing_it_shuts_it(front_unit):
    person = UserFactory()
    membership = membership_grant(user=person, unit=front_unit, role=Role.FRONT_ADMIN, actor=None)
    person = type(person).objects.get(pk=person.pk)
    assert person.is_staff
    assert person.has_perm("accounts.change_unit")
    membership_revoke(membership=membership, actor=None)
    person = type(person).objects.get(pk=person.pk)
    assert not person.is_staff
    assert not person.has_perm("accounts.change_unit")


def test_every_role_has_duties_and_a_vietnamese_name():
    for role in Role:
        assert ROLE_DUTIES[role]
        assert role.label
    assert set(ROLE_UNIT_PERMISSIONS) <= set(Role)
