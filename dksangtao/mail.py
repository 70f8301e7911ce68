"""E-mail from the portal: always from a Celery worker, after the transaction commits."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from dksangtao.tasks import send_email


def queue_email(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an e-mail from a Celery worker once the current transaction commits (never on rollback)."""
    subject = " ".join(subject.split())  # a header must be one line
    transaction.on_commit(
        lambda: send_email.delay(subject=subject, body=body, to=list(to), html_body=html_body)
    )


def notify(*, template: str, context: dict, to: Iterable[str]) -> None:
    """Tell people something: `<template>_subject.txt` and `<template>.txt` rendered with `context`,
    one e-mail to every address (each once), after the commit; nothing when nobody is to be told."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    queue_email(
        subject=render_to_string(f"{template}_subject.txt", context),
        body=render_to_string(f"{template}.txt", context),
        to=recipients,
    )


def site_url(url_name: str, *args) -> str:
    """The full address of a portal page, for a link in an e-mail."""
    return settings.SITE_URL + reverse(url_name, args=args)
