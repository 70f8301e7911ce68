"""Celery tasks for reports: thin, they take ids and call reports.services."""

from celery import shared_task

from reports import services


# Idempotent (the job is claimed under a row lock), so a message whose worker died is delivered again.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_report(job_id: int) -> str | None:
    """Build one queued report (idempotent: a job that is no longer queued is left alone)."""
    job = services.report_build(job_id=job_id)
    return job.status if job else None


@shared_task
def scheduled_exports() -> int:
    """Daily (beat): every summary of a campaign on its export day before the ceremony (the service)."""
    return len(services.scheduled_exports())
