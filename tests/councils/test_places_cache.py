"""A person's places on councils are read from the shared cache between requests (issue #16: the fixed
cost of every signed-in page), and every change of a place, or of which campaign is current, is seen
on the very next request."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Council, CouncilMember, MemberRole
from councils.permissions import council_of, council_places, current_place
from councils.services import council_found, council_member_add
from tests.factories import CampaignFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The person as the next request loads them (no per-request cache carried over)."""
    return type(user).objects.get(pk=user.pk)


def test_a_second_request_reads_the_places_from_the_cache(council, council_member, django_assert_num_queries):
    first = _fresh(council_member)
    assert [place.role for place in council_places(first)] == [MemberRole.MEMBER]
    again = _fresh(council_member)
    with django_assert_num_queries(0):  # the current campaign's id is cached too
        places = council_places(again)
    assert [(place.council_id, place.is_current) for place in places] == [(council.pk, True)]


def test_a_place_added_removed_or_changed_is_seen_at_once(council, front_unit, client):
    person = UserFactory(full_name="Lê Văn Hùng", email="hung@example.vn")
    assert council_places(_fresh(person)) == []  # cached: no place

    council_member_add(council=council, user=person, role=MemberRole.MEMBER, home_unit=front_unit, actor=None)
    assert current_place(_fresh(person)).role == MemberRole.MEMBER
    client.force_login(person)
    assert client.get(reverse("councils:scoring")).status_code == 200

    CouncilMember.objects.filter(user=person).get().delete()  # as the admin's inline row does
    assert council_places(_fresh(person)) == []
    assert client.get(reverse("councils:scoring")).status_code == 403

    place = CouncilMember.objects.create(
        council=council, user=person, role=MemberRole.MEMBER, home_unit=front_unit
    )
    assert current_place(_fresh(person)).role == MemberRole.MEMBER
    place.role = MemberRole.SECRETARY
    place.save()
    assert current_place(_fresh(person)).role == MemberRole.SECRETARY


def test_a_new_current_campaign_moves_the_current_place(council, council_member):
    assert current_place(_fresh(council_member)).council == council
    # the next campaign, whose ceremony is still to come, becomes the current one at once
    today = dt.date.today()
    upcoming = CampaignFactory(year=today.year + 1)  # its ceremony on 2/9 next year
    assert current_place(_fresh(council_member)) is None
    next_council = council_found(
        campaign=upcoming,
        name="Hội đồng năm sau",
        decision_number="1/QĐ",
        decision_date=today,
        signer="Chủ tịch",
        actor=None,
    )
    council_member_add(
        council=next_council,
        user=council_member,
        role=MemberRole.CHAIR,
        home_unit=UnitFactory(name="Sở Khoa học và Công nghệ"),
        actor=None,
    )
    place = current_place(_fresh(council_member))
    assert (place.council, place.role) == (next_council, MemberRole.CHAIR)


def test_the_council_itself_is_read_fresh(council, secretary):
    """Only the places are kept: the council's own state (here its announcement) is read on the page."""
    assert council_of(_fresh(secretary)).results_announced_at is None
    Council.objects.filter(pk=council.pk).update(results_announced_at=timezone.now(), name="Hội đồng mới")
    fresh = council_of(_fresh(secretary))
    assert fresh.results_announced_at is not None and fresh.name == "Hội đồng mới"
