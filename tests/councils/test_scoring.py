"""Scoring: the member's sheet (draft, autosave, submit, lock), secrecy between members, the chair's
reopening, and the aggregation of SPEC §4 against hand-worked figures."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from councils.models import Assignment, CouncilMember, Criterion, MemberRole, ScoreItem, ScoreSheet
from councils.selectors import aggregate, classify, council_results, quorum_needed
from councils.services import ActionRefused, rubric_create_default, score_submit
from dksangtao.audit import Action, trail_for
from submissions.models import Campaign, Status
from tests.factories import UnitFactory, person_on_council

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring_campaign(campaign):
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        scoring_start=today - dt.timedelta(days=1),
        scoring_end=today + dt.timedelta(days=10),
        ceremony_date=today + dt.timedelta(days=60),
    )
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def council(council, scoring_campaign):
    """The cast's council, in its scoring window, with the default rubric."""
    rubric_create_default(campaign=scoring_campaign, actor=None)
    council.campaign = scoring_campaign
    return council


def scorer(council, name, email):
    home = UnitFactory(name=f"Đơn vị của {name}")
    user = person_on_council(council, MemberRole.MEMBER, home, full_name=name, email=email)
    return CouncilMember.objects.get(council=council, user=user)


@pytest.fixture
def entry(council, make_dossier, unit_a, staff, scoring_campaign):
    return make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=scoring_campaign)


def assign(council, dossier, member, secretary):
    return Assignment.objects.create(council=council, dossier=dossier, member=member, assigned_by=secretary)


def announce(council):
    """The secretary announces the council's results, as on the day after its window."""
    from councils.appeals import results_announce

    secretary = council.members.get(role=MemberRole.SECRETARY).user
    day_after = council.campaign.scoring_end + dt.timedelta(days=1)
    return results_announce(council=council, actor=secretary, today=day_after)


def points_for(assignment, values):
    """The sheet's fields as the page names them, one value per criterion of the rubric, in order."""
    criteria = Criterion.objects.filter(rubric__campaign=assignment.council.campaign_id).order_by("order")
    return {f"points-{criterion.pk}": value for criterion, value in zip(criteria, values, strict=True)}


def test_a_member_saves_a_draft_and_a_bad_point_is_refused_but_kept_as_typed(
    client, council, entry, secretary
):
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    client.force_login(member.user)
    page = client.get(reverse("councils:sheet", args=[assignment.pk])).content.decode()
    assert "Hoàn toàn mới: 27–30" in page
    assert not ScoreSheet.objects.exists()  # showing the sheet writes nothing
    response = client.post(
        reverse("councils:sheet", args=[assignment.pk]),
        {**points_for(assignment, ["27,5", "31", "7.3", ""]), "save": ""},
    )
    sheet = ScoreSheet.objects.get(assignment=assignment)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Điểm phải từ 0 đến 30." in page
    assert "Điểm chấm theo bước 0,5 (ví dụ 7 hoặc 7,5)." in page
    assert 'value="31"' in page and 'value="7.3"' in page
    items = list(sheet.items.order_by("criterion__order"))
    assert [item.points for item in items] == [D("27.5"), None, None, None]


def test_autosave_answers_htmx_with_a_status_line(client, council, entry, secretary):
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    client.force_login(member.user)
    response = client.post(
        reverse("councils:sheet", args=[assignment.pk]),
        points_for(assignment, ["28", "", "", ""]),
        HTTP_HX_REQUEST="true",
    )
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert response.status_code == 200
    assert "Đã tự động lưu lúc" in response.content.decode()
    assert sheet.items.order_by("criterion__order").first().points == D(28)


