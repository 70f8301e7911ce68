# ruff: noqa: F811  (fixtures imported from the ranking, council and submissions tests are used as arguments)
"""The fault suite of issue #15 (marker `fault`): our own redis-server and a real Celery worker
(`celery -A dksangtao worker --pool=solo`, a subprocess on the test database) — Redis stopped at
request time, the worker SIGKILLed before its claim, mid-job, and twice. Each job ends done or
failed-retryable, never twice: one result set per ranking run, one file per report, one e-mail per
message (counted in the worker's console mail backend output), and the recovered run equals a
fault-free one.

Where a fault strikes is chosen with a row lock held from another connection: the worker blocks on
it (at its claim, or in the last transaction of a ranking run, moving the dossiers) and is killed
there. Thresholds are shortened through settings (the sweep runs in the test process), never by
sleeping minutes. Skipped without redis-server, REDIS_URL or PostgreSQL (CI has all three)."""

import time

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from awards.models import RankedEntry, RankingRun
from awards.ranking import ranking_start
from dksangtao.audit import Action, trail_for
from dksangtao.celery import app
from dksangtao.jobs import JobStatus, sweep_all
from dksangtao.mail import queue_email
from dksangtao.models import OutboxEmail
from dksangtao.tasks import outbox_deliver
from reports import services as reports
from reports.models import ReportJob, ReportKind
from submissions.models import Dossier, Status
from tests.awards.test_ranking import scored_entries  # noqa: F401
from tests.councils.test_progress import submit, three  # noqa: F401
from tests.councils.test_scoring import announce, assign, council, scorer, scoring_campaign  # noqa: F401
from tests.faults import RedisServer, Worker, _reset_producer_pool, fault_reason, wait_for
from tests.submissions.conftest import field, kind, make_dossier  # noqa: F401

REASON = fault_reason()
pytestmark = [
    pytest.mark.fault,
    pytest.mark.skipif(REASON is not None, reason=REASON or ""),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    before = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager, app.conf.broker_url = False, server.url
    _reset_producer_pool()
    yield server
    server.stop()
    app.conf.task_always_eager, app.conf.broker_url = before
    _reset_producer_pool()


@pytest.fixture
def workers(redis_server, tmp_path):
    """Start workers at will (each logs to its own file); all stopped at the end."""
    started = []

    def start() -> Worker:
        # the thresholds of fast_sweep, for the beat's tasks the worker runs
        thresholds = {"JOB_QUEUED_GRACE": "1", "JOB_HEARTBEAT_STALE": "1"}
        worker = Worker(redis_server.url, tmp_path / f"worker-{len(started)}.log", env=thresholds)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def fast_sweep(settings):
    settings.JOB_QUEUED_GRACE = 1
    settings.JOB_HEARTBEAT_STALE = 1
    return settings


class RowLock:
    """A row lock held from a connection of its own, as another writer would: the worker blocks on it."""

    def __init__(self, table: str, pk: int):
        db = django_settings.DATABASES["default"]
        self.conn = psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
        )
        self.conn.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])

    def release(self) -> None:
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()


@pytest.fixture
def row_lock():
    """Take row locks at will; all released at the end, even when the test fails (or the flush after
    it would wait on them)."""
    taken = []

    def take(table: str, pk: int) -> RowLock:
        taken.append(RowLock(table, pk))
        return taken[-1]

    yield take
    for lock in taken:
        lock.release()


def ended(model, pk, timeout=90):
    def check():
        job = model.objects.get(pk=pk)
        return job if job.status in (JobStatus.DONE, JobStatus.FAILED) else None

    return wait_for(check, timeout=timeout)


