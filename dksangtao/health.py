"""What /healthz reports: the database, the broker, the Celery workers, and the jobs stuck for want
of them (queued past the grace, running with a stale heartbeat — dksangtao.jobs)."""

from django.conf import settings
from django.db import connection

from dksangtao.celery import app
from dksangtao.jobs import stuck_counts


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


def jobs_state() -> dict:
    """Per kind of job, how many are stuck; {} when the database cannot say."""
    try:
        return stuck_counts()
    except Exception:
        return {}


def health_report() -> tuple[dict, bool]:
    """(report, healthy). Healthy means the web process can serve: database and broker are up.
    A missing worker, or stuck jobs, make the report "degraded" but not unhealthy: pages still work,
    jobs wait."""
    database = database_state()
    broker = broker_state()
    worker, worker_count = worker_state() if broker != "down" else ("down", 0)
    jobs = jobs_state() if database == "up" else {}
    stuck = sum(sum(counts.values()) for counts in jobs.values())
    healthy = database == "up" and broker in ("up", "eager")
    if not healthy:
        status = "error"
    elif worker == "down" or stuck:
        status = "degraded"
    else:
        status = "ok"
    report = {
        "status": status,
        "database": {"state": database, "vendor": connection.vendor},
        "broker": {"state": broker},
        "worker": {"state": worker, "count": worker_count},
        "jobs": {"stuck": stuck, "kinds": jobs},
    }
    return report, healthy
