import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fund import chart
from fund.models import DonorKind, Kind
from fund.services import MAX_AMOUNT

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
MONEY_ACCOUNT_CHOICES = [(chart.BANK, _("Tiền gửi ngân hàng, kho bạc")), (chart.CASH, _("Tiền mặt"))]


def money_field(label, **kwargs):
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_AMOUNT,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.234.567"}),
        help_text=kwargs.pop("help_text", _("Số nguyên, đơn vị đồng.")),
        error_messages={
            "invalid": _("Nhập số tiền bằng chữ số, đơn vị đồng, ví dụ 1.500.000."),
            "min_value": _("Số tiền phải lớn hơn 0 đồng."),
        },
        **kwargs,
    )


def date_field(label=None):
    return forms.DateField(label=label or _("Ngày chứng từ"), widget=DATE_WIDGET, initial=timezone.localdate)


class BudgetReceiptForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Số quyết định cấp kinh phí"),
        max_length=120,
        help_text=_("Ví dụ: 1234/QĐ-UBND ngày 15/01/2026"),
    )
    date = date_field()
    amount = money_field(_("Số tiền"))
    into = forms.ChoiceField(label=_("Nhận vào"), choices=MONEY_ACCOUNT_CHOICES)
    description = forms.CharField(
        label=_("Diễn giải"), max_length=500, required=False, help_text=_("Để trống: ghi theo số quyết định.")
    )


class DonationForm(forms.Form):
    donor_name = forms.CharField(label=_("Tên nhà tài trợ"), max_length=200)
    donor_kind = forms.ChoiceField(
        label=_("Nhà tài trợ là"), choices=DonorKind.choices, widget=forms.RadioSelect
    )
    donor_contact = forms.CharField(
        label=_("Địa chỉ, điện thoại, thư điện tử"),
        max_length=300,
        required=False,
        help_text=_("Để gửi thư cảm ơn."),
    )
    date = date_field(_("Ngày nhận"))
    amount = money_field(_("Số tiền"))
    into = forms.ChoiceField(label=_("Nhận vào"), choices=MONEY_ACCOUNT_CHOICES)
    reference = forms.CharField(label=_("Số chứng từ ngân hàng / phiếu thu"), max_length=120, required=False)
    description = forms.CharField(label=_("Diễn giải"), max_length=500, required=False)


class InterestForm(forms.Form):
    date = date_field()
    amount = money_field(_("Số tiền lãi"))
    into = forms.ChoiceField(label=_("Nhận vào"), choices=MONEY_ACCOUNT_CHOICES)
    reference = forms.CharField(label=_("Số sổ phụ / chứng từ ngân hàng"), max_length=120, required=False)
    description = forms.CharField(label=_("Diễn giải"), max_length=500, required=False)


class PaymentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Nội dung chi"),
        choices=[(Kind.ORGANISING.value, Kind.ORGANISING.label), (Kind.SUPPORT.value, Kind.SUPPORT.label)],
    )
    description = forms.CharField(label=_("Diễn giải"), max_length=500)
    reference = forms.CharField(label=_("Số hóa đơn / chứng từ"), max_length=120, required=False)
    date = date_field()
    amount = money_field(_("Số tiền"))
    out_of = forms.ChoiceField(label=_("Chi từ"), choices=MONEY_ACCOUNT_CHOICES)
    voucher = forms.FileField(
        label=_("Chứng từ kèm theo (PDF, JPG, PNG)"),
        help_text=_("Hóa đơn, giấy biên nhận hoặc quyết định chi."),
    )


class PrizeBatchForm(forms.Form):
    award_list_label = forms.CharField(
        label=_("Danh sách tôn vinh"),
        max_length=120,
        help_text=_("Số, ngày quyết định công bố danh sách, ví dụ: 45/QĐ-MTTQ-BTT ngày 20/8/2026"),
    )
    date = date_field()
    out_of = forms.ChoiceField(label=_("Chi từ"), choices=MONEY_ACCOUNT_CHOICES)


class PayeeForm(forms.Form):
    name = forms.CharField(label=_("Người nhận"), max_length=200)
    reference = forms.CharField(label=_("Số hồ sơ"), max_length=60, required=False)
    bank_account = forms.CharField(label=_("Số tài khoản"), max_length=40)
    bank_name = forms.CharField(label=_("Ngân hàng"), max_length=120)
    amount = money_field(_("Số tiền"), help_text="")


class BasePayeeFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.payees():
            raise forms.ValidationError(_("Hãy khai ít nhất một người nhận."))

    def payees(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


PayeeFormSet = forms.formset_factory(PayeeForm, formset=BasePayeeFormSet, extra=5, max_num=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class StatementForm(forms.Form):
    """A year, or a period from–to; a period wins when both ends are given."""

    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"invalid": _("Nhập năm bằng chữ số, ví dụ 2026.")},
    )
    start = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET, required=False)
    end = forms.DateField(label=_("Đến ngày"), widget=DATE_WIDGET, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Hãy nhập cả ngày bắt đầu và ngày kết thúc của kỳ."))
        if start and end and start > end:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        return current_year(data.get("year"))


def current_year(year: int | None = None) -> tuple[dt.date, dt.date]:
    year = year or timezone.localdate().year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
