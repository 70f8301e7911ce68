"""The read-only public API, at /api/v1/ (dksangtao/urls.py), with its OpenAPI schema and docs page."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from public.api import views

app_name = "api"
urlpatterns = [
    path("records/", views.RecordListView.as_view(), name="record_list"),
    path("records/<str:reference>/", views.RecordDetailView.as_view(), name="record_detail"),
    path("awards/<int:year>/", views.AwardYearView.as_view(), name="award_year"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from its own URL (?script): no inline script, so the
    # page works under the Content-Security-Policy (settings: CONTENT_SECURITY_POLICY). Swagger UI
    # draws its icons as data: images, allowed on this page only.
    path(
        "tai-lieu/",
        csp_update({"img-src": ["data:"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]
