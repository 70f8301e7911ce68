"""Reusable, permission-aware reads about people, units and roles."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache as shared_cache
from django.db.models import F

from accounts.models import Membership, Unit, User
from dksangtao.registry import ROLE_CARDS
from dksangtao.roles import INHERITED_UNIT_PERMISSIONS, ROLE_DUTIES, ROLE_UNIT_PERMISSIONS, Role

# How long a person's memberships stay in the shared cache. Correctness does not depend on it (the key
# carries User.access_version, bumped by every role change); it only bounds the memory kept for people
# who have left.
MEMBERSHIPS_CACHE_SECONDS = 60 * 60


def unit_tree_ids(root_ids) -> set[int]:
    """The ids of the given units and of every unit below them (one query, whatever the depth)."""
    children = defaultdict(list)
    for unit_id, parent_id in Unit.objects.order_by().values_list("id", "parent_id"):
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


def access_cache(user) -> dict:
    """What a request has already learnt about this person's access (memberships, permissions, the
    scopes the apps derive from them), kept on the user object so that a page reads it once."""
    cache = getattr(user, "_access_cache", None)
    if cache is None:
        cache = user._access_cache = {}
    return cache


def forget_access(user) -> None:
    """Called by the services that change roles (in their transaction): the same user object never
    answers from stale data, and the person's next request — in any process — misses the shared cache
    (its key carries the version bumped here)."""
    user.__dict__.pop("_access_cache", None)
    if user.pk is not None:
        User.objects.filter(pk=user.pk).update(access_version=F("access_version") + 1)
        user.refresh_from_db(fields=["access_version"])


def access_key(user) -> str:
    """The part of a shared-cache key that names this person's access as it stands: forget_access
    replaces it. date_joined too: a test database may hand a deleted person's id to a new one, with
    version 0 again."""
    joined = int(user.date_joined.timestamp() * 1_000_000)
    return f"{user.pk}:{joined}:{user.access_version}"


def _memberships_key(user) -> str:
    return f"accounts:memberships:{access_key(user)}"


def unit_permissions(user) -> dict[str, set[int]]:
    """{codename: ids of units where the person holds it directly}. Read from the memberships, not
    from django-guardian's table: the services grant and revoke a role and its object permissions in
    one transaction (accounts.services), so both say the same, and this costs no query of its own."""
    cache = access_cache(user)
    if "unit_permissions" in cache:
        return cache["unit_permissions"]
    found: dict[str, set[int]] = defaultdict(set)
    if user.is_authenticated and user.is_active:
        for membership in user_memberships(user):
            for codename in ROLE_UNIT_PERMISSIONS.get(membership.role, ()):
                found[codename].add(membership.unit_id)
    cache["unit_permissions"] = found
    return found


def unit_ids_with_perm(user, perm: str) -> set[int]:
    """Units where `user` holds the unit permission `perm` (e.g. "review_dossiers"); for the
    permissions that reach down the tree, their child units too."""
    direct = unit_permissions(user).get(perm, set())
    if perm not in INHERITED_UNIT_PERMISSIONS or not direct:
        return set(direct)
    cache = access_cache(user)
    key = f"tree:{perm}"
    if key not in cache:
        cache[key] = unit_tree_ids(direct)
    return set(cache[key])


def user_memberships(user) -> list[Membership]:
    """The person's memberships with their units: kept on the user object for the request, and in the
    shared cache between requests under a key that every role change replaces (forget_access)."""
    if not user.is_authenticated:
        return []
    cache = access_cache(user)
    if "memberships" not in cache:
        key = _memberships_key(user)
        memberships = shared_cache.get(key)
        if memberships is None:
            memberships = list(user.memberships.select_related("unit").order_by("role", "unit__name"))
            for membership in memberships:  # cached without the person (loaded fresh on each request)
                membership._state.fields_cache.pop("user", None)
            shared_cache.set(key, memberships, MEMBERSHIPS_CACHE_SECONDS)
        for membership in memberships:
            Membership.user.field.set_cached_value(membership, user)
        cache["memberships"] = memberships
    return cache["memberships"]


def user_roles(user) -> set[str]:
    return {membership.role for membership in user_memberships(user)}


def has_role(user, *roles: str) -> bool:
    """Whether the person holds any of `roles` in any unit (read once per request)."""
    return bool(user.is_authenticated and user_roles(user).intersection(roles))


@dataclass
class RoleCard:
    role: str
    label: str
    duties: str
    units: list[Unit] = field(default_factory=list)
    note: str = ""  # where the role is held when it is not a unit (a council of a campaign)


def dashboard_cards(user) -> list[RoleCard]:
    """One card per role the person holds, in the order of Role, listing the units they hold it in;
    then the cards of roles held elsewhere (a place on the appraisal council), from the apps."""
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
    ordered = sorted(cards.values(), key=lambda card: order.index(card.role))
    for provider in ROLE_CARDS:
        ordered += provider(user)
    return ordered


def emails_by_unit(role: str, unit_ids) -> dict[int, set[str]]:
    """The addresses of the active people holding `role` in each of the units: one query."""
    emails: dict[int, set[str]] = {}
    rows = Membership.objects.filter(role=role, unit_id__in=unit_ids, user__is_active=True)
    for unit_id, email in rows.values_list("unit_id", "user__email"):
        emails.setdefault(unit_id, set()).add(email)
    return emails


def emails_of(role: str, unit_ids) -> list[str]:
    """The addresses of the active people holding `role` in any of the units, for notifications."""
    return list(
        Membership.objects.filter(role=role, unit_id__in=unit_ids, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
