"""Who may see which report (SPEC §7): the annual summaries of the units where a person holds
view_unit_reports (department viewers, unit reviewers) and of every unit below them; Front admins see
the province-wide summary and every unit's, and run the export before the ceremony. The statistics
count within the same scope."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.selectors import access_cache, has_role, unit_ids_with_perm, unit_permissions
from dksangtao.roles import VIEW_UNIT_REPORTS, Role
from reports.models import ReportKind

EVER_SUBMITTED = Q(reference__isnull=False)


@dataclass(frozen=True)
class ReportScope:
    """The units whose reports a person may see (their units and every unit below), and whether they
    see everything (Front admins: the province-wide summary and every unit's)."""

    unit_ids: frozenset[int]
    front_admin: bool

    @property
    def anything(self) -> bool:
        return self.front_admin or bool(self.unit_ids)

    def can_see(self, kind: str, unit_id: int | None) -> bool:
        if self.front_admin:
            return True
        return kind == ReportKind.UNIT_SUMMARY and unit_id in self.unit_ids

    def dossiers(self, queryset: QuerySet) -> QuerySet:
        """The submitted dossiers within the scope (a draft stays the unit's own business)."""
        queryset = queryset.filter(EVER_SUBMITTED)
        return queryset if self.front_admin else queryset.filter(unit_id__in=self.unit_ids)


def report_scope(user) -> ReportScope:
    cache = access_cache(user)
    if "report_scope" not in cache:
        cache["report_scope"] = ReportScope(
            unit_ids=frozenset(unit_ids_with_perm(user, VIEW_UNIT_REPORTS)),
            front_admin=has_role(user, Role.FRONT_ADMIN),
        )
    return cache["report_scope"]


def may_see_reports(user) -> bool:
    """The download centre and the statistics: Front admins, and whoever holds view_unit_reports on a
    unit. Answered from what the request already read (no walk down the unit tree), because the menu
    asks on every page."""
    return has_role(user, Role.FRONT_ADMIN) or bool(unit_permissions(user).get(VIEW_UNIT_REPORTS))


def may_export_all(user) -> bool:
    """Request every summary of the campaign at once (the export before the ceremony, by hand)."""
    return has_role(user, Role.FRONT_ADMIN)
