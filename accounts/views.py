import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import (
    DecisionReasonForm,
    InviteForm,
    LoginForm,
    PasswordResetForm,
    RoleRequestForm,
    SetPasswordForm,
)
from accounts.models import RoleRequest, User
from accounts.permissions import may_manage_people
from accounts.selectors import dashboard_cards
from accounts.services import (
    invitation_resend,
    role_request_approve,
    role_request_cancel,
    role_request_create,
    role_request_refusal,
    role_request_reject,
    user_invite,
)
from dksangtao.access import requires
from dksangtao.clients import client_address, over_limit
from dksangtao.errors import ActionRefused
from dksangtao.lists import Listing
from dksangtao.registry import dashboard_panels


@login_required
def dashboard(request):
    context = {"cards": dashboard_cards(request.user), "panels": dashboard_panels(request.user)}
    return render(request, "accounts/dashboard.html", context)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an account or an address has too many failed logins
    (settings.AXES_LOCKOUT_CALLABLE): the login page, in Vietnamese, saying until when and whom to
    call; 429 Too Many Requests. Every failure during the lockout starts the cool-off again, so the
    time shown counts from now."""
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    context = {
        "form": LoginForm(request),
        "locked_until": timezone.localtime(timezone.now() + cool_off),
        "cool_off_minutes": round(cool_off.total_seconds() / 60),
        "help_contact": settings.LOGIN_HELP_CONTACT,
    }
    return render(request, "registration/login.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with two limits in a rolling hour (settings.PASSWORD_RESET_LIMIT_*):
    - per requesting address: past it, a Vietnamese 429 page — it says nothing about any e-mail
      address, and a person who asked too often learns to wait instead of asking again;
    - per e-mail address: past it, the usual «đã gửi» page but no new mail, so nobody can flood a
      mailbox and the page still never tells whether the address has an account."""

    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        window = settings.PASSWORD_RESET_LIMIT_WINDOW
        address = client_address(self.request)
        ip_limit = settings.PASSWORD_RESET_LIMIT_PER_IP
        if over_limit(f"password-reset:ip:{address}", limit=ip_limit, window=window):
            return render(self.request, "429.html", status=429)
        email = form.cleaned_data["email"].strip().lower()
        email_key = hashlib.sha256(email.encode()).hexdigest()
        if over_limit(
            f"password-reset:email:{email_key}", limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window=window
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The one-time link of the invitation e-mail: the person sets their own first password."""

    template_name = "accounts/invitation_accept.html"
    form_class = SetPasswordForm  # passwords of at most 128 characters
    success_url = reverse_lazy("password_reset_complete")


# --- Requests for sensitive roles ----------------------------------------------------------------


def _role_requests_page(request, *, form=None, reason_form=None, status=200):
    requests = (
        RoleRequest.objects.select_related("user", "unit", "requested_by", "decided_by")
        .annotate(
            pending_first=Case(
                When(status=RoleRequest.Status.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-requested_at", "-id")
    )
    listing = Listing(request, requests)
    rows = [(item, role_request_refusal(item, request.user)) for item in listing.page.object_list]
    context = {
        "listing": listing,
        "page": listing.page,
        "rows": rows,
        "pending": RoleRequest.objects.filter(status=RoleRequest.Status.PENDING).count(),
        "form": form or RoleRequestForm(),
        "reason_form": reason_form or DecisionReasonForm(),
    }
    return render(request, "accounts/role_requests.html", context, status=status)


@requires(may_manage_people)
def role_requests_view(request):
    return _role_requests_page(request)


@require_POST
@requires(may_manage_people)
def role_request_new_view(request):
    form = RoleRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            role_request_create(
                user=form.person,
                unit=data["unit"],
                role=data["role"],
                kind=data["kind"],
                position=data["position"],
                reason=data["reason"],
                actor=request.user,
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Đã gửi đề nghị; đề nghị có hiệu lực khi một người khác duyệt."))
            return redirect("role_requests")
    return _role_requests_page(request, form=form, status=400)


def _decide(request, pk, decide):
    role_request = get_object_or_404(RoleRequest.objects.select_related("user", "unit"), pk=pk)
    try:
        decide(role_request)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return _role_requests_page(request, status=409)
    return None


@require_POST
@requires(may_manage_people)
def role_request_approve_view(request, pk):
    refused = _decide(request, pk, lambda item: role_request_approve(request=item, actor=request.user))
    if refused:
        return refused
    messages.success(request, _("Đã duyệt đề nghị; vai trò đã được cập nhật."))
    return redirect("role_requests")


@require_POST
@requires(may_manage_people)
def role_request_reject_view(request, pk):
    form = DecisionReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nêu lý do từ chối (tối đa 1.000 ký tự)."))
        return _role_requests_page(request, reason_form=form, status=400)
    reason = form.cleaned_data["reason"]
    refused = _decide(
        request, pk, lambda item: role_request_reject(request=item, actor=request.user, reason=reason)
    )
    if refused:
        return refused
    messages.success(request, _("Đã từ chối đề nghị."))
    return redirect("role_requests")


@require_POST
@requires(may_manage_people)
def role_request_cancel_view(request, pk):
    refused = _decide(request, pk, lambda item: role_request_cancel(request=item, actor=request.user))
    if refused:
        return refused
    messages.success(request, _("Đã hủy đề nghị."))
    return redirect("role_requests")


# --- Accounts created by invitation --------------------------------------------------------------


def _invite_page(request, *, form=None, status=200):
    waiting = (
        User.objects.filter(
            password__startswith=UNUSABLE_PASSWORD_PREFIX, is_active=True, created_by__isnull=False
        )
        .select_related("created_by")
        .order_by("-date_joined")[:50]
    )
    return render(
        request, "accounts/invite.html", {"form": form or InviteForm(), "waiting": waiting}, status=status
    )


@requires(may_manage_people)
def invite_view(request):
    if request.method != "POST":
        return _invite_page(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            user = user_invite(actor=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Đã tạo tài khoản và gửi thư mời đặt mật khẩu tới %(email)s.") % {"email": user.email},
            )
            return redirect("invite")
    return _invite_page(request, form=form, status=400)


@require_POST
@requires(may_manage_people)
def invitation_resend_view(request, pk):
    user = get_object_or_404(User, pk=pk)
    try:
        invitation_resend(user=user, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return _invite_page(request, status=409)
    messages.success(request, _("Đã gửi lại thư mời tới %(email)s.") % {"email": user.email})
    return redirect("invite")
