"""`manage.py restore DIR`: check, restore into an empty database and MEDIA_ROOT, verify
(dksangtao.backup). Exits non-zero on any refusal or mismatch."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dksangtao.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Phục hồi một bản sao lưu vào CSDL và thư mục tệp trống, rồi kiểm tra "
        "/ restore a backup into an empty database and media root, then verify it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", type=Path, help="thư mục bản sao lưu, ví dụ var/backups/dkst-20261130-020000"
        )

    def handle(self, *args, source, **options):
        try:
            result = restore(source=source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for note in result.notes:
            self.stderr.write(f"Lưu ý / note: {note}")
        for problem in result.problems:
            self.stderr.write(f"SAI LỆCH / MISMATCH: {problem}")
        figures = (
            f"{result.files} tệp/files, {result.tables} bảng/tables, "
            f"{result.accounts} tài khoản quỹ/ledger accounts"
        )
        if result.problems:
            raise CommandError(
                f"Phục hồi xong nhưng kiểm tra thấy {len(result.problems)} sai lệch "
                f"/ restored, but verification found {len(result.problems)} mismatches ({figures})."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã phục hồi và kiểm tra: khớp hoàn toàn / restored and verified, all match ({figures})."
            )
        )
