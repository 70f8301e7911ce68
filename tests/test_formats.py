"""Dates are shown and parsed as dd/mm/yyyy in both languages; money is integer đồng."""

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from dksangtao.formatting import format_vnd


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_05_03_2026_is_the_fifth_of_march(language):
    with translation.override(language):
        form = DateForm(data={"day": "05/03/2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == dt.date(2026, 3, 5)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_is_shown_as_dd_mm_yyyy(language):
    with translation.override(language):
        rendered = Template("{{ d }}|{{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"d": dt.date(2026, 3, 5)})
        )
    assert rendered == "05/03/2026|05/03/2026"


def test_a_date_field_redisplays_what_was_parsed():
    with translation.override("vi"):
        form = DateForm(initial={"day": dt.date(2026, 9, 2)})
        assert 'value="02/09/2026"' in str(form["day"])


def test_an_impossible_date_is_refused_in_vietnamese():
    with translation.override("vi"):
        form = DateForm(data={"day": "31/02/2026"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Nhập một ngày hợp lệ."]


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(0, "0 đ"), (500, "500 đ"), (1234567, "1.234.567 đ"), (-25000000, "-25.000.000 đ"), (None, "—")],
)
def test_money_is_shown_in_dong_with_dots(amount, shown):
    assert format_vnd(amount) == shown


def test_money_refuses_fractions():
    with pytest.raises(TypeError):
        format_vnd(1234.5)


def test_vnd_filter_and_thousand_separator_in_templates():
    with translation.override("vi"):
        rendered = Template("{% load portal %}{{ amount|vnd }}|{{ count }}").render(
            Context({"amount": 150000000, "count": 12345})
        )
    assert rendered == "150.000.000 đ|12.345"


def test_points_drop_trailing_zeros_and_use_the_decimal_comma():
    from decimal import Decimal

    from dksangtao.formatting import format_points

    with translation.override("vi"):
        shown = [format_points(Decimal(v)) for v in ("30.0", "27.5", "0.0", "100")]
    assert shown == ["30", "27,5", "0", "100"]
    assert format_points(None) == "—"
