# ruff: noqa: F811  (pytest fixtures imported from test_scoring are used as arguments)
"""The secretary's progress page, reminders (on click and by the daily beat task in the last three
days of the window) and «add a scorer» from the disagreement flag."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from councils.assignment import assignment_add_scorer
from councils.models import Assignment, ScoringReminder
from councils.progress import councils_in_reminder_days, daily_reminders, member_progress
from councils.services import score_save_draft, score_submit, sheet_open
from councils.tasks import scoring_reminders
from councils.views_progress import ENTRIES_PER_PAGE
from submissions.models import Campaign, Status
from submissions.services import ActionRefused
from tests.councils.test_scoring import assign, council, entry, scorer, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def submit(assignment, values, actor=None):
    sheet = sheet_open(assignment=assignment)
    items = list(sheet.items.order_by("criterion__order"))
    score_save_draft(
        assignment=assignment,
        actor=actor or assignment.member.user,
        points={item.criterion_id: value for item, value in zip(items, values, strict=True)},
        comments={},
        overall_comment="",
    )
    return score_submit(assignment=assignment, actor=actor or assignment.member.user)


@pytest.fixture
def three(council):
    return [
        scorer(council, name, f"m{n}@example.vn")
        for n, name in enumerate(["Hoàng Văn Nam", "Tôn Nữ Thảo Vy", "Đặng Quốc Bảo"])
    ]


def test_progress_counts_each_members_assigned_submitted_and_drafts(
    client, council, entry, three, secretary, make_dossier, unit_a, staff, scoring_campaign
):
    second = make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=scoring_campaign)
    nam, vy, bao = three
    submit(assign(council, entry, nam, secretary), ["27", "25", "20", "8"])
    assign(council, second, nam, secretary)
    sheet_open(assignment=assign(council, entry, vy, secretary))  # opened, a draft
    ended = assign(council, entry, bao, secretary)
    Assignment.objects.filter(pk=ended.pk).update(is_active=False)

    rows = {row.member.user.full_name: row for row in member_progress(council)}
    assert (
        rows["Hoàng Văn Nam"].assigned,
        rows["Hoàng Văn Nam"].submitted,
        rows["Hoàng Văn Nam"].pending,
    ) == (
        2,
        1,
        1,
    )
    assert (
        rows["Tôn Nữ Thảo Vy"].assigned,
        rows["Tôn Nữ Thảo Vy"].drafts,
        rows["Tôn Nữ Thảo Vy"].pending,
    ) == (
        1,
        1,
        1,
    )
    assert rows["Đặng Quốc Bảo"].assigned == 0  # an ended assignment does not count

    client.force_login(secretary)
    page = client.get(reverse("councils:progress")).content.decode()
    assert "Đã nộp 1/3 phiếu chấm; 0/2 hồ sơ đã đủ phiếu." in page
    assert "Gửi thư nhắc thành viên chưa nộp phiếu" in page
    assert "80,0" not in page and "80" not in page.split("entry-progress")[1]  # no totals on this page


def test_the_kept_counts_follow_each_sheet_submitted_and_each_assignment_ended(
    client, council, entry, three, secretary
):
    """The page's counts are kept between requests (councils.selectors.figures_cached); a submitted
    sheet or an ended assignment changes them on the next request, without anything being dropped."""
    nam, vy, bao = three
    first = assign(council, entry, nam, secretary)
    assign(council, entry, vy, secretary)
    ended = assign(council, entry, bao, secretary)
    client.force_login(secretary)
    assert (
        "Đã nộp 0/3 phiếu chấm; 0/1 hồ sơ đã đủ phiếu."
        in client.get(reverse("councils:progress")).content.decode()
    )
    submit(first, ["27", "25", "20", "8"])
    assert (
        "Đã nộp 1/3 phiếu chấm; 0/1 hồ sơ đã đủ phiếu."
        in client.get(reverse("councils:progress")).content.decode()
    )
    ended.is_active = False
    ended.save(update_fields=["is_active"])  # as councils.assignment.assignment_remove does
    page = client.get(reverse("councils:progress")).content.decode()
    assert "Đã nộp 1/2 phiếu chấm; 0/1 hồ sơ đã đủ phiếu." in page


def test_outsiders_and_members_are_refused_the_progress_page_and_its_actions(
    client, council, three, outsider, chair
):
    for person in (outsider, three[0].user, chair):
        client.force_login(person)
        assert client.get(reverse("councils:progress")).status_code == 403
        assert client.post(reverse("councils:reminders")).status_code == 403
        assert client.post(reverse("councils:announce")).status_code == 403
    assert not ScoringReminder.objects.exists()


def test_the_progress_page_shows_what_was_done_to_the_council_and_by_whom(
    client, council, entry, three, secretary
):
    assign(council, entry, three[0], secretary)
    client.force_login(secretary)
    client.post(reverse("councils:reminders"))

    trail = client.get(reverse("councils:progress")).content.decode().split('id="council-trail"')[1]
    assert "Thành lập Hội đồng" in trail
    assert "Gửi thư nhắc chấm" in trail
    assert secretary.full_name in trail


def test_the_progress_page_costs_the_same_for_10_and_200_entries(
    client,
    council,
    three,
    secretary,
    make_dossier,
    unit_a,
    staff,
    scoring_campaign,
    django_assert_num_queries,
):
    def add(n):
        dossiers = [
            make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=scoring_campaign) for _ in range(n)
        ]
        Assignment.objects.bulk_create(
            Assignment(council=council, dossier=d, member=m, assigned_by=secretary)
            for d in dossiers
            for m in three
        )

    add(10)
    client.force_login(secretary)
    client.get(reverse("councils:progress"))
    # session, user, the place on the current council with its campaign, the kept figures'
    # fingerprint, members, the page's assignments, the council's trail (memberships: cached by the
    # first request; unit permissions: read from them; the members' counts and the entries' order and
    # count: kept by the first request)
    with django_assert_num_queries(7) as ten:
        client.get(reverse("councils:progress"))
    add(190)
    # the new assignments move the fingerprint: the next request counts again (the members' counts;
    # the rubrics and the entries' aggregate)
    with django_assert_num_queries(len(ten.captured_queries) + 3):
        response = client.get(reverse("councils:progress"))
    assert "Đã nộp 0/600 phiếu chấm; 0/200 hồ sơ đã đủ phiếu." in response.content.decode()
    with django_assert_num_queries(len(ten.captured_queries)):  # then kept again
        last = client.get(reverse("councils:progress"), {"page": 200 // ENTRIES_PER_PAGE}).content.decode()
    assert last.count('class="sheet-list"') == ENTRIES_PER_PAGE  # one page of entries, not the council


def test_a_reminder_goes_to_each_member_with_pending_sheets_telling_only_their_own_count(
    client, council, entry, three, secretary, django_capture_on_commit_callbacks
):
    nam, vy, bao = three
    submit(assign(council, entry, nam, secretary), ["27", "25", "20", "8"])
    assign(council, entry, vy, secretary)
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("councils:reminders"), follow=True)
    assert "Đã gửi thư nhắc cho 1 thành viên còn phiếu chưa nộp." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["m1@example.vn"]]
    body = mail.outbox[0].body
    assert "Kính gửi Tôn Nữ Thảo Vy" in body and "còn 1 hồ sơ" in body
    assert "Hoàng Văn Nam" not in body and "80" not in body.replace(settings.SITE_URL, "")
    reminder = ScoringReminder.objects.get()
    assert (reminder.member, reminder.pending, reminder.sent_by) == (vy, 1, secretary)

    # A second click the same day sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("councils:reminders"), follow=True)
    assert "1 thành viên đã được nhắc trong hôm nay." in response.content.decode()
    assert len(mail.outbox) == 1 and ScoringReminder.objects.count() == 1


def test_reminders_are_refused_outside_the_scoring_window(client, council, entry, three, secretary):
    assign(council, entry, three[0], secretary)
    Campaign.objects.filter(pk=council.campaign_id).update(
        scoring_start=timezone.localdate() + dt.timedelta(days=1)
    )
    client.force_login(secretary)
    response = client.post(reverse("councils:reminders"), follow=True)
    assert "Chỉ gửi nhắc trong thời gian chấm điểm" in response.content.decode()
    assert not ScoringReminder.objects.exists() and not mail.outbox


def test_the_daily_task_reminds_only_in_the_last_three_days_and_once_a_day(
    council, entry, three, secretary, django_capture_on_commit_callbacks
):
    assign(council, entry, three[0], secretary)
    end = council.campaign.scoring_end
    assert daily_reminders(today=end - dt.timedelta(days=3)) == 0  # four days left: not yet
    assert list(councils_in_reminder_days(end - dt.timedelta(days=2))) == [council]
    with django_capture_on_commit_callbacks(execute=True):
        assert daily_reminders(today=end - dt.timedelta(days=2)) == 1
        assert daily_reminders(today=end - dt.timedelta(days=2)) == 0  # the same day again: nothing
        assert daily_reminders(today=end) == 1  # the last day
    assert daily_reminders(today=end + dt.timedelta(days=1)) == 0  # the window has closed
    assert len(mail.outbox) == 2
    assert set(ScoringReminder.objects.values_list("sent_by", flat=True)) == {None}


def test_the_beat_schedule_runs_the_reminder_task_daily(council, entry, three, secretary):
    entry_ = settings.CELERY_BEAT_SCHEDULE["council-scoring-reminders"]
    assert entry_["task"] == scoring_reminders.name == "councils.tasks.scoring_reminders"
    assign(council, entry, three[0], secretary)
    Campaign.objects.filter(pk=council.campaign_id).update(scoring_end=timezone.localdate())
    assert scoring_reminders.delay().get() == 1  # runs in-process here; the worker test covers Redis


def test_add_a_scorer_picks_a_conflict_free_expert_with_the_lightest_load(
    client, council, entry, three, secretary, field
):
    nam, vy, bao = three
    for member in (nam, vy):
        submit(
            assign(council, entry, member, secretary),
            ["30", "30", "30", "10"] if member == nam else ["5", "5", "5", "5"],
        )
    bao.expertise.add(field)
    own_unit = scorer(council, "Lê Văn Cùng", "cung@example.vn")
    own_unit.home_unit = entry.unit
    own_unit.save()
    client.force_login(secretary)
    results = client.get(reverse("councils:results")).content.decode()
    assert "Thêm người chấm" in results  # 100 and 20 differ by more than 20 points
    response = client.post(reverse("councils:add_scorer", args=[entry.pk]), follow=True)
    assert "Đã phân công thêm Đặng Quốc Bảo chấm hồ sơ" in response.content.decode()
    assert set(Assignment.objects.filter(dossier=entry, is_active=True).values_list("member", flat=True)) == {
        nam.pk,
        vy.pk,
        bao.pk,
    }
    # Nobody suitable is left: the member from the submitting unit is never chosen.
    with pytest.raises(ActionRefused, match="Không còn thành viên phù hợp"):
        assignment_add_scorer(council=council, dossier=entry, actor=secretary)
    assert Assignment.objects.filter(dossier=entry).count() == 3


def test_only_the_secretary_adds_a_scorer(client, council, entry, three, chair, outsider):
    for person in (chair, outsider, three[0].user):
        client.force_login(person)
        assert client.post(reverse("councils:add_scorer", args=[entry.pk])).status_code == 403
    assert not Assignment.objects.exists()


def test_add_a_scorer_to_a_dossier_outside_the_council_is_404(
    client, council, make_dossier, unit_b, staff, secretary, scoring_campaign
):
    stranger = make_dossier(unit_b, staff, Status.IN_APPRAISAL, campaign=scoring_campaign)
    other = Campaign.objects.create(
        year=2020,
        name="Đợt 2020",
        submissions_open=dt.date(2020, 3, 1),
        submissions_close=dt.date(2020, 5, 1),
        unit_review_deadline=dt.date(2020, 6, 1),
        screening_deadline=dt.date(2020, 6, 10),
        scoring_start=dt.date(2020, 6, 11),
        scoring_end=dt.date(2020, 7, 1),
        ceremony_date=dt.date(2020, 9, 2),
    )
    type(stranger).objects.filter(pk=stranger.pk).update(campaign=other)
    client.force_login(secretary)
    assert client.post(reverse("councils:add_scorer", args=[stranger.pk])).status_code == 404
    assert not Assignment.objects.exists()


@pytest.mark.redis_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_the_daily_reminders_and_sends_the_mail(council, entry, three, secretary):
    from celery.contrib.testing.worker import start_worker

    from dksangtao.celery import app

    assign(council, entry, three[0], secretary)
    Campaign.objects.filter(pk=council.campaign_id).update(scoring_end=timezone.localdate())
    mail.outbox.clear()  # what setting up the dossier sent
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert scoring_reminders.delay().get(timeout=30) == 1
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[three[0].user.email]]
    assert "Nhắc chấm điểm" in mail.outbox[0].subject
    assert ScoringReminder.objects.get().sent_by is None
