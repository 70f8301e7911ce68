"""The dossier list's filters and sort orders (django-filter), for the unit's staff, the reviewers,
the council's readers and the Front admins alike; each person's list is already within their scope."""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_tree_ids
from dksangtao.forms import LongSelect
from dksangtao.lists import SortFilter
from dksangtao.search import word_prefixes_condition
from submissions.models import DossierKind, Field, Status

ALL = _("Tất cả")


# What a typed reference looks like: «DKST-2026-00012», «2026-00012», «00012», «dkst-2026» — digits
# (and hyphens), maybe after the prefix; never a space. References are stored in capitals.
_REFERENCE = re.compile(r"(?:[A-Za-z]{2,6}-?)?[0-9]{2,}(?:-[0-9]*)?|[A-Za-z]{2,6}-[0-9-]*")


def dossier_search(queryset, value: str):
    """A reference when what was typed looks like one (the reference's trigram index, migration
    0009); otherwise every word typed, found at the start of words of the title or summary in any
    order, any case, with or without diacritics (dksangtao.search, the words' GIN index). One or the
    other: `reference LIKE … OR <words>` keeps PostgreSQL off both indexes (a scan of every row)."""
    typed = value.strip()
    if _REFERENCE.fullmatch(typed):
        return queryset.filter(reference__contains=typed.upper()[:20])
    return queryset.filter(word_prefixes_condition(value, words="search_words", text="search_text"))


class ReviewQueueFilter(django_filters.FilterSet):
    """The reviewer's queue: the same search and the field, nothing else (the queue is one status)."""

    q = django_filters.CharFilter(
        label=_("Tìm kiếm"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Lĩnh vực"), queryset=Field.objects.all(), empty_label=ALL
    )

    def search(self, queryset, name, value):
        return dossier_search(queryset, value)


class DossierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm kiếm"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=Status.choices, empty_label=ALL)
    kind = django_filters.ModelChoiceFilter(
        label=_("Loại"), queryset=DossierKind.objects.all(), empty_label=ALL
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Lĩnh vực"), queryset=Field.objects.all(), empty_label=ALL
    )
    year = django_filters.NumberFilter(
        label=_("Năm"),
        field_name="campaign__year",
        min_value=2017,
        max_value=2100,
        decimal_places=0,
        error_messages={"invalid": _("Nhập năm bằng chữ số, ví dụ 2026.")},
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị (kể cả đơn vị trực thuộc)"),
        queryset=Unit.objects.none(),
        method="in_unit",
        empty_label=ALL,
        widget=LongSelect,  # every unit for a Front admin: 2,000 options at province scale
    )
    sort = SortFilter(
        fields={
            "created_at": "created_at",
            "reference": "reference",
            "title": "title",
            "submitted_at": "submitted_at",
        },
        choices=[
            ("-created_at", _("Mới lập trước")),
            ("created_at", _("Cũ trước")),
            ("reference", _("Số hồ sơ")),
            ("title", _("Tên sáng kiến")),
            ("-submitted_at", _("Mới nộp trước")),
        ],
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = units if units is not None else Unit.objects.none()

    def search(self, queryset, name, value):
        return dossier_search(queryset, value)

    def in_unit(self, queryset, name, unit):
        return queryset.filter(unit_id__in=unit_tree_ids([unit.pk]))
