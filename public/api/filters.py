"""The API's search and filters over the public records: the same search as the public pages
(public.search.matching), a field or kind given by its id or its code, a unit with the units below
it. Every parameter is made printable first, so NUL or a control character is never sent to the
database; a value that names nothing answers 400 with a Vietnamese message."""

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_tree_ids
from dksangtao.text import parse_id
from public.filters import SORTS, printable
from public.models import PublicRecord, Recognition
from public.search import matching
from submissions.models import DossierKind, Field

ORDERINGS = {
    "relevance": ["-relevance", "-year", "reference"],
    "-year": ["-year", "reference"],
    "year": ["year", "reference"],
    "-score": [F("score").desc(nulls_last=True), "reference"],
}


class YearField(forms.IntegerField):
    """A year in ASCII digits: «２０２６» and «٢٠٢٦» are refused, as dksangtao.text.parse_id refuses them."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value).strip()) is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdOrCodeField(django_filters.fields.ModelChoiceField):
    """A row given by its id («3») or by its code («khcn-cds»)."""

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if value in self.empty_values:
            return None
        pk = parse_id(value)
        found = self.queryset.filter(**({"pk": pk} if pk is not None else {"code": value[:40]})).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class IdOrCodeFilter(django_filters.ModelChoiceFilter):
    field_class = IdOrCodeField


def printable_params(querydict):
    """Every value of the query string without control characters, at most SEARCH_MAX_CHARS long."""
    data = querydict.copy()
    for key, values in data.lists():
        data.setlist(key, [printable(value) for value in values])
    return data


class RecordApiFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        help_text=_(
            "Tìm theo từ, không phân biệt dấu, hoa thường hay thứ tự: «rac thai xu ly» tìm thấy "
            "«Xử lý rác thải…». Mọi từ phải có trong tên, tóm tắt, nội dung giải pháp hoặc tên đơn vị."
        ),
    )
    year = YearFilter(
        min_value=2000,
        max_value=2100,
        help_text=_("Năm của đợt xét chọn, ví dụ 2026."),
        error_messages={
            "invalid": _("Năm phải là số, ví dụ 2026."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )
    field = IdOrCodeFilter(
        queryset=Field.objects.all(),
        widget=forms.TextInput,
        error_messages={"invalid_choice": _("Không có lĩnh vực này.")},
    )
    kind = IdOrCodeFilter(
        queryset=DossierKind.objects.all(),
        widget=forms.TextInput,
        error_messages={"invalid_choice": _("Không có loại hồ sơ này.")},
    )
    unit = IdOrCodeFilter(
        queryset=Unit.objects.all(),
        widget=forms.TextInput,
        method="in_unit",
        error_messages={"invalid_choice": _("Không có đơn vị này.")},
    )
    recognition = django_filters.ChoiceFilter(
        choices=Recognition.choices,
        help_text=_("Hình thức ghi nhận."),
        error_messages={"invalid_choice": _("Hình thức ghi nhận phải là honoured, province hoặc unit.")},
    )
    ordering = django_filters.ChoiceFilter(
        choices=list(SORTS.items()),
        method="keep",
        help_text=_("Thứ tự; mặc định relevance khi có q, -year khi không."),
        error_messages={"invalid_choice": _("Thứ tự phải là relevance, -year, year hoặc -score.")},
    )

    class Meta:
        model = PublicRecord
        fields: list = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(printable_params(data) if data is not None else None, *args, **kwargs)

    def search(self, queryset, name, value):
        return matching(queryset, value)

    def in_unit(self, queryset, name, unit):
        return queryset.filter(unit_id__in=unit_tree_ids([unit.pk]))

    def keep(self, queryset, name, value):
        return queryset  # ordering happens in filter_queryset, once the search has given relevance

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        searched = bool(self.form.cleaned_data.get("q"))
        ordering = self.form.cleaned_data.get("ordering") or ("relevance" if searched else "-year")
        if ordering == "relevance" and not searched:
            ordering = "-year"
        return queryset.order_by(*ORDERINGS[ordering])
