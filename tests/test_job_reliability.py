# ruff: noqa: F811  (fixtures imported from tests.faults and the submissions tests are used as arguments)
"""Issue #15, jobs that never get stuck — the parts shared by every kind of job: e-mail waits in the
outbox while the broker is down and goes when it is back; the cache misses instead of failing; the
sweep is on the beat; /healthz counts stuck jobs per kind."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dksangtao.cache import ForgivingRedisCache
from dksangtao.jobs import JobStatus
from dksangtao.mail import notify, outbox_deliver, queue_email
from dksangtao.models import OutboxEmail
from reports.models import ReportJob, ReportKind
from submissions.models import Status
from tests.faults import REFUSED, broker_down  # noqa: F401
from tests.submissions.conftest import field, kind, make_dossier  # noqa: F401

pytestmark = pytest.mark.django_db


def age(queryset, **delta) -> None:
    queryset.update(created_at=timezone.now() - dt.timedelta(**delta))


def test_password_reset_answers_while_the_broker_is_down_and_the_mail_goes_when_it_is_back(
    client, staff, broker_down
):
    response = client.post(reverse("password_reset"), {"email": staff.email})
    assert response.status_code == 302  # before: kombu's OperationalError, a 500
    waiting = OutboxEmail.objects.get()
    assert waiting.to == [staff.email] and waiting.sent_at is None and not mail.outbox


def test_the_sweep_sends_what_waits_in_the_outbox_once(staff, broker_down):
    OutboxEmail.objects.create(subject="Thông báo", body="Nội dung có dấu", to=[staff.email])
    age(OutboxEmail.objects.all(), seconds=61)
    assert outbox_deliver() == 1
    assert outbox_deliver() == 0  # sent once
    assert [m.to for m in mail.outbox] == [[staff.email]]
    sent = OutboxEmail.objects.get()
    assert sent.sent_at and sent.attempts == 1 and sent.last_error == ""


def test_a_notify_inside_a_service_survives_the_broker_being_down_and_is_sent_later(
    make_dossier, unit_a, staff, reviewer, django_capture_on_commit_callbacks, broker_down
):
    dossier = make_dossier(unit_a, staff, Status.SUBMITTED)
    OutboxEmail.objects.all().delete()  # the submission's own mail: the notify below is the one looked at
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(
            template="submissions/email/submitted",
            context={"dossier": dossier, "url": "https://dkst.example.vn/", "resubmission": False},
            to=[reviewer.email],
        )
    message = OutboxEmail.objects.get()  # the broker refused the task: nothing raised, the mail waits
    assert message.to == [reviewer.email] and message.sent_at is None and not mail.outbox
    age(OutboxEmail.objects.all(), minutes=2)
    assert outbox_deliver() == 1  # the beat, once the broker is back
    assert mail.outbox[0].to == [reviewer.email] and dossier.reference in mail.outbox[0].subject


def test_a_message_sent_after_the_commit_is_not_sent_again(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_email(subject="Kết quả\nthẩm định", body="Hồ sơ đã được chấm.", to=[staff.email])
    assert OutboxEmail.objects.get().subject == "Kết quả thẩm định"  # one header line
    age(OutboxEmail.objects.all(), minutes=2)
    assert outbox_deliver() == 0 and len(mail.outbox) == 1


def test_a_rolled_back_change_sends_nothing(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue_email(subject="S", body="B", to=[staff.email])
        raise RuntimeError
    assert not OutboxEmail.objects.exists() and not mail.outbox


def test_a_recent_message_is_left_to_its_own_task():
    OutboxEmail.objects.create(subject="S", body="B", to=["a@example.vn"])
    assert outbox_deliver() == 0  # not a minute old: its after-commit task may be sending it now


def test_a_message_that_keeps_failing_stops_after_the_cap(settings):
    settings.EMAIL_BACKEND = "dksangtao.tests_support_missing.Backend"  # importing it fails every send
    settings.MAIL_MAX_ATTEMPTS = 2
    OutboxEmail.objects.create(subject="S", body="B", to=["a@example.vn"])
    age(OutboxEmail.objects.all(), minutes=2)
    assert outbox_deliver() == 0 and outbox_deliver() == 0 and outbox_deliver() == 0
    message = OutboxEmail.objects.get()
    assert message.attempts == 2 and message.sent_at is None and "ModuleNotFoundError" in message.last_error


def test_the_cache_misses_instead_of_failing_when_redis_is_unreachable():
    cache = ForgivingRedisCache(REFUSED, {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("k", "default") == "default"
    assert cache.set("k", b"v") is None and cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {} and cache.delete("k") is False


def test_the_settings_use_the_forgiving_cache_with_redis_and_sweep_every_minute():
    # the chosen backend is in settings only when REDIS_URL is set; the beat always sweeps
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert schedule["jobs-sweep"]["task"] == "dksangtao.tasks.jobs_sweep"
    assert schedule["jobs-sweep"]["schedule"] == 60.0
    assert schedule["mail-outbox"]["task"] == "dksangtao.tasks.outbox_deliver"
    if django_settings.REDIS_URL:
        assert django_settings.CACHES["default"]["BACKEND"] == "dksangtao.cache.ForgivingRedisCache"


def test_healthz_counts_stuck_jobs_per_kind_and_keeps_its_keys(client, campaign):
    fresh = ReportJob.objects.create(kind=ReportKind.PROVINCE_SUMMARY, campaign=campaign)
    report = client.get(reverse("healthz")).json()
    assert {"status", "database", "broker", "worker", "jobs"} <= set(report)
    assert report["jobs"]["kinds"]["reports.reportjob"] == {"queued_late": 0, "running_stale": 0}
    age(ReportJob.objects.filter(pk=fresh.pk), minutes=2)  # its task was lost
    report = client.get(reverse("healthz")).json()
    assert report["jobs"]["kinds"]["reports.reportjob"] == {"queued_late": 1, "running_stale": 0}
    assert report["jobs"]["kinds"]["awards.rankingrun"] == {"queued_late": 0, "running_stale": 0}
    assert report["jobs"]["stuck"] == 1 and report["status"] == "degraded"
    ReportJob.objects.filter(pk=fresh.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(minutes=6)
    )
    report = client.get(reverse("healthz")).json()
    assert report["jobs"]["kinds"]["reports.reportjob"] == {"queued_late": 0, "running_stale": 1}
