from django.urls import path

from awards import urls_upward, views

app_name = "awards"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("policy/", views.policy_view, name="policy"),
    path("ranking/start/", views.ranking_start_view, name="ranking_start"),
    path("runs/<int:pk>/", views.run_view, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress_view, name="run_progress"),
    path("runs/<int:pk>/draft/", views.list_draft_view, name="list_draft"),
    path("lists/<int:pk>/", views.list_view, name="list"),
    path("lists/<int:pk>/add/", views.honouree_add_view, name="honouree_add"),
    path("lists/<int:pk>/approve/", views.list_approve_view, name="list_approve"),
    path("lists/<int:pk>/publish/", views.list_publish_view, name="list_publish"),
    path("lists/<int:pk>/amend/", views.honouree_amend_view, name="honouree_amend"),
    path("lists/<int:pk>/certificates.pdf", views.certificates_view, name="certificates"),
    path("honourees/<int:pk>/change/", views.honouree_change_view, name="honouree_change"),
    path("honourees/<int:pk>/remove/", views.honouree_remove_view, name="honouree_remove"),
    *urls_upward.urlpatterns,
]
