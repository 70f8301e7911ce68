"""Nhân rộng: the form on which a unit's staff record that their unit applies a public record, the
reviewer's reason for not confirming, and the filters of the two lists of applications."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dksangtao.forms import date_field, money_field
from dksangtao.lists import SortFilter
from public.models import RecordApplication
from submissions.models import MAX_BENEFIT_VND

NO_NUL = {"null_characters_not_allowed": _("Nội dung có ký tự không hợp lệ (ký tự NUL); vui lòng gõ lại.")}
NOT_THEIR_UNIT = _("Anh/chị không ghi nhận áp dụng cho đơn vị này; hãy chọn đơn vị của mình.")
# The earliest start of an application anyone could mean: the records go back to the movement's first
# years (2017), and a unit may have applied a solution before it was recognised; a typo such as
# «05/03/0202» is refused rather than kept.
EARLIEST_YEAR = 2000


class UnitChoiceField(forms.ModelChoiceField):
    """A unit among the person's: anything else, a NUL byte included, is «not your unit» (Django's own
    message for a NUL byte has no Vietnamese translation)."""

    def validate_no_null_characters(self, value):
        if "\x00" in str(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class ApplicationForm(forms.Form):
    """The unit's account of applying the record, in the order of the paper confirmation: who, since
    when, where and at what scale, what it measurably brought, whom to ask."""

    unit = UnitChoiceField(
        label=_("Đơn vị áp dụng"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Vui lòng chọn đơn vị áp dụng."),
            "invalid_choice": NOT_THEIR_UNIT,
        },
    )
    # clean_applied_on bounds it (from EARLIEST_YEAR to today) with its own messages.
    applied_on = date_field(_("Ngày bắt đầu áp dụng"), earliest=dt.date.min, latest=dt.date.max)
    scope = forms.CharField(
        label=_("Phạm vi áp dụng"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Áp dụng ở đâu, cho ai, quy mô thế nào (ví dụ: 3 phòng chuyên môn, 1.200 hồ sơ/năm)."),
        error_messages={
            "required": _("Vui lòng ghi phạm vi áp dụng: ở đâu, cho ai, quy mô thế nào."),
            "max_length": _("Phạm vi áp dụng dài quá 4.000 ký tự; vui lòng viết gọn lại."),
            **NO_NUL,
        },
    )
    benefit_vnd = money_field(
        _("Lợi ích đo được (đồng/năm)"),
        required=False,
        minimum=0,
        maximum=MAX_BENEFIT_VND,
        help_text=_(
            "Số tiền làm lợi hoặc tiết kiệm được mỗi năm, nếu tính được; số nguyên, đơn vị đồng. "
            "Để trống nếu chưa tính được."
        ),
    )
    contact = forms.CharField(
        label=_("Người liên hệ"),
        max_length=255,
        help_text=_(
            "Họ tên, điện thoại hoặc thư của người có thể cho biết thêm về việc áp dụng. Sau khi được "
            "xác nhận, thông tin này hiện công khai trên trang của bản ghi: nên ghi số, thư công vụ."
        ),
        error_messages={
            "required": _("Vui lòng ghi người liên hệ (họ tên, điện thoại hoặc thư)."),
            "max_length": _("Người liên hệ dài quá 255 ký tự."),
            **NO_NUL,
        },
    )

    def __init__(self, *args, units, **kwargs):
        """`units`: the active units this person may record for (a queryset). With only one, the form
        does not ask: the unit is a hidden field, still checked against `units`."""
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units
        only = list(units[:2])
        if len(only) == 1:
            field.widget = forms.HiddenInput()
            field.initial = only[0].pk
            self.only_unit = only[0]
        else:
            self.only_unit = None
        self.fields["applied_on"].error_messages["invalid"] = _(
            "Nhập một ngày có thật theo dạng dd/mm/yyyy, ví dụ 05/03/2026."
        )
        self.fields["applied_on"].error_messages["required"] = _("Vui lòng ghi ngày bắt đầu áp dụng.")

    def clean_applied_on(self):
        applied_on = self.cleaned_data["applied_on"]
        if applied_on > timezone.localdate():
            raise forms.ValidationError(_("Ngày bắt đầu áp dụng không được sau hôm nay."))
        if applied_on.year < EARLIEST_YEAR:
            raise forms.ValidationError(
                _("Ngày bắt đầu áp dụng phải từ năm %(year)s trở đi."), params={"year": EARLIEST_YEAR}
            )
        return applied_on

    def data_for_service(self) -> dict:
        """What public.services.application_record takes as `data` (the unit goes separately)."""
        return {key: value for key, value in self.cleaned_data.items() if key != "unit"}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do không xác nhận"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Vui lòng ghi lý do không xác nhận."),
            "max_length": _("Lý do dài quá 2.000 ký tự; vui lòng viết gọn lại."),
            **NO_NUL,
        },
    )


class ApplicationFilter(django_filters.FilterSet):
    """The lists of applications: by status (the reviewer's queue opens on those waiting), words of
    the record or the unit, and an order."""

    q = django_filters.CharFilter(
        label=_("Tìm (số hồ sơ, tên sáng kiến, đơn vị)"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=RecordApplication.Status.choices, empty_label=_("Tất cả")
    )
    sort = SortFilter(
        fields={"applied_on": "applied_on", "recorded_at": "recorded_at", "record__reference": "reference"},
        choices=[
            ("-applied_on", _("Ngày áp dụng mới trước")),
            ("applied_on", _("Ngày áp dụng cũ trước")),
            ("-recorded_at", _("Mới ghi nhận trước")),
            ("reference", _("Số hồ sơ")),
        ],
    )

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(record__reference__icontains=value)
            | Q(record__title__icontains=value)
            | Q(unit__name__icontains=value)
        )
