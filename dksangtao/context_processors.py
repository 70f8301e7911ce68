from django.conf import settings

from accounts.menu import navigation_for


def portal(request):
    user = getattr(request, "user", None)
    return {
        "PROVINCE_NAME": settings.PROVINCE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav_items": navigation_for(user) if user is not None and user.is_authenticated else [],
    }
