"""How the portal writes money (integer đồng, «1.234.567 đ»), points («27,5») and dates
(«05/03/2026», in both languages) outside templates: messages, e-mails, files."""

import datetime as dt

from django.utils import timezone


def format_vnd(amount: int | None) -> str:
    if amount is None:
        return "—"
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"Money is integer đồng; got {type(amount).__name__} {amount!r}.")
    grouped = f"{abs(amount):,}".replace(",", ".")
    sign = "-" if amount < 0 else ""
    return f"{sign}{grouped} đ"


def format_points(value) -> str:
    """Scores as people write them: 30, 27,5 — no trailing zeros, the locale's decimal mark."""
    from decimal import Decimal

    from django.utils.formats import number_format

    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f")
    return number_format(Decimal(text), decimal_pos=None, use_l10n=True)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """«05/03/2026»; a moment is first put in the portal's time zone."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime) -> str:
    """«05/03/2026 14:30» in the portal's time zone."""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
