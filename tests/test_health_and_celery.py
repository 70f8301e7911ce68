"""/healthz and the Celery wiring: eager in-process without a broker, a real worker with Redis."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.urls import reverse

from dksangtao.celery import app
from dksangtao.tasks import send_email

pytestmark = pytest.mark.django_db


def test_celery_is_configured_for_json_time_limits_and_retries():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
    assert send_email.max_retries == 6
    assert send_email.autoretry_for


def test_send_email_runs_in_process_without_a_broker():
    result = send_email.delay(subject="Thử", body="Nội dung có dấu: Đoàn kết sáng tạo", to=["a@example.vn"])
    assert result.get() == 1
    assert mail.outbox[0].body == "Nội dung có dấu: Đoàn kết sáng tạo"


def test_healthz_reports_the_database_and_broker_as_json(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    report = response.json()
    assert report["database"]["state"] == "up"
    expected_broker = "up" if settings.REDIS_URL else "eager"
    assert report["broker"]["state"] == expected_broker
    assert report["status"] in {"ok", "degraded"}


def test_healthz_says_error_when_the_broker_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"]["state"] == "down"
    assert response.json()["status"] == "error"


@pytest.mark.redis_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_password_reset_email(client, staff):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        report = client.get(reverse("healthz")).json()
        assert report["worker"]["state"] == "up", report
        client.post(reverse("password_reset"), {"email": staff.email})
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff.email]


@pytest.mark.parametrize("path", ["/healthz", "/co-so-du-lieu/", "/giai-thuong/"])
def test_monitoring_probes_may_use_head(client, path):
    """A load balancer's or monitor's HEAD gets the GET's answer without its body, not a 405."""
    response = client.head(path)
    assert response.status_code in (200, 503)
    assert response.content == b""
