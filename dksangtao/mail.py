"""E-mail from the portal: written to the outbox (dksangtao.models.OutboxEmail) in the transaction
of the change it tells about, then sent by a Celery worker once that transaction commits. A broker
that is down at that moment does not fail the request: the message waits in the outbox and the
sweep (dksangtao.tasks.outbox_deliver, every minute) sends it once the broker is back."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dksangtao.jobs import BROKER_ERRORS
from dksangtao.models import OutboxEmail

logger = logging.getLogger(__name__)


def queue_email(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> OutboxEmail:
    """Keep the e-mail in the outbox and send it from a Celery worker once the current transaction
    commits (never on rollback); with the broker down, the sweep sends it later."""
    subject = " ".join(subject.split())  # a header must be one line
    message = OutboxEmail.objects.create(subject=subject, body=body, html_body=html_body or "", to=list(to))
    transaction.on_commit(lambda: _hand_to_worker(message.pk))
    return message


def _hand_to_worker(outbox_id: int) -> None:
    from dksangtao.tasks import deliver_email

    try:
        deliver_email.delay(outbox_id)
    except BROKER_ERRORS as error:
        logger.warning("e-mail %s waits in the outbox: the broker refused it (%r)", outbox_id, error)


def outbox_send(*, outbox_id: int) -> bool:
    """Send one message of the outbox unless it is sent (or being sent by another worker): True once
    sent. An SMTP error is kept on the row and raised, for the task to retry."""
    failure = None
    with transaction.atomic():
        message = (
            OutboxEmail.objects.select_for_update(skip_locked=True).filter(pk=outbox_id, sent_at=None).first()
        )
        if message is None:
            return False
        email = EmailMultiAlternatives(subject=message.subject, body=message.body, to=message.to)
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        try:
            email.send()
        except Exception as error:
            failure = error
        else:
            message.sent_at = timezone.now()
            message.attempts += 1
            message.last_error = ""
            message.save(update_fields=["attempts", "sent_at", "last_error"])
    if failure is not None:  # kept outside the transaction, which the raise would roll back
        OutboxEmail.objects.filter(pk=outbox_id).update(
            attempts=F("attempts") + 1, last_error=f"{type(failure).__name__}: {failure}"[:2000]
        )
        raise failure
    return True


def outbox_deliver() -> int:
    """The sweep: send what the after-commit task did not (a minute old at least, so as not to race
    it), each under its own lock; a message that keeps failing stops after MAIL_MAX_ATTEMPTS. How many
    were sent."""
    due = OutboxEmail.objects.filter(
        sent_at=None,
        attempts__lt=settings.MAIL_MAX_ATTEMPTS,
        created_at__lt=timezone.now() - dt.timedelta(seconds=settings.JOB_QUEUED_GRACE),
    ).values_list("pk", flat=True)
    sent = 0
    for outbox_id in list(due[:500]):
        try:
            sent += outbox_send(outbox_id=outbox_id)
        except Exception:  # kept on the row; the next sweep tries again
            logger.warning("e-mail %s not sent", outbox_id, exc_info=True)
    return sent


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
