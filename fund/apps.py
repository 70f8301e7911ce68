from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("Quỹ «Người Việt Nam đoàn kết sáng tạo»")
