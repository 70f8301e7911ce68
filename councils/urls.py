from django.urls import path

from councils import views, views_assignment, views_progress, views_scoring

app_name = "councils"

urlpatterns = [
    path("screening/", views.screening_queue_view, name="screening_queue"),
    path("screening/<int:pk>/", views.screening_view, name="screening"),
    path("assignments/", views_assignment.assignments_view, name="assignments"),
    path("assignments/auto/", views_assignment.auto_assign_view, name="auto_assign"),
    path("assignments/<int:dossier_pk>/add/", views_assignment.assignment_add_view, name="assignment_add"),
    path("assignments/<int:pk>/remove/", views_assignment.assignment_remove_view, name="assignment_remove"),
    path("assignments/<int:pk>/conflict/", views_assignment.conflict_view, name="conflict"),
    path("scoring/", views_scoring.queue_view, name="scoring"),
    path("scoring/<int:pk>/", views_scoring.sheet_view, name="sheet"),
    path(
        "scoring/<int:pk>/attachments/<int:attachment_id>/", views_scoring.attachment_view, name="attachment"
    ),
    path("results/calibration/", views_scoring.calibration_view, name="calibration"),
    path("results/minutes.pdf", views_scoring.minutes_view, name="minutes"),
    path("results/", views_scoring.results_view, name="results"),
    path("results/<int:dossier_pk>/add-scorer/", views_progress.add_scorer_view, name="add_scorer"),
    path("progress/", views_progress.progress_view, name="progress"),
    path("progress/reminders/", views_progress.reminders_view, name="reminders"),
    path("progress/announce/", views_progress.announce_view, name="announce"),
    path("appeals/", views_progress.appeals_view, name="appeals"),
    path("appeals/<int:pk>/answer/", views_progress.appeal_answer_view, name="appeal_answer"),
    path("appeals/lodge/<int:dossier_pk>/", views_progress.appeal_lodge_view, name="appeal_lodge"),
    path("sheets/<int:pk>/reopen/", views_scoring.reopen_view, name="reopen"),
]
