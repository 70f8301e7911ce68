"""The portal's typed values on every form: a date as dd/mm/yyyy (one widget, in both languages:
dksangtao.formats), money as whole đồng («1.500.000») and whole numbers (days, quotas) — numbers in
the digits 0–9 only: Python's int() also reads «٣» or «３», which nobody types on purpose."""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dksangtao.formatting import format_date, format_vnd
from dksangtao.text import LINE_TEXT_MAX, LONG_TEXT_MAX, PASSWORD_MAX, is_blank


class DateInput(forms.DateInput):
    def __init__(self, attrs=None):
        super().__init__(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}
        )


class BoundedDateField(forms.DateField):
    """A date between `earliest` and `latest` (by default the years of settings.DATE_INPUT_YEARS):
    «01/01/0001» or «31/12/9999» parse, and then overflow date arithmetic or make no sense."""

    def __init__(self, *, earliest=None, latest=None, **kwargs):
        self.earliest = earliest  # a date, a function giving one (timezone.localdate), or None
        self.latest = latest
        super().__init__(**kwargs)

    def limits(self) -> tuple[dt.date, dt.date]:
        first, last = settings.DATE_INPUT_YEARS
        earliest = self.earliest() if callable(self.earliest) else self.earliest
        latest = self.latest() if callable(self.latest) else self.latest
        return earliest or dt.date(first, 1, 1), latest or dt.date(last, 12, 31)

    def validate(self, value):
        super().validate(value)
        earliest, latest = self.limits()
        if value is not None and not earliest <= value <= latest:
            raise forms.ValidationError(
                _("Ngày phải từ %(earliest)s đến %(latest)s.")
                % {"earliest": format_date(earliest), "latest": format_date(latest)},
                code="out_of_range",
            )


def date_field(
    label,
    *,
    required: bool = True,
    today_by_default: bool = False,
    earliest=None,
    latest=None,
) -> BoundedDateField:
    """A dd/mm/yyyy date within a plausible range (see BoundedDateField)."""
    return BoundedDateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if today_by_default else None,
        earliest=earliest,
        latest=latest,
    )


def bound_dates(fields) -> None:
    """Give the date fields of a form made by something else (a ModelForm, a django-filter form)
    the plausible range of BoundedDateField, with its message."""
    for field in fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field, BoundedDateField):
            field.validators.append(_within_date_years)


def _within_date_years(value):
    BoundedDateField(required=False).validate(value)


def cap_free_text(fields) -> None:
    """Every CharField left without max_length gets one: PASSWORD_MAX for a password, LONG_TEXT_MAX
    for a Textarea, LINE_TEXT_MAX otherwise, enforced by a validator and announced to the browser
    with maxlength."""
    for field in fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            if isinstance(field.widget, forms.PasswordInput):
                limit = PASSWORD_MAX
            elif isinstance(field.widget, forms.Textarea):
                limit = LONG_TEXT_MAX
            else:
                limit = LINE_TEXT_MAX
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs.setdefault("maxlength", str(limit))


class BoundedTextMixin:
    """For a form: no free text without a length cap (cap_free_text) and no date outside the
    plausible years (bound_dates). tests/test_fuzz_forms.py fails on a form that has neither."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cap_free_text(self.fields)
        bound_dates(self.fields)


def clean_name(value: str) -> str:
    """A title or a name, trimmed; one made only of invisible characters is no name at all."""
    value = (value or "").strip()
    if is_blank(value):
        raise forms.ValidationError(_("Tên không được để trống."), code="blank")
    return value


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


# A select of thousands of options ------------------------------------------------------------


class LongSelect(forms.Select):
    """A select of thousands of options (a ranking's entries) written in one pass: Django's own renders
    a template per option, 0.5 s for 2,000 of them — and 1 ms for a list filter's dozen."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        final.pop("name", None)

        def options(choices):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option, mark_safe(" selected") if str(option) in chosen else "", label)
                    for option, label in choices
                ),
            )

        parts = [
            format_html('<optgroup label="{}">{}</optgroup>', option, options(label))
            if isinstance(label, list | tuple)  # a group: (its name, its options)
            else options([(option, label)])
            for option, label in self.choices
        ]
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), mark_safe("".join(parts)))


def fast_selects(fields) -> None:
    """Give the plain drop-downs of a form made by something else (a django-filter form) the one-pass
    LongSelect: every list page shows four or five of them, each a template render per option."""
    for field in fields.values():
        if type(field.widget) is forms.Select:
            widget = LongSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            widget.is_required = field.widget.is_required
            field.widget = widget


# A typed choice among thousands ------------------------------------------------------------------

# The most suggestions a picker's <datalist> holds: a longer list is narrowed as the person types.
PICKER_SUGGESTIONS = 20


class PickerInput(forms.TextInput):
    """A text box for one of thousands of things (a Front admin's 2,000 units), typed as a code or a
    name and resolved by the form on the server, so that it works without JavaScript. Its <datalist>
    holds `suggestions` ((value, label) pairs, read when the page is drawn) when there are at most
    PICKER_SUGGESTIONS of them; with `lookup_url`, htmx refills it with the matches of what is typed."""

    def __init__(self, attrs=None, *, suggestions=(), lookup_url=""):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.suggestions = suggestions
        self.lookup_url = lookup_url

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        list_id = f"{final.get('id') or name}-choices"
        final.update({"type": "text", "list": list_id})
        if value not in (None, ""):
            final["value"] = str(value)
        if self.lookup_url:
            final.update(
                {
                    "hx-get": str(self.lookup_url),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#{list_id}",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )
        shown = list(self.suggestions[: PICKER_SUGGESTIONS + 1])  # a queryset: LIMIT 21
        if len(shown) > PICKER_SUGGESTIONS:
            shown = []
        return format_html(
            '<input name="{}"{}><datalist id="{}">{}</datalist>',
            name,
            flatatt(final),
            list_id,
            picker_options(shown),
        )


def picker_options(suggestions) -> str:
    """The <option>s of a picker's datalist (also what its htmx look-up answers)."""
    return format_html_join("", '<option value="{}">{}</option>', suggestions)
