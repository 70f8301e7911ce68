from django.db import transaction

from dksangtao.tasks import send_email


def queue_email(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an e-mail from a Celery worker once the current transaction commits (never on rollback)."""
    subject = " ".join(subject.split())  # a header must be one line
    transaction.on_commit(
        lambda: send_email.delay(subject=subject, body=body, to=list(to), html_body=html_body)
    )
