"""Demo data for `make run`: the province's units and one person per role. Safe to run again."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Membership, Unit, UnitKind, User
from accounts.services import membership_grant
from dksangtao.registry import DEMO_SEEDERS
from dksangtao.roles import Role

DEMO_PASSWORD = "DemoDKST@2026"
DEMO_DOMAIN = "demo.dksangtao.vn"
# The demo's accounts are dated this long ago: past the money roles' cooling-off.
DEMO_ACCOUNT_AGE = dt.timedelta(days=60)

K = UnitKind
# (code, name, kind, parent code, active). Names that need the province's name use {p}.
UNITS = [
    ("ubnd-tinh", "Ủy ban nhân dân {p}", K.PEOPLES_COMMITTEE_PROVINCE, None, True),
    ("mttq-tinh", "Ủy ban Mặt trận Tổ quốc Việt Nam {p}", K.FRONT_PROVINCE, None, True),
    ("so-khcn", "Sở Khoa học và Công nghệ", K.DEPARTMENT, "ubnd-tinh", True),
    ("so-tc", "Sở Tài chính", K.DEPARTMENT, "ubnd-tinh", True),
    ("so-nv", "Sở Nội vụ", K.DEPARTMENT, "ubnd-tinh", True),
    ("so-gddt", "Sở Giáo dục và Đào tạo", K.DEPARTMENT, "ubnd-tinh", True),
    ("so-yt", "Sở Y tế", K.DEPARTMENT, "ubnd-tinh", True),
    ("so-nnmt", "Sở Nông nghiệp và Môi trường", K.DEPARTMENT, "ubnd-tinh", True),
    ("so-xd", "Sở Xây dựng", K.DEPARTMENT, "ubnd-tinh", True),
    ("so-vhtt", "Sở Văn hóa và Thể thao", K.DEPARTMENT, "ubnd-tinh", True),
    # Merged on 01/3/2025 (into Sở Nội vụ and Sở Khoa học và Công nghệ): kept for historical campaigns.
    ("so-ldtbxh", "Sở Lao động – Thương binh và Xã hội", K.DEPARTMENT, "ubnd-tinh", False),
    ("so-tttt", "Sở Thông tin và Truyền thông", K.DEPARTMENT, "ubnd-tinh", False),
    (
        "lhh-khkt",
        "Liên hiệp các Hội Khoa học và Kỹ thuật {p}",
        K.FRONT_MEMBER_ORGANISATION,
        "mttq-tinh",
        True,
    ),
    ("tinh-doan", "Tỉnh Đoàn (Đoàn TNCS Hồ Chí Minh {p})", K.FRONT_MEMBER_ORGANISATION, "mttq-tinh", True),
    ("hoi-phu-nu", "Hội Liên hiệp Phụ nữ {p}", K.FRONT_MEMBER_ORGANISATION, "mttq-tinh", True),
    ("hoi-nong-dan", "Hội Nông dân {p}", K.FRONT_MEMBER_ORGANISATION, "mttq-tinh", True),
    ("ldld", "Liên đoàn Lao động {p}", K.FRONT_MEMBER_ORGANISATION, "mttq-tinh", True),
    ("hoi-ccb", "Hội Cựu chiến binh {p}", K.FRONT_MEMBER_ORGANISATION, "mttq-tinh", True),
    # Communes and wards of the two-tier local government (from 01/7/2025).
    ("p-thuan-hoa", "UBND phường Thuận Hóa", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("p-phu-xuan", "UBND phường Phú Xuân", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("p-kim-long", "UBND phường Kim Long", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("p-vy-da", "UBND phường Vỹ Dạ", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("p-an-cuu", "UBND phường An Cựu", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("p-thuan-an", "UBND phường Thuận An", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("p-huong-thuy", "UBND phường Hương Thủy", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("p-huong-tra", "UBND phường Hương Trà", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("p-phong-dien", "UBND phường Phong Điền", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("x-phu-vang", "UBND xã Phú Vang", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("x-quang-dien", "UBND xã Quảng Điền", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("x-a-luoi-1", "UBND xã A Lưới 1", K.PEOPLES_COMMITTEE_COMMUNE, "ubnd-tinh", True),
    ("mttq-p-thuan-hoa", "Ủy ban MTTQ Việt Nam phường Thuận Hóa", K.FRONT_COMMUNE, "mttq-tinh", True),
    ("mttq-x-phu-vang", "Ủy ban MTTQ Việt Nam xã Phú Vang", K.FRONT_COMMUNE, "mttq-tinh", True),
    # District level, abolished on 01/7/2025: inactive, kept for earlier campaigns.
    ("h-phu-vang", "UBND huyện Phú Vang", K.PEOPLES_COMMITTEE_DISTRICT, "ubnd-tinh", False),
    ("tx-huong-thuy", "UBND thị xã Hương Thủy", K.PEOPLES_COMMITTEE_DISTRICT, "ubnd-tinh", False),
    ("mttq-h-phu-vang", "Ủy ban MTTQ Việt Nam huyện Phú Vang", K.FRONT_DISTRICT, "mttq-tinh", False),
    # Public service units, enterprises, armed forces, central agencies.
    ("thpt-quoc-hoc", "Trường THPT chuyên Quốc Học", K.PUBLIC_SERVICE, "so-gddt", True),
    ("thpt-hai-ba-trung", "Trường THPT Hai Bà Trưng", K.PUBLIC_SERVICE, "so-gddt", True),
    ("thpt-nguyen-hue", "Trường THPT Nguyễn Huệ", K.PUBLIC_SERVICE, "so-gddt", True),
    ("bv-ycct", "Bệnh viện Y học cổ truyền", K.PUBLIC_SERVICE, "so-yt", True),
    ("cdc", "Trung tâm Kiểm soát bệnh tật", K.PUBLIC_SERVICE, "so-yt", True),
    (
        "tt-ung-dung-khcn",
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        K.PUBLIC_SERVICE,
        "so-khcn",
        True,
    ),
    ("dn-co-khi-huong-giang", "Công ty TNHH Cơ khí Hương Giang", K.ENTERPRISE, None, True),
    ("dn-det-may-phu-bai", "Công ty Cổ phần Dệt may Phú Bài", K.ENTERPRISE, None, True),
    ("htx-thuy-thanh", "Hợp tác xã Nông nghiệp Thủy Thanh", K.ENTERPRISE, None, True),
    ("bchqs", "Bộ Chỉ huy Quân sự {p}", K.ARMED_FORCES, None, True),
    ("cong-an", "Công an {p}", K.ARMED_FORCES, None, True),
    ("bv-tw-hue", "Bệnh viện Trung ương Huế", K.CENTRAL_AGENCY, None, True),
    ("dai-hoc-hue", "Đại học Huế", K.CENTRAL_AGENCY, None, True),
]

# (e-mail local part, full name, phone, [(role, unit code, position)]). The council's people hold no
# portal role: their places are on the councils (councils.demo), named here for the printed list.
COUNCIL_PLACES = {
    "thuky.hoidong": "Thư ký Hội đồng thẩm định sáng tạo",
    "uyvien.hoidong": "Ủy viên Hội đồng thẩm định sáng tạo",
    "uyvien2.hoidong": "Ủy viên Hội đồng thẩm định sáng tạo",
    "uyvien3.hoidong": "Ủy viên Hội đồng thẩm định sáng tạo",
    "chutich.hoidong": "Chủ tịch Hội đồng thẩm định sáng tạo",
}
PEOPLE = [
    ("canbo.khcn", "Nguyễn Thị Lan", "0914 123 401", [(Role.UNIT_STAFF, "so-khcn", "Chuyên viên")]),
    ("lanhdao.khcn", "Trần Văn Hùng", "0914 123 402", [(Role.UNIT_REVIEWER, "so-khcn", "Phó Giám đốc")]),
    ("canbo.gddt", "Lê Thị Hoa", "0914 123 403", [(Role.UNIT_STAFF, "so-gddt", "Chuyên viên")]),
    ("thuky.hoidong", "Phạm Minh Tuấn", "0914 123 404", []),
    ("uyvien.hoidong", "Hoàng Văn Nam", "0914 123 405", []),
    ("uyvien2.hoidong", "Lê Quang Minh", "0914 123 410", []),
    ("uyvien3.hoidong", "Tôn Nữ Thảo Vy", "0914 123 411", []),
    ("chutich.hoidong", "Võ Thị Thu", "0914 123 406", []),
    ("quantri.mttq", "Đặng Quốc Bảo", "0914 123 407", [(Role.FRONT_ADMIN, "mttq-tinh", "Phó Chủ tịch")]),
    (
        "thuongtruc.mttq",
        "Trương Thị Hồng Vân",
        "0914 123 414",
        [(Role.FRONT_ADMIN, "mttq-tinh", "Ủy viên Ban Thường trực")],
    ),
    ("ketoan.quy", "Bùi Thị Mai", "0914 123 408", [(Role.FUND_MAKER, "so-tc", "Kế toán")]),
    ("kiemsoat.quy", "Ngô Văn Phúc", "0914 123 409", [(Role.FUND_CHECKER, "mttq-tinh", "Kế toán trưởng")]),
    ("baocao.gddt", "Đỗ Thị Hạnh", "0914 123 412", [(Role.DEPARTMENT_VIEWER, "so-gddt", "Trưởng phòng")]),
    (
        "lanhdao.gddt",
        "Nguyễn Đình Khoa",
        "0914 123 413",
        [(Role.UNIT_REVIEWER, "so-gddt", "Giám đốc"), (Role.DEPARTMENT_VIEWER, "so-gddt", "Giám đốc")],
    ),
]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (đơn vị, tài khoản mỗi vai trò). Chạy lại nhiều lần không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Chỉ tạo dữ liệu khi cơ sở dữ liệu chưa có đơn vị nào; luôn in danh sách tài khoản mẫu.",
        )

    def handle(self, *args, once=False, **options):
        if once and Unit.objects.exists():
            self._print_accounts(self._existing_accounts())
            return
        # The demo's own status changes would otherwise mail (or print) notifications.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            units = self._seed_units()
            accounts = self._seed_people(units)
            for seeder in DEMO_SEEDERS:
                seeder.seed(self.stdout)
        self._print_accounts(accounts)

    def _existing_accounts(self) -> list[tuple[User, list]]:
        emails = [f"{local}@{DEMO_DOMAIN}" for local, *_rest in PEOPLE]
        users = User.objects.filter(email__in=emails).prefetch_related("memberships__unit")
        return [
            (
                user,
                [(m.get_role_display(), m.unit.name) for m in user.memberships.all()] + self._council(user),
            )
            for user in users
        ]

    @staticmethod
    def _council(user) -> list:
        place = COUNCIL_PLACES.get(user.email.split("@")[0])
        return [(place, "")] if place else []

    def _seed_units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for code, name, kind, parent_code, active in UNITS:
            units[code], _created = Unit.objects.update_or_create(
                code=code,
                defaults={
                    "name": name.format(p=settings.PROVINCE_NAME),
                    "kind": kind,
                    "parent": units[parent_code] if parent_code else None,
                    "is_active": active,
                },
            )
        return units

    def _seed_people(self, units) -> list[tuple[User, list]]:
        accounts = []
        for local, full_name, phone, roles in PEOPLE:
            user = User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()
            if user is None:
                # The password is set only when the account is created, so a changed one survives.
                user = User.objects.create_user(
                    f"{local}@{DEMO_DOMAIN}",
                    DEMO_PASSWORD,
                    full_name=full_name,
                    phone=phone,
                    date_joined=timezone.now() - DEMO_ACCOUNT_AGE,
                )
            for role, unit_code, position in roles:
                membership_grant(user=user, unit=units[unit_code], role=role, position=position, actor=None)
            # The demo's people have held their roles for a while, so the fund checker and the Front
            # admins can approve at once (settings.MONEY_ROLE_COOLING_DAYS).
            joined = min(user.date_joined, timezone.now() - DEMO_ACCOUNT_AGE)
            User.objects.filter(pk=user.pk).update(date_joined=joined)
            Membership.objects.filter(user=user, created_at__gt=joined).update(created_at=joined)
            roles_held = [(Role(role).label, units[code].name) for role, code, _p in roles]
            accounts.append((user, roles_held + self._council(user)))
        return accounts

    def _print_accounts(self, accounts) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Dữ liệu mẫu: {Unit.objects.count()} đơn vị, {len(accounts)} tài khoản.")
        )
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for user, roles in accounts:
            described = "; ".join(f"{label} — {unit}" if unit else str(label) for label, unit in roles)
            self.stdout.write(f"  {user.email:<40} {user.full_name:<20} {described}")
