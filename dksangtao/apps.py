from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DksangtaoConfig(AppConfig):
    name = "dksangtao"
    verbose_name = _("Nền tảng chung")

    def ready(self):
        from dksangtao.permissions import may_read_audit
        from dksangtao.registry import register_menu_entry

        register_menu_entry(order=90, label=_("Nhật ký hệ thống"), url_name="audit", visible=may_read_audit)
