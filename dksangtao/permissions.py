"""Who may read the whole audit trail: the Front admins (and superusers). Each object's own trail is
shown on its page to whoever may see that page."""

from accounts.selectors import has_role
from dksangtao.roles import Role


def may_read_audit(user) -> bool:
    return user.is_active and (user.is_superuser or has_role(user, Role.FRONT_ADMIN))
