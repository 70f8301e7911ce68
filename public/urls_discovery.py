urlpatterns: list = []  # the Atom feed, sitemap.xml, robots.txt
