from django.urls import path

from public import views_discovery
from public.feeds import LatestFeed

# At the site's root, without a namespace: /tin-moi.atom, /sitemap.xml (an index of
# /sitemap-<section>.xml), /robots.txt.
urlpatterns = [
    path("tin-moi.atom", LatestFeed(), name="feed"),
    path("sitemap.xml", views_discovery.sitemap_view, name="sitemap"),
    path("sitemap-<str:section>.xml", views_discovery.sitemap_section_view, name="sitemap_section"),
    path("robots.txt", views_discovery.robots_view, name="robots"),
]
