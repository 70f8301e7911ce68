from django.urls import path

from submissions import views, views_import

app_name = "submissions"

urlpatterns = [
    path("", views.dossier_list_view, name="list"),
    path("units/", views.unit_lookup_view, name="unit_lookup"),
    path("review/", views.review_queue_view, name="review_queue"),
    path("new/", views.dossier_create_view, name="create"),
    path("similar/", views.similar_view, name="similar"),
    path("import/", views_import.import_view, name="import"),
    path("import/template.xlsx", views_import.import_template_view, name="import_template"),
    path("import/<uuid:token>/", views_import.import_job_view, name="import_job"),
    path("<int:pk>/", views.dossier_detail_view, name="detail"),
    path("<int:pk>/edit/", views.dossier_edit_view, name="edit"),
    path("<int:pk>/similar/", views.dossier_similar_view, name="detail_similar"),
    path("<int:pk>/submit/", views.dossier_submit_view, name="submit"),
    path("<int:pk>/withdraw/", views.dossier_withdraw_view, name="withdraw"),
    path("<int:pk>/return/", views.dossier_return_view, name="return"),
    path("<int:pk>/recognise/", views.dossier_recognise_view, name="recognise"),
    path("<int:pk>/nominate/", views.dossier_nominate_view, name="nominate"),
    path("<int:pk>/attachments/", views.attachment_upload_view, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download_view,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete_view,
        name="attachment_delete",
    ),
]
