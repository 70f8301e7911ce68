"""The page benchmark's settings (`make bench`, bench.run): the portal's own settings as production
runs them — DEBUG off, the manifest static storage (collectstatic first) — with the bench URLconf
(the portal's URLs plus the bare view), over plain HTTP on the loopback."""

from dksangtao.settings import *  # noqa: F403
from dksangtao.settings import BASE_DIR, STORAGES

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Hashed names as in production (the templates' {% static %} reads the manifest), without
# production's gzip/brotli pass: the benchmark serves no static file, and compressing them all takes
# minutes on a busy machine. Its own folder, so a deployment's collected files are left alone.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
# No TLS in front of the loopback server: production's HTTPS redirect and secure-only cookies would
# turn every request into a redirect or an anonymous visit.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Every locust client comes from 127.0.0.1: the API's per-address throttle (120 a minute) would answer
# 429 to all but the first requests. The throttle still runs (its cost is measured), it never refuses.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000000/minute"}}  # noqa: F405
