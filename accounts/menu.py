"""The main menu of a signed-in person (the context processor shows it on every page)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import may_manage_people
from dksangtao.registry import MENU


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def navigation_for(user) -> list[NavItem]:
    """The dashboard, what the apps registered for this person (dksangtao.registry), the admin for
    those who manage people, the password."""
    items = [NavItem(_("Bảng điều khiển"), reverse("dashboard"))]
    items += [NavItem(entry.label, reverse(entry.url_name)) for entry in MENU if entry.visible(user)]
    if may_manage_people(user):
        items.append(NavItem(_("Đơn vị và tài khoản"), reverse("admin:index")))
        items.append(NavItem(_("Đề nghị giao vai trò"), reverse("role_requests")))
    items.append(NavItem(_("Đổi mật khẩu"), reverse("password_change")))
    return items
