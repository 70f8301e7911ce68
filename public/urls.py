from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.search_view, name="search"),
    path("thong-ke/", views.statistics_view, name="statistics"),
    path("dua-vao/<int:dossier_id>/", views.mark_view, name="mark"),
    path("<str:reference>/", views.record_view, name="record"),
    path("<str:reference>/ban-in/", views.record_print_view, name="print"),
    path("<str:reference>/go/", views.withdraw_view, name="withdraw"),
]
