"""Every write on report jobs: asking for a report, building it (in a Celery worker), retrying a
failed one, and the scheduled export before the ceremony.

The same report (kind × campaign × unit) asked for while one is waiting or running is generated
once: `report_request` locks the campaign row, looks for the active job and only then creates one;
the partial unique indexes on ReportJob are the database's last word if anything slips past.
Building is idempotent: a job is claimed only from «queued», so a task delivered twice builds once.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit
from dksangtao.pdf import Issuer, front_name, html_to_pdf, number_to_fill, render_html
from reports import selectors
from reports.models import ACTIVE, JobStatus, ReportJob, ReportKind
from submissions.models import Campaign, Dossier
from submissions.selectors import current_campaign
from submissions.services import ActionRefused

logger = logging.getLogger(__name__)

# A job still «running» this long after it started has lost its worker (killed past the hard time
# limit); the next request marks it failed instead of waiting for it forever.
STALE_AFTER = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
# The scheduled export runs when the current campaign's ceremony is this many days away (a setting
# REPORTS_EXPORT_DAYS_BEFORE, e.g. (14, 7), overrides it).
EXPORT_DAYS_BEFORE = (7,)
TEMPLATES = {
    ReportKind.UNIT_SUMMARY: "reports/pdf_unit_summary.html",
    ReportKind.PROVINCE_SUMMARY: "reports/pdf_province_summary.html",
}

__all__ = ["ActionRefused", "report_build", "report_request", "report_retry", "scheduled_exports"]


def _check_target(kind: str, unit: Unit | None) -> None:
    if kind not in ReportKind.values:
        raise ActionRefused(_("Loại báo cáo không hợp lệ."))
    if kind == ReportKind.UNIT_SUMMARY and unit is None:
        raise ActionRefused(_("Hãy chọn đơn vị cho báo cáo tổng hợp của đơn vị."))
    if kind == ReportKind.PROVINCE_SUMMARY and unit is not None:
        raise ActionRefused(_("Báo cáo toàn tỉnh không gắn với một đơn vị."))


def _active_job(kind: str, campaign: Campaign, unit: Unit | None) -> ReportJob | None:
    return (
        ReportJob.objects.select_for_update()
        .filter(kind=kind, campaign=campaign, unit=unit, status__in=ACTIVE)
        .first()
    )


def _queue(job: ReportJob) -> None:
    from reports.tasks import build_report  # the task module imports this one

    transaction.on_commit(lambda: build_report.delay(job.pk))


def _expire_if_stale(job: ReportJob) -> bool:
    started = job.started_at or job.created_at
    if job.status == JobStatus.RUNNING and timezone.now() - started > STALE_AFTER:
        job.status = JobStatus.FAILED
        job.error = _("Quá thời gian cho phép: tiến trình tạo báo cáo đã dừng.")
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return True
    return False


def report_request(*, kind: str, campaign: Campaign, unit: Unit | None, actor) -> tuple[ReportJob, bool]:
    """Queue the report, or return the one already waiting or running for the same kind, campaign and
    unit. Returns (job, created). The caller has checked that `actor` may see this report."""
    _check_target(kind, unit)
    with transaction.atomic():
        # One request at a time per campaign: two people asking at once find each other's job.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk").first()
        active = _active_job(kind, campaign, unit)
        if active is not None and not _expire_if_stale(active):
            return active, False
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(kind=kind, campaign=campaign, unit=unit, requested_by=actor)
        except IntegrityError:  # only if a writer got past the lock (it cannot on PostgreSQL)
            active = _active_job(kind, campaign, unit)
            if active is None:
                raise
            return active, False
        _queue(job)
    return job, True


def report_retry(*, job: ReportJob, actor) -> ReportJob:
    """Queue a failed job again (the same row, its error cleared). If the same report is meanwhile
    waiting or running, that job is returned instead."""
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=job.campaign_id).values_list("pk").first()
        locked = ReportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.FAILED:
            raise ActionRefused(_("Chỉ tạo lại được báo cáo bị lỗi."))
        active = _active_job(locked.kind, locked.campaign, locked.unit)
        if active is not None:
            return active
        locked.status = JobStatus.QUEUED
        locked.progress = 0
        locked.error = ""
        locked.started_at = locked.finished_at = None
        locked.requested_by = actor or locked.requested_by
        locked.save()
        _queue(locked)
    return locked


def _claim(job_id: int) -> ReportJob | None:
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update(of=("self",))
            .select_related("campaign", "unit")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != JobStatus.QUEUED:
            return None  # done, failed, or being built by another worker: nothing to do
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.progress = 5
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "progress", "attempts"])
    return job


def _progress(job: ReportJob, percent: int) -> None:
    # Outside any transaction in a worker: the download centre's polling sees it at once.
    ReportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(progress=percent)


def report_context(job: ReportJob) -> dict:
    """The figures and the frame of the PDF (the issuer of the header, the signature) for one job;
    dksangtao.pdf adds the province, the place and the date."""
    if job.kind == ReportKind.UNIT_SUMMARY:
        context = selectors.unit_summary(campaign=job.campaign, unit=job.unit)
        context["issuer"] = Issuer.of_unit(job.unit, number=number_to_fill("BC"), top_parent=front_name())
    else:
        context = selectors.province_summary(campaign=job.campaign)
        context["issuer"] = Issuer.of_front(_("Ban Thường trực"), number=number_to_fill("BC"))
    context["sections"] = [
        {"title": section["title"], "html": render_to_string(section["template"], section.get("context", {}))}
        for section in selectors.extra_sections(job.kind, job.campaign)
    ]
    context.update(job=job, requested_by=job.requested_by)
    return context


def report_html(job: ReportJob) -> str:
    return render_html(TEMPLATES[job.kind], report_context(job))


def report_build(*, job_id: int) -> ReportJob | None:
    """Build, render and store the report of a queued job, recording its checksum; on any error the
    job is marked failed with the error, and can be retried. Called by reports.tasks.build_report."""
    job = _claim(job_id)
    if job is None:
        return ReportJob.objects.filter(pk=job_id).first()
    try:
        html = report_html(job)
        _progress(job, 40)
        pdf = html_to_pdf(html)
        _progress(job, 90)
        with transaction.atomic():
            locked = (
                ReportJob.objects.select_for_update(of=("self",))
                .select_related("campaign", "unit")
                .get(pk=job.pk)
            )
            locked.file.save(
                f"{locked.kind}-{job.unit.code if job.unit else 'toan-tinh'}-{job.pk}.pdf",
                ContentFile(pdf),
                save=False,
            )
            locked.size = len(pdf)
            locked.checksum = hashlib.sha256(pdf).hexdigest()
            locked.status = JobStatus.DONE
            locked.progress = 100
            locked.finished_at = timezone.now()
            locked.save()
        return locked
    except Exception as error:  # recorded on the job; the person sees it and can retry
        logger.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return ReportJob.objects.get(pk=job_id)


def _units_with_dossiers(campaign: Campaign) -> list[Unit]:
    """The units that submitted dossiers in the campaign, and every unit above them (whose summaries
    cover their children)."""
    parents = dict(Unit.objects.order_by().values_list("id", "parent_id"))
    wanted: set[int] = set()
    for unit_id in (
        Dossier.objects.filter(campaign=campaign, reference__isnull=False)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    ):
        while unit_id is not None and unit_id not in wanted:
            wanted.add(unit_id)
            unit_id = parents.get(unit_id)
    return list(Unit.objects.filter(pk__in=wanted).order_by("name"))


def scheduled_exports(
    *, campaign: Campaign | None = None, today: dt.date | None = None, force: bool = False, actor=None
) -> list[ReportJob]:
    """The export before the ceremony (Celery beat, daily): when the current campaign's ceremony is
    EXPORT_DAYS_BEFORE days away (or when `force`d by a Front admin), request the province-wide
    summary and the summary of every unit that took part. A report already made or requested today
    is not made again, so running it twice a day changes nothing. The campaign schedule
    (awards.schedule) calls it for its campaign, forced, on the campaign's export day."""
    campaign = campaign or current_campaign()
    today = today or timezone.localdate()
    days_before = getattr(settings, "REPORTS_EXPORT_DAYS_BEFORE", EXPORT_DAYS_BEFORE)
    if campaign is None or not (force or (campaign.ceremony_date - today).days in days_before):
        return []
    targets = [(ReportKind.PROVINCE_SUMMARY, None)] + [
        (ReportKind.UNIT_SUMMARY, unit) for unit in _units_with_dossiers(campaign)
    ]
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    made_today = set(
        ReportJob.objects.filter(campaign=campaign, created_at__gte=start_of_day)
        .filter(Q(status__in=ACTIVE) | Q(status=JobStatus.DONE))
        .values_list("kind", "unit_id")
    )
    jobs = []
    for kind, unit in targets:
        if (kind, unit.pk if unit else None) in made_today:
            continue
        job, _created = report_request(kind=kind, campaign=campaign, unit=unit, actor=actor)
        jobs.append(job)
    return jobs
