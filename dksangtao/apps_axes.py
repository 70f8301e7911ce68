"""django-axes (failed-login lockouts) under a Vietnamese name in the admin. Its own module: a second
AppConfig in dksangtao/apps.py would stop Django from picking DksangtaoConfig by itself."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginLockoutConfig(AppConfig):
    verbose_name = _("Khóa đăng nhập")
