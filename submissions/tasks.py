"""Celery tasks for dossiers: thin, they take ids and call submissions.services."""

from celery import shared_task

from submissions import services


# Idempotent (claimed under a row lock, result written under `hold`): a message whose worker died is
# delivered again.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: int) -> str | None:
    """Check or import one queued Excel file (idempotent: a job no longer queued is left alone, and an
    import writes its dossiers and its «done» in one transaction)."""
    job = services.import_run(job_id=job_id)
    return job.status if job else None
