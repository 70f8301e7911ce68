from django import template

from submissions.models import Status

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    """«returned» → «Bị trả lại» (a status code kept in the audit trail)."""
    return Status(code).label if code in Status.values else code
