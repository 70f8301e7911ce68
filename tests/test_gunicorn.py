"""gunicorn's timeout (issue #15, item 8): one place (gunicorn.conf.py), 60 s, and both ways of
starting the web container read it."""

import runpy
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_the_timeout_is_sixty_seconds_in_one_place():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["timeout"] == 60
    assert config["bind"] == "0.0.0.0:8000"


def test_gunicorn_itself_reads_it():
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--print-config",
            "dksangtao.wsgi:application",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert any(line.split() == ["timeout", "=", "60"] for line in printed.splitlines())


def test_the_image_and_compose_start_gunicorn_with_it():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "dksangtao.wsgi:application", "--config", "gunicorn.conf.py"]' in dockerfile
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = " ".join(compose["services"]["web"]["command"])
    assert "gunicorn dksangtao.wsgi:application --config gunicorn.conf.py" in command
    for text in (dockerfile, command):
        assert "--timeout" not in text  # no second value to drift from the file


def test_a_worker_freezes_what_it_loaded():
    import gc

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000  # Django and the apps, out of the collector's sight
    finally:
        gc.unfreeze()
