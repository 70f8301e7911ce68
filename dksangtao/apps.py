from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DksangtaoConfig(AppConfig):
    name = "dksangtao"
    verbose_name = _("Nền tảng chung")
