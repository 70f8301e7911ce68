import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dksangtao.forms import clean_name, date_field, money_field
from fund import chart
from fund.models import DonorKind, Kind
from fund.services import MAX_AMOUNT

MONEY_ACCOUNT_CHOICES = [(chart.BANK, _("Tiền gửi ngân hàng, kho bạc")), (chart.CASH, _("Tiền mặt"))]


def amount_field(label, **kwargs):
    return money_field(label, maximum=MAX_AMOUNT, **kwargs)


def voucher_date(label=None):
    return date_field(label or _("Ngày chứng từ"), today_by_default=True)


class BudgetReceiptForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Số quyết định cấp kinh phí"),
        max_length=120,
        help_text=_("Ví dụ: 1234/QĐ-UBND ngày 15/01/2026"),
    )
    date = voucher_date()
    amount = amount_field(_("Số tiền"))
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
    date = voucher_date(_("Ngày nhận"))
    amount = amount_field(_("Số tiền"))
    into = forms.ChoiceField(label=_("Nhận vào"), choices=MONEY_ACCOUNT_CHOICES)
    reference = forms.CharField(label=_("Số chứng từ ngân hàng / phiếu thu"), max_length=120, required=False)
    description = forms.CharField(label=_("Diễn giải"), max_length=500, required=False)

    def clean_donor_name(self):
        return clean_name(self.cleaned_data["donor_name"])


class InterestForm(forms.Form):
    date = voucher_date()
    amount = amount_field(_("Số tiền lãi"))
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
    date = voucher_date()
    amount = amount_field(_("Số tiền"))
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
    date = voucher_date()
    out_of = forms.ChoiceField(label=_("Chi từ"), choices=MONEY_ACCOUNT_CHOICES)


class PayeeForm(forms.Form):
    name = forms.CharField(label=_("Người nhận"), max_length=200)
    reference = forms.CharField(label=_("Số hồ sơ"), max_length=60, required=False)
    bank_account = forms.CharField(label=_("Số tài khoản"), max_length=40)
    bank_name = forms.CharField(label=_("Ngân hàng"), max_length=120)
    amount = amount_field(_("Số tiền"), help_text="")

    def clean_name(self):
        return clean_name(self.cleaned_data["name"])


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
    start = date_field(_("Từ ngày"), required=False)
    end = date_field(_("Đến ngày"), required=False)

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
