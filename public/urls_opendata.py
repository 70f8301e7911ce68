from django.urls import path

from public import views_opendata

app_name = "opendata"

urlpatterns = [
    path("", views_opendata.index_view, name="index"),
    # /du-lieu-mo/co-so-du-lieu-sang-tao.csv (.xlsx, .json); any other ending answers 404.
    path("co-so-du-lieu-sang-tao.<str:fmt>", views_opendata.download_view, name="download"),
]
