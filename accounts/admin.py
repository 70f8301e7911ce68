from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Unit, User
from accounts.services import membership_grant, membership_revoke, membership_set_position, unit_check_parent
from dksangtao.admin import AuditedAdmin
from dksangtao.forms import BoundedTextMixin


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "kind", "parent", "is_active", "email"]

    def clean(self):
        cleaned = super().clean()
        unit_check_parent(unit=self.instance, parent=cleaned.get("parent"))
        return cleaned


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    list_per_page = 50


class MembershipInline(admin.TabularInline):
    """Read-only here: roles are granted and revoked on the «vai trò tại đơn vị» page, which keeps the
    object permissions in step."""

    model = Membership
    fields = ["unit", "role", "position"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class PortalUserCreationForm(BoundedTextMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "phone"]


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "phone", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["full_name", "email", "phone"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Thông tin cá nhân"), {"fields": ["full_name", "phone"]}),
        (_("Quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "phone", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        # Roles (and the admin access they carry) come from memberships; only a superuser may hand
        # out superuser or staff rights or groups by hand.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "groups"]
        return fields

    def has_change_permission(self, request, obj=None):
        # Nobody but a superuser edits a superuser (this also closes the password form).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "position"]

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if self.instance.pk is None and unit is not None and not unit.is_active:
            self.add_error("unit", _("Không thể giao vai trò tại đơn vị đã ngừng hoạt động."))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ["user", "role", "unit", "position", "created_at"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__full_name", "user__email", "unit__name", "unit__code"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        # Changing who, where or which role means revoking and granting: delete and add instead.
        return ["user", "unit", "role"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            membership_set_position(membership=obj, position=obj.position, actor=request.user)
        else:
            saved = membership_grant(
                user=obj.user, unit=obj.unit, role=obj.role, position=obj.position, actor=request.user
            )
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        membership_revoke(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "unit"):
            membership_revoke(membership=membership, actor=request.user)
