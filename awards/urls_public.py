from django.urls import path

from awards import views_public

app_name = "awards_public"

urlpatterns = [
    path("", views_public.index_view, name="index"),
    path("<int:year>/", views_public.year_view, name="year"),
    path("<int:year>/chung-nhan/<int:pk>/", views_public.certificate_view, name="certificate"),
    path("<int:year>/an-pham.pdf", views_public.booklet_view, name="booklet"),
]