def waiting_on_locks() -> set[int]:
    """The sessions of the test database waiting for a lock (a blocked worker's among them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return {pid for (pid,) in cursor.fetchall()}


def blocked_worker(start, *, before: set[int]):
    """Start a worker and wait until a new session waits on a lock: the worker, blocked where chosen."""
    worker = start()
    wait_for(lambda: waiting_on_locks() - before)
    return worker


def result_of(run) -> list[tuple]:
    return list(
        RankedEntry.objects.filter(run=run)
        .order_by("dossier_id")
        .values_list("dossier_id", "rank", "score", "classification", "tie_note")
    )


def actions(obj) -> list[str]:
    return [event.action for event in trail_for(obj)]


def test_redis_down_at_request_time_then_back(
    client,
    redis_server,
    workers,
    scored_entries,
    scoring_campaign,
    front_admin,
    staff,
    reviewer,
    fast_sweep,
):
    redis_server.stop()
    # A ranking, a report, a password reset and a notify while Redis is down: no 500, nothing stuck.
    client.force_login(front_admin)
    response = client.post(reverse("awards:ranking_start"), {"campaign": scoring_campaign.year})
    assert response.status_code == 302
    run = RankingRun.objects.get()
    job, _created = reports.report_request(
        kind=ReportKind.PROVINCE_SUMMARY, campaign=scoring_campaign, unit=None, actor=front_admin
    )
    client.logout()
    assert client.post(reverse("password_reset"), {"email": staff.email}).status_code == 302
    queue_email(subject="Thông báo kiểm thử sự cố", body="Nội dung", to=[reviewer.email])
    for model, pk in ((RankingRun, run.pk), (ReportJob, job.pk)):
        failed = model.objects.get(pk=pk)
        assert (failed.status, failed.retryable) == (JobStatus.FAILED, True), failed.error
    waiting = OutboxEmail.objects.count()
    assert waiting >= 2 and not OutboxEmail.objects.exclude(sent_at=None).exists()

    # Redis is back, and a worker: the person asks again; the beat's sweep sends what waited.
    redis_server.start()
    _reset_producer_pool()
    worker = workers()
    again = ranking_start(campaign=scoring_campaign, actor=front_admin)
    retried = reports.report_retry(job=ReportJob.objects.get(pk=job.pk), actor=front_admin)
    assert ended(RankingRun, again.pk).status == JobStatus.DONE
    assert ended(ReportJob, retried.pk).status == JobStatus.DONE
    time.sleep(1.1)  # older than JOB_QUEUED_GRACE, shortened to 1 s
    # Those asked for before Redis stopped were lost with it (no persistence): they wait too.
    outbox_deliver.delay()  # the beat's task, run by the worker
    wait_for(lambda: not OutboxEmail.objects.filter(sent_at=None).exists())
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}
    log = worker.logfile.read_text()
    assert log.count("\nSubject: ") == waiting  # each e-mail printed once by the console backend
    assert len(result_of(again)) == 3 and ReportJob.objects.get(pk=job.pk).file


def test_a_worker_killed_before_its_claim_leaves_the_report_to_the_sweep(
    redis_server, workers, row_lock, campaign, unit_a, reviewer, make_dossier, staff, fast_sweep
):
    make_dossier(unit_a, staff, Status.SUBMITTED)
    job, _created = reports.report_request(
        kind=ReportKind.UNIT_SUMMARY, campaign=campaign, unit=unit_a, actor=reviewer
    )  # sent; no worker yet
    lock = row_lock(ReportJob._meta.db_table, job.pk)
    blocked_worker(workers, before=waiting_on_locks()).kill()  # SIGKILLed in its claim
    lock.release()
    time.sleep(1.1)
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED  # its message is lost with it
    assert sweep_all()["reports.reportjob"] == {"resent": 1, "requeued": 0, "failed": 0}
    workers()
    done = ended(ReportJob, job.pk)
    assert (done.status, done.attempts, done.requeues) == (JobStatus.DONE, 1, 0)
    files = list((django_settings.MEDIA_ROOT / "reports").rglob("*.pdf"))
    assert [f.name for f in files] == [done.file.name.rsplit("/", 1)[-1]]  # one file
    assert actions(done).count(Action.REPORT_DONE) == 1 and Action.JOB_RESENT in actions(done)


def kill_mid_run(workers, row_lock, dossier) -> None:
    """A worker takes the queued run and blocks in its last transaction (moving `dossier`, which another
    connection holds); it is SIGKILLed there, then the lock is released: its orphaned session goes on,
    finds its client gone and rolls back."""
    lock = row_lock(Dossier._meta.db_table, dossier.pk)
    blocked_worker(workers, before=waiting_on_locks()).kill()
    lock.release()


def sweep_runs() -> dict:
    """The beat's sweep, run until it acts: a run still locked by a dying session is skipped (skip
    locked), and taken at the next beat."""
    time.sleep(1.1)  # the heartbeat is older than JOB_HEARTBEAT_STALE, shortened to 1 s
    return wait_for(
        lambda: (counts := sweep_all()["awards.rankingrun"]) != EMPTY and counts, timeout=30, step=0.5
    )


EMPTY = {"resent": 0, "requeued": 0, "failed": 0}


def test_a_worker_killed_mid_run_is_taken_over_once_and_equals_a_fault_free_run(
    redis_server, workers, row_lock, scored_entries, scoring_campaign, front_admin, fast_sweep
):
    run = ranking_start(campaign=scoring_campaign, actor=front_admin)
    kill_mid_run(workers, row_lock, scored_entries["A"])
    killed = RankingRun.objects.get(pk=run.pk)
    assert (killed.status, killed.progress) == (JobStatus.RUNNING, 70) and not result_of(run)
    assert sweep_runs() == {"resent": 0, "requeued": 1, "failed": 0}
    workers()
    done = ended(RankingRun, run.pk)
    assert (done.status, done.requeues, done.entry_count) == (JobStatus.DONE, 1, 3)
    assert actions(done).count(Action.RANKING_DONE) == 1 and actions(done).count(Action.JOB_REQUEUED) == 1
    assert set(
        Dossier.objects.filter(pk__in=[d.pk for d in scored_entries.values()]).values_list(
            "status", flat=True
        )
    ) == {Status.RANKED}

    fault_free = ended(RankingRun, ranking_start(campaign=scoring_campaign, actor=front_admin).pk)
    assert result_of(done) == result_of(fault_free) and len(result_of(done)) == 3
    assert done.inputs_hash == fault_free.inputs_hash


def test_a_worker_killed_twice_leaves_the_run_failed_retryable_with_nothing_written(
    redis_server, workers, row_lock, scored_entries, scoring_campaign, front_admin, fast_sweep
):
    run = ranking_start(campaign=scoring_campaign, actor=front_admin)
    kill_mid_run(workers, row_lock, scored_entries["A"])
    assert sweep_runs()["requeued"] == 1
    kill_mid_run(workers, row_lock, scored_entries["A"])  # the second attempt dies at the same point
    assert sweep_runs() == {"resent": 0, "requeued": 0, "failed": 1}
    failed = RankingRun.objects.get(pk=run.pk)
    assert (failed.status, failed.retryable, failed.requeues) == (JobStatus.FAILED, True, 1)
    assert "dừng giữa chừng" in failed.error
    assert not result_of(failed) and Action.RANKING_DONE not in actions(failed)
    assert set(
        Dossier.objects.filter(pk__in=[d.pk for d in scored_entries.values()]).values_list(
            "status", flat=True
        )
    ) == {Status.SCORED}  # nothing of the killed attempts was kept

    workers()  # «Thử lại»: a new run, as a fault-free one
    retried = ended(RankingRun, ranking_start(campaign=scoring_campaign, actor=front_admin).pk)
    assert retried.status == JobStatus.DONE and len(result_of(retried)) == 3
