"""Writes on units and memberships. Membership rows and their guardian object permissions change
together, in one transaction, so the two never disagree."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Membership, Unit, User
from accounts.selectors import forget_access, unit_tree_ids
from dksangtao.audit import Action, record
from dksangtao.roles import ROLE_ADMIN_PERMISSIONS, ROLE_UNIT_PERMISSIONS, Role


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
    `actor`: who grants it (None: the demo seeder)."""
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