def test_submit_locks_the_sheet_and_an_incomplete_one_is_refused(client, council, entry, secretary):
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    client.force_login(member.user)
    response = client.post(
        reverse("councils:sheet", args=[assignment.pk]),
        {**points_for(assignment, ["28", "25", "", ""]), "submit": ""},
    )
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert response.status_code == 409
    assert "Chưa chấm tiêu chí: Hiệu quả kinh tế, xã hội; Phạm vi ảnh hưởng." in response.content.decode()
    response = client.post(
        reverse("councils:sheet", args=[assignment.pk]),
        {**points_for(assignment, ["28", "25", "24,5", "8"]), "submit": ""},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == ("submitted", D("85.5"))
    response = client.post(
        reverse("councils:sheet", args=[assignment.pk]),
        {**points_for(assignment, ["1", "1", "1", "1"]), "save": ""},
    )
    assert response.status_code == 409
    sheet.refresh_from_db()
    assert sheet.total == D("85.5")
    assert trail_for(sheet, actions=[Action.SCORE_SUBMITTED]).count() == 1


def test_members_never_reach_another_members_sheet(client, council, entry, secretary, outsider):
    first = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    second = scorer(council, "Lê Quang Minh", "minh@example.vn")
    mine = assign(council, entry, first, secretary)
    assign(council, entry, second, secretary)
    for person in (second.user, secretary, outsider):
        client.force_login(person)
        assert client.get(reverse("councils:sheet", args=[mine.pk])).status_code == 404
    client.force_login(second.user)
    assert client.get(reverse("councils:results")).status_code == 403
    assert client.get(reverse("submissions:detail", args=[entry.pk])).status_code == 404


def test_the_chair_reopens_with_a_reason_and_it_is_logged(client, council, entry, secretary, chair):
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    client.force_login(member.user)
    client.post(
        reverse("councils:sheet", args=[assignment.pk]),
        {**points_for(assignment, ["28", "25", "24", "8"]), "submit": ""},
    )
    sheet = ScoreSheet.objects.get(assignment=assignment)
    client.force_login(secretary)
    assert client.post(reverse("councils:reopen", args=[sheet.pk]), {"reason": "x"}).status_code == 403
    client.force_login(chair)
    response = client.post(reverse("councils:reopen", args=[sheet.pk]), {"reason": "  "}, follow=True)
    assert "Vui lòng ghi lý do mở lại phiếu chấm." in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.state == "submitted"
    client.post(
        reverse("councils:reopen", args=[sheet.pk]), {"reason": "Thành viên nhập nhầm điểm tiêu chí 3."}
    )
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == ("draft", None)
    (event,) = trail_for(sheet, actions=[Action.SCORE_REOPENED])
    assert (event.actor, event.reason, D(event.detail["total"])) == (
        chair,
        "Thành viên nhập nhầm điểm tiêu chí 3.",
        D(85),
    )


def test_scoring_outside_its_window_is_refused(client, council, entry, secretary):
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    Campaign.objects.filter(pk=council.campaign_id).update(
        scoring_end=timezone.localdate() - dt.timedelta(days=1),
        scoring_start=timezone.localdate() - dt.timedelta(days=5),
    )
    client.force_login(member.user)
    response = client.post(
        reverse("councils:sheet", args=[assignment.pk]),
        {**points_for(assignment, ["28", "", "", ""]), "save": ""},
    )
    assert response.status_code == 409
    assert "Chỉ chấm được trong thời gian chấm điểm" in response.content.decode()
    assert not ScoreItem.objects.filter(sheet__assignment=assignment, points__isnull=False).exists()


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        ([D(80), D(90), D(70)], D("80.00")),
        ([D("85.5"), D(80)], D("82.75")),
        ([D(50), D(60), D(70), D(80), D(100)], D("70.00")),  # trimmed: drop 50 and 100
        ([D(90), D(91), D(92), D(93), D(94), D(40)], D("91.50")),  # drop 40 and 94
        ([], None),
    ],
)
def test_aggregate_against_hand_worked_means(totals, expected):
    assert aggregate(totals) == expected


@pytest.mark.parametrize(("assigned", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4)])
def test_quorum_is_two_thirds_rounded_up(assigned, needed):
    assert quorum_needed(assigned) == needed


def test_classification_follows_the_rubric_thresholds(council):
    from councils.models import Rubric

    rubric = Rubric.objects.get(campaign=council.campaign)
    labels = [classify(D(score), rubric) for score in ("90", "89.99", "80", "65", "50", "49.5")]
    assert labels == ["Xuất sắc", "Tốt", "Tốt", "Khá", "Đạt", "Không đạt"]


