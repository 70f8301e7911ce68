"""What /healthz reports: the database, the broker and the Celery workers."""

from django.conf import settings
from django.db import connection

from dksangtao.celery import app


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "down"
    return "up"


def broker_state() -> str:
    if not settings.REDIS_URL:
        return "eager"  # no broker configured: tasks run in-process
    try:
        with app.connection_for_write(settings.REDIS_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "down"
    return "up"


def worker_state() -> tuple[str, int]:
    if not settings.REDIS_URL:
        return "eager", 0
    try:
        replies = app.control.ping(timeout=1.0)
    except Exception:
        return "down", 0
    return ("up" if replies else "down"), len(replies)


def health_report() -> tuple[dict, bool]:
    """(report, healthy). Healthy means the web process can serve: database and broker are up.
    A missing worker makes the report "degraded" but not unhealthy: pages still work, jobs wait."""
    database = database_state()
    broker = broker_state()
    worker, worker_count = worker_state() if broker != "down" else ("down", 0)
    healthy = database == "up" and broker in ("up", "eager")
    if not healthy:
        status = "error"
    elif worker == "down":
        status = "degraded"
    else:
        status = "ok"
    report = {
        "status": status,
        "database": {"state": database, "vendor": connection.vendor},
        "broker": {"state": broker},
        "worker": {"state": worker, "count": worker_count},
    }
    return report, healthy
