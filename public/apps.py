from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Cơ sở dữ liệu sáng tạo")

    def ready(self):
        from public import receivers  # noqa: F401  (connects to awards' publication)
