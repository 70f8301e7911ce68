from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
