from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Cơ sở dữ liệu sáng tạo")

    def ready(self):
        from dksangtao.registry import register_demo_seeder, register_dossier_panel, register_menu_entry
        from public import demo, panels, permissions, receivers  # noqa: F401  (receivers: awards' signal)

        register_menu_entry(
            order=60,
            label=_("Xác nhận nhân rộng"),
            url_name="applications:queue",
            visible=permissions.may_confirm_applications,
        )
        register_menu_entry(
            order=61,
            label=_("Nhân rộng của đơn vị"),
            url_name="applications:mine",
            visible=permissions.may_record_application,
        )
        register_dossier_panel(order=80, template="public/_dossier_panel.html", context=panels.dossier_panel)
        register_demo_seeder(order=60, seed=demo.seed)
