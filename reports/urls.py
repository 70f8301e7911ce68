from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.centre_view, name="centre"),
    path("request/", views.request_view, name="request"),
    path("export-all/", views.export_all_view, name="export_all"),
    path("jobs/<int:pk>/status/", views.job_status_view, name="job_status"),
    path("jobs/<int:pk>/retry/", views.retry_view, name="retry"),
    path("jobs/<int:pk>/download/", views.download_view, name="download"),
    path("statistics/", views.statistics_view, name="statistics"),
]
