from django.urls import path

from councils import views

app_name = "councils"

urlpatterns = [
    path("screening/", views.screening_queue_view, name="screening_queue"),
    path("screening/<int:pk>/", views.screening_view, name="screening"),
]
