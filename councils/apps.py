from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Hội đồng thẩm định sáng tạo")

    def ready(self):
        from councils import dashboard
        from dksangtao.registry import (
            register_dashboard_panel,
            register_demo_seeder,
            register_dossier_panel,
            register_menu_entry,
        )

        register_menu_entry(
            order=20,
            label=_("Thẩm tra điều kiện"),
            url_name="councils:screening_queue",
            visible=dashboard.screens,
        )
        register_menu_entry(
            order=24,
            label=_("Thiết lập Hội đồng"),
            url_name="admin:councils_council_changelist",
            visible=dashboard.screens,
        )
        register_menu_entry(
            order=21, label=_("Phân công chấm"), url_name="councils:assignments", visible=dashboard.screens
        )
        register_menu_entry(
            order=22, label=_("Chấm điểm"), url_name="councils:scoring", visible=dashboard.scores
        )
        register_menu_entry(
            order=23, label=_("Kết quả chấm"), url_name="councils:results", visible=dashboard.sees_results
        )
        register_menu_entry(
            order=25, label=_("Tiến độ chấm"), url_name="councils:progress", visible=dashboard.screens
        )
        register_menu_entry(
            order=26, label=_("Khiếu nại"), url_name="councils:appeals", visible=dashboard.screens
        )
        register_dossier_panel(
            order=20, template="councils/_dossier_result.html", context=dashboard.dossier_result_panel
        )
        register_dashboard_panel(
            order=20, template="councils/_panel_screening.html", context=dashboard.screening_panel
        )
        register_demo_seeder(order=20, seed=dashboard.seed_demo)
