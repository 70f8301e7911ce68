"""Faults on demand for the tests of issue #15's «jobs that never get stuck»: a broker that refuses
connections (nothing listens on port 1), our own redis-server that a test may stop and start again,
and a real Celery worker in a subprocess that a test may SIGKILL. Never the shared Redis on 6379."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings

from dksangtao.celery import app

REFUSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused
ROOT = Path(__file__).resolve().parent.parent


def _reset_producer_pool() -> None:
    """Celery keeps its broker connections in pools made on first use (the app's, and kombu's global
    producer pools keyed by connection); a new broker URL needs new ones."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class BrokerDown:
    """Tasks are sent to a broker (not run in-process) that refuses every connection, until `restore`."""

    def __init__(self):
        self.before = (app.conf.task_always_eager, app.conf.broker_url)
        app.conf.task_always_eager = False
        app.conf.broker_url = REFUSED
        _reset_producer_pool()

    def restore(self) -> None:
        app.conf.task_always_eager, app.conf.broker_url = self.before
        _reset_producer_pool()


@pytest.fixture
def broker_down():
    outage = BrokerDown()
    yield outage
    outage.restore()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """Our own redis-server, stopped and started at will (its data is lost on stop: the queue too)."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


class Worker:
    """`celery -A dksangtao worker --pool=solo` against our Redis and the test database."""

    def __init__(self, redis_url: str, logfile: Path, env: dict | None = None):
        self.redis_url, self.logfile, self.env = redis_url, logfile, env or {}
        self.process = None

    def start(self) -> None:
        database = settings.DATABASES["default"]
        env = dict(os.environ)
        env.update(
            PYTHONPATH=str(ROOT),
            REDIS_URL=self.redis_url,
            DATABASE_URL=(
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
                f"/{database['NAME']}"
            ),
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            **self.env,
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "dksangtao",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
                "-n",
                f"fault{free_port()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.logfile.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, the message it holds stays unacknowledged."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


def wait_for(predicate, timeout: float = 60, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"waited {timeout}s in vain")


def fault_reason() -> str | None:
    """Why the fault suite cannot run here, or None."""
    if not shutil.which("redis-server"):
        return "redis-server is not installed: the fault suite stops and starts its own Redis"
    if not settings.REDIS_URL:
        return "REDIS_URL is not set: the fault suite runs where the project runs a real worker (CI)"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: the worker subprocess and the test share a database server"
    return None
