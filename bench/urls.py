"""The bench URLconf: the portal's URLs and a bare view, the floor each page is compared with. Only
bench.settings routes it, so the portal's own URLconf never serves a bench URL."""

from django.http import HttpResponse
from django.urls import path

from dksangtao.urls import urlpatterns as portal_urlpatterns


def bare(request):
    """No database, no template, no session read: what Django and gunicorn cost alone."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bare__/", bare, name="bench_bare"), *portal_urlpatterns]