def test_results_need_the_quorum_and_flag_a_wide_disagreement(council, entry, secretary):
    members = [scorer(council, f"Thành viên {n}", f"tv{n}@example.vn") for n in range(3)]
    assignments = [assign(council, entry, member, secretary) for member in members]
    from councils.services import sheet_open

    for assignment, total in zip(assignments[:1], [D(90)], strict=True):
        sheet = sheet_open(assignment=assignment)
        sheet.items.update(points=total / 4)
        score_submit(assignment=assignment, actor=assignment.member.user)
    [result] = council_results(council)
    assert (result.submitted, result.needed, result.valid, result.score) == (1, 2, False, None)
    sheet = sheet_open(assignment=assignments[1])
    sheet.items.update(points=D("16.5"))  # 66 in all
    score_submit(assignment=assignments[1], actor=assignments[1].member.user)
    [result] = council_results(council)
    assert (result.valid, result.score, result.flagged, result.classification) == (
        True,
        D("78.00"),
        True,
        "Khá",
    )


@pytest.mark.postgres_only  # PostgreSQL's row locks; SQLite serialises writers anyway
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_submits_count_once(council, entry, secretary):
    from councils.services import sheet_open

    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    sheet = sheet_open(assignment=assignment)
    sheet.items.update(points=D(20))
    outcomes, barrier = [], threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            score_submit(assignment=assignment, actor=member.user)
            outcomes.append("ok")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert trail_for(sheet, actions=[Action.SCORE_SUBMITTED]).count() == 1


def test_the_member_queue_costs_the_same_for_10_and_200_entries(
    client, council, make_dossier, unit_a, staff, secretary, scoring_campaign, django_assert_num_queries
):
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    for _ in range(10):
        assign(
            council,
            make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=scoring_campaign),
            member,
            secretary,
        )
    client.force_login(member.user)
    client.get(reverse("councils:scoring"))
    # session, user, the place on the current council with its campaign (role check and menu), the
    # queue's figures (one aggregate), the page's count, a page of 25 assignments with dossiers and
    # sheets (memberships: cached by the first request; unit permissions: read from them). Two more
    # than when the page listed every assignment: a province's member scores hundreds.
    with django_assert_num_queries(6) as ten:
        client.get(reverse("councils:scoring"))
    dossiers = [
        make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=scoring_campaign) for _ in range(190)
    ]
    Assignment.objects.bulk_create(
        Assignment(council=council, dossier=d, member=member, assigned_by=secretary) for d in dossiers
    )
    with django_assert_num_queries(len(ten.captured_queries)):
        response = client.get(reverse("councils:scoring"))
    page = response.content.decode()
    assert "Đã nộp 0/200 phiếu chấm" in page and "200 chưa mở" in page
    assert len(response.context["page"].object_list) == 25 and "Trang 1/8" in page


