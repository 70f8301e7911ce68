from celery import shared_task

from awards.ranking import ranking_execute
from awards.schedule import run_due_jobs


# Idempotent (the run is claimed under a row lock), so a message whose worker died is delivered again.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_ranking(run_id: int) -> str:
    """Compute a queued ranking run; its status, progress and any error are kept on the run."""
    return ranking_execute(run_id).status


@shared_task
def campaign_schedule() -> list:
    """Daily (beat): start the rankings the campaigns' dates call for."""
    return run_due_jobs()
