from django.urls import path

from public import views_applications as views

app_name = "applications"
# /nhan-rong/: a unit's staff record that their unit applies a public record; its reviewer confirms.
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("cua-don-vi/", views.mine_view, name="mine"),
    path("ghi-nhan/<str:reference>/", views.record_view, name="record"),
    path("<int:pk>/xac-nhan/", views.confirm_view, name="confirm"),
    path("<int:pk>/khong-xac-nhan/", views.reject_view, name="reject"),
]
