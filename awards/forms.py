from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import MAX_VND
from awards.services import AMENDABLE

REASON = forms.CharField(
    label=_("Lý do"),
    max_length=2000,
    error_messages={"required": _("Vui lòng ghi lý do thay đổi.")},
    widget=forms.TextInput(attrs={"placeholder": _("Lý do thay đổi")}),
)


class HonoureeForm(forms.Form):
    name = forms.CharField(
        label=_("Tên cá nhân, tập thể"), max_length=500, error_messages={"required": _("Vui lòng ghi tên.")}
    )
    honour = forms.CharField(
        label=_("Hình thức tôn vinh"),
        max_length=255,
        error_messages={"required": _("Vui lòng ghi hình thức tôn vinh.")},
    )
    prize_amount = forms.IntegerField(
        label=_("Tiền thưởng (đồng)"),
        min_value=0,
        max_value=MAX_VND - 1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "5.000.000"}),
        error_messages={"invalid": _("Tiền thưởng là số nguyên đồng, ví dụ 5.000.000.")},
    )
    bank_account = forms.RegexField(
        label=_("Số tài khoản"),
        regex=r"^[0-9 ]{6,30}$",
        required=False,
        error_messages={"invalid": _("Số tài khoản chỉ gồm chữ số (6–30 số).")},
    )
    bank_name = forms.CharField(label=_("Ngân hàng"), max_length=150, required=False)
    reason = REASON


class AddForm(forms.Form):
    dossier = forms.TypedChoiceField(
        label=_("Hồ sơ trong bảng xếp hạng"),
        coerce=int,
        error_messages={"required": _("Vui lòng chọn hồ sơ.")},
    )
    reason = REASON

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].choices = [("", "—"), *choices]


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do đưa ra khỏi danh sách"),
        max_length=2000,
        error_messages={"required": _("Vui lòng ghi lý do thay đổi.")},
    )


class AmendForm(forms.Form):
    field = forms.ChoiceField(label=_("Nội dung đính chính"), choices=list(AMENDABLE.items()))
    value = forms.CharField(
        label=_("Nội dung đúng"),
        max_length=500,
        error_messages={"required": _("Vui lòng ghi nội dung đính chính.")},
    )
    reason = REASON
