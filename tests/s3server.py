"""A real S3-compatible server for the media tests: moto_server (moto[server], a dev dependency) in a
process of its own on a free port, spoken to over HTTP by boto3 exactly as MinIO would be. Nothing
in the portal is mocked; only the store behind the protocol is moto's instead of MinIO's.

Use the `s3_media` fixture: the default storage is the S3 backend, on a new empty bucket."""

import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ACCESS_KEY, SECRET_KEY = "portal-test", "portal-test-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    program = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    if not Path(program).exists():
        pytest.skip("moto_server is not installed (pip install 'moto[server]', a dev dependency)")
    port = _free_port()
    server = subprocess.Popen(
        [program, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("moto_server did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def s3_storages(endpoint: str, bucket: str, base: dict) -> dict:
    """settings.STORAGES with the default storage as dksangtao/settings.py builds it for S3."""
    return base | {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "region_name": "us-east-1",
                "location": "",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": True,
            },
        }
    }


@pytest.fixture
def s3_media(settings, s3_endpoint, tmp_path):
    """The default storage on a new bucket of the S3 server (created by `manage.py media_bucket`);
    MEDIA_ROOT points at an empty folder that must stay empty."""
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "local-media-unused"
    settings.MEDIA_S3_BUCKET = f"dkst-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = s3_storages(s3_endpoint, settings.MEDIA_S3_BUCKET, settings.STORAGES)
    call_command("media_bucket")
    yield settings.MEDIA_S3_BUCKET
    assert not settings.MEDIA_ROOT.exists(), "a file went to the local disk instead of the bucket"
