"""Forms of the nomination-upward and booklet pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import UpwardNomination
from awards.upward import NOTE_MAX


class MarkForm(forms.Form):
    dossier = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    target = forms.ChoiceField(
        label=_("Đề cử lên"),
        choices=UpwardNomination.Target.choices,
        error_messages={
            "invalid_choice": _(
                "Nơi đề cử không hợp lệ: chỉ đề cử lên Hội đồng của Ủy ban Trung ương MTTQ Việt Nam "
                "hoặc Sách vàng Sáng tạo Việt Nam."
            ),
            "required": _("Vui lòng chọn nơi đề cử."),
        },
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Lý do đề cử, điều cần bổ sung… Chỉ lưu trong cổng, không đưa vào tệp ZIP."),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Ảnh chân dung"),
        help_text=_("JPG hoặc PNG, tối đa 5 MB; ảnh đứng, tỷ lệ 3×4 là đẹp nhất."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
        error_messages={
            "required": _("Vui lòng chọn một tệp ảnh JPG hoặc PNG."),
            "empty": _("Vui lòng chọn một tệp ảnh JPG hoặc PNG (tệp đang trống)."),
        },
    )
