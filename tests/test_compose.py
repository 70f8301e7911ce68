"""docker-compose.yml stays valid (checked with Debian's docker-compose; no engine is needed)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_compose_file_is_valid_and_refuses_a_missing_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {
        "MINIO_ROOT_PASSWORD": "compose-check"
    }
    missing = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0
    assert "set SECRET_KEY" in missing.stderr
    env["SECRET_KEY"] = "compose-check-only"
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "--services"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # `config --services` also names services behind a profile (clamav: see the next test)
    assert set(result.stdout.split()) == {
        "postgres",
        "redis",
        "minio",
        "web",
        "worker",
        "worker-reports",
        "worker-ranking",
        "beat",
        "clamav",
    }


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_the_optional_clamav_service_starts_only_with_its_profile():
    env = {**os.environ, "SECRET_KEY": "compose-check-only", "MINIO_ROOT_PASSWORD": "compose-check"}
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "--profile", "clamav", "config", "--services"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "clamav" in result.stdout.split()


def test_clamav_is_optional_and_off_by_default():
    """Read without docker-compose: the clamav service has a profile (not started by `up`), and the
    portal's CLAMAV_HOST is empty unless the deployment sets it (uploads then are not scanned)."""
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["clamav"]["profiles"] == ["clamav"]
    assert compose["x-portal-env"]["CLAMAV_HOST"] == "${CLAMAV_HOST:-}"
    assert "clamav" in compose["volumes"]


def _config(**env) -> dict:
    """The compose file as docker-compose resolves it (anchors merged, variables filled)."""
    yaml = pytest.importorskip("yaml")
    if not shutil.which("docker-compose"):
        pytest.skip("docker-compose is not installed")
    done = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "compose-check-only", "MINIO_ROOT_PASSWORD": "compose-check", **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_media_go_to_minio_and_no_web_or_worker_keeps_files_of_its_own():
    """Several machines can run web and workers: media in MinIO (pinned image, bucket created by the
    web service before gunicorn starts), no local media volume on any of them."""
    compose = _config()
    services = compose["services"]
    minio = services["minio"]
    assert minio["image"].startswith("quay.io/minio/minio:RELEASE.")  # pinned, never «latest»
    assert "healthcheck" in minio
    for name in ("web", "worker", "worker-reports", "worker-ranking", "beat"):
        service = services[name]
        env = service["environment"]
        assert env["MEDIA_S3_BUCKET"] and env["MEDIA_S3_ENDPOINT_URL"] == "http://minio:9000", name
        assert env["MEDIA_S3_SECRET_KEY"] == "compose-check"
        assert "minio" in service["depends_on"], name
        assert not any("/data/media" in str(volume) for volume in service.get("volumes", [])), name
    assert "manage.py media_bucket" in " ".join(services["web"]["command"])
    assert "media" not in compose["volumes"] and "miniodata" in compose["volumes"]


def test_minio_needs_its_password():
    env = {k: v for k, v in os.environ.items() if k != "MINIO_ROOT_PASSWORD"} | {"SECRET_KEY": "x"}
    if not shutil.which("docker-compose"):
        pytest.skip("docker-compose is not installed")
    done = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "set MINIO_ROOT_PASSWORD" in done.stderr


def test_one_worker_per_queue_group_and_together_they_consume_every_queue():
    from django.conf import settings

    services = _config()["services"]
    consumed = {}
    for name, service in services.items():
        command = service.get("command") or []
        if "worker" in command:
            queues = command[command.index("-Q") + 1].split(",")  # every worker names its queues
            consumed[name] = queues
    assert consumed == {"worker": ["default"], "worker-reports": ["reports"], "worker-ranking": ["ranking"]}
    assert {q for queues in consumed.values() for q in queues} == set(settings.CELERY_TASK_QUEUES)
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed | {settings.CELERY_TASK_DEFAULT_QUEUE} == set(settings.CELERY_TASK_QUEUES)


def test_the_read_replica_is_optional():
    services = _config()["services"]
    assert services["web"]["environment"]["DATABASE_REPLICA_URL"] in ("", None)
    replica = "postgres://reader:pw@replica:5432/dksangtao"
    assert (
        _config(DATABASE_REPLICA_URL=replica)["services"]["web"]["environment"]["DATABASE_REPLICA_URL"]
        == replica
    )
