from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dksangtao.forms import BoundedTextMixin, DateInput, clean_name, money_field
from submissions.models import MAX_BENEFIT_VND, Author, Dossier, DossierKind, Field, UnitGrade

TEXTAREA = forms.Textarea(attrs={"rows": 4})

# The sections of the national recognition form, in its order (Thông tư 18/2013/TT-BKHCN, mẫu đơn).
SECTIONS = [
    (_("1. Thông tin chung"), ["unit", "title", "kind", "field", "summary"]),
    (_("2. Chủ đầu tư và tác giả"), ["owner", "is_collective", "collective_name", "authors_consent"]),
    (
        _("3. Nội dung sáng kiến"),
        [
            "first_applied_on",
            "current_situation",
            "solution_content",
            "novelty",
            "application_conditions",
            "application_scope",
        ],
    ),
    (
        _("4. Hiệu quả, lợi ích"),
        ["economic_benefit_vnd", "benefits_by_author", "benefits_by_others", "trial_participants"],
    ),
    (_("5. Thông tin cần được bảo mật"), ["confidential_info"]),
]


class DossierForm(BoundedTextMixin, forms.ModelForm):
    economic_benefit_vnd = money_field(
        _("Lợi ích kinh tế (đồng/năm)"),
        required=False,
        minimum=0,
        maximum=MAX_BENEFIT_VND,
        help_text=_("Số tiền làm lợi hoặc tiết kiệm được mỗi năm, nếu tính được; số nguyên, đơn vị đồng."),
    )

    class Meta:
        model = Dossier
        fields = [name for _title, names in SECTIONS for name in names if name != "unit"]
        widgets = {
            "summary": TEXTAREA,
            "current_situation": TEXTAREA,
            "solution_content": forms.Textarea(attrs={"rows": 6}),
            "novelty": TEXTAREA,
            "application_conditions": TEXTAREA,
            "application_scope": TEXTAREA,
            "benefits_by_author": TEXTAREA,
            "benefits_by_others": TEXTAREA,
            "trial_participants": TEXTAREA,
            "confidential_info": TEXTAREA,
            "first_applied_on": DateInput(),
        }
        help_texts = {
            "confidential_info": _(
                "Không bao giờ được công khai; chỉ đơn vị và Hội đồng thẩm định được xem."
            ),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = DossierKind.objects.filter(is_active=True)
        self.fields["field"].queryset = Field.objects.filter(is_active=True)
        if units is not None:
            # Only when the person prepares dossiers for several units does the form ask which.
            self.fields["unit"] = forms.ModelChoiceField(
                queryset=units, label=_("Đơn vị đề nghị"), empty_label=None, initial=units.first()
            )
            self.order_fields(["unit", *self.Meta.fields])

    def clean_title(self):
        return clean_name(self.cleaned_data["title"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_collective") and not cleaned.get("collective_name"):
            self.add_error("collective_name", _("Vui lòng ghi tên tập thể tác giả."))
        return cleaned

    def sections(self):
        for title, names in SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield title, fields


class AuthorForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Author
        fields = [
            "full_name",
            "date_of_birth",
            "workplace",
            "position",
            "qualification",
            "contribution_percent",
        ]
        widgets = {"date_of_birth": DateInput()}

    def clean_full_name(self):
        return clean_name(self.cleaned_data["full_name"])

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError(_("Ngày sinh không được sau ngày hôm nay."))
        return born


class BaseAuthorFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not rows:
            raise forms.ValidationError(_("Vui lòng khai ít nhất một tác giả."))
        total = sum(row["contribution_percent"] for row in rows)
        if total != 100:
            raise forms.ValidationError(
                _("Tổng tỷ lệ đóng góp của các tác giả là %(total)s%%, phải bằng đúng 100%%."),
                params={"total": total},
            )
        names = [row["full_name"].strip().casefold() for row in rows]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Một tác giả được khai hai lần."))

    def authors(self) -> list[dict]:
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


AuthorFormSet = forms.formset_factory(
    AuthorForm, formset=BaseAuthorFormSet, extra=0, min_num=1, can_delete=True, max_num=30, validate_max=True
)


def author_initial(dossier) -> list[dict]:
    return [
        {name: getattr(author, name) for name in AuthorForm.Meta.fields} for author in dossier.authors.all()
    ]


class ReasonForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), required=True)


class RecogniseForm(BoundedTextMixin, forms.Form):
    grade = forms.ChoiceField(label=_("Xếp loại cấp đơn vị"), choices=UnitGrade.choices)
    reason = forms.CharField(label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm (PDF, DOCX, XLSX, JPG, PNG)"))
