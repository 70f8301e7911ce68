"""Writes on units and memberships. Membership rows and their guardian object permissions change
together, in one transaction, so the two never disagree."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Membership, RoleRequest, Unit, User
from accounts.permissions import may_decide_role_request, may_manage_people
from accounts.selectors import forget_access, unit_tree_ids
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.mail import notify, site_url
from dksangtao.roles import (
    MUTUALLY_EXCLUSIVE_ROLES,
    ROLE_ADMIN_PERMISSIONS,
    ROLE_UNIT_PERMISSIONS,
    SENSITIVE_ROLES,
    Role,
)


def _unit_perms_for_roles(roles) -> set[str]:
    perms: set[str] = set()
    for role in roles:
        perms |= ROLE_UNIT_PERMISSIONS.get(role, frozenset())
    return perms


def _role_summary(role: str, unit: Unit) -> str:
    with translation.override("vi"):
        return f"{Role(role).label} — {unit.name}"


@transaction.atomic
def membership_grant(*, user: User, unit: Unit, role: str, position: str = "", actor) -> Membership:
    """Give `user` the `role` in `unit` (idempotent) and the unit permissions that role carries.
    `actor`: who grants it (None: the demo seeder). The low-level step: sensitive roles reach it through
    an approved RoleRequest (role_request_approve) or a superuser's break-glass grant in the admin."""
    conflict = membership_conflict(user=user, role=role)
    if conflict:
        raise ActionRefused(conflict)
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"position": position}
    )
    if created:
        record(
            actor=actor,
            action=Action.ROLE_GRANTED,
            obj=user,
            detail={"role": role, "unit": unit.pk, "summary": _role_summary(role, unit)},
        )
    if not created and position:
        membership_set_position(membership=membership, position=position, actor=actor)
    for perm in ROLE_UNIT_PERMISSIONS.get(role, frozenset()):
        assign_perm(f"accounts.{perm}", user, unit)
    forget_access(user)
    if role in ROLE_ADMIN_PERMISSIONS:
        user.groups.add(_role_group(role))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_set_position(*, membership: Membership, position: str, actor) -> Membership:
    """The person's position (chức vụ) in the unit, as printed beside their name; the change is
    recorded against what is stored (the admin's form has already put the new value on the object)."""
    stored = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    position = position.strip()
    if stored.position != position:
        before, stored.position = stored.position, position
        stored.save(update_fields=["position"])
        record(
            actor=actor,
            action=Action.POSITION_CHANGED,
            obj=stored.user,
            detail={"unit": stored.unit_id, "summary": f"{before or '—'} → {position or '—'}"},
        )
        forget_access(stored.user)
    return stored


@transaction.atomic
def membership_revoke(*, membership: Membership, actor) -> None:
    """Remove a role; keep the unit permissions that the person's other roles in that unit still give."""
    user, unit, role = membership.user, membership.unit, membership.role
    membership.delete()
    record(
        actor=actor,
        action=Action.ROLE_REVOKED,
        obj=user,
        detail={"role": role, "unit": unit.pk, "summary": _role_summary(role, unit)},
    )
    remaining_roles = Membership.objects.filter(user=user, unit=unit).values_list("role", flat=True)
    for perm in _unit_perms_for_roles([role]) - _unit_perms_for_roles(remaining_roles):
        remove_perm(f"accounts.{perm}", user, unit)
    forget_access(user)
    if role in ROLE_ADMIN_PERMISSIONS and not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(_role_group(role))
        # The admin's door closes unless something else still opens it: the current council's
        # secretary has their rights from that place (councils.backends), not from a group.
        if user.is_staff and not user.is_superuser and not User.objects.get(pk=user.pk).get_all_permissions():
            user.is_staff = False
            user.save(update_fields=["is_staff"])


def _role_group(role: str) -> Group:
    """The auth group carrying a role's admin permissions, kept equal to ROLE_ADMIN_PERMISSIONS."""
    with translation.override("vi"):
        name = str(Role(role).label)
    group, _created = Group.objects.get_or_create(name=name)
    query = Q(pk__in=[])
    for dotted in ROLE_ADMIN_PERMISSIONS[role]:
        app_label, codename = dotted.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(query))
    return group


def unit_members_refresh(*, unit: Unit) -> None:
    """After a unit is renamed, moved or closed: the people holding a role there see it on their next
    request (their memberships, with the unit, are cached between requests under their access_version)."""
    User.objects.filter(memberships__unit=unit).update(access_version=F("access_version") + 1)


def unit_check_parent(*, unit: Unit, parent: Unit | None) -> None:
    """Refuse a parent that would put the unit inside its own subtree."""
    if parent is None or unit.pk is None:
        return
    if parent.pk in unit_tree_ids([unit.pk]):
        raise ValidationError(
            {"parent": _("Đơn vị cấp trên không thể là chính đơn vị này hoặc một đơn vị trực thuộc nó.")}
        )


