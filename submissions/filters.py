"""The dossier list's filters and sort orders (django-filter), for the unit's staff, the reviewers,
the council's readers and the Front admins alike; each person's list is already within their scope."""

import re

import django_filters
from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_tree_ids
from dksangtao.forms import PickerInput
from dksangtao.lists import SortFilter
from dksangtao.search import word_prefixes_condition
from submissions.models import DossierKind, Field, Status
from submissions.selectors import units_matching

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


# The most units an ambiguous name lists in its error message.
NAMED_IN_ERROR = 5


class UnitField(forms.CharField):
    """A unit typed as its code, its name (or part of it) or its id, among `units` (the person's): the
    unit's id, or a Vietnamese error when nothing matches or several do — a Front admin picks among
    2,000 units without a 2,000-option drop-down (PickerInput suggests as they type)."""

    widget = PickerInput

    def __init__(self, *, units=None, lookup_url="", **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.units = units if units is not None else Unit.objects.none()
        self.widget.lookup_url = lookup_url
        self.widget.suggestions = self.units.values_list("code", "name")
        self.widget.attrs.setdefault("placeholder", _("Mã hoặc tên đơn vị"))

    def clean(self, value):
        typed = super().clean(value)
        if not typed:
            return None
        found = units_matching(self.units, typed)
        if len(found) == 1:
            return found[0][0]
        if not found:
            raise forms.ValidationError(
                _("Không tìm thấy đơn vị «%(typed)s» trong các đơn vị bạn được xem."),
                code="unknown",
                params={"typed": typed},
            )
        named = ", ".join(f"{name} ({code})" for _pk, code, name in found[:NAMED_IN_ERROR])
        raise forms.ValidationError(
            _("«%(typed)s» khớp với %(n)s đơn vị: %(named)s… Hãy gõ mã đơn vị hoặc tên đầy đủ hơn."),
            code="ambiguous",
            params={"typed": typed, "n": len(found), "named": named},
        )


class UnitFilter(django_filters.Filter):
    field_class = UnitField


class DossierSearchFilterSet(django_filters.FilterSet):
    """A dossier list's search box (dossier_search)."""

    q = django_filters.CharFilter(
        label=_("Tìm kiếm"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )

    def search(self, queryset, name, value):
        return dossier_search(queryset, value)

    @property
    def rows_carry_count(self) -> bool:
        """A word search on PostgreSQL: the words' index hands over every match, which the page's
        query reads and sorts anyway — so the page's rows carry the count (dksangtao.lists), and the
        matches are not read twice (4,500 of 100,000 dossiers for «rác thải»)."""
        typed = getattr(self.form, "cleaned_data", {}).get("q") or ""
        return (
            connection.vendor == "postgresql"
            and bool(typed.strip())
            and not _REFERENCE.fullmatch(typed.strip())
        )


class ReviewQueueFilter(DossierSearchFilterSet):
    """The reviewer's queue: the same search and the field, nothing else (the queue is one status)."""

    field = django_filters.ModelChoiceFilter(
        label=_("Lĩnh vực"), queryset=Field.objects.all(), empty_label=ALL
    )


class DossierFilter(DossierSearchFilterSet):
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
    unit = UnitFilter(label=_("Đơn vị (kể cả đơn vị trực thuộc)"), method="in_unit")
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

    def __init__(self, *args, units=None, unit_lookup_url="", **kwargs):
        """`units`: those the person may filter by (every unit for a Front admin: 2,000 at province
        scale); `unit_lookup_url`: the htmx look-up that suggests them as the person types."""
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra.update(units=units, lookup_url=unit_lookup_url)

    def in_unit(self, queryset, name, unit_id):
        return queryset.filter(unit_id__in=unit_tree_ids([unit_id]))
