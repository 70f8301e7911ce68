app_name = "api"
urlpatterns: list = []  # the read-only API (public/api/)
