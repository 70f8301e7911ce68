from django import template

from dksangtao.formatting import format_points, format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ prize.amount|vnd }} → «1.234.567 đ»."""
    return format_vnd(amount)


@register.filter
def points(value):
    """{{ criterion.max_points|points }} → «30», {{ 27.5|points }} → «27,5»."""
    return format_points(value)
