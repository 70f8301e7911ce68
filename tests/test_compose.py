"""docker-compose.yml stays valid (checked with Debian's docker-compose; no engine is needed)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_compose_file_is_valid_and_refuses_a_missing_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
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
    assert set(result.stdout.split()) == {"postgres", "redis", "web", "worker", "beat", "clamav"}


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_the_optional_clamav_service_starts_only_with_its_profile():
    env = {**os.environ, "SECRET_KEY": "compose-check-only"}
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