@transaction.atomic
def login_lockout_lift(*, attempts, actor) -> int:
    """Lift login lockouts: forget the counted failures (django-axes' AccessAttempt rows) of the
    chosen e-mail/address pairs, so the account and the address may try again at once. Recorded
    against the account when it exists (else against the acting admin). Returns how many rows went."""
    lifted = 0
    for attempt in attempts:
        account = User.objects.filter(email__iexact=attempt.username or "").first()
        record(
            actor=actor,
            action=Action.LOGIN_UNLOCKED,
            obj=account or actor,
            detail={
                "username": (attempt.username or "")[:255],
                "ip_address": attempt.ip_address,
                "failures": attempt.failures_since_start,
                "summary": f"{attempt.username or '—'} · {attempt.ip_address or '—'}: "
                f"{attempt.failures_since_start} lần sai",
            },
        )
        attempt.delete()
        lifted += 1
    return lifted


# --- Separation of duties: the fund's maker and checker are two people -----------------------------


def membership_conflict(*, user: User, role: str) -> str:
    """Why `user` may not take `role` beside the roles they hold ('' when they may)."""
    if role not in MUTUALLY_EXCLUSIVE_ROLES:
        return ""
    held = set(
        Membership.objects.filter(user=user, role__in=MUTUALLY_EXCLUSIVE_ROLES)
        .exclude(role=role)
        .values_list("role", flat=True)
    )
    if not held:
        return ""
    return _(
        "%(name)s đang giữ vai trò «%(held)s»; một người không được vừa lập chứng từ vừa duyệt chứng từ "
        "của Quỹ. Hãy thu hồi vai trò đó trước khi giao vai trò «%(role)s»."
    ) % {"name": user.full_name, "held": Role(held.pop()).label, "role": Role(role).label}


# --- Sensitive roles: requested by one Front admin, decided by another -----------------------------


def _request_detail(request: RoleRequest) -> dict:
    with translation.override("vi"):
        summary = f"{request.get_kind_display()}: {Role(request.role).label} — {request.unit.name}"
    return {"request": request.pk, "role": request.role, "unit": request.unit_id, "summary": summary}


def role_request_create(
    *, user: User, unit: Unit, role: str, kind: str, actor, position: str = "", reason: str = ""
) -> RoleRequest:
    """Ask for a sensitive role to be granted or revoked; nothing changes until another person approves."""
    if not may_manage_people(actor):
        raise ActionRefused(
            _("Chỉ Ban Thường trực hoặc quản trị hệ thống được đề nghị giao, thu hồi vai trò.")
        )
    if role not in SENSITIVE_ROLES:
        raise ActionRefused(_("Vai trò này được giao trực tiếp, không cần đề nghị."))
    if kind not in RoleRequest.Kind.values:
        raise ActionRefused(_("Loại đề nghị không hợp lệ."))
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ActionRefused(_("Lý do đề nghị dài quá 1.000 ký tự."))
    held = Membership.objects.filter(user=user, unit=unit, role=role).exists()
    if kind == RoleRequest.Kind.GRANT:
        if not unit.is_active:
            raise ActionRefused(_("Không thể giao vai trò tại đơn vị đã ngừng hoạt động."))
        if not user.is_active:
            raise ActionRefused(_("Tài khoản này đã bị khóa; không thể giao vai trò."))
        if held:
            raise ActionRefused(_("Người này đã giữ vai trò đó tại đơn vị này."))
        conflict = membership_conflict(user=user, role=role)
        if conflict:
            raise ActionRefused(conflict)
    elif not held:
        raise ActionRefused(_("Người này không giữ vai trò đó tại đơn vị này; không có gì để thu hồi."))
    try:
        with transaction.atomic():
            request = RoleRequest.objects.create(
                user=user,
                unit=unit,
                role=role,
                kind=kind,
                position=(position or "").strip()[:150],
                reason=reason,
                requested_by=actor,
            )
            record(
                actor=actor,
                action=Action.ROLE_REQUESTED,
                obj=user,
                reason=reason,
                detail=_request_detail(request),
            )
    except IntegrityError as exc:
        raise ActionRefused(_("Đã có một đề nghị giống hệt đang chờ duyệt.")) from exc
    return request


def _pending_locked(request: RoleRequest) -> RoleRequest:
    request = RoleRequest.objects.select_for_update().select_related("user", "unit").get(pk=request.pk)
    if request.status != RoleRequest.Status.PENDING:
        raise ActionRefused(
            _("Đề nghị này đã ở trạng thái «%(status)s».") % {"status": request.get_status_display()}
        )
    return request


def _check_decider(request: RoleRequest, actor) -> None:
    refusal = role_request_refusal(request, actor)
    if refusal:
        raise ActionRefused(refusal)


