from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from councils.models import Band, Council, CouncilMember, Criterion, Rubric
from councils.permissions import may_found_councils
from councils.selectors import rubric_is_locked
from councils.services import (
    RubricCopyRefused,
    council_member_recorded,
    rubric_copy_previous,
    rubric_create_default,
    rubric_problems,
)
from dksangtao.admin import AuditedAdmin
from dksangtao.audit import Action
from submissions.models import Campaign
from submissions.selectors import current_campaign_id


class CurrentCampaignOnly:
    """A secretary sets up the current council and its campaign's rubrics, nothing older or newer;
    the Front admins every campaign's. `campaign_path` leads from the row to its campaign."""

    campaign_path = "campaign"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if may_found_councils(request.user):
            return rows
        return rows.filter(**{self.campaign_path: current_campaign_id()})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not may_found_councils(request.user):
            if db_field.name == "campaign":
                kwargs["queryset"] = Campaign.objects.filter(pk=current_campaign_id())
            elif db_field.name == "rubric":
                kwargs["queryset"] = Rubric.objects.filter(campaign_id=current_campaign_id())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    autocomplete_fields = ["user", "home_unit"]
    fields = ["user", "role", "home_unit", "expertise"]


@admin.register(Council)
class CouncilAdmin(CurrentCampaignOnly, AuditedAdmin):
    list_display = ["name", "campaign", "decision_number", "decision_date", "members_per_entry", "blind_mode"]
    list_select_related = ["campaign"]
    inlines = [CouncilMemberInline]
    actions = ["create_default_rubric", "copy_previous_rubrics"]
    # The announcement goes through councils.appeals.results_announce (statuses, e-mails, the trail).
    readonly_fields = ["results_announced_at", "results_announced_by"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if may_found_councils(request.user) else [*fields, "campaign"]

    def save_formset(self, request, form, formset, change):
        """The members' rows are recorded as the council's own changes (and a secretary is let into
        the admin: councils.services.council_member_recorded)."""
        if formset.model is not CouncilMember:
            return super().save_formset(request, form, formset, change)
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                council_member_recorded(
                    member=row.instance, action=Action.COUNCIL_MEMBER_REMOVED, actor=request.user
                )
        formset.save()
        for member in formset.new_objects:
            council_member_recorded(member=member, action=Action.COUNCIL_MEMBER_ADDED, actor=request.user)
        for member, _fields in formset.changed_objects:
            council_member_recorded(member=member, action=Action.COUNCIL_MEMBER_CHANGED, actor=request.user)

    @admin.action(description=_("Tạo bộ tiêu chí mặc định (100 điểm) cho đợt của hội đồng"))
    def create_default_rubric(self, request, queryset):
        for council in queryset.select_related("campaign"):
            rubric = rubric_create_default(campaign=council.campaign, actor=request.user)
            self.message_user(request, _("Đã có bộ tiêu chí «%(name)s».") % {"name": rubric.name})

    @admin.action(description=_("Sao chép bộ tiêu chí năm trước sang đợt của hội đồng"))
    def copy_previous_rubrics(self, request, queryset):
        for council in queryset.select_related("campaign"):
            try:
                copies = rubric_copy_previous(campaign=council.campaign, actor=request.user)
            except RubricCopyRefused as refused:
                self.message_user(request, str(refused), level=messages.ERROR)
            else:
                self.message_user(request, _("Đã sao chép %(n)s bộ tiêu chí.") % {"n": len(copies)})


class CriterionFormSet(forms.BaseInlineFormSet):
    """The rubric and its criteria are checked together: the criteria's maxima add up to the scale."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        criteria = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            criterion = form.instance
            bands = [(b.min_points, b.max_points) for b in criterion.bands.all()] if criterion.pk else []
            criteria.append((form.cleaned_data.get("max_points") or Decimal(0), bands))
        problems = rubric_problems(rubric=self.instance, criteria=criteria)
        if problems:
            raise ValidationError(problems)


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}
    fields = ["order", "name", "description", "max_points", "tie_break"]
    show_change_link = True


@admin.register(Rubric)
class RubricAdmin(CurrentCampaignOnly, AuditedAdmin):
    list_display = [
        "name",
        "campaign",
        "field",
        "total_points",
        "excellent_min",
        "good_min",
        "fair_min",
        "pass_min",
    ]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "field"]
    inlines = [CriterionInline]

    def has_change_permission(self, request, obj=None):
        # Read-only once any sheet scored on it has been submitted (SPEC §4).
        if obj is not None and rubric_is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and rubric_is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)


class BandInline(admin.TabularInline):
    model = Band
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(CurrentCampaignOnly, AuditedAdmin):
    campaign_path = "rubric__campaign"
    list_display = ["name", "rubric", "max_points", "order"]
    list_select_related = ["rubric"]
    inlines = [BandInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and rubric_is_locked(obj.rubric):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and rubric_is_locked(obj.rubric):
            return False
        return super().has_delete_permission(request, obj)

    def get_model_perms(self, request):
        return {}  # reached from its rubric, not from the admin index
