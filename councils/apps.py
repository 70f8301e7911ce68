from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Hội đồng thẩm định sáng tạo")

    def ready(self):
        from councils import dashboard, demo, permissions, receivers  # noqa: F401  (receivers: places)
        from dksangtao.registry import (
            register_dashboard_panel,
            register_demo_seeder,
            register_dossier_panel,
            register_dossier_readers,
            register_menu_entry,
            register_role_cards,
        )

        for order, label, url_name, visible in [
            (20, _("Thẩm tra điều kiện"), "councils:screening_queue", permissions.may_screen),
            (21, _("Phân công chấm"), "councils:assignments", permissions.may_screen),
            (22, _("Chấm điểm"), "councils:scoring", permissions.may_score),
            (23, _("Kết quả chấm"), "councils:results", permissions.may_read_results),
            (
                24,
                _("Thiết lập Hội đồng"),
                "admin:councils_council_changelist",
                permissions.may_set_up_council,
            ),
            (25, _("Tiến độ chấm"), "councils:progress", permissions.may_screen),
            (26, _("Khiếu nại"), "councils:appeals", permissions.may_screen),
        ]:
            register_menu_entry(order=order, label=label, url_name=url_name, visible=visible)
        register_role_cards(permissions.council_role_cards)
        register_dossier_readers(permissions.council_reader_campaigns)
        register_dossier_panel(
            order=20, template="councils/_dossier_result.html", context=dashboard.dossier_result_panel
        )
        register_dashboard_panel(
            order=20, template="councils/_panel_screening.html", context=dashboard.screening_panel
        )
        register_demo_seeder(order=20, seed=demo.seed)
