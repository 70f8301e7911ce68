from django import forms
from django.utils.translation import gettext_lazy as _

from councils.models import Appeal
from dksangtao.forms import BoundedTextMixin


class ScreeningForm(BoundedTextMixin, forms.Form):
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


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung khiếu nại"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Vui lòng ghi nội dung khiếu nại.")},
        help_text=_("Nêu rõ tiêu chí, điểm chấm nào đơn vị chưa đồng ý và căn cứ."),
    )


class AppealAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Kết luận của Hội đồng"),
        choices=Appeal.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn kết luận của Hội đồng.")},
    )
    answer = forms.CharField(
        label=_("Trả lời của Hội đồng"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Vui lòng ghi nội dung trả lời của Hội đồng.")},
    )
