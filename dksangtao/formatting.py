"""Money in the portal is integer đồng, shown as «1.234.567 đ»."""


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
