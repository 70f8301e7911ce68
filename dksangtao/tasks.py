import logging
import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from dksangtao import jobs, mail

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=6,
)
def send_email(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> int:
    """Send one e-mail; SMTP hiccups are retried with back-off for about an hour."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


@shared_task
def backup_scheduled() -> str:
    """The nightly backup when beat runs it (settings.BACKUP_BEAT_HOUR); retention as BACKUP_KEEP."""
    from dksangtao.backup import backup

    result = backup()
    if result.missing:
        logger.warning("Backup %s: the database refers to missing files: %s", result.path, result.missing)
    return str(result.path)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=6,
)
def deliver_email(outbox_id: int) -> bool:
    """Send one message of the outbox (dksangtao.mail); a message already sent is left alone."""
    return mail.outbox_send(outbox_id=outbox_id)


@shared_task
def outbox_deliver() -> int:
    """Every minute (beat): the e-mail the after-commit task could not send."""
    return mail.outbox_deliver()


@shared_task
def jobs_sweep() -> dict:
    """Every minute (beat): resend lost jobs, requeue or fail those whose worker died (dksangtao.jobs)."""
    return jobs.sweep_all()
