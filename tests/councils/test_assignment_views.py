"""The secretary's assignment board and the member's conflict declaration: works, outsiders refused,
bad input refused with nothing changed, and the board's query count pinned."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Assignment, Council, CouncilMember, MemberRole
from submissions.models import Campaign, Status
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(campaign):
    # The ceremony still to come, whatever today is, so current_campaign() finds it in one query.
    ceremony = max(campaign.ceremony_date, timezone.localdate() + dt.timedelta(days=60))
    Campaign.objects.filter(pk=campaign.pk).update(ceremony_date=ceremony)
    return Council.objects.create(
        campaign=campaign,
        name="Hội đồng thẩm định sáng tạo năm 2026",
        decision_number="125/QĐ-MTTQ-BTT",
        decision_date=dt.date(2026, 3, 8),
        decision_signer="Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
    )


@pytest.fixture
def add_member(council, field):
    def add(unit, name, role=MemberRole.MEMBER):
        user = UserFactory(full_name=name, password=None)
        member = CouncilMember.objects.create(council=council, user=user, role=role, home_unit=unit)
        member.expertise.set([field])
        return member

    return add


@pytest.fixture
def members(add_member, unit_b):
    return [add_member(unit_b, name) for name in ["Mai Văn Bốn", "Mai Văn Năm", "Mai Văn Sáu"]]


def board():
    return reverse("councils:assignments")


def follow_message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_secretary_sees_the_board_and_runs_the_automatic_assignment(
    client, secretary, council, members, make_dossier, staff, unit_a
):
    dossiers = [make_dossier(unit_a, staff, Status.IN_APPRAISAL) for _ in range(2)]
    client.force_login(secretary)
    page = client.get(board()).content.decode()
    assert all(d.reference in page for d in dossiers)
    assert "Phân công tự động" in page and "Mai Văn Bốn" in page
    response = client.post(reverse("councils:auto_assign"), follow=True)
    assert "Đã phân công 6 lượt chấm; mọi hồ sơ đã đủ người." in follow_message(response)
    assert Assignment.objects.filter(is_active=True).count() == 6
    assert "Chênh lệch giữa người chấm nhiều nhất và ít nhất: 0 hồ sơ." in response.content.decode()


def test_the_automatic_run_names_the_dossiers_it_could_not_fill_and_why(
    client, secretary, council, add_member, make_dossier, staff, unit_a, unit_b
):
    add_member(unit_b, "Mai Văn Bốn")
    add_member(unit_a, "Cao Văn Một")  # the submitting unit
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    client.force_login(secretary)
    response = client.post(reverse("councils:auto_assign"), follow=True)
    assert (
        f"Đã phân công 1 lượt chấm; 1 hồ sơ chưa đủ người: {dossier.reference} (có 1/3 người; không xếp "
        "được: 1 thành viên công tác tại chính đơn vị đề nghị)."
    ) in follow_message(response)


def test_the_secretary_adds_and_removes_by_hand_and_sees_declared_conflicts(
    client, secretary, council, members, make_dossier, staff, unit_a
):
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    client.force_login(secretary)
    response = client.post(
        reverse("councils:assignment_add", args=[dossier.pk]) + "?page=1", {"member": members[0].pk}
    )
    assert response.status_code == 302 and response.url == board() + f"?page=1#ho-so-{dossier.pk}"
    assignment = Assignment.objects.get(dossier=dossier, member=members[0], is_active=True)
    response = client.post(reverse("councils:assignment_remove", args=[assignment.pk]), follow=True)
    assert "Đã bỏ phân công Mai Văn Bốn khỏi hồ sơ" in follow_message(response)
    assignment.refresh_from_db()
    assert not assignment.is_active  # kept, inactive
    Assignment.objects.create(
        council=council,
        dossier=dossier,
        member=members[1],
        is_active=False,
        conflict_reason="Tôi là người hướng dẫn nhóm tác giả.",
        assigned_by=secretary,
    )
    page = client.get(board()).content.decode()
    assert "khai báo xung đột lợi ích" in page and "Tôi là người hướng dẫn nhóm tác giả." in page


def test_adding_a_conflicting_or_foreign_member_is_refused_and_changes_nothing(
    client, secretary, council, members, add_member, make_dossier, staff, unit_a, campaign
):
    colleague = add_member(unit_a, "Cao Văn Một")
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    client.force_login(secretary)
    page = client.get(board()).content.decode()
    assert f'<option value="{colleague.pk}">' not in page  # not offered
    assert f'<option value="{members[0].pk}">' in page
    response = client.post(
        reverse("councils:assignment_add", args=[dossier.pk]), {"member": colleague.pk}, follow=True
    )
    assert (
        f"Không thể phân công Cao Văn Một chấm hồ sơ {dossier.reference}: thành viên công tác tại chính "
        "đơn vị đề nghị."
    ) in follow_message(response)
    for bad in ["", "999999", "chữ"]:
        response = client.post(
            reverse("councils:assignment_add", args=[dossier.pk]), {"member": bad}, follow=True
        )
        assert "Vui lòng chọn" in follow_message(response) or "không thuộc Hội đồng" in follow_message(
            response
        )
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("person", ["staff", "council_member", "chair", "front_admin"])
def test_only_the_secretary_assigns(client, request, person, council, members, make_dossier, staff, unit_a):
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    existing = Assignment.objects.create(
        council=council, dossier=dossier, member=members[0], assigned_by=staff
    )
    client.force_login(request.getfixturevalue(person))
    assert client.get(board()).status_code == 403
    assert client.post(reverse("councils:auto_assign")).status_code == 403
    add = reverse("councils:assignment_add", args=[dossier.pk])
    assert client.post(add, {"member": members[1].pk}).status_code == 403
    assert client.post(reverse("councils:assignment_remove", args=[existing.pk])).status_code == 403
    assert list(Assignment.objects.values_list("pk", "is_active")) == [(existing.pk, True)]


def test_without_a_current_council_nobody_runs_the_board(client, secretary, campaign):
    """The secretary's authority is a place on the current campaign's council: once a new campaign
    begins, last year's secretary has no board until the new council names them."""
    client.force_login(secretary)
    assert client.get(board()).status_code == 200
    Campaign.objects.filter(pk=campaign.pk).update(ceremony_date=dt.date(2026, 9, 2))  # held
    CampaignFactory(year=campaign.year + 1)  # the next one, with no council yet
    assert client.get(board()).status_code == 403
    assert client.post(reverse("councils:auto_assign")).status_code == 403


