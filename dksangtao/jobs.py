"""Long work done by a Celery worker — a ranking run, a report — as a row the page polls: one
abstract model (Job) with its life cycle in one place. A job is created «queued» (the task is sent
after the commit), claimed once by a worker (so a redelivered task does nothing), reports its
progress outside any transaction (the page sees it at once), and ends «done» or «failed» with its
error. A job left queued or running past the task time limit has lost its worker: `expire_stale`
marks it failed, so nothing stays stuck for ever."""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dksangtao.audit import record_many


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Đang chờ")
    RUNNING = "running", gettext_lazy("Đang chạy")
    DONE = "done", gettext_lazy("Đã xong")
    FAILED = "failed", gettext_lazy("Bị lỗi")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def stale_after() -> dt.timedelta:
    """A job older than the hard task time limit (plus a margin) has lost its worker."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


class Job(models.Model):
    failed_action: str  # the audit trail's action for a failed job of this kind (dksangtao.audit)

    status = models.CharField(
        gettext_lazy("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(gettext_lazy("tiến độ (%)"), default=0)
    error = models.TextField(gettext_lazy("lỗi"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(gettext_lazy("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("kết thúc"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @classmethod
    def claim(cls, pk: int, *related: str):
        """Take a queued job for this worker (running, 5 %), or None when it is not queued any more
        (done, failed, or taken by another worker): the task's work then does nothing."""
        with transaction.atomic():
            job = cls.objects.select_for_update(of=("self",)).select_related(*related).filter(pk=pk).first()
            if job is None or job.status != JobStatus.QUEUED:
                return None
            job.status, job.started_at, job.progress = JobStatus.RUNNING, timezone.now(), 5
            job.save(update_fields=["status", "started_at", "progress"])
        return job

    @classmethod
    def report_progress(cls, pk: int, percent: int) -> None:
        cls.objects.filter(pk=pk, status=JobStatus.RUNNING).update(progress=percent)

    @classmethod
    def fail(cls, pk: int, error: str) -> None:
        cls.objects.filter(pk=pk).update(
            status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()
        )

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
                    status=JobStatus.FAILED, error=error, finished_at=timezone.now()
                )
                record_many(actor=None, action=cls.failed_action, objects=stale, detail={"error": error})
        return len(stale)
