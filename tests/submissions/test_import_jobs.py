# ruff: noqa: F811  (pytest fixtures imported from test_import_export are used as arguments)
"""The Excel import as Celery jobs (submissions.services import_request / import_confirm /
import_run, ImportJob): the request only checks and keeps the file, a worker checks the rows and
then imports them, the page polls the progress; a job runs once whatever happens to its task."""

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dksangtao.audit import Action
from dksangtao.jobs import JobStatus
from dksangtao.models import AuditEvent
from submissions import services
from submissions.models import Dossier, ImportJob
from tests.submissions.test_import_export import (  # noqa: F401 (fixtures)
    IMPORT_URL,
    campaign,
    media_root,
    row,
    staff_client,
    xlsx,
)

pytestmark = pytest.mark.django_db


def upload(rows):
    return SimpleUploadedFile("ho-so.xlsx", xlsx(rows))


def test_the_upload_only_queues_a_check_and_the_page_polls_it(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = staff_client.post(IMPORT_URL, {"file": upload([row(1), row(2)])})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "submissions:import_job", args=[job.token]
    )
    assert len(queued) == 1  # the task, sent after the commit
    assert job.status == JobStatus.QUEUED and job.mode == "check"
    page = staff_client.get(response["Location"])
    html = page.content.decode()
    assert 'hx-trigger="every 2s"' in html and "<progress" in html and "Đang kiểm tra từng dòng" in html
    fragment = staff_client.get(response["Location"], headers={"HX-Request": "true"})
    assert fragment.content.decode().startswith('<div id="import-job"')  # the fragment, not the page
    queued[0]()  # the worker runs it
    job.refresh_from_db()
    assert (job.status, job.progress, job.total, job.row_errors) == (JobStatus.DONE, 100, 2, [])
    done = staff_client.get(response["Location"]).content.decode()
    assert "every 2s" not in done and "Nhập 2 hồ sơ" in done
    assert Dossier.objects.count() == 0
    assert list(
        AuditEvent.objects.filter(object_id=job.pk, action__startswith="import.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [Action.IMPORT_REQUESTED, Action.IMPORT_DONE]


def test_a_long_check_reports_its_progress(staff, unit_a, campaign, monkeypatch):
    job = services.import_request(
        upload=upload([row(n) for n in range(1, 41)]), unit=unit_a, campaign=campaign, actor=staff
    )
    seen = []
    report_progress = ImportJob.report_progress

    def watched(pk, percent):  # records what the page would have seen, then writes it
        seen.append(percent)
        report_progress(pk, percent)

    monkeypatch.setattr(ImportJob, "report_progress", watched)
    services.import_run(job_id=job.pk)
    assert seen[0] == 20 and len(seen) >= 10 and seen == sorted(seen) and seen[-1] <= 95


def test_a_job_runs_once_even_if_its_task_comes_twice(staff, unit_a, campaign):
    check = services.import_request(
        upload=upload([row(1), row(2)]), unit=unit_a, campaign=campaign, actor=staff
    )
    services.import_run(job_id=check.pk)
    check.refresh_from_db()
    job = services.import_confirm(check=check, actor=staff)
    first = services.import_run(job_id=job.pk)
    again = services.import_run(job_id=job.pk)  # redelivered: the job is no longer queued
    assert first.status == again.status == JobStatus.DONE and first.created_count == 2
    assert Dossier.objects.count() == 2
    with pytest.raises(services.ActionRefused):
        services.import_confirm(check=check, actor=staff)
    assert ImportJob.objects.filter(mode="import").count() == 1


def test_a_running_job_is_left_to_its_worker(staff, unit_a, campaign):
    check = services.import_request(upload=upload([row(1)]), unit=unit_a, campaign=campaign, actor=staff)
    ImportJob.objects.filter(pk=check.pk).update(status=JobStatus.RUNNING)
    assert services.import_run(job_id=check.pk).status == JobStatus.RUNNING
    assert ImportJob.objects.get(pk=check.pk).total == 0


def test_a_file_gone_before_the_worker_fails_the_job_in_vietnamese(staff, unit_a, campaign, media_root):
    check = services.import_request(upload=upload([row(1)]), unit=unit_a, campaign=campaign, actor=staff)
    (media_root / check.file.name).unlink()
    job = services.import_run(job_id=check.pk)
    assert job.status == JobStatus.FAILED
    assert job.error == "Tệp đã tải lên không còn trên máy chủ; vui lòng tải lên lại."
    assert AuditEvent.objects.filter(object_id=job.pk, action=Action.IMPORT_FAILED).exists()


def test_files_are_removed_once_done_with(staff, unit_a, campaign, media_root):
    bad = services.import_request(
        upload=upload([row(1, **{"Tóm tắt": ""})]), unit=unit_a, campaign=campaign, actor=staff
    )
    services.import_run(job_id=bad.pk)  # errors: nothing to confirm, the file goes
    assert not (media_root / bad.file.name).exists()
    check = services.import_request(upload=upload([row(2)]), unit=unit_a, campaign=campaign, actor=staff)
    services.import_run(job_id=check.pk)
    assert (media_root / check.file.name).exists()  # kept for the confirmation
    services.import_run(job_id=services.import_confirm(check=check, actor=staff).pk)
    assert not (media_root / check.file.name).exists()


def test_the_job_page_needs_login_and_is_the_uploaders_only(client, staff, outsider, unit_a, campaign):
    check = services.import_request(upload=upload([row(1)]), unit=unit_a, campaign=campaign, actor=staff)
    url = reverse("submissions:import_job", args=[check.token])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_a_job_whose_worker_was_lost_is_failed_by_the_sweep_and_the_page_stops_waiting(
    staff_client, staff, unit_a, campaign, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the task is sent nowhere: the job stays queued
    with mock.patch.object(ImportJob, "send"):
        check = services.import_request(upload=upload([row(1)]), unit=unit_a, campaign=campaign, actor=staff)
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_HEARTBEAT_STALE + 60)
    ImportJob.objects.filter(pk=check.pk).update(
        status=JobStatus.RUNNING, started_at=stale, heartbeat_at=stale, requeues=settings.JOB_MAX_REQUEUES
    )
    url = reverse("submissions:import_job", args=[check.token])
    assert "every 2s" in staff_client.get(url).content.decode()  # the page only reads
    assert ImportJob.objects.get(pk=check.pk).status == JobStatus.RUNNING
    assert ImportJob.sweep()["failed"] == 1
    html = staff_client.get(url).content.decode()
    assert "every 2s" not in html and "dừng giữa chừng" in html
    job = ImportJob.objects.get(pk=check.pk)
    assert job.status == JobStatus.FAILED and job.retryable
    assert Dossier.objects.count() == 0
