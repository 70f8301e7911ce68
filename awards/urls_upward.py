# Nomination upward, the dossier ZIP and the «Gương» booklet (owned by the booklet/upward work).
from django.urls import path
from django.views.generic import RedirectView

from awards import views_upward

urlpatterns: list = [
    path("upward/", views_upward.upward_view, name="upward"),
    path("upward/mark/", views_upward.upward_mark_view, name="upward_mark"),
    path("upward/<int:pk>/unmark/", views_upward.upward_unmark_view, name="upward_unmark"),
    path("upward/<int:pk>/zip/", views_upward.upward_zip_view, name="upward_zip"),
    path(
        "upward/<int:year>/<str:target>/zip/", views_upward.upward_target_zip_view, name="upward_target_zip"
    ),
    # The booklet is a public page now (/giai-thuong/<year>/an-pham.pdf); the old address leads there.
    path(
        "booklet/<int:year>/",
        RedirectView.as_view(pattern_name="awards_public:booklet", permanent=True),
        name="booklet_old",
    ),
    path("booklet/<int:year>/photos/", views_upward.booklet_photos_view, name="booklet_photos"),
    path("honourees/<int:pk>/photo/", views_upward.honouree_photo_view, name="honouree_photo"),
    path(
        "honourees/<int:pk>/photo/upload/",
        views_upward.honouree_photo_upload_view,
        name="honouree_photo_upload",
    ),
    path(
        "honourees/<int:pk>/photo/remove/",
        views_upward.honouree_photo_remove_view,
        name="honouree_photo_remove",
    ),
]
