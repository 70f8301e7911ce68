from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("Quỹ «Người Việt Nam đoàn kết sáng tạo»")

    def ready(self):
        from dksangtao.registry import (
            register_backup_figures,
            register_dashboard_panel,
            register_demo_seeder,
            register_menu_entry,
        )
        from fund import dashboard, permissions, selectors

        register_menu_entry(
            order=50, label=_("Quỹ"), url_name="fund:overview", visible=permissions.may_read_ledger
        )
        register_menu_entry(
            order=51,
            label=_("Chứng từ chờ duyệt"),
            url_name="fund:approvals",
            visible=permissions.may_approve,
        )
        register_menu_entry(
            order=52,
            label=_("Báo cáo Quỹ"),
            url_name="fund:statement",
            visible=permissions.may_read_statements,
        )
        register_dashboard_panel(order=50, template="fund/_panel.html", context=dashboard.fund_panel)
        register_demo_seeder(order=50, seed=dashboard.seed_demo)
        # a backup keeps every account's balance; a restore must find the same ones
        register_backup_figures("ledger_balances", selectors.balances_by_code)
