"""The reports menu entries and the dashboard panel. Both answer from what the request already read
about the person (memberships and unit permissions), so they add no query to every page."""

from accounts.selectors import unit_permissions, user_roles
from dksangtao.roles import VIEW_UNIT_REPORTS, Role


def sees_reports(user) -> bool:
    """Front admins, and whoever holds view_unit_reports on a unit (department viewers, reviewers)."""
    return Role.FRONT_ADMIN in user_roles(user) or bool(unit_permissions(user).get(VIEW_UNIT_REPORTS))


def reports_panel(user):
    if not sees_reports(user):
        return None
    return {"province": Role.FRONT_ADMIN in user_roles(user)}