def test_the_member_queue_pages_filters_and_exports_the_members_own_assignments(
    client, council, make_dossier, unit_a, staff, secretary, scoring_campaign
):
    from councils.services import sheet_open

    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    other = scorer(council, "Phan Thị Thu", "thu@example.vn")
    dossiers = [
        make_dossier(
            unit_a,
            staff,
            Status.IN_APPRAISAL,
            campaign=scoring_campaign,
            title="Nuôi tôm sú thâm canh" if n == 7 else f"Sáng kiến {n}",
        )
        for n in range(30)
    ]
    mine = [assign(council, dossier, member, secretary) for dossier in dossiers]
    assign(council, mine[0].dossier, other, secretary)  # another member's: never in this queue
    sheet = sheet_open(assignment=mine[0])
    sheet.items.update(points=Decimal(20))
    score_submit(assignment=mine[0], actor=member.user)
    sheet_open(assignment=mine[1])
    client.force_login(member.user)
    url = reverse("councils:scoring")

    def shown(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [a.pk for a in response.context["page"].object_list]

    page = client.get(url).content.decode()
    assert "Đã nộp 1/30 phiếu chấm" in page and "1 đang chấm" in page and "28 chưa mở" in page
    assert shown() == [a.pk for a in mine[:25]] and shown(page=2) == [a.pk for a in mine[25:]]
    assert shown(sheet="submitted") == [mine[0].pk] and shown(sheet="draft") == [mine[1].pk]
    assert len(shown(sheet="none")) == 25
    assert shown(q="tom su") == [mine[7].pk]
    assert shown(sort="title")[:3] == [mine[7].pk, mine[0].pk, mine[1].pk]  # by name: Nuôi…, Sáng kiến 0, 1
    assert client.get(url, {"sheet": "lost"}).status_code == 400
    response = client.get(url, {"export": "csv", "sheet": "submitted"})
    rows = response.getvalue().decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and "Sáng kiến 0" in rows[1] and "Đã nộp" in rows[1]


def test_a_rubric_is_read_only_once_a_score_on_it_is_submitted(client, council, entry, secretary):
    from councils.models import Rubric
    from councils.services import sheet_open

    rubric = Rubric.objects.get(campaign=council.campaign)
    client.force_login(secretary)
    assert client.post(reverse("admin:councils_rubric_change", args=[rubric.pk]), {}).status_code == 200
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    sheet = sheet_open(assignment=assignment)
    sheet.items.update(points=D(20))
    score_submit(assignment=assignment, actor=member.user)
    data = {
        "campaign": council.campaign_id,
        "name": "Đổi tên",
        "total_points": "100",
        "excellent_min": "90",
        "good_min": "80",
        "fair_min": "65",
        "pass_min": "50",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:councils_rubric_change", args=[rubric.pk]), data)
    assert response.status_code == 403
    rubric.refresh_from_db()
    assert rubric.name != "Đổi tên"


def test_a_scored_assignment_cannot_be_removed_or_declared_a_conflict(council, entry, secretary):
    from councils.assignment import assignment_declare_conflict, assignment_remove
    from councils.services import sheet_open

    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    sheet = sheet_open(assignment=assignment)
    sheet.items.update(points=D(20))
    score_submit(assignment=assignment, actor=member.user)
    with pytest.raises(ActionRefused, match="đã nộp phiếu chấm"):
        assignment_remove(assignment=assignment, actor=secretary)
    with pytest.raises(ActionRefused, match="đã nộp phiếu chấm"):
        assignment_declare_conflict(assignment=assignment, member_user=member.user, reason="Người quen.")
    assignment.refresh_from_db()
    assert assignment.is_active


@pytest.mark.parametrize(
    "typed", ["1E-999999999", "0E-999999999", "٣", "７", "NaN", "Infinity", "7.25", "7.5.5"]
)
def test_points_a_column_cannot_hold_are_refused_with_a_message(client, council, entry, secretary, typed):
    """«1E-999999999» passed Decimal(), the range and the 0.5-step checks, then failed the column's
    quantize on save (a 500); Unicode digits were read as numbers."""
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    client.force_login(member.user)
    response = client.post(
        reverse("councils:sheet", args=[assignment.pk]), {**points_for(assignment, [typed, "5", "", ""])}
    )
    assert response.status_code == 400
    assert "không phải là số điểm" in response.content.decode()
    items = ScoreSheet.objects.get(assignment=assignment).items.order_by("criterion__order")
    assert [item.points for item in items] == [None, D("5"), None, None]


def test_points_as_people_type_them_are_kept(client, council, entry, secretary):
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    client.force_login(member.user)
    client.post(
        reverse("councils:sheet", args=[assignment.pk]), points_for(assignment, ["27,5", "7.50", " 8 ", "0"])
    )
    items = ScoreSheet.objects.get(assignment=assignment).items.order_by("criterion__order")
    assert [item.points for item in items] == [D("27.5"), D("7.5"), D("8"), D("0")]


def test_a_comment_longer_than_the_cap_refuses_the_save_and_writes_nothing(client, council, entry, secretary):
    member = scorer(council, "Hoàng Văn Nam", "nam@example.vn")
    assignment = assign(council, entry, member, secretary)
    client.force_login(member.user)
    criterion = Criterion.objects.filter(rubric__campaign=council.campaign_id).order_by("order").first()
    response = client.post(
        reverse("councils:sheet", args=[assignment.pk]),
        {**points_for(assignment, ["27", "", "", ""]), f"comment-{criterion.pk}": "Đ" * 10_001},
    )
    assert response.status_code == 409
    assert "dài tối đa 10.000 ký tự" in response.content.decode()
    assert not ScoreItem.objects.filter(points__isnull=False).exists()
