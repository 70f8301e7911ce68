"""Settings come from the environment; a bad value stops the process with the variable's name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, resolve

from dksangtao.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("ON", True), ("0", False), ("no", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_refuses_text_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("X_PORT", "25a")
    with pytest.raises(ImproperlyConfigured, match="X_PORT"):
        env_int("X_PORT", 25)
    monkeypatch.setenv("X_PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("X_PORT", 25, minimum=1)
    monkeypatch.setenv("X_PORT", " 587 ")
    assert env_int("X_PORT", 25, minimum=1) == 587


def test_env_list_and_str(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "portal.gov.vn,intranet.local")
    assert env_list("X_HOSTS", []) == ["portal.gov.vn", "intranet.local"]
    monkeypatch.setenv("X_HOSTS", "portal.gov.vn,,x")
    with pytest.raises(ImproperlyConfigured):
        env_list("X_HOSTS", [])
    monkeypatch.delenv("X_NAME", raising=False)
    assert env_str("X_NAME", "mặc định") == "mặc định"
    with pytest.raises(ImproperlyConfigured, match="X_NAME"):
        env_str("X_NAME", required=True)


def _manage(args, **env):
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for browser tests
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3-Q9vZ!t8pL2xR7mW4nB6cY1dF5hJ0sA-production-like-secret-key-value",
    "ALLOWED_HOSTS": "dksangtao.example.gov.vn",
}


def test_production_settings_pass_check_deploy_without_a_warning():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_off_without_secret_key_fails_loudly():
    env = dict(PRODUCTION)
    env["SECRET_KEY"] = ""
    result = _manage(["check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_bad_boolean_in_the_environment_stops_manage_py():
    result = _manage(["check"], DEBUG="yesplease")
    assert result.returncode != 0
    assert "DEBUG='yesplease' is not a boolean" in result.stderr


def test_media_root_is_private(settings, client):
    assert settings.STATIC_ROOT.resolve() not in settings.MEDIA_ROOT.resolve().parents
    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}anything.pdf")
    assert client.get(f"{settings.MEDIA_URL}anything.pdf").status_code == 404
