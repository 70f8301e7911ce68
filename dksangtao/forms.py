"""The portal's typed values on every form: a date as dd/mm/yyyy (one widget, in both languages:
dksangtao.formats), money as whole đồng («1.500.000») and whole numbers (days, quotas) — numbers in
the digits 0–9 only: Python's int() also reads «٣» or «３», which nobody types on purpose."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dksangtao.formatting import format_vnd


class DateInput(forms.DateInput):
    def __init__(self, attrs=None):
        super().__init__(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}
        )


def date_field(label, *, required: bool = True, today_by_default: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if today_by_default else None,
    )


class WholeNumberField(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, str) and any(ch.isdigit() and not ch.isascii() for ch in value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def number_field(
    label, *, minimum: int, maximum: int, required: bool = True, help_text=""
) -> WholeNumberField:
    """A whole number from `minimum` to `maximum`, with one message that says so."""
    between = format_lazy(_("Nhập một số nguyên từ {low} đến {high}."), low=minimum, high=maximum)
    return WholeNumberField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": between, "min_value": between, "max_value": between},
    )


def money_field(
    label, *, maximum: int, minimum: int = 1, required: bool = True, help_text=None, invalid=None
):
    """Whole đồng, typed with or without the thousand dots; `invalid` says what is expected."""
    return WholeNumberField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.234.567"}),
        help_text=_("Số nguyên, đơn vị đồng.") if help_text is None else help_text,
        error_messages={
            "invalid": invalid or _("Nhập số tiền bằng chữ số, đơn vị đồng, ví dụ 1.500.000."),
            "min_value": _("Số tiền phải lớn hơn 0 đồng.") if minimum > 0 else _("Số tiền không được âm."),
            "max_value": format_lazy(_("Số tiền không được vượt {max}."), max=format_vnd(maximum)),
        },
    )
