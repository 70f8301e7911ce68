"""Who is asking: the visitor's network address, for the login lockout and the password reset limits."""

import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str | None:
    """REMOTE_ADDR, or behind the province's reverse proxy (TRUST_X_FORWARDED_FOR) the last address of
    X-Forwarded-For: the one the proxy itself appended. Earlier entries come from the visitor and can
    be forged, so they are never used. Only a well-formed IP address is returned (django-axes stores
    it in an inet column on PostgreSQL); None when there is none, as for a request built in code."""
    candidates = []
    if settings.TRUST_X_FORWARDED_FOR:
        candidates.append(request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR") or "")
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate[:64]))
        except ValueError:
            continue
    return None


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one more request under `key` in the Django cache and say whether it passes `limit` within
    `window` seconds (a fixed window that starts with the first request)."""
    key = f"limit:{key}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def login_username(request, credentials=None) -> str:
    """The e-mail a login attempt named, as django-axes counts it (settings.AXES_USERNAME_CALLABLE):
    trimmed and lower-cased like the stored addresses, so «Lan@…» and «lan@…» count as one account."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    value = (source or {}).get("username") or ""
    return str(value).strip().lower()[:255]
