"""Who may manage units, accounts and their roles (the admin's «Đơn vị và tài khoản»)."""

from accounts.selectors import has_role
from dksangtao.roles import Role


def may_manage_people(user) -> bool:
    return user.is_active and user.is_staff and (user.is_superuser or has_role(user, Role.FRONT_ADMIN))
