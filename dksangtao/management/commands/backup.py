"""`manage.py backup [--keep N] [--into DIR]`: one consistent backup (dksangtao.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dksangtao.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu CSDL, tệp tải lên và bản kê mã băm / back up the database, the media files and a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep", type=int, help="giữ N bản mới nhất (mặc định BACKUP_KEEP; 0: giữ tất cả)"
        )
        parser.add_argument("--into", type=Path, help="thư mục đích (mặc định BACKUP_DIR)")

    def handle(self, *args, keep=None, into=None, **options):
        if keep is not None and keep < 0:
            raise CommandError("--keep phải ≥ 0 / --keep must be 0 or more.")
        try:
            result = backup(into=into, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for name in result.missing:
            self.stderr.write(f"Cảnh báo: CSDL trỏ tới tệp không có / warning, missing file: {name}")
        for path in result.deleted:
            self.stdout.write(f"Đã xóa bản cũ / deleted old backup: {path.name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu / backup written: {result.path} "
                f"({result.files} tệp/files, {result.bytes:,} byte)"
            )
        )
