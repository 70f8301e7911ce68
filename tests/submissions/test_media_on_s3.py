"""Dossier media on an S3-compatible store (issue #16, item 5): an attachment stored, downloaded and
deleted through the storage API, and an Excel import whose worker reads the stored file from the
bucket (openpyxl streams from the storage's file object, not from a path) — against a real S3 server
(tests/s3server.py)."""

import hashlib

import boto3
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import services
from submissions.models import Dossier, ImportJob
from tests.s3server import ACCESS_KEY, SECRET_KEY
from tests.submissions import test_import_export as import_tests
from tests.submissions.test_attachments_service import PDF

# The import tests' fixtures and helpers, reused as they are (the job runs at the request's commit).
campaign = import_tests.campaign
staff_client = import_tests.staff_client
jobs_run_at_once = import_tests.jobs_run_at_once
preview, confirm, row = import_tests.preview, import_tests.confirm, import_tests.row

pytestmark = pytest.mark.django_db


def bucket_keys(endpoint: str) -> list[str]:
    """What the bucket holds, asked of the server directly (not through the portal's storage)."""
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    listed = client.list_objects_v2(Bucket=settings.MEDIA_S3_BUCKET)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_an_attachment_lives_in_the_bucket_and_downloads_from_it(
    client, make_dossier, unit_a, staff, s3_media, s3_endpoint, django_capture_on_commit_callbacks
):
    dossier = make_dossier(unit_a, staff)
    attachment = services.attachment_add(
        dossier=dossier, upload=SimpleUploadedFile("bien-ban.pdf", PDF), actor=staff
    )
    assert bucket_keys(s3_endpoint) == [attachment.file.name]
    assert attachment.file.size == len(PDF) and default_storage.exists(attachment.file.name)
    client.force_login(staff)
    response = client.get(reverse("submissions:attachment_download", args=[dossier.pk, attachment.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == attachment.sha256
    assert 'filename="bien-ban.pdf"' in response["Content-Disposition"]

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, actor=staff)
    assert bucket_keys(s3_endpoint) == []


def test_a_file_gone_from_the_bucket_is_a_404(client, make_dossier, unit_a, staff, s3_media):
    dossier = make_dossier(unit_a, staff)
    attachment = services.attachment_add(
        dossier=dossier, upload=SimpleUploadedFile("a.pdf", PDF), actor=staff
    )
    default_storage.delete(attachment.file.name)
    client.force_login(staff)
    response = client.get(reverse("submissions:attachment_download", args=[dossier.pk, attachment.pk]))
    assert response.status_code == 404


def test_an_import_reads_its_file_from_the_bucket(staff_client, unit_a, s3_media, s3_endpoint):
    response = preview(staff_client, [row(1), row(2)])
    assert response.status_code == 200 and response.context["report"].ok
    check = ImportJob.objects.get(mode="check")
    assert bucket_keys(s3_endpoint) == [check.file.name]  # the worker read it from there
    response = confirm(staff_client, response.context["token"], unit_a)
    assert response.status_code == 200
    assert Dossier.objects.count() == 2
    assert bucket_keys(s3_endpoint) == []  # the temporary file is gone from the bucket too
