# ruff: noqa: F811  (the broker_down fixture is imported from tests.faults)
"""Issue #15, jobs that never get stuck, on report jobs: a request while the broker is down is told
so and can be retried; the sweep resends a lost job, takes over one whose worker died exactly once,
then fails it; a redelivered task of a live job does nothing; a worker given up for dead writes
nothing."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dksangtao.audit import Action, trail_for
from dksangtao.jobs import JobStatus, JobTakenOver, sweep_all
from reports import services
from reports.models import ReportJob, ReportKind
from reports.tasks import build_report
from tests.faults import broker_down  # noqa: F401

pytestmark = pytest.mark.django_db

UNIT = ReportKind.UNIT_SUMMARY
NOT_QUEUED = "Hàng đợi xử lý đang gián đoạn; yêu cầu chưa được thực hiện, hãy thử lại sau ít phút."


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def actions(job) -> list[str]:
    return [event.action for event in trail_for(job)]


# transactional: the request commits, as in production, so the send after the commit happens in it
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_while_the_broker_is_down_is_told_and_can_be_asked_again(
    client, campaign, department_viewer, unit_b, broker_down
):
    client.force_login(department_viewer)
    response = client.post(reverse("reports:request"), {"kind": UNIT, "year": "2026", "unit": unit_b.pk})
    assert response.status_code == 302  # before: the broker's OperationalError, a 500
    job = ReportJob.objects.get()
    assert (job.status, job.retryable, job.error) == (JobStatus.FAILED, True, NOT_QUEUED)
    page = page_text(client.get(response["Location"]))
    assert NOT_QUEUED in page and "Thử lại" in page
    assert actions(job) == [Action.REPORT_REQUESTED, Action.REPORT_FAILED]
    assert trail_for(job).last().detail["cause"] == "broker"
    # a second request is not blocked by a job stuck «queued»: it is failed, so a new one may start
    again = client.post(
        reverse("reports:request"), {"kind": UNIT, "year": "2026", "unit": unit_b.pk}, HTTP_HX_REQUEST="true"
    )
    assert again.status_code == 200 and NOT_QUEUED in page_text(again)
    assert ReportJob.objects.count() == 2


def test_a_retry_after_the_broker_is_back_builds_the_report(
    client, campaign, department_viewer, unit_b, django_capture_on_commit_callbacks, broker_down
):
    client.force_login(department_viewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request"), {"kind": UNIT, "year": "2026", "unit": unit_b.pk})
    job = ReportJob.objects.get()
    assert job.is_retryable
    broker_down.restore()  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.retryable, job.error, job.attempts) == (JobStatus.DONE, False, "", 1)


def test_the_sweep_resends_a_job_whose_message_was_lost(
    campaign, unit_a, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the message never reaches a worker
        lost, _created = services.report_request(kind=UNIT, campaign=campaign, unit=unit_a, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_all()["reports.reportjob"]["resent"] == 0  # not a minute old: left alone
    ReportJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - dt.timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_all()["reports.reportjob"] == {"resent": 1, "requeued": 0, "failed": 0}
    lost.refresh_from_db()
    assert lost.status == JobStatus.DONE and lost.attempts == 1
    assert Action.JOB_RESENT in actions(lost)


def running(campaign, unit, *, minutes_ago: float) -> ReportJob:
    """A job claimed by a worker whose last heartbeat was `minutes_ago`."""
    job = ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit)
    claimed = ReportJob.claim(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return claimed


def test_a_job_whose_worker_died_is_taken_over_once_then_failed(
    campaign, unit_a, settings, django_capture_on_commit_callbacks
):
    settings.JOB_HEARTBEAT_STALE = 120
    dead = running(campaign, unit_a, minutes_ago=3)
    alive = running(campaign, unit_a.children.create(name="Phòng A", code="phong-a"), minutes_ago=1)
    with django_capture_on_commit_callbacks(execute=False) as sent:  # the new attempt dies too
        assert sweep_all()["reports.reportjob"] == {"resent": 0, "requeued": 1, "failed": 0}
    assert len(sent) == 1
    dead.refresh_from_db()
    assert (dead.status, dead.requeues, dead.started_at) == (JobStatus.QUEUED, 1, None)
    assert ReportJob.objects.get(pk=alive.pk).status == JobStatus.RUNNING  # its heartbeat is fresh

    sent[0]()  # delivered in-process: claimed and built… unless the worker dies: simulate it
    dead.refresh_from_db()
    assert dead.status == JobStatus.DONE  # the takeover built it

    twice = running(campaign, unit_a, minutes_ago=3)
    ReportJob.objects.filter(pk=twice.pk).update(requeues=1)  # it was requeued once already
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_all()["reports.reportjob"]["failed"] == 1
    twice.refresh_from_db()
    assert (twice.status, twice.retryable) == (JobStatus.FAILED, True)
    assert "dừng giữa chừng" in twice.error
    event = trail_for(twice).last()
    assert event.action == Action.REPORT_FAILED and event.detail["cause"] == "worker_lost"
    assert Action.JOB_REQUEUED in actions(dead)


def test_a_redelivered_task_of_a_live_job_does_nothing(campaign, unit_a):
    job = running(campaign, unit_a, minutes_ago=0)
    assert build_report.delay(job.pk).get() == JobStatus.RUNNING
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 0 and not job.file


def test_a_worker_given_up_for_dead_writes_nothing(
    campaign, unit_a, settings, django_capture_on_commit_callbacks
):
    settings.JOB_HEARTBEAT_STALE = 60
    old_claim = running(campaign, unit_a, minutes_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_all()  # requeued and built by the new attempt
    old_claim_now = ReportJob.objects.get(pk=old_claim.pk)
    assert old_claim_now.status == JobStatus.DONE
    # the old worker wakes up and tries to finish: its claim is gone
    with pytest.raises(JobTakenOver), transaction.atomic():
        ReportJob.hold(old_claim)
    assert ReportJob.fail(old_claim.pk, "late error", claimed=old_claim) is False
    assert ReportJob.objects.get(pk=old_claim.pk).status == JobStatus.DONE
