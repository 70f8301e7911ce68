"""Every write on report jobs: asking for a report, building it (in a Celery worker), retrying a
failed one, and the export before the ceremony (every summary of a campaign, by hand or on the day
its award policy sets).

The same report (kind × campaign × unit) asked for while one is waiting or running is generated
once: `report_request` locks the campaign row, looks for the active job and only then creates one;
the partial unique indexes on ReportJob are the database's last word if anything slips past.
Building is idempotent: a job is claimed only from «queued» (dksangtao.jobs), so a task delivered
twice builds once.
"""

import datetime as dt
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit
from awards.selectors import policy_for
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.jobs import ACTIVE, JobStatus, JobTakenOver
from dksangtao.pdf import Issuer, html_to_pdf, number_to_fill, render_html
from dksangtao.routers import reads_from_replica
from reports import selectors
from reports.models import ReportJob, ReportKind
from submissions.models import Campaign, Dossier

logger = logging.getLogger(__name__)

TEMPLATES = {
    ReportKind.UNIT_SUMMARY: "reports/pdf_unit_summary.html",
    ReportKind.PROVINCE_SUMMARY: "reports/pdf_province_summary.html",
}


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


def report_request(*, kind: str, campaign: Campaign, unit: Unit | None, actor) -> tuple[ReportJob, bool]:
    """Queue the report, or return the one already waiting or running for the same kind, campaign and
    unit. Returns (job, created). The caller has checked that `actor` may see this report."""
    _check_target(kind, unit)
    with transaction.atomic():
        # One request at a time per campaign: two people asking at once find each other's job.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk").first()
        ReportJob.expire_stale(ReportJob.objects.filter(kind=kind, campaign=campaign, unit=unit))
        active = _active_job(kind, campaign, unit)
        if active is not None:
            return active, False
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(kind=kind, campaign=campaign, unit=unit, requested_by=actor)
                record(actor=actor, action=Action.REPORT_REQUESTED, obj=job)
        except IntegrityError:  # only if a writer got past the lock (it cannot on PostgreSQL)
            active = _active_job(kind, campaign, unit)
            if active is None:
                raise
            return active, False
        job.enqueue()  # after the commit; a broker that is down leaves it failed-retryable
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
        locked.started_at = locked.finished_at = locked.heartbeat_at = None
        locked.retryable, locked.requeues = False, 0
        locked.requested_by = actor or locked.requested_by
        locked.save()
        record(actor=actor, action=Action.REPORT_RETRIED, obj=locked)
        locked.enqueue()
    return locked


def report_context(job: ReportJob) -> dict:
    """The figures and the frame of the PDF (the issuer of the header, the signature) for one job;
    dksangtao.pdf adds the province, the place and the date."""
    if job.kind == ReportKind.UNIT_SUMMARY:
        context = selectors.unit_summary(campaign=job.campaign, unit=job.unit)
        # A unit's summary is issued by the unit under its parent unit: a department with no parent has
        # no line above it (it is not under the Front).
        context["issuer"] = Issuer.of_unit(job.unit, number=number_to_fill("BC"))
    else:
        context = selectors.province_summary(campaign=job.campaign)
        context["issuer"] = Issuer.of_front(_("Ban Thường trực"), number=number_to_fill("BC"))
    context.update(job=job, requested_by=job.requested_by)
    return context


@reads_from_replica()
def report_html(job: ReportJob) -> str:
    return render_html(TEMPLATES[job.kind], report_context(job))


def report_build(*, job_id: int) -> ReportJob | None:
    """Build, render and store the report of a queued job, recording its checksum; on any error the
    job is marked failed with the error, and can be retried. Called by reports.tasks.build_report."""
    job = ReportJob.claim(job_id, "campaign", "unit")
    if job is None:
        return ReportJob.objects.filter(pk=job_id).first()
    ReportJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
    try:
        html = report_html(job)
        ReportJob.report_progress(job.pk, 40)
        pdf = html_to_pdf(html)
        ReportJob.report_progress(job.pk, 90)
        with transaction.atomic():
            locked = ReportJob.hold(job)
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
            record(actor=None, action=Action.REPORT_DONE, obj=locked, detail={"sha256": locked.checksum})
        return locked
    except JobTakenOver:  # given up for dead while building: the new attempt writes the file
        logger.warning("report job %s was taken over; this worker's file is dropped", job_id)
        return ReportJob.objects.get(pk=job_id)
    except Exception as error:  # recorded on the job; the person sees it and can retry
        logger.exception("report job %s failed", job_id)
        failed = ReportJob.fail(job_id, f"{type(error).__name__}: {error}", claimed=job)
        job = ReportJob.objects.get(pk=job_id)
        if failed:
            record(actor=None, action=Action.REPORT_FAILED, obj=job, detail={"error": job.error[:500]})
        return job


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


def exports_request(*, campaign: Campaign, actor) -> list[ReportJob]:
    """Every summary of the campaign — the province-wide one and that of every unit that took part (and
    the units above them) — as the ceremony approaches; a report already waiting, running or made
    today is not asked for again. `actor` None: the schedule."""
    targets = [(ReportKind.PROVINCE_SUMMARY, None)] + [
        (ReportKind.UNIT_SUMMARY, unit) for unit in _units_with_dossiers(campaign)
    ]
    start_of_day = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
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


def scheduled_exports(today: dt.date | None = None) -> list[ReportJob]:
    """The daily beat's work: a campaign whose ceremony is `exports_days_before` days away or nearer
    (its award policy; 7 by default) gets every summary once — on that day, or on the first day after
    it the beat runs. «Once» is read from the jobs themselves: the schedule's own requests (no
    requester) made since that day."""
    today = today or timezone.localdate()
    jobs = []
    for campaign in Campaign.objects.filter(ceremony_date__gte=today).order_by("year"):
        export_day = campaign.ceremony_date - dt.timedelta(days=policy_for(campaign).exports_days_before)
        if today < export_day:
            continue
        since = timezone.make_aware(dt.datetime.combine(export_day, dt.time.min))
        if ReportJob.objects.filter(campaign=campaign, requested_by=None, created_at__gte=since).exists():
            continue
        jobs += exports_request(campaign=campaign, actor=None)
    return jobs
