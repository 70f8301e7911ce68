from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dksangtao.admin import AuditedAdmin
from dksangtao.forms import BoundedTextMixin, DateInput
from submissions.models import Campaign, DeadlineExtension, DossierKind, Field, default_ceremony_date
from submissions.services import ActionRefused, deadline_extend, extension_check

PHASES = [
    "submissions_open",
    "submissions_close",
    "unit_review_deadline",
    "screening_deadline",
    "scoring_start",
    "scoring_end",
    "ceremony_date",
]


class CampaignForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["year", "name", *PHASES, "nomination_quota"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ceremony_date"].required = False
        for name in PHASES:
            self.fields[name].widget = DateInput()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year") and not cleaned.get("ceremony_date"):
            cleaned["ceremony_date"] = default_ceremony_date(cleaned["year"])
        previous_name, previous_value = None, None
        for name in PHASES:
            value = cleaned.get(name)
            if value is None:
                continue
            if previous_value is not None and value < previous_value:
                self.add_error(
                    name,
                    _("Ngày này phải sau hoặc bằng «%(earlier)s».")
                    % {"earlier": self.fields[previous_name].label},
                )
            previous_name, previous_value = name, value
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    form = CampaignForm
    list_display = [
        "year",
        "name",
        "submissions_open",
        "submissions_close",
        "unit_review_deadline",
        "ceremony_date",
    ]
    search_fields = ["name"]


class DeadlineExtensionForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = DeadlineExtension
        fields = ["campaign", "unit", "submissions_close", "reason"]
        widgets = {"submissions_close": DateInput()}

    def clean(self):
        cleaned = super().clean()
        campaign = cleaned.get("campaign") or (self.instance.campaign if self.instance.campaign_id else None)
        until = cleaned.get("submissions_close")
        if campaign and until:
            try:
                extension_check(campaign=campaign, until=until, reason=cleaned.get("reason", ""))
            except ActionRefused as refused:
                raise ValidationError(str(refused)) from None
        return cleaned


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(AuditedAdmin):  # deletions recorded there; grants by deadline_extend
    form = DeadlineExtensionForm
    list_display = ["unit", "campaign", "submissions_close", "granted_by", "granted_at"]
    list_filter = ["campaign"]
    search_fields = ["unit__name", "reason"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit", "campaign", "granted_by"]

    def get_readonly_fields(self, request, obj=None):
        # To move an extension to another unit, grant that unit its own: the first stays recorded.
        return ["campaign", "unit"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = deadline_extend(
            campaign=obj.campaign,
            unit=obj.unit,
            until=obj.submissions_close,
            reason=obj.reason,
            actor=request.user,
        )
        obj.pk = saved.pk


@admin.register(Field, DossierKind)
class ReferenceDataAdmin(AuditedAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "code"]
