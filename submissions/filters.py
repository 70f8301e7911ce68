"""The dossier list's filters and sort orders (django-filter), for the unit's staff, the reviewers,
the council's readers and the Front admins alike; each person's list is already within their scope."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_tree_ids
from dksangtao.lists import SortFilter
from dksangtao.search import words_condition
from submissions.models import DossierKind, Field, Status

ALL = _("Tất cả")


def dossier_search(queryset, value: str):
    """Every word typed, found in the title or summary in any order, any case, with or without
    diacritics (dksangtao.search); or a reference."""
    condition = words_condition("search_text", value)
    reference = value.strip()[:20]
    if reference:
        condition |= Q(reference__icontains=reference)
    return queryset.filter(condition)


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
