from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts.forms import PasswordResetForm
from accounts.selectors import dashboard_cards
from dksangtao.registry import dashboard_panels


@login_required
def dashboard(request):
    context = {"cards": dashboard_cards(request.user), "panels": dashboard_panels(request.user)}
    return render(request, "accounts/dashboard.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")
