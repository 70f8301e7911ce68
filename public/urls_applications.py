from django.urls import path
from django.views.generic import RedirectView

app_name = "applications"
# /nhan-rong/: units record and confirm applications of public records (filled in by issue #11's work)
urlpatterns = [path("", RedirectView.as_view(url="/co-so-du-lieu/"), name="queue")]
