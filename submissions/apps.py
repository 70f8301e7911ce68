from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Hồ sơ sáng kiến")

    def ready(self):
        from dksangtao.registry import register_dashboard_panel, register_demo_seeder, register_menu_entry
        from submissions import dashboard, demo, permissions, receivers  # noqa: F401  (receivers: campaigns)

        register_menu_entry(
            order=10,
            label=_("Hồ sơ sáng kiến"),
            url_name="submissions:list",
            visible=permissions.may_see_dossiers,
        )
        register_menu_entry(
            order=11,
            label=_("Chờ xét duyệt"),
            url_name="submissions:review_queue",
            visible=permissions.may_review,
        )
        register_dashboard_panel(
            order=10, template="submissions/_panel_unit.html", context=dashboard.unit_panel
        )
        register_dashboard_panel(
            order=11, template="submissions/_panel_review.html", context=dashboard.review_panel
        )
        register_demo_seeder(order=10, seed=demo.seed)
