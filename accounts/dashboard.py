"""The Front admins' dashboard panel: requests for sensitive roles waiting for a second person."""

from accounts.models import RoleRequest
from accounts.permissions import may_manage_people


def role_requests_panel(user) -> dict | None:
    if not may_manage_people(user):
        return None
    return {"pending": RoleRequest.objects.filter(status=RoleRequest.Status.PENDING).count()}
