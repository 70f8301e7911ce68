import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from accounts.forms import LoginForm, PasswordResetForm
from accounts.selectors import dashboard_cards
from dksangtao.clients import client_address, over_limit
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
