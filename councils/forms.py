from django import forms
from django.utils.translation import gettext_lazy as _


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Kết quả thẩm tra"),
        choices=[
            ("eligible", _("Đủ điều kiện — chuyển Hội đồng chấm")),
            ("ineligible", _("Không đủ điều kiện")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do / nhận xét"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi hồ sơ không đủ điều kiện; đơn vị sẽ nhận được lý do này."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "ineligible" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Vui lòng ghi lý do hồ sơ không đủ điều kiện."))
        return cleaned
