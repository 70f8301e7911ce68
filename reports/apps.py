from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self):
        from dksangtao.registry import register_dashboard_panel, register_menu_entry
        from reports import dashboard, permissions

        register_menu_entry(
            order=41,
            label=_("Trung tâm tải báo cáo"),
            url_name="reports:centre",
            visible=permissions.may_see_reports,
        )
        register_menu_entry(
            order=42, label=_("Thống kê"), url_name="reports:statistics", visible=permissions.may_see_reports
        )
        register_dashboard_panel(
            order=40, template="reports/_panel_reports.html", context=dashboard.reports_panel
        )
