app_name = "applications"
urlpatterns: list = []  # /nhan-rong/: units record and confirm applications of public records
