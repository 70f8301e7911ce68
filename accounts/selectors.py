"""Reusable, permission-aware reads about people, units and roles."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user

from accounts.models import Membership, Unit
from dksangtao.roles import INHERITED_UNIT_PERMISSIONS, ROLE_DUTIES, Role


def unit_tree_ids(root_ids) -> set[int]:
    """The ids of the given units and of every unit below them (one query, whatever the depth)."""
    children = defaultdict(list)
    for unit_id, parent_id in Unit.objects.values_list("id", "parent_id"):
        children[parent_id].append(unit_id)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id in found:
            continue
        found.add(unit_id)
        stack.extend(children[unit_id])
    return found


def unit_ids_with_perm(user, perm: str) -> set[int]:
    """Units where `user` holds the unit permission `perm` (e.g. "review_dossiers"); for the
    permissions that reach down the tree, their child units too."""
    if not user.is_authenticated or not user.is_active:
        return set()
    direct = set(
        get_objects_for_user(
            user, f"accounts.{perm}", klass=Unit, accept_global_perms=False, with_superuser=False
        ).values_list("id", flat=True)
    )
    return unit_tree_ids(direct) if perm in INHERITED_UNIT_PERMISSIONS else direct


def user_memberships(user) -> list[Membership]:
    """The person's memberships with their units, read once per request and kept on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(user.memberships.select_related("unit").order_by("role", "unit__name"))
        user._memberships_cache = cached
    return cached


def user_roles(user) -> set[str]:
    return {membership.role for membership in user_memberships(user)}


@dataclass
class RoleCard:
    role: str
    label: str
    duties: str
    units: list[Unit] = field(default_factory=list)


def dashboard_cards(user) -> list[RoleCard]:
    """One card per role the person holds, in the order of Role, listing the units they hold it in."""
    cards: dict[str, RoleCard] = {}
    for membership in user_memberships(user):
        card = cards.setdefault(
            membership.role,
            RoleCard(
                role=membership.role,
                label=Role(membership.role).label,
                duties=ROLE_DUTIES[membership.role],
            ),
        )
        card.units.append(membership.unit)
    order = list(Role.values)
    return sorted(cards.values(), key=lambda card: order.index(card.role))


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def navigation_for(user) -> list[NavItem]:
    """The main menu for a signed-in person. Later capabilities add their items per role here."""
    items = [NavItem(_("Bảng điều khiển"), reverse("dashboard"))]
    roles = user_roles(user)
    if user.is_staff and (Role.FRONT_ADMIN in roles or user.is_superuser):
        items.append(NavItem(_("Đơn vị và tài khoản"), reverse("admin:index")))
    items.append(NavItem(_("Đổi mật khẩu"), reverse("password_change")))
    return items
