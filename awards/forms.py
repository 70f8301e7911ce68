from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awards.models import MAX_VND, AwardPolicy, Honouree
from awards.services import AMENDABLE, POLICY_FIELDS
from councils.selectors import CLASS_LABELS
from dksangtao.forms import LongSelect, clean_name, money_field, number_field
from dksangtao.text import SEARCH_MAX_CHARS, parse_id
from submissions.models import Field

PRIZE_INVALID = _("Tiền thưởng là số nguyên đồng, ví dụ 5.000.000.")
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
    prize_amount = money_field(
        _("Tiền thưởng (đồng)"), minimum=0, maximum=MAX_VND - 1, help_text="", invalid=PRIZE_INVALID
    )
    bank_account = forms.RegexField(
        label=_("Số tài khoản"),
        regex=r"^[0-9 ]{6,30}$",
        max_length=30,
        required=False,
        error_messages={"invalid": _("Số tài khoản chỉ gồm chữ số (6–30 số).")},
    )
    bank_name = forms.CharField(label=_("Ngân hàng"), max_length=150, required=False)
    reason = REASON

    def clean_name(self):
        return clean_name(self.cleaned_data["name"])


class AddForm(forms.Form):
    dossier = forms.TypedChoiceField(
        label=_("Hồ sơ trong bảng xếp hạng"),
        coerce=int,
        widget=LongSelect,  # every ranked entry not yet on the list: thousands at province scale
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
    honouree = forms.ModelChoiceField(
        label=_("Người được tôn vinh"),
        help_text=_("Những người ở trang đang xem của danh sách; chuyển trang để chọn người khác."),
        queryset=None,
        empty_label=None,
        widget=LongSelect,
        error_messages={"invalid_choice": _("Người này không có trong danh sách đã công bố.")},
    )
    field = forms.ChoiceField(label=_("Nội dung đính chính"), choices=list(AMENDABLE.items()))
    value = forms.CharField(
        label=_("Nội dung đúng"),
        max_length=500,
        error_messages={"required": _("Vui lòng ghi nội dung đính chính.")},
    )
    reason = REASON

    def __init__(self, *args, honourees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["honouree"].queryset = honourees if honourees is not None else Honouree.objects.none()
        self.fields["honouree"].label_from_instance = lambda h: f"{h.position}. {h.name}"


class PublishForm(forms.Form):
    decision = forms.CharField(
        label=_("Quyết định công bố danh sách"),
        max_length=150,
        help_text=_("Số, ngày quyết định, ví dụ: Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/2026."),
        error_messages={
            "required": _(
                "Vui lòng ghi số, ngày quyết định công bố danh sách tôn vinh (in trên giấy chứng nhận)."
            )
        },
    )


class PolicyForm(forms.ModelForm):
    prize_excellent = money_field(
        _("Tiền thưởng loại Xuất sắc (đồng)"), minimum=0, maximum=MAX_VND - 1, invalid=PRIZE_INVALID
    )
    prize_good = money_field(
        _("Tiền thưởng loại Tốt (đồng)"), minimum=0, maximum=MAX_VND - 1, invalid=PRIZE_INVALID
    )
    prize_fair = money_field(
        _("Tiền thưởng loại Khá (đồng)"), minimum=0, maximum=MAX_VND - 1, invalid=PRIZE_INVALID
    )
    quota_per_field = number_field(
        _("Số hồ sơ tôn vinh tối đa mỗi lĩnh vực"),
        minimum=1,
        maximum=999,
        required=False,
        help_text=_("Để trống nếu không giới hạn."),
    )
    ranking_days_before = number_field(_("Tự động xếp hạng trước lễ (ngày)"), minimum=1, maximum=365)
    exports_days_before = number_field(_("Tự động xuất báo cáo trước lễ (ngày)"), minimum=1, maximum=365)

    class Meta:
        model = AwardPolicy
        fields = POLICY_FIELDS


class FieldChoice(forms.ModelChoiceField):
    """A field by its id in ASCII digits («２» is refused, not read as 2)."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class PublicYearForm(forms.Form):
    """The public year page's search and filters (GET): a name or unit, a field, a class."""

    q = forms.CharField(
        label=_("Tìm theo tên hoặc đơn vị"),
        required=False,
        max_length=SEARCH_MAX_CHARS,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ: Nguyễn Văn An, Sở Y tế")}),
        error_messages={"max_length": _("Từ khóa tìm kiếm quá dài.")},
    )
    field = FieldChoice(
        label=_("Lĩnh vực"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=_("Mọi lĩnh vực"),
        error_messages={"invalid_choice": _("Không có lĩnh vực này.")},
    )
    classification = forms.ChoiceField(
        label=_("Xếp loại"),
        required=False,
        choices=[("", _("Mọi xếp loại")), *CLASS_LABELS.items()],
        error_messages={"invalid_choice": _("Không có xếp loại này.")},
    )
