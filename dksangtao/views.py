from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dksangtao.health import health_report


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@require_GET
@never_cache
def healthz(request):
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
