"""A real Celery worker, against the running Redis, checks and then imports an Excel file that a
unit's clerk uploaded (skipped without REDIS_URL, like the other worker tests)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile

from dksangtao.celery import app
from dksangtao.jobs import JobStatus
from submissions.models import Dossier, ImportJob
from tests.submissions.test_import_export import IMPORT_URL, row, xlsx

# serialized_rollback: the flush after a transactional test would also wipe the fields and kinds
# that migration 0002 seeds, which later tests rely on.
pytestmark = [pytest.mark.redis_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wait_for(job: ImportJob) -> tuple[ImportJob, set]:
    seen = {job.status}
    deadline = time.monotonic() + 60
    while job.status not in (JobStatus.DONE, JobStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(0.1)
        job.refresh_from_db()
        seen.add(job.status)
    return job, seen


def test_a_real_worker_checks_then_imports(client, staff, campaign, settings):
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            client.force_login(staff)
            response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.xlsx", xlsx([row(1), row(2)]))})
            assert response.status_code == 302
            check, seen = wait_for(ImportJob.objects.get())
            assert check.status == JobStatus.DONE and check.ok, (check.error, check.row_errors)
            assert JobStatus.QUEUED in seen  # the request only queued it; the worker ran it
            response = client.post(
                IMPORT_URL, {"confirm": "1", "upload": str(check.token), "unit": check.unit_id}
            )
            assert response.status_code == 302
            job, _seen = wait_for(ImportJob.objects.get(mode="import"))
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    assert job.status == JobStatus.DONE and job.created_count == 2, job.error
    assert Dossier.objects.count() == 2
