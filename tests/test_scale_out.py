"""Past one machine (issue #16, item 5): settings from the environment, the Celery queues, the read
replica's router and media through the storage API — on local disk and on a real S3-compatible
server (moto_server, a separate process speaking the S3 protocol over HTTP)."""

import json
import os
import subprocess
import sys
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
    # Redis alone does not move the sessions (SESSIONS_IN_REDIS does: the next test)
    with_redis = _settings_under(
        ["SESSION_ENGINE"], REDIS_URL="redis://127.0.0.1:6399/9", SESSIONS_IN_REDIS=""
    )
    assert with_redis["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_the_s3_replica_and_redis_settings_are_read_from_the_environment():
    read = _settings_under(
        ["STORAGES", "DATABASES", "SESSION_ENGINE", "CACHES"],
        MEDIA_S3_BUCKET="dkst-media",
        MEDIA_S3_ENDPOINT_URL="http://minio:9000",
        MEDIA_S3_ACCESS_KEY="portal",
        MEDIA_S3_SECRET_KEY="secret-123",
        MEDIA_S3_PREFIX="media",
        SESSIONS_IN_REDIS="true",
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
    assert "5 passed" in done.stdout


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


# --- media through the storage API: local disk and S3 ---------------------------------------------


@pytest.fixture(params=["local", "s3"])
def media_storage(request, settings, tmp_path):
    """The default storage on local disk (a fresh MEDIA_ROOT) or on a fresh bucket of the S3 server."""
    if request.param == "s3":
        request.getfixturevalue("s3_media")
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import default_storage

    return request.param, default_storage


def test_storage_round_trip(media_storage, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from dksangtao.backup import stored_files
    from dksangtao.files import replace_stored

    kind, storage = media_storage
    expected = "S3Storage" if kind == "s3" else "FileSystemStorage"
    assert type(storages["default"]).__name__ == expected
    name = storage.save("attachments/7/ab12.pdf", ContentFile(b"%PDF-1.4 one", name="x.pdf"))
    assert name == "attachments/7/ab12.pdf"
    assert storage.exists(name) and storage.size(name) == len(b"%PDF-1.4 one")
    with storage.open(name, "rb") as handle:
        assert handle.read() == b"%PDF-1.4 one"
    # a file rebuilt under a fixed name (the open data) is replaced in place, keeping its name
    source = tmp_path / "built.csv"
    for text in (b"first", b"second, longer"):
        source.write_bytes(text)
        replace_stored("open-data/data.csv", source, storage=storage)
        with storage.open("open-data/data.csv", "rb") as handle:
            assert handle.read() == text
    assert stored_files(storage) == ["attachments/7/ab12.pdf", "open-data/data.csv"]
    storage.delete(name)
    assert not storage.exists(name)
    with pytest.raises(FileNotFoundError):
        storage.open(name, "rb").read()


def test_open_data_builds_into_and_downloads_from_the_bucket(client, s3_media, s3_endpoint, db):
    from django.core.files.storage import default_storage
    from django.urls import reverse

    from public import opendata

    meta = opendata.build_all()
    assert sorted(default_storage.listdir(opendata.FOLDER)[1]) == sorted(
        [*(opendata.filename(fmt) for fmt in opendata.FORMATS), "metadata.json"]
    )
    assert opendata.build_all() == meta  # unchanged data: nothing rewritten (sizes read from S3)
    response = client.get(reverse("opendata:download", args=["csv"]))
    assert response.status_code == 200 and response["ETag"] == f'"{meta["files"]["csv"]["sha256"]}"'
    with opendata.open_file("csv") as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_media_bucket_is_idempotent_and_a_no_op_on_local_disk(s3_media, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("media_bucket", stdout=out)  # the fixture created it already
    assert "exists" in out.getvalue()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "local-media-unused"
    out = StringIO()
    call_command("media_bucket", stdout=out)
    assert "nothing to do" in out.getvalue()


# --- sessions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cached_db_sessions_survive_a_redis_outage(client, settings, staff):
    """With SESSIONS_IN_REDIS the sessions are cached_db: when Redis cannot be reached (the forgiving cache
    turns that into misses), the session is read from its database row and nobody is signed out."""
    from django.core.cache import caches

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHES = {
        "default": {
            "BACKEND": "dksangtao.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert caches["default"].get("probe") is None  # unreachable, forgiven
    client.force_login(staff)
    response = client.get("/dashboard/")
    assert response.status_code == 200  # signed in: an anonymous visitor is sent to the login page
    assert response.wsgi_request.user == staff
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=client.session.session_key).exists()


# --- backups of media in a bucket ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_copies_the_bucket_and_verifies_against_it(s3_media, tmp_path):
    """`manage.py backup` reads the media through the storage: every object of the bucket lands in
    media/ with its hash, and the verification reads them back from the bucket."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from dksangtao import backup as backups

    contents = {"vouchers/2026/a1.pdf": b"%PDF-1.4 voucher", "open-data/metadata.json": b"{}"}
    for name, data in contents.items():
        assert default_storage.save(name, ContentFile(data)) == name
    made = backups.backup(into=tmp_path / "backups")
    manifest = backups.read_manifest(made.path)
    for name, data in contents.items():
        assert (made.path / "media" / name).read_bytes() == data
        assert manifest["files"][f"media/{name}"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert backups.verify(manifest).problems == []
    default_storage.delete("vouchers/2026/a1.pdf")
    assert backups.verify(manifest).problems == [
        "Tệp chưa được phục hồi / file not restored: vouchers/2026/a1.pdf"
    ]
