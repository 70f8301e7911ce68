from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Đơn vị và tài khoản")

    def ready(self):
        from accounts import dashboard
        from dksangtao.registry import register_dashboard_panel

        register_dashboard_panel(
            order=5, template="accounts/_panel.html", context=dashboard.role_requests_panel
        )
