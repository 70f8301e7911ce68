"""Past one machine (issue #16, item 5): settings from the environment, the Celery queues, the read
replica's router and media through the storage API — on local disk and on a real S3-compatible
server (moto_server, a separate process speaking the S3 protocol over HTTP)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _settings_under(names: list[str], **env) -> dict:
    """The named settings as a fresh process reads them with `env` added to the environment."""
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.update(env)
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- settings ------------------------------------------------------------------------------------


def test_without_the_new_settings_one_machine_is_the_default():
    read = _settings_under(
        ["STORAGES", "DATABASES", "SESSION_ENGINE"],
        MEDIA_S3_BUCKET="",
        DATABASE_REPLICA_URL="",
        REDIS_URL="",
    )
    assert read["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert set(read["DATABASES"]) == {"default"}
    assert read["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_the_s3_replica_and_redis_settings_are_read_from_the_environment():
    read = _settings_under(
        ["STORAGES", "DATABASES", "SESSION_ENGINE", "CACHES"],
        MEDIA_S3_BUCKET="dkst-media",
        MEDIA_S3_ENDPOINT_URL="http://minio:9000",
        MEDIA_S3_ACCESS_KEY="portal",
        MEDIA_S3_SECRET_KEY="secret-123",
        MEDIA_S3_PREFIX="media",
        DATABASE_REPLICA_URL="postgres://reader:pw@replica.internal:5433/dksangtao",
        REDIS_URL="redis://127.0.0.1:6399/9",
    )
    storage = read["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (
        storage["OPTIONS"]
        | {
            "bucket_name": "dkst-media",
            "endpoint_url": "http://minio:9000",
            "access_key": "portal",
            "secret_key": "secret-123",
            "location": "media",
            "addressing_style": "path",
            "default_acl": None,
        }
        == storage["OPTIONS"]
    )
    replica = read["DATABASES"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"], replica["USER"]) == (
        "replica.internal",
        5433,
        "dksangtao",
        "reader",
    )
    assert replica["TEST"]["MIRROR"] == "default"
    assert read["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert read["CACHES"]["default"]["BACKEND"] == "dksangtao.cache.ForgivingRedisCache"


def test_a_bad_replica_url_stops_the_process():
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped} | {"DATABASE_REPLICA_URL": "nonsense"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0


# --- the read replica ------------------------------------------------------------------------------


def test_reads_go_to_the_replica_only_in_scope():
    """tests/replica_probe.py in a pytest process of its own, with the replica alias mirroring the
    test database (its own test database name, so it never meets this process's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    url = env.get("DATABASE_URL", "")
    if url:
        url = url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1].split("?")[0] + "_replica_probe"
        env["DATABASE_URL"] = url
    else:
        url = "sqlite:///" + str(ROOT / "var" / "replica-probe.sqlite3")
    env["DATABASE_REPLICA_URL"] = url
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--create-db",
            "tests/replica_probe.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout


# --- Celery queues -------------------------------------------------------------------------------

QUEUE_OF = {
    "reports.tasks.build_report": "reports",
    "public.tasks.open_data_build": "reports",
    "public.tasks.search_words_refresh": "reports",
    "submissions.tasks.run_import": "reports",
    "dksangtao.tasks.backup_scheduled": "reports",
    "awards.tasks.run_ranking": "ranking",
    "dksangtao.tasks.send_email": "default",
    "dksangtao.tasks.deliver_email": "default",
    "dksangtao.tasks.outbox_deliver": "default",
    "dksangtao.tasks.jobs_sweep": "default",
    "councils.tasks.scoring_reminders": "default",
    "awards.tasks.campaign_schedule": "default",
    "reports.tasks.scheduled_exports": "default",
}


def _registered_tasks(app) -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_task_has_its_queue():
    from dksangtao.celery import app

    assert _registered_tasks(app) == set(QUEUE_OF)  # a new task must be placed here (and in settings)
    for name, queue in QUEUE_OF.items():
        route = app.amqp.router.route({}, name)
        assert route["queue"].name == queue, name


def test_a_worker_without_q_consumes_every_queue():
    from dksangtao.celery import app

    assert set(app.amqp.queues) == {"default", "reports", "ranking"}
    assert app.conf.task_default_queue == "default"


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="publishes on the in-memory broker (REDIS_URL unset)")
@pytest.mark.parametrize(
    ("model", "queue"),
    [
        ("reports.ReportJob", "reports"),
        ("awards.RankingRun", "ranking"),
        ("submissions.ImportJob", "reports"),
    ],
)
def test_job_send_puts_the_message_on_its_queue(model, queue):
    """Job.send (dksangtao.jobs) sends with apply_async, so the routes apply: the message lands on
    the task's queue of a real (in-memory) broker, and on no other."""
    from django.apps import apps

    from dksangtao.celery import app

    job_model = apps.get_model(model)
    app.conf.task_always_eager = False
    try:
        assert job_model.send(4321) is True  # sending touches no row
        with app.connection_for_read() as connection:
            sizes = {
                name: connection.default_channel.queue_declare(name, passive=False).message_count
                for name in ("default", "reports", "ranking")
            }
            message = connection.SimpleQueue(queue).get(timeout=2)
            message.ack()
    finally:
        app.conf.task_always_eager = True
    assert sizes == {name: int(name == queue) for name in sizes}
    assert message.headers["task"] == job_model.task_name and message.headers["argsrepr"] == "[4321]"
