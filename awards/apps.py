from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Giải thưởng và tôn vinh")

    def ready(self):
        from awards import demo, permissions
        from dksangtao.registry import register_demo_seeder, register_menu_entry

        register_menu_entry(
            order=40,
            label=_("Xếp hạng và tôn vinh"),
            url_name="awards:index",
            visible=permissions.may_run_awards,
        )
        register_demo_seeder(order=40, seed=demo.seed)
