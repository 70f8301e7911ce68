from django import template

from councils.selectors import CLASS_LABELS

register = template.Library()


@register.filter
def class_label(key: str) -> str:
    """«excellent» → «Xuất sắc»."""
    return str(CLASS_LABELS.get(key, "")) or "—"