def test_the_assigned_member_declares_a_conflict_with_a_reason(
    client, secretary, council, members, make_dossier, staff, unit_a
):
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    assignment = Assignment.objects.create(
        council=council, dossier=dossier, member=members[0], assigned_by=secretary
    )
    url = reverse("councils:conflict", args=[assignment.pk])
    client.force_login(members[0].user)
    assert "Khai báo xung đột lợi ích" in client.get(url).content.decode()
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert "Vui lòng ghi lý do xung đột lợi ích." in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.is_active, assignment.conflict_reason) == (True, "")
    response = client.post(url, {"reason": "Tác giả là em ruột của tôi."}, follow=True)
    assert "Đã ghi nhận khai báo xung đột lợi ích" in follow_message(response)
    assignment.refresh_from_db()
    assert (assignment.is_active, assignment.conflict_reason) == (False, "Tác giả là em ruột của tôi.")
    page = client.get(url).content.decode()
    assert "Phân công này đã kết thúc" in page and "Tác giả là em ruột của tôi." in page
    response = client.post(url, {"reason": "Lần hai"})
    assert response.status_code == 409
    assignment.refresh_from_db()
    assert assignment.conflict_reason == "Tác giả là em ruột của tôi."


@pytest.mark.parametrize("person", ["another_member", "secretary", "staff"])
def test_no_one_else_declares_a_conflict_for_the_member(
    client, request, person, secretary, council, members, make_dossier, staff, unit_a
):
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    assignment = Assignment.objects.create(
        council=council, dossier=dossier, member=members[0], assigned_by=secretary
    )
    user = members[1].user if person == "another_member" else request.getfixturevalue(person)
    client.force_login(user)
    url = reverse("councils:conflict", args=[assignment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Tôi muốn chấm thay."}).status_code == 404
    assignment.refresh_from_db()
    assert (assignment.is_active, assignment.conflict_reason) == (True, "")


@pytest.mark.parametrize("count", [10, 60])
def test_the_board_costs_the_same_for_10_and_60_dossiers(
    client, count, secretary, council, members, make_dossier, staff, unit_a, django_assert_num_queries
):
    for _ in range(count):
        make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    client.force_login(secretary)
    client.post(reverse("councils:auto_assign"))
    client.get(board())
    # session, user, the place on the current council with its campaign (role check and menu),
    # (memberships: cached by the first request; unit permissions: read from them), the count, the page of
    # dossiers with unit and field, their authors, their assignments with member and user, the members' loads,
    # the members with user and home unit, their expertise, the units' parents.
    with django_assert_num_queries(11):
        response = client.get(board())
    assert response.status_code == 200
    assert len(response.context["board"].rows) == min(count, 50)
