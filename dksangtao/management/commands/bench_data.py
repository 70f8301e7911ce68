"""`manage.py bench_data`: the province-scale data of the page benchmark (bench.generate; `make bench`).
Refuses to run unless DKST_BENCH=1 or --yes: it fills the database it is pointed at."""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from bench.generate import Size, generate


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu quy mô cấp tỉnh cho bài đo tải (mặc định 100.000 hồ sơ). Chạy lại không tạo trùng. "
        "Chỉ chạy khi đặt DKST_BENCH=1 hoặc có --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=100_000, help="số hồ sơ (mặc định 100000)")
        parser.add_argument("--units", type=int, help="số đơn vị (mặc định số hồ sơ / 50)")
        parser.add_argument("--members", type=int, help="số thành viên hội đồng (mặc định 40)")
        parser.add_argument(
            "--entries", type=int, help="số hồ sơ hội đồng chấm mỗi đợt (mặc định hồ sơ / 50)"
        )
        parser.add_argument("--per-entry", type=int, default=5, help="số thành viên chấm mỗi hồ sơ")
        parser.add_argument("--fund-transactions", type=int, help="số chứng từ Quỹ (mặc định hồ sơ / 25)")
        parser.add_argument("--public-records", type=int, help="số bản ghi công khai đánh dấu (hồ sơ / 20)")
        parser.add_argument("--yes", action="store_true", help="xác nhận ghi vào cơ sở dữ liệu này")

    def handle(self, *args, **options):
        if not (options["yes"] or os.environ.get("DKST_BENCH") == "1"):
            raise CommandError(
                "bench_data ghi hàng trăm nghìn dòng vào cơ sở dữ liệu đang cấu hình; "
                "đặt DKST_BENCH=1 hoặc thêm --yes nếu đúng là cơ sở dữ liệu đo tải."
            )
        try:
            size = Size(
                dossiers=options["dossiers"],
                units=options["units"],
                members=options["members"],
                entries=options["entries"],
                per_entry=options["per_entry"],
                fund_transactions=options["fund_transactions"],
                public_records=options["public_records"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        started = time.monotonic()
        # The services the generator calls would mail the units (or print the mails) otherwise.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            made = generate(size, self.stdout)
        seconds = time.monotonic() - started
        if not made:
            self.stdout.write(
                f"Dữ liệu đo tải ({size.dossiers} hồ sơ) đã có; không tạo thêm ({seconds:.1f} s)."
            )
            return
        described = ", ".join(f"{n} {what}" for what, n in made.items())
        self.stdout.write(self.style.SUCCESS(f"Đã tạo trong {seconds:.1f} s: {described}."))
