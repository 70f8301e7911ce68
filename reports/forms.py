import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from dksangtao.forms import LongSelect
from reports.models import ReportKind
from submissions.filters import UnitField
from submissions.models import Campaign, Field


class CampaignYearField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.year)


class FilterSelect(LongSelect):
    """A filter's select: written in one pass (Django's own renders a template per option, 0.1 ms
    each), and never required. Django decides whether to write «required» on a select from its first
    choice, whatever the field says — for a model's choices, a query of the whole list before the one
    that renders it (2,000 units for a Front admin)."""

    def use_required_attribute(self, initial):
        return False


def _year_field(required: bool) -> CampaignYearField:
    """The campaign by its year; pages that filter by it default to the current campaign."""
    return CampaignYearField(
        label=_("Năm"),
        required=required,
        widget=forms.Select if required else FilterSelect,
        queryset=Campaign.objects.order_by("-year"),
        to_field_name="year",
        empty_label=None,
        error_messages={
            "invalid_choice": _("Không có đợt xét chọn của năm này."),
            "required": _("Hãy chọn năm."),
        },
    )


class CentreFilter(django_filters.FilterSet):
    """The download centre: the campaign whose reports are shown («year», which chooses, not filters)
    and a search over the units on the page."""

    year = django_filters.ModelChoiceFilter(
        label=_("Năm"),
        queryset=Campaign.objects.order_by("-year"),
        to_field_name="year",
        method="chosen_campaign",
        null_label=None,
        empty_label=None,
        widget=FilterSelect,
        error_messages={"invalid_choice": _("Không có đợt xét chọn của năm này.")},
    )
    q = django_filters.CharFilter(
        label=_("Tìm đơn vị"),
        field_name="name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def chosen_campaign(self, queryset, name, campaign):
        return queryset  # the campaign picks the reports shown beside each unit

    @property
    def campaign(self):
        return self.form.cleaned_data.get("year") if self.is_bound and self.is_valid() else None


class ReportRequestForm(forms.Form):
    """What to build. Whether the person may see that report is checked by the view (404 if not)."""

    kind = forms.ChoiceField(
        label=_("Loại báo cáo"),
        choices=ReportKind.choices,
        error_messages={
            "invalid_choice": _("Loại báo cáo không hợp lệ."),
            "required": _("Hãy chọn loại báo cáo."),
        },
    )
    year = _year_field(required=True)
    unit = forms.IntegerField(
        label=_("Đơn vị"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Mã đơn vị không hợp lệ."), "min_value": _("Mã đơn vị không hợp lệ.")},
    )

    def clean(self):
        cleaned = super().clean()
        kind, unit = cleaned.get("kind"), cleaned.get("unit")
        if kind == ReportKind.UNIT_SUMMARY and not unit:
            self.add_error("unit", _("Hãy chọn đơn vị cho báo cáo tổng hợp của đơn vị."))
        if kind == ReportKind.PROVINCE_SUMMARY and unit:
            self.add_error("unit", _("Báo cáo toàn tỉnh không gắn với một đơn vị."))
        return cleaned


class StatisticsFilterForm(forms.Form):
    year = _year_field(required=False)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        queryset=Field.objects.all(),
        empty_label=_("Tất cả"),
        widget=FilterSelect,
        error_messages={"invalid_choice": _("Không có lĩnh vực này.")},
    )
    # typed, as on the dossier list: a Front admin's 2,000 units are no drop-down (8 ms to draw)
    unit = UnitField(label=_("Đơn vị (để trống: tất cả trong phạm vi)"), required=False)

    def __init__(self, *args, units, lookup_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(
            label=self.fields["unit"].label, required=False, units=units, lookup_url=lookup_url
        )

    def clean_unit(self):
        unit_id = self.cleaned_data.get("unit")
        return Unit.objects.get(pk=unit_id) if unit_id else None
