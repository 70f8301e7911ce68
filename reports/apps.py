from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self):
        from dksangtao.registry import (
            register_dashboard_panel,
            register_menu_entry,
            register_scheduled_export,
        )
        from reports import dashboard, services

        register_menu_entry(
            order=40,
            label=_("Trung tâm tải báo cáo"),
            url_name="reports:centre",
            visible=dashboard.sees_reports,
        )
        register_menu_entry(
            order=41, label=_("Thống kê"), url_name="reports:statistics", visible=dashboard.sees_reports
        )
        register_dashboard_panel(
            order=40, template="reports/_panel_reports.html", context=dashboard.reports_panel
        )
        # The campaign schedule (awards.schedule) runs the exports `exports_days_before` the ceremony.
        register_scheduled_export(lambda campaign: services.scheduled_exports(campaign=campaign, force=True))
