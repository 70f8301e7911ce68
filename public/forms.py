from django import forms
from django.utils.translation import gettext_lazy as _


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do gỡ khỏi cơ sở dữ liệu"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi lý do gỡ bản ghi khỏi cơ sở dữ liệu.")},
    )
