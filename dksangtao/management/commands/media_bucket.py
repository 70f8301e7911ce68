"""`manage.py media_bucket`: create the media storage's S3 bucket if it is missing (the compose web
service runs it before gunicorn). Idempotent; with media on the local disk it does nothing."""

from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Tạo bucket S3 chứa tệp nếu chưa có / create the media S3 bucket if it is missing."

    def handle(self, *args, **options):
        bucket = getattr(default_storage, "bucket_name", None)
        if bucket is None:
            self.stdout.write(
                "Tệp lưu trên đĩa máy chủ; không cần bucket / media on local disk: nothing to do."
            )
            return
        client = default_storage.connection.meta.client
        try:
            client.head_bucket(Bucket=bucket)
            self.stdout.write(f"Bucket {bucket} đã có / exists.")
            return
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket"}:
                raise CommandError(
                    f"Không kiểm tra được bucket {bucket} / cannot check the bucket: {error}"
                ) from None
        region = client.meta.region_name
        options = (
            {}
            if region in (None, "us-east-1")
            else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        client.create_bucket(Bucket=bucket, **options)  # private: no ACL, no policy
        self.stdout.write(f"Đã tạo bucket {bucket} / bucket created.")
