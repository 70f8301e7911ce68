from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dksangtao.roles import UNIT_PERMISSIONS, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address."""

    email = models.EmailField(_("thư điện tử"), unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(
        _("số điện thoại"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^\+?[0-9 .]{8,20}$", _("Số điện thoại chỉ gồm chữ số, dấu cách hoặc dấu chấm."))
        ],
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(
        _("được vào trang quản trị"),
        default=False,
        help_text=_("Cho phép đăng nhập trang quản trị hệ thống."),
    )
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("người tạo tài khoản"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Người này không được duyệt đề nghị giao vai trò cho tài khoản mình đã tạo."),
    )
    # Bumped by every change to the person's roles (accounts.selectors.forget_access): part of the key
    # under which their memberships are cached between requests, so a revoked role is gone on the
    # very next request, whatever the cache holds. Read with the user row the session loads anyway.
    access_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.rsplit(" ", 1)[-1]


class UnitKind(models.TextChoices):
    DEPARTMENT = "so_ban_nganh", _("Sở, ban, ngành")
    PEOPLES_COMMITTEE_PROVINCE = "ubnd_tinh", _("UBND cấp tỉnh")
    FRONT_PROVINCE = "mttq_tinh", _("Ủy ban MTTQ cấp tỉnh")
    PEOPLES_COMMITTEE_DISTRICT = "ubnd_huyen", _("UBND cấp huyện (trước 01/7/2025)")
    FRONT_DISTRICT = "mttq_huyen", _("Ủy ban MTTQ cấp huyện (trước 01/7/2025)")
    PEOPLES_COMMITTEE_COMMUNE = "ubnd_xa", _("UBND xã, phường")
    FRONT_COMMUNE = "mttq_xa", _("Ủy ban MTTQ xã, phường")
    FRONT_MEMBER_ORGANISATION = "to_chuc_thanh_vien", _("Tổ chức thành viên của Mặt trận")
    ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp, hợp tác xã")
    PUBLIC_SERVICE = "su_nghiep", _("Đơn vị sự nghiệp (trường, bệnh viện, viện)")
    ARMED_FORCES = "luc_luong_vu_trang", _("Lực lượng vũ trang")
    CENTRAL_AGENCY = "trung_uong", _("Cơ quan Trung ương trên địa bàn")


class Unit(models.Model):
    """A đơn vị: an agency, a local authority, an organisation, an enterprise… arranged as a tree.

    Units are data, not code: districts abolished on 1/7/2025 stay as inactive units so that
    historical campaigns keep their submitting units.
    """

    name = models.CharField(_("tên đơn vị"), max_length=255)
    code = models.SlugField(
        _("mã đơn vị"),
        max_length=40,
        unique=True,
        help_text=_("Mã ngắn, duy nhất, không dấu, ví dụ: so-khcn."),
    )
    kind = models.CharField(_("loại đơn vị"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(
        _("đang hoạt động"),
        default=True,
        help_text=_("Bỏ chọn với đơn vị đã giải thể hoặc sáp nhập; dữ liệu lịch sử được giữ nguyên."),
    )
    email = models.EmailField(_("thư điện tử của đơn vị"), blank=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        permissions = UNIT_PERMISSIONS
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="unit_not_own_parent"),
        ]
        indexes = [
            # unit_tree_ids() loads (id, parent_id) of every unit; the admin filters by kind and activity.
            models.Index(fields=["kind", "is_active"], name="unit_kind_active_idx"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's role in a unit. One person may hold several roles in several units."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("ngày giao"), auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò tại đơn vị")
        verbose_name_plural = _("vai trò tại đơn vị")
        ordering = ["user__full_name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_user_unit_role"),
        ]
        indexes = [models.Index(fields=["role", "unit"], name="membership_role_unit_idx")]

    def __str__(self):
        return f"{self.user.full_name} — {self.get_role_display()} — {self.unit.name}"


class RoleRequest(models.Model):
    """A request to grant or revoke a sensitive role (dksangtao.roles.SENSITIVE_ROLES), made by one
    Front admin and decided by another (or a superuser); approving it grants or revokes the role in
    the same transaction (accounts.services.role_request_approve)."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Giao vai trò")
        REVOKE = "revoke", _("Thu hồi vai trò")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Bị từ chối")
        CANCELLED = "cancelled", _("Đã hủy")

    user = models.ForeignKey(
        User, verbose_name=_("người được đề nghị"), on_delete=models.CASCADE, related_name="role_requests"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    kind = models.CharField(_("loại đề nghị"), max_length=10, choices=Kind.choices)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    reason = models.TextField(_("lý do đề nghị"), max_length=1000, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        User, verbose_name=_("người đề nghị"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("ngày đề nghị"), default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    decision_reason = models.TextField(_("lý do từ chối"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("đề nghị giao, thu hồi vai trò")
        verbose_name_plural = _("đề nghị giao, thu hồi vai trò")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Four eyes, kept by the database too: the decider is neither the requester nor the person.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (~models.Q(decided_by=models.F("requested_by")) & ~models.Q(decided_by=models.F("user"))),
                name="role_request_decided_by_another",
            ),
            models.UniqueConstraint(
                fields=["user", "unit", "role", "kind"],
                condition=models.Q(status="pending"),
                name="role_request_one_pending",
            ),
        ]
        indexes = [
            # the pending list: WHERE status = 'pending' ORDER BY requested_at
            models.Index(fields=["status", "requested_at"], name="role_request_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_role_display()} — {self.user.full_name}"