def role_request_refusal(request: RoleRequest, actor) -> str:
    """Why `actor` may not decide `request` ('' when they may): the four-eyes rules, one place."""
    if not may_decide_role_request(actor):
        return _("Chỉ Ban Thường trực hoặc quản trị hệ thống được duyệt đề nghị giao, thu hồi vai trò.")
    if request.requested_by_id == actor.pk:
        return _("Người đề nghị không được tự duyệt; cần một người khác trong Ban Thường trực duyệt.")
    if request.user_id == actor.pk:
        return _("Không ai được duyệt đề nghị về vai trò của chính mình.")
    if request.user.created_by_id == actor.pk:
        return _(
            "Người đã tạo tài khoản này không được duyệt đề nghị giao, thu hồi vai trò cho tài khoản đó."
        )
    return ""


def role_request_approve(*, request: RoleRequest, actor) -> RoleRequest:
    """A second person approves: the role is granted or revoked in the same transaction."""
    with transaction.atomic():
        request = _pending_locked(request)
        _check_decider(request, actor)
        if request.kind == RoleRequest.Kind.GRANT:
            membership_grant(
                user=request.user,
                unit=request.unit,
                role=request.role,
                position=request.position,
                actor=actor,
            )
        else:
            membership = Membership.objects.filter(
                user=request.user, unit=request.unit, role=request.role
            ).first()
            if membership is None:
                raise ActionRefused(_("Người này không còn giữ vai trò đó; hãy hủy đề nghị."))
            membership_revoke(membership=membership, actor=actor)
        request.status = RoleRequest.Status.APPROVED
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            actor=actor,
            action=Action.ROLE_REQUEST_APPROVED,
            obj=request.user,
            detail=_request_detail(request),
        )
    return request


def role_request_reject(*, request: RoleRequest, actor, reason: str) -> RoleRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Hãy nêu lý do từ chối."))
    if len(reason) > 1000:
        raise ActionRefused(_("Lý do từ chối dài quá 1.000 ký tự."))
    with transaction.atomic():
        request = _pending_locked(request)
        _check_decider(request, actor)
        request.status = RoleRequest.Status.REJECTED
        request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        record(
            actor=actor,
            action=Action.ROLE_REQUEST_REJECTED,
            obj=request.user,
            reason=reason,
            detail=_request_detail(request),
        )
    return request


def role_request_cancel(*, request: RoleRequest, actor) -> RoleRequest:
    """The requester withdraws a request still pending."""
    with transaction.atomic():
        request = _pending_locked(request)
        if request.requested_by_id != actor.pk:
            raise ActionRefused(_("Chỉ người đề nghị được hủy đề nghị của mình."))
        request.status = RoleRequest.Status.CANCELLED
        request.save(update_fields=["status"])
        record(
            actor=actor,
            action=Action.ROLE_REQUEST_CANCELLED,
            obj=request.user,
            detail=_request_detail(request),
        )
    return request


# --- Invitations: no administrator ever sets or sees a password ------------------------------------


def user_invite(*, email: str, full_name: str, phone: str = "", actor) -> User:
    """Create an account with no usable password and e-mail its holder a one-time link to set one."""
    email = User.objects.normalize_email((email or "").strip()).lower()
    full_name = " ".join((full_name or "").split())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ActionRefused(_("Địa chỉ thư điện tử không hợp lệ.")) from exc
    if not full_name:
        raise ActionRefused(_("Hãy nhập họ và tên."))
    if User.objects.filter(email__iexact=email).exists():
        raise ActionRefused(_("Đã có tài khoản dùng địa chỉ thư điện tử này."))
    with transaction.atomic():
        user = User(email=email, full_name=full_name[:150], phone=(phone or "").strip(), created_by=actor)
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password", "created_by"])
        except ValidationError as exc:
            raise ActionRefused(" ".join(exc.messages)) from exc
        user.save()
        record(actor=actor, action=Action.ACCOUNT_INVITED, obj=user, detail={"email": email})
        _send_invitation(user)
    return user


def invitation_resend(*, user: User, actor) -> None:
    """A new link for someone who has not yet set their password (the old link still ends on time)."""
    if user.has_usable_password():
        raise ActionRefused(
            _("%(name)s đã tự đặt mật khẩu; không cần gửi lại thư mời.") % {"name": user.full_name}
        )
    if not user.is_active:
        raise ActionRefused(_("Tài khoản này đã bị khóa."))
    with transaction.atomic():
        record(actor=actor, action=Action.INVITATION_RESENT, obj=user, detail={"email": user.email})
        _send_invitation(user)


def _send_invitation(user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    notify(
        template="accounts/email/invitation",
        context={
            "user": user,
            "link": site_url("invitation_accept", uid, token),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
        to=[user.email],
    )
