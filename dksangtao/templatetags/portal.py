import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

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


@register.filter
def decree_date(value):
    """{{ today|decree_date }} → «ngày 05 tháng 01 năm 2026», «ngày 15 tháng 8 năm 2026»: the date line of
    Decree 30/2020 (Phụ lục I), where a day below 10 and the months 1 and 2 take a leading zero. A
    datetime is read in the local time zone; no date (a draft not yet issued) leaves blanks to fill by
    hand."""
    if value is None or value == "":
        blank = "\u00a0" * 6
        return _("ngày %(d)s tháng %(m)s năm %(y)s") % {"d": blank, "m": blank, "y": blank}
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {"d": f"{value.day:02d}", "m": month, "y": value.year}
