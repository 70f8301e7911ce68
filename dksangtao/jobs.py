"""Long work done by a Celery worker — a ranking run, a report — as a row the page polls: one
abstract model (Job) with its life cycle in one place.

- A job is created «queued»; `enqueue` sends its task after the commit. When the broker cannot take
  it (Redis down), the job ends «failed» and *retryable* with a message saying nothing was done, so
  the person asks again later instead of meeting a 500 and a row stuck «queued».
- A worker claims it once (row lock: a redelivered task finds it running or ended and does nothing),
  then writes a heartbeat at each progress step. Its final writes check that it still holds the
  claim (`hold`), so a worker given up for dead can never write a second result.
- `sweep` (a beat task every minute) resends the task of a job still queued a minute after its last
  send (the message was lost), and takes over a running job whose heartbeat is stale: requeued once,
  then failed-retryable. Every such act is in the audit trail.
- `expire_stale` stays as the last word for a job queued or running past the task time limit.
"""

import datetime as dt
import logging

import kombu.exceptions
import redis.exceptions
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dksangtao.audit import Action, record, record_many

logger = logging.getLogger(__name__)

# What sending a task raises when the broker (or the Redis result backend) cannot be reached.
BROKER_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Đang chờ")
    RUNNING = "running", gettext_lazy("Đang chạy")
    DONE = "done", gettext_lazy("Đã xong")
    FAILED = "failed", gettext_lazy("Bị lỗi")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def stale_after() -> dt.timedelta:
    """A job older than the hard task time limit (plus a margin) has lost its worker."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def queued_grace() -> dt.timedelta:
    """A queued job whose task was sent longer ago than this has lost its message."""
    return dt.timedelta(seconds=settings.JOB_QUEUED_GRACE)


def heartbeat_stale() -> dt.timedelta:
    """A running job whose heartbeat is older than this has lost its worker."""
    return dt.timedelta(seconds=settings.JOB_HEARTBEAT_STALE)


def not_queued_message() -> str:
    return _("Hàng đợi xử lý đang gián đoạn; yêu cầu chưa được thực hiện, hãy thử lại sau ít phút.")


def worker_lost_message() -> str:
    return _(
        "Tiến trình xử lý đã dừng giữa chừng nhiều lần; yêu cầu chưa được thực hiện xong, "
        "hãy thử lại sau ít phút."
    )


class JobTakenOver(Exception):
    """This worker's claim was given up (its heartbeat went stale and the job was requeued or
    failed): it must not write a result."""


class Job(models.Model):
    failed_action: str  # the audit trail's action for a failed job of this kind (dksangtao.audit)
    task_name: str  # the dotted path of the Celery task that does the work, given the job's id

    status = models.CharField(
        gettext_lazy("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(gettext_lazy("tiến độ (%)"), default=0)
    error = models.TextField(gettext_lazy("lỗi"), blank=True)
    retryable = models.BooleanField(
        gettext_lazy("có thể thử lại"),
        default=False,
        help_text=gettext_lazy("Bị lỗi vì hàng đợi hoặc tiến trình xử lý gián đoạn, không vì dữ liệu."),
    )
    created_at = models.DateTimeField(gettext_lazy("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(gettext_lazy("bắt đầu"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        gettext_lazy("tín hiệu gần nhất"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Lần gửi lại gần nhất khi đang chờ; lần báo tiến độ gần nhất khi đang chạy."),
    )
    requeues = models.PositiveSmallIntegerField(gettext_lazy("số lần chạy lại sau gián đoạn"), default=0)
    finished_at = models.DateTimeField(gettext_lazy("kết thúc"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_retryable(self) -> bool:
        return self.status == JobStatus.FAILED and self.retryable

    # Sending ---------------------------------------------------------------------------------

    def enqueue(self) -> None:
        """Send the job's task once the current transaction commits (never on rollback). A broker
        that cannot take it leaves the job failed-retryable, not a 500 (module docstring)."""
        model, pk = type(self), self.pk
        transaction.on_commit(lambda: model.send(pk))

    @classmethod
    def send(cls, pk: int) -> bool:
        """Send the task now; False (and the job failed-retryable, recorded) when the broker is down."""
        task = import_string(cls.task_name)
        try:
            task.apply_async(
                args=[pk],
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5},
            )
        except BROKER_ERRORS as error:
            logger.warning("%s %s: the broker refused the task (%r)", cls.__name__, pk, error)
            cls.fail_not_queued(pk, cause=repr(error))
            return False
        return True

    @classmethod
    def fail_not_queued(cls, pk: int, *, cause: str) -> None:
        message = not_queued_message()
        with transaction.atomic():
            job = cls.objects.select_for_update(of=("self",)).filter(pk=pk, status=JobStatus.QUEUED).first()
            if job is None:  # a worker already took it (the error came from the result backend)
                return
            job.status, job.retryable, job.error = JobStatus.FAILED, True, message
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "retryable", "error", "finished_at"])
            record(
                actor=None,
                action=cls.failed_action,
                obj=job,
                detail={"error": message, "cause": "broker", "exception": cause[:300]},
            )

    # The worker's side -------------------------------------------------------------------------

    @classmethod
    def claim(cls, pk: int, *related: str):
        """Take a queued job for this worker (running, 5 %), or None when it is not queued any more
        (done, failed, or taken by another worker): the task's work then does nothing."""
        with transaction.atomic():
            job = cls.objects.select_for_update(of=("self",)).select_related(*related).filter(pk=pk).first()
            if job is None or job.status != JobStatus.QUEUED:
                return None
            now = timezone.now()
            job.status, job.started_at, job.heartbeat_at, job.progress = JobStatus.RUNNING, now, now, 5
            job.save(update_fields=["status", "started_at", "heartbeat_at", "progress"])
        return job

    @classmethod
    def report_progress(cls, pk: int, percent: int) -> None:
        """The progress the page shows, and the heartbeat that tells the sweep the worker lives."""
        cls.objects.filter(pk=pk, status=JobStatus.RUNNING).update(
            progress=percent, heartbeat_at=timezone.now()
        )

    @classmethod
    def touch(cls, pk: int) -> None:
        """The heartbeat alone, for a long loop between progress steps."""
        cls.objects.filter(pk=pk, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())

    @classmethod
    def hold(cls, job):
        """Inside the transaction that writes the result: lock the row and check this worker still
        holds its claim (running, and claimed at the same instant: not requeued and claimed again
        since); JobTakenOver otherwise."""
        locked = (
            cls.objects.select_for_update(of=("self",))
            .filter(pk=job.pk, status=JobStatus.RUNNING, started_at=job.started_at)
            .first()
        )
        if locked is None:
            raise JobTakenOver(job.pk)
        return locked

    @classmethod
    def fail(cls, pk: int, error: str, *, claimed=None) -> bool:
        """Mark the job failed with its error (not retryable: the work itself failed). With `claimed`
        (the claimed job), only while that claim still holds. Whether it was marked."""
        jobs = cls.objects.filter(pk=pk)
        if claimed is not None:
            jobs = jobs.filter(status=JobStatus.RUNNING, started_at=claimed.started_at)
        return bool(jobs.update(status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()))

    # Sweeping ----------------------------------------------------------------------------------

    @classmethod
    def stuck(cls, jobs=None):
        """(queued with a lost message, running with a stale heartbeat) querysets of `jobs`."""
        now = timezone.now()
        jobs = cls.objects.all() if jobs is None else jobs
        last_sign = Coalesce("heartbeat_at", "started_at", "created_at")
        marked = jobs.alias(last_sign=last_sign)
        lost = marked.filter(status=JobStatus.QUEUED, last_sign__lt=now - queued_grace())
        dead = marked.filter(status=JobStatus.RUNNING, last_sign__lt=now - heartbeat_stale())
        return lost, dead

    @classmethod
    def sweep(cls) -> dict:
        """Resend the lost, requeue (once) or fail the dead — each recorded; the counts."""
        counts = {"resent": 0, "requeued": 0, "failed": 0}
        with transaction.atomic():
            lost, dead = cls.stuck()
            now = timezone.now()
            lost = list(lost.select_for_update(of=("self",), skip_locked=True))
            dead = list(dead.select_for_update(of=("self",), skip_locked=True))
            for job in lost:
                job.heartbeat_at = now
                job.save(update_fields=["heartbeat_at"])
                detail = {"created_at": str(job.created_at)}
                record(actor=None, action=Action.JOB_RESENT, obj=job, detail=detail)
                job.enqueue()
                counts["resent"] += 1
            for job in dead:
                detail = {"heartbeat_at": str(job.heartbeat_at), "requeues": job.requeues}
                if job.requeues < settings.JOB_MAX_REQUEUES:
                    job.status, job.progress, job.requeues = JobStatus.QUEUED, 0, job.requeues + 1
                    job.started_at, job.heartbeat_at = None, now
                    job.save(update_fields=["status", "progress", "requeues", "started_at", "heartbeat_at"])
                    record(actor=None, action=Action.JOB_REQUEUED, obj=job, detail=detail)
                    job.enqueue()
                    counts["requeued"] += 1
                else:
                    message = worker_lost_message()
                    job.status, job.retryable, job.error = JobStatus.FAILED, True, message
                    job.finished_at = now
                    job.save(update_fields=["status", "retryable", "error", "finished_at"])
                    detail.update(error=message, cause="worker_lost")
                    record(actor=None, action=cls.failed_action, obj=job, detail=detail)
                    counts["failed"] += 1
        return counts

    @classmethod
    def expire_stale(cls, jobs) -> int:
        """Mark failed the jobs of `jobs` (a queryset of this model) queued or running for longer than
        the task time limit allows, each recorded in the audit trail as failed; how many."""
        limit = timezone.now() - stale_after()
        late = Q(started_at__lt=limit) | Q(started_at__isnull=True, created_at__lt=limit)
        error = _("Quá thời gian cho phép: tiến trình đã dừng; hãy chạy lại.")
        with transaction.atomic():
            stale = list(jobs.filter(late, status__in=ACTIVE).select_for_update(of=("self",)))
            if stale:
                cls.objects.filter(pk__in=[job.pk for job in stale]).update(
                    status=JobStatus.FAILED, error=error, retryable=True, finished_at=timezone.now()
                )
                record_many(actor=None, action=cls.failed_action, objects=stale, detail={"error": error})
        return len(stale)


def job_models() -> list[type[Job]]:
    """Every kind of job in the installed apps (the ground floor imports none of them)."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


def sweep_all() -> dict:
    """The beat's work (dksangtao.tasks.jobs_sweep): every kind of job swept; counts per kind."""
    return {model._meta.label_lower: model.sweep() for model in job_models()}


def stuck_counts() -> dict:
    """For /healthz: per kind, how many jobs are queued with a lost message or running with a stale
    heartbeat."""
    report = {}
    for model in job_models():
        lost, dead = model.stuck()
        report[model._meta.label_lower] = {"queued_late": lost.count(), "running_stale": dead.count()}
    return report
