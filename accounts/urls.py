from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import LoginForm, PasswordChangeForm, SetPasswordForm

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(form_class=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("accounts/people/invite/", views.invite_view, name="invite"),
    path("accounts/people/<int:pk>/invitation/", views.invitation_resend_view, name="invitation_resend"),
    path("accounts/role-requests/", views.role_requests_view, name="role_requests"),
    path("accounts/role-requests/new/", views.role_request_new_view, name="role_request_new"),
    path(
        "accounts/role-requests/<int:pk>/approve/",
        views.role_request_approve_view,
        name="role_request_approve",
    ),
    path(
        "accounts/role-requests/<int:pk>/reject/", views.role_request_reject_view, name="role_request_reject"
    ),
    path(
        "accounts/role-requests/<int:pk>/cancel/", views.role_request_cancel_view, name="role_request_cancel"
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
