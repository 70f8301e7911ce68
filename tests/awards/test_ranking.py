# ruff: noqa: F811  (pytest fixtures imported from the council tests are used as arguments)
"""The ranking job: the maths and tie-breaks against hand-worked cases, the snapshot and its hash,
the lock against two runs at once, the schedule under a frozen clock, and a real Celery worker."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from awards.models import RankedEntry, RankingRun, ScheduledJob
from awards.ranking import EntryInput, RankingBusy, Stats, rank_entries, ranking_execute, ranking_start
from awards.schedule import run_due_jobs
from awards.selectors import policy_for
from awards.tasks import campaign_schedule
from awards.views import RUN_PAGE
from councils.appeals import appeal_answer, appeal_lodge
from councils.models import Assignment, Criterion, Rubric
from councils.services import score_reopen
from dksangtao.audit import Action, trail_for
from dksangtao.errors import ActionRefused
from submissions.models import Status
from tests.councils.test_progress import submit, three  # noqa: F401
from tests.councils.test_scoring import announce, assign, council, scorer, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal
T0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)


def stats(*values) -> Stats:
    values = [D(v) for v in values]
    return Stats(len(values), sum(values, D(0)), min(values), max(values)) if values else Stats()


def entry(pk, totals, novelty=(), effectiveness=(), *, field=1, assigned=None, minutes=0) -> EntryInput:
    return EntryInput(
        dossier_id=pk,
        reference=f"DKST-2026-{pk:05d}",
        field_id=field,
        submitted_at=T0 + dt.timedelta(minutes=minutes),
        assigned=assigned if assigned is not None else len(totals),
        totals=stats(*totals),
        novelty=stats(*novelty),
        effectiveness=stats(*effectiveness),
    )


class Thresholds:
    excellent_min, good_min, fair_min, pass_min = D(90), D(80), D(65), D(50)


RUBRICS = {None: Thresholds()}


def test_scores_are_means_and_trimmed_means_with_five_or_more():
    ranked = rank_entries(
        [
            entry(1, ["80", "90", "70"]),  # mean 80
            entry(2, ["60", "70", "80", "90", "100"]),  # trimmed: (70+80+90)/3 = 80 — not 80 by luck:
            entry(3, ["100", "100", "100", "100", "0"]),  # trimmed: 100; the plain mean would be 80
            entry(4, ["91", "92"]),  # 91.50
        ],
        RUBRICS,
        per_field=False,
    )
    assert [(r.entry.dossier_id, r.score, r.classification) for r in ranked] == [
        (3, D("100.00"), "excellent"),
        (4, D("91.50"), "excellent"),
        (1, D("80.00"), "good"),
        (2, D("80.00"), "good"),
    ]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


def test_entries_short_of_the_quorum_are_not_ranked():
    ranked = rank_entries(
        [entry(1, ["95"], assigned=3), entry(2, ["70", "72"], assigned=3), entry(3, [], assigned=2)],
        RUBRICS,
        per_field=False,
    )
    assert [r.entry.dossier_id for r in ranked] == [2]  # 1 of 3 is short of 2/3; 2 of 3 is enough


def test_ties_break_on_novelty_then_effectiveness_then_earlier_submission_and_say_why():
    ranked = rank_entries(
        [
            entry(1, ["80", "80"], novelty=["25", "26"], effectiveness=["24", "24"], minutes=1),
            entry(2, ["80", "80"], novelty=["27", "27"], effectiveness=["20", "20"], minutes=5),
            entry(3, ["80", "80"], novelty=["25", "26"], effectiveness=["25", "25"], minutes=9),
            entry(4, ["80", "80"], novelty=["25", "26"], effectiveness=["25", "25"], minutes=3),
            entry(5, ["79,5".replace(",", "."), "80"], novelty=["30", "30"], effectiveness=["30", "30"]),
        ],
        RUBRICS,
        per_field=False,
    )
    assert [r.entry.dossier_id for r in ranked] == [2, 4, 3, 1, 5]
    notes = {r.entry.dossier_id: r.tie_note for r in ranked}
    assert notes[2] == "Bằng điểm với DKST-2026-00004; xếp trên vì điểm tính mới 27 so với 25,5"
    assert notes[4].startswith("Bằng điểm với DKST-2026-00002; xếp dưới vì điểm tính mới 27 so với 25,5")
    assert "Bằng điểm với DKST-2026-00003; xếp trên vì nộp sớm hơn" in notes[4]
    assert notes[1] == "Bằng điểm với DKST-2026-00003; xếp dưới vì điểm hiệu quả 25 so với 24"
    assert notes[5] == ""  # 79.75 is not a tie


def test_per_field_ranks_restart_in_each_field():
    ranked = rank_entries(
        [entry(1, ["70"], field=1), entry(2, ["90"], field=2), entry(3, ["85"], field=1)],
        RUBRICS,
        per_field=True,
    )
    assert [(r.field_id, r.rank, r.entry.dossier_id) for r in ranked] == [(1, 1, 3), (1, 2, 1), (2, 1, 2)]


# Against the database --------------------------------------------------------------------------


@pytest.fixture
def scored_entries(
    council, three, secretary, make_dossier, unit_b, scoring_campaign, django_capture_on_commit_callbacks
):
    """Three dossiers scored by three members — totals 80/85/78 (81), 70/72/74 (72), 92/90/91 (91) — and
    the results announced: the dossiers are «scored»."""
    from dksangtao.roles import Role
    from tests.factories import person_with_role

    preparer = person_with_role(Role.UNIT_STAFF, unit_b, full_name="Phan Văn Khải", email="khai@example.vn")
    sheets = {
        "A": (["25", "25", "22", "8"], ["27", "26", "24", "8"], ["24", "24", "22", "8"]),
        "B": (["20", "22", "22", "6"], ["21", "22", "22", "7"], ["22", "22", "22", "8"]),
        "C": (["28", "28", "27", "9"], ["27", "28", "27", "8"], ["28", "27", "27", "9"]),
    }
    dossiers = {}
    for name, per_member in sheets.items():
        dossier = make_dossier(unit_b, preparer, Status.IN_APPRAISAL, campaign=scoring_campaign)
        for member, values in zip(three, per_member, strict=True):
            submit(assign(council, dossier, member, secretary), values)
        dossiers[name] = dossier
    announce(council)
    return dossiers


def run_now(campaign, actor, capture):
    with capture(execute=True):
        run = ranking_start(campaign=campaign, actor=actor)
    run.refresh_from_db()
    return run


def test_a_run_ranks_the_council_results_and_stores_a_snapshot(
    scored_entries, scoring_campaign, front_admin, django_capture_on_commit_callbacks
):
    run = run_now(scoring_campaign, front_admin, django_capture_on_commit_callbacks)
    assert (run.status, run.progress, run.entry_count, run.started_by) == ("done", 100, 3, front_admin)
    assert len(run.inputs_hash) == 64
    for dossier in scored_entries.values():  # a finished run that includes them makes them «ranked»
        dossier.refresh_from_db()
        assert dossier.status == Status.RANKED
    rows = list(
        RankedEntry.objects.filter(run=run)
        .order_by("rank")
        .values_list("dossier", "rank", "score", "classification")
    )
    a, b, c = scored_entries["A"].pk, scored_entries["B"].pk, scored_entries["C"].pk
    assert rows == [(c, 1, D("91.00"), "excellent"), (a, 2, D("81.00"), "good"), (b, 3, D("72.00"), "fair")]


def test_unchanged_inputs_give_the_same_hash_and_results_and_a_change_moves_the_hash(
    scored_entries, scoring_campaign, front_admin, chair, three, django_capture_on_commit_callbacks
):
    first = run_now(scoring_campaign, front_admin, django_capture_on_commit_callbacks)
    second = run_now(scoring_campaign, front_admin, django_capture_on_commit_callbacks)
    assert first.pk != second.pk and first.inputs_hash == second.inputs_hash

    def results(run):
        return list(
            RankedEntry.objects.filter(run=run)
            .order_by("rank")
            .values_list("dossier", "rank", "score", "tie_note")
        )

    assert results(first) == results(second)

    sheet = Assignment.objects.get(dossier=scored_entries["B"], member=three[0]).sheet
    # The run includes B: its sheets stay closed; the correction goes through the appeal's conclusion.
    with pytest.raises(ActionRefused, match=rf"Hồ sơ {scored_entries['B'].reference} đã được xếp hạng"):
        score_reopen(sheet=sheet, actor=chair, reason="Nhập nhầm điểm tiêu chí 1")
    appeal = appeal_lodge(dossier=scored_entries["B"], actor=front_admin, text="Đề nghị chấm lại")
    criteria = Criterion.objects.filter(rubric__campaign=scoring_campaign).order_by("order")
    appeal_answer(
        appeal=appeal,
        actor=chair,
        answer="Thành viên nhập nhầm điểm",
        outcome="upheld",
        corrections={
            sheet.pk: dict(zip(criteria.values_list("pk", flat=True), ["30", "30", "30", "10"], strict=True))
        },
    )
    third = run_now(scoring_campaign, front_admin, django_capture_on_commit_callbacks)
    assert third.inputs_hash != first.inputs_hash
    assert RankedEntry.objects.get(run=third, dossier=scored_entries["B"]).score == D(
        "82.00"
    )  # (100+72+74)/3
    assert results(first) == results(second)  # the earlier snapshots did not move


def test_a_ranking_waits_for_the_council_to_announce_its_results(scoring_campaign, front_admin, council):
    with pytest.raises(ActionRefused, match="chưa công bố kết quả chấm"):
        ranking_start(campaign=scoring_campaign, actor=front_admin)
    assert not RankingRun.objects.exists()


def test_a_second_run_while_one_is_queued_is_refused_and_told_which(
    scoring_campaign, front_admin, scored_entries
):
    # Queued: its task is sent only after the commit, which this test never reaches.
    first = ranking_start(campaign=scoring_campaign, actor=front_admin)
    with pytest.raises(RankingBusy, match=rf"Đang có lần xếp hạng #{first.pk} \(") as refused:
        ranking_start(campaign=scoring_campaign, actor=front_admin)
    assert refused.value.run == first
    assert RankingRun.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_started_at_once_in_two_connections_give_one(scoring_campaign, front_admin, scored_entries):
    from awards import tasks

    barrier, outcomes = threading.Barrier(2), []
    tasks_delay, tasks.run_ranking.delay = tasks.run_ranking.delay, lambda *a, **k: None  # keep both queued
    try:

        def start():
            barrier.wait()
            try:
                outcomes.append(ranking_start(campaign=scoring_campaign, actor=front_admin).pk)
            except RankingBusy as busy:
                outcomes.append(str(busy))
            finally:
                connection.close()

        threads = [threading.Thread(target=start) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        tasks.run_ranking.delay = tasks_delay
    assert RankingRun.objects.count() == 1
    assert sorted(type(o).__name__ for o in outcomes) == ["int", "str"]
    assert any("Đang có lần xếp hạng" in str(o) for o in outcomes)


def test_a_redelivered_task_does_nothing_and_a_stale_run_stops_blocking(
    scoring_campaign, front_admin, scored_entries, settings
):
    run = ranking_start(campaign=scoring_campaign, actor=front_admin)
    ranking_execute(run.pk)
    assert RankingRun.objects.get(pk=run.pk).status == "done"
    ranking_execute(run.pk)  # delivered twice: the run is not queued any more
    assert RankedEntry.objects.filter(run=run).count() == 3  # written once

    stuck = ranking_start(campaign=scoring_campaign, actor=front_admin)
    RankingRun.objects.filter(pk=stuck.pk).update(
        status="running",
        created_at=timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120),
    )
    fresh = ranking_start(campaign=scoring_campaign, actor=front_admin)
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "Quá thời gian" in stuck.error
    assert fresh.status == "queued"
    (failed,) = trail_for(stuck, actions=[Action.RANKING_FAILED])
    assert failed.actor is None and "Quá thời gian" in failed.detail["error"]


def test_the_default_rubric_marks_the_tie_break_criteria(scoring_campaign, council):
    rubric = Rubric.objects.get(campaign=scoring_campaign)
    assert dict(rubric.criteria.exclude(tie_break="").values_list("tie_break", "name")) == {
        "novelty": "Tính mới, tính sáng tạo",
        "effectiveness": "Hiệu quả kinh tế, xã hội",
    }


# The schedule ----------------------------------------------------------------------------------


def test_beat_starts_the_ranking_fourteen_days_before_the_ceremony_once(
    scoring_campaign, scored_entries, django_capture_on_commit_callbacks
):
    ceremony = scoring_campaign.ceremony_date
    with time_machine.travel(
        timezone.make_aware(dt.datetime.combine(ceremony - dt.timedelta(days=15), dt.time(6))), tick=False
    ):
        assert campaign_schedule.delay().get() == []
    day = ceremony - dt.timedelta(days=14)
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(6))), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert campaign_schedule.delay().get() == [scoring_campaign.pk]
        run = RankingRun.objects.get()
        assert (run.started_by, run.status, timezone.localdate(run.created_at)) == (None, "done", day)
        assert run_due_jobs() == []  # the same day again: nothing
    assert RankingRun.objects.count() == 1
    assert list(ScheduledJob.objects.values_list("kind", flat=True)) == ["ranking"]


def test_the_beat_tries_again_the_next_day_until_the_council_has_announced(scoring_campaign, council):
    ceremony = scoring_campaign.ceremony_date
    assert run_due_jobs(today=ceremony - dt.timedelta(days=14)) == []  # not announced: nothing started
    assert not ScheduledJob.objects.exists()  # … and nothing marked done, so tomorrow it tries again


def test_a_missed_beat_day_is_caught_up_and_the_offsets_come_from_the_policy(
    scoring_campaign, scored_entries
):
    policy = policy_for(scoring_campaign)
    policy.ranking_days_before = 20
    policy.save()
    ceremony = scoring_campaign.ceremony_date
    assert run_due_jobs(today=ceremony - dt.timedelta(days=21)) == []
    assert run_due_jobs(today=ceremony - dt.timedelta(days=18)) == [scoring_campaign.pk]


@pytest.mark.redis_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_a_ranking_end_to_end(scored_entries, scoring_campaign, front_admin):
    from celery.contrib.testing.worker import start_worker

    from dksangtao.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        run = ranking_start(campaign=scoring_campaign, actor=front_admin)  # autocommit: sent at once
        deadline = time.monotonic() + 30
        while RankingRun.objects.get(pk=run.pk).is_active and time.monotonic() < deadline:
            time.sleep(0.2)
    run.refresh_from_db()
    assert (run.status, run.entry_count) == ("done", 3)
    assert RankedEntry.objects.get(run=run, rank=1).dossier == scored_entries["C"]


# Pages -----------------------------------------------------------------------------------------


def test_a_front_admin_starts_a_run_and_watches_it(
    client, scored_entries, scoring_campaign, front_admin, django_capture_on_commit_callbacks
):
    client.force_login(front_admin)
    page = client.get(reverse("awards:index"), {"campaign": scoring_campaign.year}).content.decode()
    assert "Chạy xếp hạng" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:ranking_start"), {"campaign": scoring_campaign.year})
    run = RankingRun.objects.get()
    assert response.url == reverse("awards:run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert f"Đã bắt đầu lần xếp hạng #{run.pk}." in page
    assert run.inputs_hash in page and "Lập dự thảo danh sách tôn vinh" in page
    fragment = client.get(
        reverse("awards:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-status="done"' in fragment and "hx-trigger" not in fragment  # stops polling when done


def test_a_busy_campaign_is_refused_with_a_message_and_no_second_run(
    client, scoring_campaign, front_admin, scored_entries
):
    busy = ranking_start(campaign=scoring_campaign, actor=front_admin)
    client.force_login(front_admin)
    response = client.post(reverse("awards:ranking_start"), {"campaign": scoring_campaign.year}, follow=True)
    assert f"Đang có lần xếp hạng #{busy.pk}" in response.content.decode()
    assert 'hx-trigger="every 2s"' in response.content.decode()  # the running one's page polls
    assert RankingRun.objects.count() == 1


def test_outsiders_cannot_run_or_read_rankings(
    client, scoring_campaign, scored_entries, outsider, secretary, chair, staff
):
    run = ranking_start(campaign=scoring_campaign, actor=None)
    for person in (outsider, secretary, chair, staff):
        client.force_login(person)
        assert client.get(reverse("awards:index")).status_code == 403
        assert (
            client.post(reverse("awards:ranking_start"), {"campaign": scoring_campaign.year}).status_code
            == 403
        )
        assert client.get(reverse("awards:run", args=[run.pk])).status_code == 403
    assert RankingRun.objects.count() == 1


def test_an_unknown_campaign_is_404(client, front_admin, council):
    client.force_login(front_admin)
    assert client.post(reverse("awards:ranking_start"), {"campaign": "1999"}).status_code == 404
    assert not RankingRun.objects.exists()


def test_the_run_page_costs_the_same_for_10_and_a_full_page_of_100_entries(
    client, scoring_campaign, front_admin, council, make_dossier, unit_b, staff, django_assert_num_queries
):
    run = RankingRun.objects.create(
        campaign=scoring_campaign, status="done", inputs_hash="0" * 64, progress=100
    )

    def add(n, start):
        dossiers = [
            make_dossier(unit_b, staff, Status.IN_APPRAISAL, campaign=scoring_campaign) for _ in range(n)
        ]
        RankedEntry.objects.bulk_create(
            RankedEntry(
                run=run,
                dossier=d,
                rank=start + i,
                score=D(80),
                submitted_at=T0,
                classification="good",
                sheets=3,
            )
            for i, d in enumerate(dossiers)
        )

    add(10, 1)
    client.force_login(front_admin)
    client.get(reverse("awards:run", args=[run.pk]))
    # session, user (memberships and council places: cached by the first request; unit permissions: read
    # from them), the run, the count, the page of entries with dossier, unit and field, the
    # same-hash run, the lists, the trail
    with django_assert_num_queries(8) as ten:
        client.get(reverse("awards:run", args=[run.pk]))
    add(90, 11)
    with django_assert_num_queries(len(ten.captured_queries)):
        response = client.get(reverse("awards:run", args=[run.pk]))
    assert response.content.decode().count("DKST-") == RUN_PAGE  # the first page of the 100 entries
    second = client.get(reverse("awards:run", args=[run.pk]), {"page": 2}).content.decode()
    assert second.count("DKST-") == 100 - RUN_PAGE
