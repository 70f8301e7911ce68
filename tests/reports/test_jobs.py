"""Report jobs: asked for once while running, built idempotently with a checksum, a failure recorded
and retried, the scheduled export before the ceremony."""

import datetime as dt
import hashlib
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from awards.models import AwardPolicy
from dksangtao.audit import Action, trail_for
from dksangtao.jobs import JobStatus, stale_after
from reports import services
from reports.models import ReportJob, ReportKind
from submissions.models import Status
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

UNIT = ReportKind.UNIT_SUMMARY
PROVINCE = ReportKind.PROVINCE_SUMMARY


def request(kind, campaign, unit, actor, capture):
    with capture(execute=True):
        return services.report_request(kind=kind, campaign=campaign, unit=unit, actor=actor)


def test_a_request_queues_a_job_that_the_task_builds_with_its_checksum(
    campaign, unit_a, reviewer, make_dossier, staff, django_capture_on_commit_callbacks
):
    make_dossier(unit_a, staff, Status.SUBMITTED)
    with django_capture_on_commit_callbacks() as callbacks:
        job, created = services.report_request(kind=UNIT, campaign=campaign, unit=unit_a, actor=reviewer)
    assert created and job.status == JobStatus.QUEUED and job.progress == 0
    assert len(callbacks) == 1  # the task is queued only once the request's transaction commits
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100 and job.attempts == 1
    content = job.file.read()
    assert content.startswith(b"%PDF")
    assert job.checksum == hashlib.sha256(content).hexdigest()
    assert job.size == len(content)
    assert job.started_at <= job.finished_at
    assert job.file.name.startswith("reports/2026/")


def test_the_same_report_asked_twice_while_queued_is_one_job(campaign, unit_a, reviewer, front_admin):
    first, created = services.report_request(kind=UNIT, campaign=campaign, unit=unit_a, actor=reviewer)
    again, created_again = services.report_request(
        kind=UNIT, campaign=campaign, unit=unit_a, actor=front_admin
    )
    assert created and not created_again
    assert again.pk == first.pk
    ReportJob.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    running, created = services.report_request(kind=UNIT, campaign=campaign, unit=unit_a, actor=front_admin)
    assert running.pk == first.pk and not created
    province, _c = services.report_request(kind=PROVINCE, campaign=campaign, unit=None, actor=front_admin)
    province_again, created = services.report_request(
        kind=PROVINCE, campaign=campaign, unit=None, actor=front_admin
    )
    assert province_again.pk == province.pk and not created
    assert ReportJob.objects.count() == 2


def test_the_database_refuses_a_second_active_job_for_the_same_report(campaign, unit_a, reviewer):
    ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_a, requested_by=reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_a, requested_by=reviewer)
    ReportJob.objects.create(kind=PROVINCE, campaign=campaign, unit=None, status=JobStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(kind=PROVINCE, campaign=campaign, unit=None)
    # Finished jobs are history: as many as there were requests.
    ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_a, status=JobStatus.FAILED)
    ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_a, status=JobStatus.FAILED)


@pytest.mark.parametrize(
    ("kind", "unit_fixture", "message"),
    [
        (UNIT, None, "Hãy chọn đơn vị cho báo cáo tổng hợp của đơn vị."),
        (PROVINCE, "unit_a", "Báo cáo toàn tỉnh không gắn với một đơn vị."),
        ("bao_cao_khac", None, "Loại báo cáo không hợp lệ."),
    ],
)
def test_a_request_that_makes_no_sense_is_refused(
    request, campaign, front_admin, kind, unit_fixture, message
):
    unit = request.getfixturevalue(unit_fixture) if unit_fixture else None
    with pytest.raises(services.ActionRefused, match=message):
        services.report_request(kind=kind, campaign=campaign, unit=unit, actor=front_admin)
    assert not ReportJob.objects.exists()


