from celery import shared_task

from councils.progress import daily_reminders


@shared_task
def scoring_reminders() -> int:
    """Daily (beat): remind members with pending sheets in the last three days of the window."""
    return daily_reminders()
