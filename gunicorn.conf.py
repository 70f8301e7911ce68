"""gunicorn's settings for the web container (Dockerfile's CMD and docker-compose.yml's web service
start gunicorn with `--config gunicorn.conf.py`, from /app)."""

import gc
import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))

# A worker silent for `timeout` seconds is killed and the visitor gets an error from the proxy. No
# normal page comes near it: every long piece of work (ranking runs, PDFs, reports, imports, open data)
# is a Celery job that the page only starts and then follows. Never raise this to make a slow page
# pass — make the page a job. (tests/test_gunicorn.py keeps this value and the commands in step.)
timeout = 60
graceful_timeout = 30  # a deploy lets a worker finish its request this long before killing it
keepalive = 5
accesslog = "-"


def post_worker_init(worker):
    """Everything the worker has loaded by now (Django, the apps, their models) lives as long as the
    worker: moved out of the garbage collector's sight, a full collection no longer walks it on every
    request that allocates enough to trigger one (the benchmark's audit page: 27 → 14 ms in-process)."""
    gc.freeze()
