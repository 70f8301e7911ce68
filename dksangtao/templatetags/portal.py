from django import template

from dksangtao.formatting import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ prize.amount|vnd }} → «1.234.567 đ»."""
    return format_vnd(amount)
