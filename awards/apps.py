from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Giải thưởng và tôn vinh")

    def ready(self):
        from accounts.selectors import user_roles
        from dksangtao.registry import register_menu_entry
        from dksangtao.roles import Role

        register_menu_entry(
            order=40,
            label=_("Xếp hạng và tôn vinh"),
            url_name="awards:index",
            visible=lambda user: Role.FRONT_ADMIN in user_roles(user),
        )
