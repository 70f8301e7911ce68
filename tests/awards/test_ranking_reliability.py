# ruff: noqa: F811  (fixtures imported from the ranking, council and fault tests are used as arguments)
"""Issue #15, jobs that never get stuck, on ranking runs: a run asked for while the broker is down is
told so, offers «Thử lại», and does not block the next request; a run given up for dead writes no
second result. And the public booklet, cached in Redis, answers while Redis is down."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import RankedEntry, RankingRun
from awards.ranking import ranking_execute
from dksangtao.audit import Action, trail_for
from dksangtao.jobs import JobStatus, sweep_all
from tests.awards.test_ranking import scored_entries  # noqa: F401
from tests.awards.test_upward import award_list_of, media_root, ranking_run, year  # noqa: F401
from tests.councils.test_progress import submit, three  # noqa: F401
from tests.councils.test_scoring import announce, assign, council, scorer, scoring_campaign  # noqa: F401
from tests.faults import REFUSED, broker_down  # noqa: F401

NOT_QUEUED = "Hàng đợi xử lý đang gián đoạn; yêu cầu chưa được thực hiện, hãy thử lại sau ít phút."


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_asked_for_while_the_broker_is_down_is_told_and_can_be_asked_again(
    client, scored_entries, scoring_campaign, front_admin, broker_down
):
    client.force_login(front_admin)
    response = client.post(reverse("awards:ranking_start"), {"campaign": scoring_campaign.year})
    run = RankingRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("awards:run", args=[run.pk])  # before: 500
    assert (run.status, run.retryable, run.error) == (JobStatus.FAILED, True, NOT_QUEUED)
    page = page_text(client.get(response.url))
    assert NOT_QUEUED in page and "Thử lại" in page and "Đã bắt đầu lần xếp hạng" not in page
    assert [e.action for e in trail_for(run)] == [Action.RANKING_STARTED, Action.RANKING_FAILED]

    broker_down.restore()  # the broker is back (in-process here): «Thử lại» starts a new run
    response = client.post(reverse("awards:ranking_start"), {"campaign": scoring_campaign.year})
    again = RankingRun.objects.latest("id")
    assert again.pk != run.pk and again.status == JobStatus.DONE and again.entry_count == 3
    assert "Đã bắt đầu lần xếp hạng" in page_text(client.get(response.url))


@pytest.mark.django_db
def test_a_run_taken_over_after_its_worker_died_has_one_result_set(
    scored_entries, scoring_campaign, front_admin, settings, django_capture_on_commit_callbacks
):
    settings.JOB_HEARTBEAT_STALE = 60
    run = RankingRun.objects.create(campaign=scoring_campaign, started_by=front_admin)
    RankingRun.claim(run.pk)  # a worker took it… and died: its heartbeat goes stale
    RankingRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_all()["awards.rankingrun"] == {"resent": 0, "requeued": 1, "failed": 0}
    run.refresh_from_db()
    assert (run.status, run.requeues, run.entry_count) == (JobStatus.DONE, 1, 3)
    assert ranking_execute(run.pk).status == JobStatus.DONE  # the old message, redelivered: nothing
    assert RankedEntry.objects.filter(run=run).count() == 3
    assert [e.action for e in trail_for(run)].count(Action.RANKING_DONE) == 1


@pytest.fixture
def redis_unreachable_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "dksangtao.cache.ForgivingRedisCache",
            "LOCATION": REFUSED,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.mark.django_db
def test_the_public_booklet_answers_while_redis_is_down(client, year, media_root, redis_unreachable_cache):
    # with Django's RedisCache this GET raises redis' ConnectionError (a 500); here it is built afresh
    response = client.get(reverse("awards_public:booklet", args=[2026]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF")
