"""The open-data files (CSV, XLSX, JSON of every public record), rebuilt in the background after any
change to the public database, and every night in case a change's message was lost."""

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


@shared_task
def open_data_build():
    from public.opendata import build_all

    build_all()


def _enqueue():
    try:
        open_data_build.delay()
    except OperationalError:  # the broker is down: the nightly run catches up (CELERY_BEAT_SCHEDULE)
        log.warning("Could not queue the open-data rebuild; the nightly run will do it.", exc_info=True)


def open_data_refresh_later() -> None:
    """After the current transaction commits, queue a rebuild of the open-data files."""
    transaction.on_commit(_enqueue)
