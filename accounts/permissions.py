"""Who may manage units, accounts and their roles (the admin's «Đơn vị và tài khoản»), and since when
a person may approve money."""

import datetime as dt

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.selectors import has_role, user_memberships
from dksangtao.roles import Role


def may_manage_people(user) -> bool:
    return user.is_active and user.is_staff and (user.is_superuser or has_role(user, Role.FRONT_ADMIN))


def may_decide_role_request(user) -> bool:
    """Approve or reject requests for sensitive roles: a Front admin or a superuser (the service adds
    the four-eyes rules: not one's own request, not about oneself, not an account one created)."""
    return may_manage_people(user)


def money_approval_opens_at(user, roles) -> dt.datetime | None:
    """When the person may first approve money with one of `roles`: MONEY_ROLE_COOLING_DAYS after the
    account was created and after the earliest of those roles they still hold was granted. None when
    that moment has passed (or the setting is 0)."""
    days = settings.MONEY_ROLE_COOLING_DAYS
    if days <= 0:
        return None
    granted = [m.created_at for m in user_memberships(user) if m.role in roles]
    start = max([user.date_joined, min(granted)] if granted else [user.date_joined])
    opens = start + dt.timedelta(days=days)
    return opens if opens > timezone.now() else None


def money_approval_refusal(user, roles) -> str:
    """A clear sentence when the person is still in the cooling-off period ('' when they are not)."""
    opens = money_approval_opens_at(user, roles)
    if opens is None:
        return ""
    return _(
        "Tài khoản của bạn mới được tạo hoặc mới được giao vai trò duyệt chi (trong %(days)s ngày gần "
        "đây): theo quy định, bạn chỉ được duyệt từ %(time)s ngày %(date)s."
    ) % {
        "days": settings.MONEY_ROLE_COOLING_DAYS,
        "time": formats.time_format(timezone.localtime(opens), "H:i"),
        "date": formats.date_format(timezone.localtime(opens), "d/m/Y"),
    }
