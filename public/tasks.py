"""What follows any change to the public database, in the background: the search's word list (for the
typo correction) and the open-data files (CSV, XLSX, JSON of every public record) are rebuilt. Both
also run every night, in case a change's message was lost."""

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


@shared_task
def search_words_refresh():
    from public.search import search_words_refresh as refresh

    refresh()


@shared_task
def open_data_build():
    from public.opendata import build_all

    build_all()


def _enqueue():
    try:
        search_words_refresh.delay()
        open_data_build.delay()
    except OperationalError:  # the broker is down: the nightly runs catch up (CELERY_BEAT_SCHEDULE)
        log.warning(
            "Could not queue the public database's rebuilds; the nightly runs will do them.", exc_info=True
        )


def open_data_refresh_later() -> None:
    """After the current transaction commits, queue the rebuilds."""
    transaction.on_commit(_enqueue)
