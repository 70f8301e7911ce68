from django import forms
from django.utils.translation import gettext_lazy as _

from councils.models import Appeal
from councils.selectors import CLASS_LABELS
from dksangtao.forms import BoundedTextMixin
from submissions.models import Field


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


UNSCORED = "none"  # the results filter's «no valid score yet»


class ResultsFilterForm(forms.Form):
    """The results page's filters: the flagged disagreements, one class, one field."""

    flagged = forms.BooleanField(label=_("Chỉ hồ sơ chênh lệch trên 20 điểm"), required=False)
    grade = forms.ChoiceField(
        label=_("Xếp loại"),
        required=False,
        error_messages={"invalid_choice": _("Không có xếp loại này.")},
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        queryset=Field.objects.order_by("order", "name"),
        empty_label=_("Tất cả"),
        error_messages={"invalid_choice": _("Không có lĩnh vực này.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [
            ("", _("Tất cả")),
            *CLASS_LABELS.items(),
            (UNSCORED, _("Chưa có điểm hợp lệ")),
        ]

    def apply(self, summaries: list) -> list:
        """The entries (councils.selectors.EntrySummary) that pass the valid filters."""
        cleaned = getattr(self, "cleaned_data", {})
        if cleaned.get("flagged"):
            summaries = [s for s in summaries if s.flagged]
        grade = cleaned.get("grade")
        if grade:
            wanted = "" if grade == UNSCORED else grade
            summaries = [s for s in summaries if s.class_key == wanted]
        if cleaned.get("field") is not None:
            summaries = [s for s in summaries if s.field_id == cleaned["field"].pk]
        return summaries