def test_a_failed_job_records_its_error_and_can_be_retried(
    settings, tmp_path, campaign, unit_a, reviewer, django_capture_on_commit_callbacks
):
    # MEDIA_ROOT is a plain file: the storage cannot make its folder, as on a full or read-only disk.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker
    job, _created = request(UNIT, campaign, unit_a, reviewer, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Error" in job.error and str(blocker) in job.error
    assert job.finished_at is not None and not job.file and job.checksum == ""

    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        retried = services.report_retry(job=job, actor=reviewer)
    assert retried.pk == job.pk
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.error == "" and job.attempts == 2
    assert (tmp_path / "media" / job.file.name).exists()
    with pytest.raises(services.ActionRefused, match="Chỉ tạo lại được báo cáo bị lỗi."):
        services.report_retry(job=job, actor=reviewer)


def test_a_retry_while_the_same_report_runs_returns_the_running_job(campaign, unit_a, reviewer):
    failed = ReportJob.objects.create(
        kind=UNIT, campaign=campaign, unit=unit_a, status=JobStatus.FAILED, error="x"
    )
    running = ReportJob.objects.create(kind=UNIT, campaign=campaign, unit=unit_a, status=JobStatus.RUNNING)
    assert services.report_retry(job=failed, actor=reviewer).pk == running.pk
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED


def test_building_is_idempotent(campaign, unit_a, reviewer, django_capture_on_commit_callbacks):
    job, _created = request(UNIT, campaign, unit_a, reviewer, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    name, checksum = job.file.name, job.checksum
    again = services.report_build(job_id=job.pk)  # a task delivered twice
    assert again.status == JobStatus.DONE
    assert (again.file.name, again.checksum, again.attempts) == (name, checksum, 1)
    assert services.report_build(job_id=999_999) is None


def test_a_job_stuck_running_past_the_time_limit_gives_way_to_a_new_request(campaign, unit_a, reviewer):
    stuck = ReportJob.objects.create(
        kind=UNIT,
        campaign=campaign,
        unit=unit_a,
        status=JobStatus.RUNNING,
        started_at=timezone.now() - stale_after() - dt.timedelta(minutes=1),
    )
    job, created = services.report_request(kind=UNIT, campaign=campaign, unit=unit_a, actor=reviewer)
    assert created and job.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED
    assert stuck.error == "Quá thời gian cho phép: tiến trình đã dừng; hãy chạy lại."
    assert list(trail_for(stuck).values_list("action", flat=True)) == [Action.REPORT_FAILED]


def test_the_scheduled_export_runs_a_week_before_the_ceremony_and_once_a_day(
    campaign, make_dossier, unit_a, unit_a_child, unit_b, staff, django_capture_on_commit_callbacks
):
    make_dossier(unit_a_child, staff, Status.SUBMITTED)
    make_dossier(unit_a, staff, Status.DRAFT)  # drafts do not make a unit take part
    UnitFactory(name="Đơn vị không có hồ sơ")
    ceremony = campaign.ceremony_date
    assert services.scheduled_exports(today=ceremony - dt.timedelta(days=8)) == []
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.scheduled_exports(today=ceremony - dt.timedelta(days=7))
    made = {(job.kind, job.unit_id) for job in jobs}
    # The child unit that submitted, and the unit above it (whose summary covers it), and the province.
    assert made == {(PROVINCE, None), (UNIT, unit_a_child.pk), (UNIT, unit_a.pk)}
    assert ReportJob.objects.filter(status=JobStatus.DONE, requested_by=None).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert services.scheduled_exports(today=ceremony - dt.timedelta(days=7)) == []
    assert ReportJob.objects.count() == 3


def test_the_days_before_the_ceremony_come_from_the_award_policy(
    campaign, django_capture_on_commit_callbacks
):
    AwardPolicy.objects.create(campaign=campaign, exports_days_before=14)
    ceremony = campaign.ceremony_date
    assert services.scheduled_exports(today=ceremony - dt.timedelta(days=15)) == []
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.scheduled_exports(today=ceremony - dt.timedelta(days=14))
    assert [(job.kind, job.unit) for job in jobs] == [(PROVINCE, None)]  # no unit has dossiers


def test_a_missed_export_day_is_caught_up_once_before_the_ceremony(
    campaign, django_capture_on_commit_callbacks
):
    ceremony = campaign.ceremony_date
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.scheduled_exports(today=ceremony - dt.timedelta(days=3))  # the beat was down
    assert [(job.kind, job.unit) for job in jobs] == [(PROVINCE, None)]
    assert services.scheduled_exports(today=ceremony - dt.timedelta(days=2)) == []
    assert services.scheduled_exports(today=ceremony + dt.timedelta(days=1)) == []  # after it: never


def test_the_beat_task_calls_the_scheduled_export(campaign):
    from reports.tasks import scheduled_exports

    assert scheduled_exports.delay().get() == 0  # no campaign's ceremony is a week away today


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_asking_at_the_same_moment_get_the_same_job(campaign, unit_a, reviewer, front_admin):
    start = threading.Barrier(4)
    got: list[int] = []
    errors: list[BaseException] = []

    def ask(actor):
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                job, _created = services.report_request(
                    kind=UNIT, campaign=campaign, unit=unit_a, actor=actor
                )
            got.append(job.pk)
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    from dksangtao.celery import app

    app.conf.task_always_eager = True
    threads = [threading.Thread(target=ask, args=(person,)) for person in (reviewer, front_admin) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(set(got)) == 1 and len(got) == 4
    assert ReportJob.objects.count() == 1
