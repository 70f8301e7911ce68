from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Unit, User
from accounts.permissions import may_manage_people
from accounts.services import (
    invitation_resend,
    login_lockout_lift,
    membership_conflict,
    membership_grant,
    membership_revoke,
    membership_set_position,
    unit_check_parent,
    unit_members_refresh,
    user_invite,
)
from dksangtao.admin import AuditedAdmin
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.forms import BoundedTextMixin
from dksangtao.roles import SENSITIVE_ROLES


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            unit_members_refresh(unit=obj)


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


class PortalUserCreationForm(BoundedTextMixin, forms.ModelForm):
    """E-mail, name and phone only: the person sets their own password from the invitation e-mail."""

    class Meta:
        model = User
        fields = ["email", "full_name", "phone"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Đã có tài khoản dùng địa chỉ thư điện tử này."))
        return email


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
    actions = ["resend_invitation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Thông tin cá nhân"), {"fields": ["full_name", "phone"]}),
        (_("Quyền"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined", "created_by"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "phone"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "created_by"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new account has no roles yet

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # Nobody but a superuser sees anything of a password, not even its hash's summary.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # Roles (and the admin access they carry) come from memberships; only a superuser may hand
        # out superuser or staff rights or groups by hand.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "groups"]
            if obj is not None:
                # The address is where the password link goes: changing someone's address to one's own
                # and asking for a reset would take over their account and roles.
                fields.append("email")
        return fields

    def has_change_permission(self, request, obj=None):
        # Nobody but a superuser edits a superuser.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new account: no password; its holder receives a one-time link to set one.
        try:
            created = user_invite(
                email=obj.email, full_name=obj.full_name, phone=obj.phone, actor=request.user
            )
        except ActionRefused as refused:  # the form checked the same; a race lands here
            raise PermissionDenied(str(refused)) from refused
        obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db

    def user_change_password(self, request, id, form_url=""):
        """Setting someone else's password is the superuser's break-glass path only, and recorded."""
        if not request.user.is_superuser:
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            record(actor=request.user, action=Action.PASSWORD_SET_BY_SUPERUSER, obj=user)
        return response

    @admin.action(description=_("Gửi lại thư mời đặt mật khẩu"))
    def resend_invitation(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                invitation_resend(user=user, actor=request.user)
            except ActionRefused as refused:
                self.message_user(request, str(refused), messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(request, _("Đã gửi lại %(n)d thư mời.") % {"n": sent}, messages.SUCCESS)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "position"]

    request = None  # set by MembershipAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        unit, role, user = cleaned.get("unit"), cleaned.get("role"), cleaned.get("user")
        if self.instance.pk is None and unit is not None and not unit.is_active:
            self.add_error("unit", _("Không thể giao vai trò tại đơn vị đã ngừng hoạt động."))
        by_superuser = self.request is not None and self.request.user.is_superuser
        if self.instance.pk is None and role in SENSITIVE_ROLES and not by_superuser:
            self.add_error(
                "role",
                _(
                    "Vai trò này chỉ được giao qua đề nghị có người thứ hai duyệt. Hãy lập đề nghị tại "
                    "trang «Đề nghị giao, thu hồi vai trò»: %(url)s"
                )
                % {"url": reverse("role_requests")},
            )
        elif self.instance.pk is None and role and user is not None:
            conflict = membership_conflict(user=user, role=role)
            if conflict:
                self.add_error("role", conflict)
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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def has_delete_permission(self, request, obj=None):
        # A sensitive role is revoked through a request; a superuser may still do it here (break glass).
        # The admin's bulk delete asks this for every selected row too.
        if obj is not None and obj.role in SENSITIVE_ROLES and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            membership_set_position(membership=obj, position=obj.position, actor=request.user)
            return
        if obj.role in SENSITIVE_ROLES and not request.user.is_superuser:  # the form refused it already
            raise PermissionDenied
        saved = membership_grant(
            user=obj.user, unit=obj.unit, role=obj.role, position=obj.position, actor=request.user
        )
        obj.pk = saved.pk
        if obj.role in SENSITIVE_ROLES:
            _record_break_glass(request, saved, "grant")

    def delete_model(self, request, obj):
        self.delete_queryset(request, Membership.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        memberships = list(queryset.select_related("user", "unit"))
        if not request.user.is_superuser and any(m.role in SENSITIVE_ROLES for m in memberships):
            raise PermissionDenied
        for membership in memberships:
            if membership.role in SENSITIVE_ROLES:
                _record_break_glass(request, membership, "revoke")
            membership_revoke(membership=membership, actor=request.user)


class LockedOutFilter(admin.SimpleListFilter):
    title = _("tình trạng")
    parameter_name = "bi_khoa"

    def lookups(self, request, model_admin):
        return [("1", _("Đang bị khóa")), ("0", _("Chưa đến mức khóa"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        if self.value() == "0":
            return queryset.filter(failures_since_start__lt=settings.AXES_FAILURE_LIMIT)
        return queryset


@admin.register(AccessAttempt)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed logins counted by django-axes (settings: AXES_*), one row per e-mail + address + browser.
    An e-mail or an address is locked once its rows add up to the limit; «Mở khóa» forgets the chosen
    rows (accounts.services.login_lockout_lift, recorded). The people who manage accounts — Front
    admins and superusers (accounts.permissions.may_manage_people) — are the ones a clerk calls."""

    list_display = ["username_shown", "ip_shown", "failures_shown", "last_attempt", "locked_shown"]
    list_filter = [LockedOutFilter]
    search_fields = ["username", "ip_address"]
    actions = ["unlock"]
    list_per_page = 50

    @admin.display(description=_("thư điện tử đã nhập"), ordering="username")
    def username_shown(self, obj):
        return obj.username or "—"

    @admin.display(description=_("địa chỉ máy (IP)"), ordering="ip_address")
    def ip_shown(self, obj):
        return obj.ip_address or "—"

    @admin.display(description=_("số lần sai"), ordering="failures_since_start")
    def failures_shown(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("lần sai gần nhất"), ordering="attempt_time")
    def last_attempt(self, obj):
        return obj.attempt_time

    @admin.display(description=_("bị khóa"), boolean=True)
    def locked_shown(self, obj):
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description=_("Mở khóa đăng nhập các dòng đã chọn"))
    def unlock(self, request, queryset):
        lifted = login_lockout_lift(attempts=list(queryset), actor=request.user)
        message = _("Đã mở khóa %(n)d dòng; người dùng có thể đăng nhập lại ngay.") % {"n": lifted}
        self.message_user(request, message)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # «Mở khóa» does it, recorded
        return actions

    def has_module_permission(self, request):
        return may_manage_people(request.user)

    def has_view_permission(self, request, obj=None):
        return may_manage_people(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_manage_people(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        login_lockout_lift(attempts=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        login_lockout_lift(attempts=list(queryset), actor=request.user)


def _record_break_glass(request, membership: Membership, kind: str) -> None:
    """A superuser granted or revoked a sensitive role directly, without a second person: on the record."""
    record(
        actor=request.user,
        action=Action.ROLE_GRANTED_BY_SUPERUSER,
        obj=membership.user,
        detail={"kind": kind, "role": membership.role, "unit": membership.unit_id},
    )
