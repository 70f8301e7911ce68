"""The read-only public API, at /api/v1/ (dksangtao/urls.py), with its OpenAPI schema and docs page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from public.api import views

app_name = "api"
urlpatterns = [
    path("records/", views.RecordListView.as_view(), name="record_list"),
    path("records/<str:reference>/", views.RecordDetailView.as_view(), name="record_detail"),
    path("awards/<int:year>/", views.AwardYearView.as_view(), name="award_year"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("tai-lieu/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
