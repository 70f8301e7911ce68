from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dksangtao import views, views_audit

admin.site.site_header = _("Quản trị Cổng «Đoàn kết sáng tạo»")
admin.site.site_title = _("Quản trị Cổng «Đoàn kết sáng tạo»")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views_audit.audit_view, name="audit"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("dossiers/", include("submissions.urls")),
    path("council/", include("councils.urls")),
    path("awards/", include("awards.urls")),
    path("giai-thuong/", include("awards.urls_public")),
    path("fund/", include("fund.urls")),
    path("reports/", include("reports.urls")),
    path("co-so-du-lieu/", include("public.urls")),
    path("nhan-rong/", include("public.urls_applications")),
    path("du-lieu-mo/", include("public.urls_opendata")),
    path("api/v1/", include("public.api.urls")),
    path("", include("public.urls_discovery")),
]
