import re

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class PortalLocaleMiddleware:
    """Vietnamese first: the interface is Vietnamese unless the person chose English with the switch
    (the language cookie). A browser's Accept-Language is deliberately ignored, so a clerk whose
    browser happens to be set to English still gets the Vietnamese forms and messages."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class PermissionsPolicyMiddleware:
    """Switches off, on every response, the browser features the portal never uses (camera,
    microphone, geolocation, payment, USB…): settings.PERMISSIONS_POLICY, each feature allowed to
    nobody (`camera=()`)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


# What no field of a form or a query string carries on purpose: the C0 and C1 control characters and
# DEL — a NUL reaching PostgreSQL is a 500 (psycopg refuses it in text). A form's text may keep its
# tab and line breaks; a query string, a path and a file name may not.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
API_PREFIX = "/api/"
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def hostile_input(request) -> bool:
    """Whether the path, the query string (names and values) or a posted form field (names and
    values) holds a control character. (Django's multipart parser already drops control characters
    from an uploaded file's name.)"""
    if _CONTROL.search(request.path_info):
        return True
    for key, values in request.GET.lists():
        if _CONTROL.search(key) or any(_CONTROL.search(value) for value in values):
            return True
    if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
        return False
    return any(
        _CONTROL.search(key) or any(_CONTROL_IN_TEXT.search(value) for value in values)
        for key, values in request.POST.lists()
    )


class HostileInputMiddleware:
    """Refuses, with the portal's 400 page, a request whose path, query string or posted form holds a
    NUL or another control character (tab, CR and LF are allowed in posted text), before any view
    or form sees it. JSON bodies are not read: the portal's only JSON endpoint is the public API,
    which accepts GET alone (its query string is checked here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hostile_input(request):
            if request.path_info.startswith(API_PREFIX):  # the API answers its errors as {"detail": …}
                return JsonResponse(
                    {"detail": _("Yêu cầu có ký tự không hợp lệ (ký tự điều khiển).")}, status=400
                )
            return render(request, "400.html", status=400)
        return self.get_response(request)
