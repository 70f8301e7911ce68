from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dksangtao.health import health_report


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@require_safe
@never_cache
def healthz(request):
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form refused by the CSRF check (expired session, a page left open
    for hours, cookies blocked) — said in Vietnamese, with a way back to the form. `reason` is
    Django's English diagnosis: logged by Django already, never shown."""
    referer = request.META.get("HTTP_REFERER", "")
    back_url = (
        referer
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return render(request, "403_csrf.html", {"back_url": back_url}, status=403)
