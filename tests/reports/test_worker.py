"""A real Celery worker, against the running Redis, builds a report that a department asked for
through the download centre (skipped without REDIS_URL, like the other worker tests)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from dksangtao.celery import app
from dksangtao.jobs import JobStatus
from reports.models import ReportJob
from submissions.models import Status

# serialized_rollback: the flush after a transactional test would also wipe the fields and kinds
# that migration 0002 seeds, which later tests rely on.
pytestmark = [pytest.mark.redis_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_real_worker_builds_the_report_a_department_asked_for(
    client, campaign, make_dossier, unit_b, outsider, department_viewer
):
    make_dossier(unit_b, outsider, Status.SUBMITTED)
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        client.force_login(department_viewer)
        response = client.post(
            reverse("reports:request"), {"kind": "unit_summary", "year": "2026", "unit": unit_b.pk}
        )
        assert response.status_code == 302
        job = ReportJob.objects.get()
        seen = {job.status}
        deadline = time.monotonic() + 60
        while job.status not in (JobStatus.DONE, JobStatus.FAILED) and time.monotonic() < deadline:
            time.sleep(0.1)
            job.refresh_from_db()
            seen.add(job.status)
    assert job.status == JobStatus.DONE, job.error
    assert JobStatus.QUEUED in seen  # the web request only queued it; the worker built it
    assert job.attempts == 1 and job.checksum
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
