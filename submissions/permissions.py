"""Who may see and do what with dossiers (SPEC §1, §3). Views, menus, dashboards and the other apps ask
here; nobody re-derives a role check.

- Unit staff prepare, edit, submit and withdraw their own unit's dossiers and see all of them, drafts
  included; a unit viewer sees them too.
- Unit reviewers see what their unit and its child units have submitted (never drafts), and return,
  recognise or nominate it.
- Front admins see every dossier ever submitted.
- The council's secretary and chair read the nominated (and later) dossiers of their council's
  campaign, confidential section included (councils registers them: dksangtao.registry).
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.selectors import access_cache, has_role, unit_ids_with_perm
from dksangtao.registry import DOSSIER_READERS
from dksangtao.roles import PREPARE_DOSSIERS, REVIEW_DOSSIERS, VIEW_UNIT_DOSSIERS, Role
from submissions.models import Dossier, Status
from submissions.services import EDITABLE, NOMINATED_OR_LATER, TRANSITIONS


@dataclass(frozen=True)
class DossierScope:
    """What one person may see and do with dossiers, read once per request."""

    staff_units: frozenset[int]  # prepare, edit, submit, withdraw; see every status, drafts too
    view_units: frozenset[int]  # see the unit's dossiers
    review_units: frozenset[int]  # the units (and their children) this person reviews
    front_admin: bool
    council_campaigns: frozenset[int] = frozenset()  # campaigns whose nominated dossiers they read

    @property
    def anything(self) -> bool:
        return bool(
            self.staff_units
            or self.view_units
            or self.review_units
            or self.front_admin
            or self.council_campaigns
        )

    def filter(self, queryset: QuerySet) -> QuerySet:
        """Dossiers visible to this person. Drafts stay inside their unit."""
        # "Ever submitted" is "has a reference": a draft withdrawn before submission stays inside its unit.
        submitted = Q(reference__isnull=False)
        if self.front_admin:
            return queryset.filter(Q(unit_id__in=self.view_units) | submitted)
        visible = Q(unit_id__in=self.view_units | self.staff_units) | (
            Q(unit_id__in=self.review_units) & submitted
        )
        if self.council_campaigns:
            visible |= Q(status__in=NOMINATED_OR_LATER, campaign_id__in=self.council_campaigns)
        return queryset.filter(visible)

    def _council_reads(self, dossier: Dossier) -> bool:
        return dossier.campaign_id in self.council_campaigns and dossier.status in NOMINATED_OR_LATER

    def can_view(self, dossier: Dossier) -> bool:
        if dossier.unit_id in self.view_units or dossier.unit_id in self.staff_units:
            return True
        if dossier.reference is None:  # never submitted: the unit's own business
            return False
        return self.front_admin or dossier.unit_id in self.review_units or self._council_reads(dossier)

    def sees_confidential(self, dossier: Dossier) -> bool:
        """Section 5 of the form: the unit, its reviewers and the council's secretary and chair only
        (not every Front admin)."""
        if dossier.unit_id in self.staff_units | self.view_units | self.review_units:
            return True
        return self._council_reads(dossier)

    def actions(self, dossier: Dossier) -> set[str]:
        """The actions this person may take on this dossier now (deadlines are checked on doing)."""
        allowed: set[str] = set()
        possible = TRANSITIONS[dossier.status]
        if dossier.unit_id in self.staff_units:
            if dossier.status in EDITABLE:
                allowed |= {"edit", "submit", "attach"}
            if Status.WITHDRAWN in possible:
                allowed.add("withdraw")
        if dossier.unit_id in self.review_units:
            if Status.RETURNED in possible:
                allowed.add("return")
            if Status.RECOGNISED_AT_UNIT in possible:
                allowed.add("recognise")
            if Status.NOMINATED in possible:
                allowed.add("nominate")
        return allowed


def dossier_scope(user) -> DossierScope:
    cache = access_cache(user)
    if "dossier_scope" not in cache:
        campaigns: set[int] = set()
        for readers in DOSSIER_READERS:
            campaigns |= set(readers(user))
        cache["dossier_scope"] = DossierScope(
            staff_units=frozenset(unit_ids_with_perm(user, PREPARE_DOSSIERS)),
            view_units=frozenset(unit_ids_with_perm(user, VIEW_UNIT_DOSSIERS)),
            review_units=frozenset(unit_ids_with_perm(user, REVIEW_DOSSIERS)),
            front_admin=has_role(user, Role.FRONT_ADMIN),
            council_campaigns=frozenset(campaigns),
        )
    return cache["dossier_scope"]


def may_see_dossiers(user) -> bool:
    return dossier_scope(user).anything


def may_prepare(user) -> bool:
    """Create, edit, import and submit dossiers for at least one unit."""
    return bool(dossier_scope(user).staff_units)


def may_review(user) -> bool:
    return bool(dossier_scope(user).review_units)


def may_appeal(user, dossier: Dossier) -> bool:
    """A unit's leaders (its reviewers) appeal the council's result of its dossiers."""
    return dossier.unit_id in dossier_scope(user).review_units
