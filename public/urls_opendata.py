app_name = "opendata"
urlpatterns: list = []  # /du-lieu-mo/: the open-data page and files
