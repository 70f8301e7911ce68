"""Province-scale data for the page benchmark (issue #16), made in bulk but shaped as the services
shape it: `manage.py bench_data --dossiers N`.

By default: 100,000 dossiers over three yearly campaigns (the oldest and the previous one finished,
the current one in its ranking phase), 2,000 units in a tree, one staff member per unit, a 40-member
council on each of the last two campaigns with N/50 entries × 5 members scored on the default
rubric, a ranking run and a published award list for the previous year, a ranking run and an approved
list for the current one, thousands of posted fund transactions, marked public records and the audit
events of all of it.

How: the mass rows (units, users, dossiers and their authors, assignments, sheets, score items, fund
transactions, their audit events) are written with bulk_create, every derived column filled the way
the services fill it (the folded search columns, references from the year's counter, sheet totals,
the padded words of public records); the few steps that change many rows at once go through the
services themselves (council_found, council_member_add, rubric_create_default, dossiers_scored,
ranking_start/ranking_execute, award_list_draft/approve/publish, search_words_refresh), so their
own derived data (ranked entries, honourees, certificates, the prize batch, public records, the word
list) is exactly theirs. Everything runs in one transaction: a run that fails leaves nothing.

Idempotent: each step looks for what it makes (by unit code, e-mail, campaign year, count) and makes
only what is missing; a second run with the same size writes nothing, a larger --dossiers tops up."""

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone, translation
from guardian.models import UserObjectPermission

from accounts.models import Membership, Unit, UnitKind, User
from accounts.services import membership_grant
from awards.models import AwardList, Honouree, RankingRun
from awards.ranking import ranking_execute, ranking_start
from awards.services import award_list_approve, award_list_draft, award_list_publish
from councils.models import Assignment, Council, CouncilMember, MemberRole, ScoreItem, ScoreSheet
from councils.services import council_found, council_member_add, rubric_create_default
from dksangtao.audit import Action, record, record_many
from dksangtao.formatting import format_points
from dksangtao.models import AuditEvent
from dksangtao.roles import ROLE_UNIT_PERMISSIONS, Role
from dksangtao.text import fold
from fund.models import Account, Entry, Kind, Transaction
from fund.models import Status as FundStatus
from public.models import PublicRecord
from public.search import search_words_refresh
from public.services import MARKABLE, _dossiers, _public_part
from submissions.demo import ranking_dates
from submissions.models import (
    Author,
    Campaign,
    Dossier,
    DossierKind,
    Field,
    ReferenceCounter,
    Status,
    UnitGrade,
)
from submissions.services import STATUS_ACTIONS, dossiers_scored

S = Status
DOMAIN = "bench.invalid"
PREFIX = "b-"  # every generated unit's code starts with it
ACCOUNT_AGE = dt.timedelta(days=60)  # past the money roles' cooling-off (MONEY_ROLE_COOLING_DAYS)
D = Decimal


def bench_password() -> str:
    return getattr(settings, "BENCH_PASSWORD", "") or "bench-pass-2026"


@dataclass
class Size:
    """The generator's size; everything but `dossiers` scales from it unless given."""

    dossiers: int = 100_000
    units: int | None = None  # default N/50 (2,000 at 100k), at least 16
    members: int | None = None  # council members (chair, secretary and scorers); default 40, at least 8
    entries: int | None = None  # council entries per scored campaign; default N/50, at least 5
    per_entry: int = 5  # scorers per entry
    fund_transactions: int | None = None  # default N/25, at least 12
    public_records: int | None = None  # records marked by a Front admin; default N/20, at least 5
    seed: int = 2026

    def __post_init__(self):
        n = self.dossiers
        self.units = self.units or max(16, n // 50)
        self.members = self.members or (40 if n >= 2_000 else 8)
        self.entries = self.entries or max(5, n // 50)
        self.fund_transactions = self.fund_transactions or max(12, n // 25)
        self.public_records = self.public_records or max(5, n // 20)
        if self.members < self.per_entry + 2:
            raise ValueError("--members must leave at least --per-entry scorers besides chair and secretary")


@contextmanager
def _stored_dates(*fields):
    """Let bulk_create keep the dates the generator gives (auto_now/auto_now_add would stamp now)."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f, _now, _add in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


@contextmanager
def _gin_rebuilt(model):
    """On PostgreSQL, the table's GIN indexes (the trigram indexes of the search columns) dropped
    while many rows go in and built again once at the end, as a restore does: the same indexes, built
    several times faster than maintained row by row. Inside the generator's transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %s AND indexdef ILIKE %s",
            [model._meta.db_table, "% USING gin %"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        # The inserts' deferred foreign-key checks must fire before an index can be built on the table.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _field(model, name):
    return model._meta.get_field(name)


def _aware(day: dt.date, minutes: int = 9 * 60) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


# Words ----------------------------------------------------------------------------------------

TOPICS = [
    "Ứng dụng phần mềm quản lý",
    "Số hóa quy trình",
    "Cải tiến máy",
    "Giải pháp tiết kiệm điện cho",
    "Mô hình liên kết sản xuất",
    "Hệ thống cảnh báo sớm",
    "Quy trình xử lý",
    "Thiết bị hỗ trợ",
    "Phương pháp dạy học",
    "Nền tảng trực tuyến",
    "Bản đồ số",
    "Ứng dụng trí tuệ nhân tạo trong",
    "Mô hình tái chế",
    "Cải tiến thủ tục",
    "Giải pháp giảm chi phí",
    "Công cụ tra cứu",
]
OBJECTS = [
    "hồ sơ một cửa cấp xã",
    "rác thải sinh hoạt",
    "nước tưới tiêu",
    "tuốt lúa mini",
    "thời khóa biểu",
    "sạt lở đất vùng núi",
    "nấm linh chi",
    "bệnh nhân ngoại trú",
    "kho lưu trữ tài liệu",
    "lịch tiêm chủng",
    "đèn chiếu sáng công cộng",
    "tôm thẻ chân trắng",
    "học sinh vùng khó khăn",
    "làng nghề truyền thống",
    "phòng cháy chữa cháy",
    "hóa đơn điện tử",
    "di tích Cố đô",
    "cây dược liệu",
    "xe buýt nội tỉnh",
    "chất thải y tế",
]
PLACES = ["tại đơn vị", "trên địa bàn tỉnh", "cho hợp tác xã", "ở vùng ven biển", "ở miền núi", "cấp xã"]
SENTENCES = [
    "Trước đây công việc làm thủ công, mất nhiều thời gian và dễ sai sót.",
    "Giải pháp kết nối cảm biến giá rẻ với điện thoại của người dân.",
    "Thời gian xử lý giảm từ năm ngày xuống còn hai giờ.",
    "Chi phí vận hành giảm khoảng ba mươi phần trăm mỗi năm.",
    "Đã áp dụng thử tại mười hai xã, phường và được người dân đồng tình.",
    "Dữ liệu được cập nhật hằng ngày, tra cứu trên máy tính và điện thoại.",
    "Tận dụng nguyên liệu sẵn có ở địa phương, dễ nhân rộng.",
    "Học sinh tham gia thiết kế, tích hợp nhiều môn học.",
    "Giảm khói bụi, bảo vệ sức khỏe người lao động.",
    "Năng suất tăng gấp ba lần so với cách làm cũ.",
    "Cán bộ được tập huấn trong một buổi là sử dụng được.",
    "Kết quả được Sở chuyên ngành đánh giá cao và đề nghị nhân rộng.",
    "Tiết kiệm nước tưới, giảm công lao động trong mùa khô.",
    "Người bệnh không phải xếp hàng, thời gian chờ giảm một nửa.",
    "Số liệu minh bạch, lãnh đạo theo dõi được theo thời gian thực.",
    "Sản phẩm đạt tiêu chuẩn, được doanh nghiệp đặt hàng.",
    "Mô hình phù hợp với hộ gia đình có thu nhập thấp.",
    "Giảm lượng giấy tờ phải in, lưu trữ gọn trên máy chủ của tỉnh.",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Hữu", "Quang", "Minh", "Thu", "Đức", "Ngọc", "Xuân", "Thanh"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm"]
DONORS = ["Ngân hàng TMCP Ngoại thương", "Công ty Điện lực tỉnh", "Tập đoàn Viễn thông", "Hội doanh nhân trẻ"]
BANKS = [("0161 0012 34567", "Vietcombank – Chi nhánh Huế"), ("5511 2000 98765", "Agribank – Chi nhánh Huế")]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


# Units ----------------------------------------------------------------------------------------

DEPARTMENTS = [
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Văn hóa và Thể thao",
    "Sở Công Thương",
    "Sở Tư pháp",
]
K = UnitKind


def _unit_plan(total: int) -> list[tuple[str, str, str, str | None, bool]]:
    """(code, name, kind, parent code, active), parents before children. The staff bench unit is a
    school of the first department (b-so-01-dv-0001), the reviewer bench unit that department."""
    province = settings.PROVINCE_NAME
    plan = [
        ("b-ubnd-tinh", f"Ủy ban nhân dân {province} (bench)", K.PEOPLES_COMMITTEE_PROVINCE, None, True),
        ("b-mttq-tinh", f"Ủy ban MTTQ Việt Nam {province} (bench)", K.FRONT_PROVINCE, None, True),
        ("b-chuyen-gia", "Hội đồng chuyên gia độc lập (bench)", K.CENTRAL_AGENCY, None, True),
    ]
    rest = total - len(plan)
    n_dep = max(2, rest // 50)
    n_org = max(1, rest // 100)
    n_district = max(1, rest // 60)
    n_commune = max(2, rest * 15 // 100)
    n_front = max(1, rest // 10)
    n_ent = max(1, rest * 15 // 100)
    n_service = max(2, rest - n_dep - n_org - n_district - n_commune - n_front - n_ent)
    for i in range(1, n_dep + 1):
        name = DEPARTMENTS[(i - 1) % len(DEPARTMENTS)]
        plan.append((f"b-so-{i:02d}", f"{name} {i:02d}", K.DEPARTMENT, "b-ubnd-tinh", True))
    for i in range(1, n_org + 1):
        plan.append(
            (
                f"b-tctv-{i:03d}",
                f"Tổ chức thành viên số {i}",
                K.FRONT_MEMBER_ORGANISATION,
                "b-mttq-tinh",
                True,
            )
        )
    for i in range(1, n_district + 1):
        plan.append(
            (f"b-huyen-{i:03d}", f"UBND huyện số {i}", K.PEOPLES_COMMITTEE_DISTRICT, "b-ubnd-tinh", False)
        )
    for i in range(1, n_commune + 1):
        plan.append(
            (f"b-xa-{i:04d}", f"UBND xã, phường số {i}", K.PEOPLES_COMMITTEE_COMMUNE, "b-ubnd-tinh", True)
        )
    for i in range(1, n_front + 1):
        plan.append((f"b-mttq-xa-{i:04d}", f"Ủy ban MTTQ xã số {i}", K.FRONT_COMMUNE, "b-mttq-tinh", True))
    for i in range(1, n_ent + 1):
        plan.append((f"b-dn-{i:04d}", f"Công ty, hợp tác xã số {i}", K.ENTERPRISE, None, True))
    for i in range(1, n_service + 1):
        dep = (i - 1) % n_dep + 1
        plan.append(
            (
                f"b-so-{dep:02d}-dv-{i:04d}",
                f"Trường, bệnh viện, viện số {i}",
                K.PUBLIC_SERVICE,
                f"b-so-{dep:02d}",
                True,
            )
        )
    return plan


STAFF_UNIT = "b-so-01-dv-0001"
REVIEWER_UNIT = "b-so-01"


# The generator --------------------------------------------------------------------------------


class Generator:
    def __init__(self, size: Size, out=None):
        self.size = size
        self.rng = random.Random(size.seed)
        self.out = out
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.made: dict[str, int] = {}
        self.hashes: dict[str | None, str] = {}

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)

    def count(self, what: str, n: int) -> None:
        if n:
            self.made[what] = self.made.get(what, 0) + n

    def run(self) -> dict[str, int]:
        if not Field.objects.exists() or not DossierKind.objects.exists() or not Account.objects.exists():
            raise RuntimeError("Reference data missing: run `manage.py migrate` first.")
        steps = [
            ("units", self.units),
            ("people", self.people),
            ("campaigns", self.campaigns),
            ("dossiers", self.all_dossiers),
            *((f"council {key}", partial(self.council, key)) for key in ("previous", "current")),
            ("awards", self.awards),
            ("public records", self.public_records),
            ("fund", self.fund),
        ]
        with translation.override("vi"), transaction.atomic():
            for name, step in steps:
                started = time.monotonic()
                step()
                self.say(f"    [{name}: {time.monotonic() - started:.1f} s]")
        if self.made and connection.vendor == "postgresql":
            # Fresh planner statistics, and the GIN indexes' pending lists merged: autovacuum would get
            # there in its own time, and until it does the planner takes a 4,000-row table for a 3-row
            # one (a nested loop for the fund's balances) and every word search re-reads 193 pending
            # pages. VACUUM cannot run inside a transaction: a caller's (a test's) gets ANALYZE alone.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return self.made

    # Units and people -------------------------------------------------------------------------

    def units(self) -> None:
        plan = _unit_plan(self.size.units)
        existing = dict(Unit.objects.filter(code__startswith=PREFIX).values_list("code", "pk"))
        for depth in range(3):  # roots, their children, grandchildren
            level = [row for row in plan if row[0] not in existing and self._depth(row, plan) == depth]
            made = Unit.objects.bulk_create(
                Unit(code=code, name=name, kind=kind, parent_id=existing.get(parent), is_active=active)
                for code, name, kind, parent, active in level
            )
            existing.update({u.code: u.pk for u in made})
            self.count("units", len(made))
        self.unit_ids = existing
        self.units_by_id = {u.pk: u for u in Unit.objects.filter(code__startswith=PREFIX)}
        skip = {"b-ubnd-tinh", "b-mttq-tinh", "b-chuyen-gia"}
        self.dossier_units = [u for u in self.units_by_id.values() if u.code not in skip and u.is_active]
        self.dossier_units.sort(key=lambda u: u.code)

    @staticmethod
    def _depth(row, plan) -> int:
        parents = {code: parent for code, _n, _k, parent, _a in plan}
        depth, parent = 0, row[3]
        while parent:
            depth, parent = depth + 1, parents[parent]
        return depth

    def _user(self, local: str, full_name: str, *, password: str | None, superuser=False) -> User:
        user = User.objects.filter(email=f"{local}@{DOMAIN}").first()
        if user is None:
            if password not in self.hashes:  # one slow hash for all the bench users
                self.hashes[password] = make_password(password)
            user = User.objects.create(
                email=f"{local}@{DOMAIN}",
                password=self.hashes[password],
                full_name=full_name,
                date_joined=self.now - ACCOUNT_AGE,
                is_staff=superuser,
                is_superuser=superuser,
            )
            self.count("users", 1)
        return user

    def _grant(self, user: User, unit_code: str, role: str, position: str) -> None:
        unit = self.units_by_id[self.unit_ids[unit_code]]
        if not Membership.objects.filter(user=user, unit=unit, role=role).exists():
            membership_grant(user=user, unit=unit, role=role, position=position, actor=None)
            Membership.objects.filter(user=user).update(created_at=self.now - ACCOUNT_AGE)
            self.count("memberships", 1)

    def people(self) -> None:
        """One staff member per unit that submits (bulk, with their guardian object permissions), a
        reviewer per department and member organisation, the council's people, and one bench user per
        role with the known password (through membership_grant, like the demo)."""
        hashed_unusable = make_password(None)
        staff_emails = {f"staff-{u.code}@{DOMAIN}": u for u in self.dossier_units}
        reviewer_units = [
            u for u in self.dossier_units if u.kind in (K.DEPARTMENT, K.FRONT_MEMBER_ORGANISATION)
        ]
        reviewer_emails = {f"reviewer-{u.code}@{DOMAIN}": u for u in reviewer_units}
        wanted = {**{e: (u, Role.UNIT_STAFF) for e, u in staff_emails.items()}}
        wanted.update({e: (u, Role.UNIT_REVIEWER) for e, u in reviewer_emails.items()})
        have = set(User.objects.filter(email__in=list(wanted)).values_list("email", flat=True))
        with _stored_dates(_field(Membership, "created_at")):
            users = User.objects.bulk_create(
                User(
                    email=email,
                    full_name=_name(self.rng),
                    password=hashed_unusable,
                    date_joined=self.now - ACCOUNT_AGE,
                )
                for email in wanted
                if email not in have
            )
            memberships = [
                Membership(
                    user=user,
                    unit=wanted[user.email][0],
                    role=wanted[user.email][1],
                    position="Chuyên viên" if wanted[user.email][1] == Role.UNIT_STAFF else "Phó Giám đốc",
                    created_at=self.now - ACCOUNT_AGE,
                )
                for user in users
            ]
            Membership.objects.bulk_create(memberships, batch_size=2000)
        unit_type = ContentType.objects.get_for_model(Unit)
        perms = {p.codename: p for p in Permission.objects.filter(content_type=unit_type)}
        UserObjectPermission.objects.bulk_create(
            (
                UserObjectPermission(
                    user=m.user, permission=perms[codename], content_type=unit_type, object_pk=str(m.unit_id)
                )
                for m in memberships
                for codename in sorted(ROLE_UNIT_PERMISSIONS[m.role])
            ),
            batch_size=2000,
        )
        record_many(
            actor=None,
            action=Action.ROLE_GRANTED,
            objects=users,
            detail=lambda u: {"role": wanted[u.email][1], "unit": wanted[u.email][0].pk},
        )
        self.count("users", len(users))
        self.count("memberships", len(memberships))
        self.staff_by_unit = {
            m.unit_id: m.user_id
            for m in Membership.objects.filter(role=Role.UNIT_STAFF, unit__code__startswith=PREFIX).only(
                "unit_id", "user_id"
            )
        }
        self.reviewer_by_unit = {
            m.unit_id: m.user_id
            for m in Membership.objects.filter(role=Role.UNIT_REVIEWER, unit__code__startswith=PREFIX).only(
                "unit_id", "user_id"
            )
        }

        # The bench users, one per role (their e-mails: bench-<role>@bench.invalid).
        password = bench_password()
        bench = {}
        for local, full_name, grants in [
            ("bench-staff", "Cán bộ Bench", [(STAFF_UNIT, Role.UNIT_STAFF, "Chuyên viên")]),
            ("bench-leader", "Lãnh đạo đơn vị Bench", [(STAFF_UNIT, Role.UNIT_REVIEWER, "Hiệu trưởng")]),
            (
                "bench-reviewer",
                "Đầu mối thi đua Bench",
                [(REVIEWER_UNIT, Role.UNIT_REVIEWER, "Phó Giám đốc")],
            ),
            ("bench-department", "Sở ngành Bench", [(REVIEWER_UNIT, Role.DEPARTMENT_VIEWER, "Trưởng phòng")]),
            ("bench-secretary", "Thư ký Bench", []),
            ("bench-chair", "Chủ tịch Bench", []),
            ("bench-member", "Ủy viên Bench", []),
            (
                "bench-front-admin",
                "Quản trị Mặt trận Bench",
                [("b-mttq-tinh", Role.FRONT_ADMIN, "Phó Chủ tịch")],
            ),
            (
                "bench-front-admin-2",
                "Thường trực Mặt trận Bench",
                [("b-mttq-tinh", Role.FRONT_ADMIN, "Ủy viên Ban Thường trực")],
            ),
            ("bench-fund-maker", "Kế toán Quỹ Bench", [("b-mttq-tinh", Role.FUND_MAKER, "Kế toán")]),
            (
                "bench-fund-checker",
                "Kiểm soát Quỹ Bench",
                [("b-mttq-tinh", Role.FUND_CHECKER, "Kế toán trưởng")],
            ),
        ]:
            user = self._user(local, full_name, password=password)
            for unit_code, role, position in grants:
                self._grant(user, unit_code, role, position)
            bench[local] = user
        bench["bench-superuser"] = self._user(
            "bench-superuser", "Quản trị cấp cao Bench", password=password, superuser=True
        )
        self.bench = bench
        self.staff_by_unit[self.unit_ids[STAFF_UNIT]] = bench["bench-staff"].pk
        self.reviewer_by_unit[self.unit_ids[STAFF_UNIT]] = bench["bench-leader"].pk
        self.reviewer_by_unit[self.unit_ids[REVIEWER_UNIT]] = bench["bench-reviewer"].pk
        # The council's scorers besides the bench member (no portal role: their place is on the council).
        self.council_users = [bench["bench-chair"], bench["bench-secretary"], bench["bench-member"]]
        for i in range(1, self.size.members - 2):
            self.council_users.append(self._user(f"council-{i:03d}", _name(self.rng), password=None))

    # Campaigns and dossiers -------------------------------------------------------------------

    def campaigns(self) -> None:
        today = self.today
        year = today.year if today + dt.timedelta(days=100) < dt.date(today.year, 9, 2) else today.year + 1

        def finished(y):
            return {
                "submissions_open": dt.date(y, 3, 1),
                "submissions_close": dt.date(y, 5, 31),
                "unit_review_deadline": dt.date(y, 6, 20),
                "screening_deadline": dt.date(y, 6, 30),
                "scoring_start": dt.date(y, 7, 1),
                "scoring_end": dt.date(y, 7, 31),
                "ceremony_date": dt.date(y, 9, 2),
            }

        # The current campaign's council closed its scoring yesterday: it is ranked, its list approved.
        current = ranking_dates(today) | {"ceremony_date": dt.date(year, 9, 2)}
        self.campaign = {}
        for key, y, dates in (
            ("oldest", year - 2, finished(year - 2)),
            ("previous", year - 1, finished(year - 1)),
            ("current", year, current),
        ):
            campaign, created = Campaign.objects.get_or_create(
                year=y, defaults={"name": f"Đợt xét chọn năm {y}", **dates}
            )
            self.count("campaigns", int(created))
            self.campaign[key] = campaign

    def all_dossiers(self) -> None:
        missing = self.size.dossiers - Dossier.objects.filter(campaign__in=self.campaign.values()).count()
        with _gin_rebuilt(Dossier) if missing >= 5_000 else nullcontext():
            for key in ("oldest", "previous", "current"):
                self.dossiers(key)

    def _share(self, key: str) -> int:
        n = self.size.dossiers
        oldest, previous = n * 30 // 100, n * 33 // 100
        return {"oldest": oldest, "previous": previous, "current": n - oldest - previous}[key]

    # Statuses of the dossiers that are not council entries, by campaign: a finished campaign has no
    # drafts left in review; the current one (past its unit review) keeps some drafts nobody submitted.
    MIX = {
        "oldest": [
            (S.RECOGNISED_AT_UNIT, 45),
            (S.SUBMITTED, 15),
            (S.RETURNED, 10),
            (S.WITHDRAWN, 5),
            (S.DRAFT, 10),
            (S.INELIGIBLE, 15),
        ],
        "previous": [
            (S.RECOGNISED_AT_UNIT, 50),
            (S.SUBMITTED, 15),
            (S.RETURNED, 10),
            (S.WITHDRAWN, 5),
            (S.DRAFT, 10),
            (S.INELIGIBLE, 10),
        ],
        "current": [
            (S.RECOGNISED_AT_UNIT, 40),
            (S.SUBMITTED, 20),
            (S.RETURNED, 10),
            (S.WITHDRAWN, 5),
            (S.DRAFT, 15),
            (S.INELIGIBLE, 10),
        ],
    }
    # The path of events that leads to each status (the audit trail of a dossier).
    PATHS = {
        S.DRAFT: [],
        S.SUBMITTED: [S.SUBMITTED],
        S.RETURNED: [S.SUBMITTED, S.RETURNED],
        S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
        S.RECOGNISED_AT_UNIT: [S.SUBMITTED, S.RECOGNISED_AT_UNIT],
        S.INELIGIBLE: [S.SUBMITTED, S.NOMINATED, S.INELIGIBLE],
        S.IN_APPRAISAL: [S.SUBMITTED, S.NOMINATED, S.IN_APPRAISAL],
    }

    def _unit_weights(self) -> list[float]:
        """A long tail: a few units submit a great deal (the staff bench unit about 2 %)."""
        weights = [1.0 / (1 + i) ** 0.6 for i in range(len(self.dossier_units))]
        self.rng.shuffle(weights)
        staff = next(i for i, u in enumerate(self.dossier_units) if u.code == STAFF_UNIT)
        weights[staff] = sum(weights) * 0.02
        return weights

    def dossiers(self, key: str) -> None:
        campaign = self.campaign[key]
        target = self._share(key)
        have = Dossier.objects.filter(campaign=campaign).count()
        missing = target - have
        if missing <= 0:
            return
        rng = self.rng
        entries = self.size.entries if key in ("previous", "current") else 0
        entries_now = max(0, entries - have)  # the first dossiers made are the council's entries
        kinds = list(DossierKind.objects.values_list("pk", flat=True))
        fields = list(Field.objects.values_list("pk", flat=True))
        weights = self._unit_weights()
        mix = self.MIX[key]
        statuses, status_weights = [s for s, _w in mix], [w for _s, w in mix]
        counter, _created = ReferenceCounter.objects.get_or_create(year=campaign.year)
        number = counter.last_number
        span = (campaign.submissions_close - campaign.submissions_open).days or 1
        units = rng.choices(self.dossier_units, weights=weights, k=missing)
        rows = []
        for i in range(missing):
            unit = units[i]
            status = S.IN_APPRAISAL if i < entries_now else rng.choices(statuses, status_weights)[0]
            topic, obj, place = rng.choice(TOPICS), rng.choice(OBJECTS), rng.choice(PLACES)
            title = f"{topic} {obj} {place} (số {have + i + 1})"
            summary = " ".join(rng.sample(SENTENCES, 3))
            created = campaign.submissions_open + dt.timedelta(days=rng.randrange(span))
            created_at = _aware(created, rng.randrange(7 * 60, 17 * 60))
            submitted_at = None
            reference = None
            if status != S.DRAFT:
                number += 1
                reference = f"DKST-{campaign.year}-{number:05d}"
                submitted_at = created_at + dt.timedelta(
                    days=rng.randrange(0, 10), minutes=rng.randrange(600)
                )
            collective = rng.random() < 0.2
            rows.append(
                Dossier(
                    campaign=campaign,
                    unit=unit,
                    reference=reference,
                    status=status,
                    title=title,
                    kind_id=rng.choice(kinds),
                    field_id=rng.choice(fields),
                    summary=summary,
                    owner="",
                    is_collective=collective,
                    collective_name=f"Tập thể {unit.name}" if collective else "",
                    authors_consent=rng.random() < 0.7,
                    first_applied_on=created - dt.timedelta(days=rng.randrange(30, 400)),
                    current_situation=rng.choice(SENTENCES),
                    solution_content=" ".join(rng.sample(SENTENCES, 4)),
                    novelty="Lần đầu áp dụng trên địa bàn; kết hợp công nghệ sẵn có theo cách mới.",
                    application_conditions="Cần máy tính kết nối mạng và tập huấn cho người sử dụng.",
                    application_scope="Có thể nhân rộng cho các đơn vị cùng lĩnh vực trong tỉnh.",
                    economic_benefit_vnd=rng.randrange(0, 2_000) * 1_000_000 if rng.random() < 0.7 else None,
                    benefits_by_author=rng.choice(SENTENCES),
                    trial_participants="Cán bộ, viên chức của đơn vị tham gia áp dụng thử.",
                    unit_grade=rng.choice([UnitGrade.GOOD, UnitGrade.FAIR, UnitGrade.EXCELLENT])
                    if status in (S.RECOGNISED_AT_UNIT,)
                    else "",
                    # as submissions.services._apply folds them
                    search_text=fold(f"{title} {summary}"),
                    search_title=fold(title),
                    created_by_id=self.staff_by_unit[unit.pk],
                    created_at=created_at,
                    updated_at=submitted_at or created_at,
                    submitted_at=submitted_at,
                )
            )
        with _stored_dates(_field(Dossier, "created_at"), _field(Dossier, "updated_at")):
            made = Dossier.objects.bulk_create(rows, batch_size=2000)
        ReferenceCounter.objects.filter(year=campaign.year).update(last_number=number)
        authors = []
        for dossier in made:
            count = rng.choice([1, 1, 2, 2, 3])
            shares = {1: [100], 2: [60, 40], 3: [50, 30, 20]}[count]
            for order, share in enumerate(shares):
                authors.append(
                    Author(
                        dossier=dossier,
                        order=order,
                        full_name=_name(rng),
                        date_of_birth=dt.date(
                            rng.randrange(1965, 2000), rng.randrange(1, 13), rng.randrange(1, 28)
                        ),
                        workplace=dossier.unit.name,
                        position=rng.choice(["Chuyên viên", "Kỹ sư", "Giáo viên", "Bác sĩ", "Trưởng phòng"]),
                        qualification=rng.choice(["Cử nhân", "Kỹ sư", "Thạc sĩ", "Tiến sĩ"]),
                        contribution_percent=share,
                    )
                )
        Author.objects.bulk_create(authors, batch_size=5000)
        self._dossier_events(made, campaign)
        self.count("dossiers", len(made))
        self.count("authors", len(authors))
        self.say(f"  {campaign.name}: {len(made)} hồ sơ mới")

    def _dossier_events(self, dossiers, campaign) -> None:
        """The trail each dossier would have from the services: created, then each status change."""
        dossier_type = ContentType.objects.get_for_model(Dossier)
        secretary = self.bench["bench-secretary"].pk
        events = []
        for d in dossiers:
            repr_ = f"{d.reference or '(chưa nộp)'} — {d.title}"[:300]
            creator = d.created_by_id
            reviewer = self.reviewer_by_unit.get(d.unit_id) or self.reviewer_by_unit.get(d.unit.parent_id)
            at = d.created_at
            steps = [(S.DRAFT, creator, "", S.DRAFT)]
            previous = S.DRAFT
            for step in self.PATHS[d.status]:
                who = {S.SUBMITTED: creator, S.WITHDRAWN: creator, S.NOMINATED: reviewer}.get(step, reviewer)
                if step in (S.IN_APPRAISAL, S.INELIGIBLE):
                    who = secretary
                steps.append((previous, who, "", step))
                previous = step
            for n, (before, who, reason, after) in enumerate(steps):
                action = STATUS_ACTIONS[after]
                reason = {
                    S.RETURNED: "Bổ sung số liệu hiệu quả kinh tế có xác nhận của nơi áp dụng.",
                    S.INELIGIBLE: "Không đủ điều kiện: giải pháp đã được công nhận năm trước.",
                    S.WITHDRAWN: "Đơn vị rút để hoàn thiện thêm số liệu.",
                }.get(after, "")
                events.append(
                    AuditEvent(
                        created_at=at + dt.timedelta(days=n),
                        actor_id=who,
                        action=action,
                        content_type=dossier_type,
                        object_id=d.pk,
                        object_repr=repr_,
                        reason=reason,
                        detail={"from": "" if after == S.DRAFT else before, "to": after},
                    )
                )
        AuditEvent.objects.bulk_create(events, batch_size=5000)
        self.count("audit events", len(events))

    # Councils ---------------------------------------------------------------------------------

    def council(self, key: str) -> None:
        campaign = self.campaign[key]
        if Council.objects.filter(campaign=campaign).exists():
            return
        council = council_found(
            campaign=campaign,
            name=f"Hội đồng thẩm định sáng tạo năm {campaign.year}",
            decision_number=f"125/QĐ-MTTQ-BTT/{campaign.year - 1}",
            decision_date=campaign.submissions_open + dt.timedelta(days=7),
            signer="Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
            actor=None,
        )
        Council.objects.filter(pk=council.pk).update(members_per_entry=self.size.per_entry)
        home = self.units_by_id[self.unit_ids["b-chuyen-gia"]]
        fields = list(Field.objects.all())
        for n, user in enumerate(self.council_users):
            role = {0: MemberRole.CHAIR, 1: MemberRole.SECRETARY}.get(n, MemberRole.MEMBER)
            if n in (3, 4):
                role = MemberRole.VICE_CHAIR
            council_member_add(
                council=council,
                user=user,
                role=role,
                home_unit=home,
                expertise=[fields[n % len(fields)], fields[(n + 3) % len(fields)]],
                actor=None,
            )
        rubric = rubric_create_default(campaign=campaign, actor=None)
        criteria = list(rubric.criteria.order_by("order"))
        scorers = list(
            CouncilMember.objects.filter(council=council, role__in=[MemberRole.MEMBER, MemberRole.VICE_CHAIR])
            .select_related("user")
            .order_by("pk")
        )
        entries = list(
            Dossier.objects.filter(campaign=campaign, status=S.IN_APPRAISAL)
            .select_related("unit")
            .order_by("pk")[: self.size.entries]
        )
        secretary = self.bench["bench-secretary"]
        rng = self.rng
        start, end = campaign.scoring_start, campaign.scoring_end
        window = max(1, (end - start).days)
        assignments = []
        for i, dossier in enumerate(entries):
            for k in range(self.size.per_entry):
                member = scorers[(i * self.size.per_entry + k) % len(scorers)]
                assignments.append(
                    Assignment(
                        council=council,
                        dossier=dossier,
                        member=member,
                        assigned_by=secretary,
                        assigned_at=_aware(start, 8 * 60),
                    )
                )
        with _stored_dates(_field(Assignment, "assigned_at"), _field(ScoreSheet, "updated_at")):
            assignments = Assignment.objects.bulk_create(assignments, batch_size=5000)
            # Scores: each entry has a level (so every class occurs), each member moves it a little;
            # points in steps of 0.5, within each criterion's maximum.
            levels = {d.pk: rng.choice([0.93, 0.86, 0.82, 0.72, 0.6, 0.5]) for d in entries}
            sheets, item_points = [], []
            for a in assignments:
                level = levels[a.dossier_id] + rng.uniform(-0.04, 0.04)
                points = [
                    min(c.max_points, max(D(0), D(round(float(c.max_points) * level * 2)) / 2))
                    for c in criteria
                ]
                at = _aware(start + dt.timedelta(days=rng.randrange(window)), rng.randrange(8 * 60, 20 * 60))
                sheets.append(
                    ScoreSheet(
                        assignment=a,
                        state=ScoreSheet.State.SUBMITTED,
                        overall_comment="Đề nghị Hội đồng xem xét tôn vinh." if level > 0.8 else "",
                        total=sum(points, D(0)),  # as score_submit sums the items
                        updated_at=at,
                        submitted_at=at,
                    )
                )
                item_points.append(points)
            sheets = ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
        ScoreItem.objects.bulk_create(
            (
                ScoreItem(sheet=sheet, criterion=c, points=p, comment="")
                for sheet, points in zip(sheets, item_points, strict=True)
                for c, p in zip(criteria, points, strict=True)
            ),
            batch_size=5000,
        )
        members = {m.pk: m for m in scorers}
        names = {m.pk: m.user.full_name for m in scorers}
        sheet_type = ContentType.objects.get_for_model(ScoreSheet)
        by_pk = {d.pk: d for d in entries}
        AuditEvent.objects.bulk_create(
            (
                AuditEvent(
                    created_at=s.submitted_at,
                    actor_id=members[a.member_id].user_id,
                    action=Action.SCORE_SUBMITTED,
                    content_type=sheet_type,
                    object_id=s.pk,
                    object_repr=f"Phiếu chấm {by_pk[a.dossier_id].reference} — {names[a.member_id]}"[:300],
                    detail={"total": str(s.total), "summary": format_points(s.total)},
                )
                for a, s in zip(assignments, sheets, strict=True)
            ),
            batch_size=5000,
        )
        record(
            actor=secretary,
            action=Action.ASSIGNMENT_AUTO,
            obj=council,
            detail={"summary": f"{len(assignments)} phân công"},
        )
        # The results, announced the day after the window (results_announce, without its e-mails).
        Council.objects.filter(pk=council.pk).update(
            results_announced_at=_aware(end + dt.timedelta(days=1)), results_announced_by=secretary
        )
        dossiers_scored(dossiers=Dossier.objects.filter(pk__in=[d.pk for d in entries]), actor=secretary)
        record(
            actor=secretary,
            action=Action.RESULTS_ANNOUNCED,
            obj=council,
            detail={"entries": len(entries), "valid": len(entries)},
        )
        self.count("assignments", len(assignments))
        self.count("score sheets", len(sheets))
        self.count("score items", len(sheets) * len(criteria))
        self.say(f"  {council.name}: {len(entries)} hồ sơ × {self.size.per_entry} thành viên")

    # Awards -----------------------------------------------------------------------------------

    def awards(self) -> None:
        """The previous campaign: ranked, its list approved by a second admin and published; the
        current one: ranked and approved (the ceremony is still to come)."""
        drafter, approver = self.bench["bench-front-admin"], self.bench["bench-front-admin-2"]
        for key, publish in (("previous", True), ("current", False)):
            campaign = self.campaign[key]
            if AwardList.objects.filter(campaign=campaign).exists():
                continue
            run = RankingRun.objects.filter(campaign=campaign, status="done").first()
            if run is None:
                run = ranking_execute(ranking_start(campaign=campaign, actor=drafter).pk)
            award_list = award_list_draft(run=run, actor=drafter)
            honourees = list(award_list.honourees.all())
            for n, honouree in enumerate(honourees):
                honouree.bank_account, honouree.bank_name = BANKS[n % len(BANKS)]
            Honouree.objects.bulk_update(honourees, ["bank_account", "bank_name"], batch_size=1000)
            award_list_approve(award_list=award_list, actor=approver)
            if publish:
                award_list_publish(
                    award_list=award_list,
                    actor=drafter,
                    decision=f"Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/{campaign.year}",
                )
            self.count("ranked entries", run.entry_count)
            self.count("honourees", len(honourees))
            self.say(
                f"  Tôn vinh năm {campaign.year}: {run.entry_count} hồ sơ xếp hạng, {len(honourees)} người "
                + ("(đã công bố)" if publish else "(đã phê duyệt)")
            )

    # Public database ----------------------------------------------------------------------------

    def public_records(self) -> None:
        """Recognised dossiers of the finished campaigns put in the public database by a Front admin
        (public.services.record_mark's copy, in bulk), then the search word list refreshed."""
        marked = PublicRecord.objects.filter(source=PublicRecord.Source.MARKED).count()
        missing = self.size.public_records - marked
        if missing > 0:
            admin = self.bench["bench-front-admin"]
            candidates = list(
                Dossier.objects.filter(
                    campaign__in=[self.campaign["oldest"], self.campaign["previous"]],
                    status=S.RECOGNISED_AT_UNIT,
                    public_record__isnull=True,
                )
                .order_by("pk")
                .values_list("pk", flat=True)[: missing * 3]
            )
            chosen = sorted(self.rng.sample(candidates, min(missing, len(candidates))))
            rows = []
            for dossier in _dossiers(chosen).order_by("pk"):
                published = _aware(dossier.campaign.ceremony_date + dt.timedelta(days=30))
                rows.append(
                    PublicRecord(
                        dossier=dossier,
                        source=PublicRecord.Source.MARKED,
                        recognition=MARKABLE[dossier.status],
                        published_by=admin,
                        published_at=published,
                        **_public_part(dossier),
                    )
                )
            made = PublicRecord.objects.bulk_create(rows, batch_size=1000)
            record_many(
                actor=admin, action=Action.RECORD_PUBLISHED, objects=made, detail={"summary": "bench"}
            )
            self.count("public records", len(made))
        search_words_refresh()

    # Fund -----------------------------------------------------------------------------------------

    def fund(self) -> None:
        """Posted receipts and payments over the three years, in order, never overdrawing the cash or
        the bank account; a few rejected and a few drafts waiting in the approvals queue."""
        maker, checker = self.bench["bench-fund-maker"], self.bench["bench-fund-checker"]
        have = Transaction.objects.filter(drafted_by=maker).count()
        missing = self.size.fund_transactions - have
        if missing <= 0:
            return
        rng = self.rng
        accounts = {a.code: a for a in Account.objects.all()}
        balances = {"111": 0, "112": 0}
        for code in balances:
            totals = Entry.objects.filter(account=accounts[code], transaction__status=FundStatus.POSTED)
            balances[code] = sum(e.debit - e.credit for e in totals.only("debit", "credit"))
        first = self.campaign["oldest"].submissions_open - dt.timedelta(days=60)
        days = max(1, (self.today - first).days)
        dates = sorted(first + dt.timedelta(days=rng.randrange(days)) for _ in range(missing))
        # Only the last few stay drafts (the approvals queue); a few donations are rejected, and only
        # what is posted counts towards the balance a later payment may spend.
        pending_from = len(dates) - max(2, len(dates) // 100)
        plans = []
        for n, day in enumerate(dates):
            fate = "pending" if n >= pending_from else "posted"
            into = "112" if rng.random() < 0.85 else "111"
            if n % 10 == 0 or balances[into] < 50_000_000:
                amount = rng.randrange(200, 1_000) * 1_000_000
                plans.append((Kind.BUDGET, day, [(into, amount, 0), ("511", 0, amount)], {}, fate))
            elif rng.random() < 0.3:
                amount = rng.randrange(5, 200) * 1_000_000
                donor = {
                    "donor_name": rng.choice(DONORS),
                    "donor_kind": "organisation",
                    "donor_contact": "Huế",
                }
                if fate == "posted" and rng.random() < 0.05:
                    fate = "rejected"
                plans.append((Kind.DONATION, day, [(into, amount, 0), ("512", 0, amount)], donor, fate))
            elif rng.random() < 0.1:
                amount = rng.randrange(100, 5_000) * 1_000
                plans.append((Kind.INTEREST, day, [(into, amount, 0), ("515", 0, amount)], {}, fate))
            else:
                kind, expense = rng.choice([(Kind.SUPPORT, "612"), (Kind.ORGANISING, "613")])
                amount = min(balances[into] // 4, rng.randrange(1, 80) * 500_000)
                if amount <= 0:
                    continue
                plans.append((kind, day, [(expense, amount, 0), (into, 0, amount)], {}, fate))
                balances[into] -= amount  # a pending payment is reserved too: its approval must pass
                continue
            if fate == "posted":
                balances[into] += amount
        rows = []
        for kind, day, _legs, extra, _fate in plans:
            description = {
                Kind.BUDGET: "Kinh phí ngân sách cấp theo quyết định",
                Kind.DONATION: f"Tiếp nhận tài trợ của {extra.get('donor_name', '')}",
                Kind.INTEREST: "Lãi tiền gửi",
                Kind.SUPPORT: "Chi hỗ trợ tác giả hoàn thiện sáng kiến",
                Kind.ORGANISING: "Chi tổ chức hội nghị, tập huấn phong trào",
            }[kind]
            rows.append(
                Transaction(
                    kind=kind,
                    date=day,
                    description=description,
                    reference=f"{rng.randrange(1, 999)}/QĐ-UBND" if kind == Kind.BUDGET else "",
                    drafted_by=maker,
                    drafted_at=_aware(day, 8 * 60),
                    **extra,
                )
            )
        with _stored_dates(_field(Transaction, "drafted_at")):
            txns = Transaction.objects.bulk_create(rows, batch_size=2000)
        Entry.objects.bulk_create(
            (
                Entry(transaction=t, account=accounts[code], debit=debit, credit=credit)
                for t, (_k, _d, legs, _e, _f) in zip(txns, plans, strict=True)
                for code, debit, credit in legs
            ),
            batch_size=5000,
        )
        fates = {t.pk: plan[4] for t, plan in zip(txns, plans, strict=True)}
        pending = {pk for pk, fate in fates.items() if fate == "pending"}
        rejected = {pk for pk, fate in fates.items() if fate == "rejected"}
        posted = [t for t in txns if fates[t.pk] == "posted"]
        for chunk in range(0, len(posted), 1000):
            part = posted[chunk : chunk + 1000]
            # one UPDATE per approval day would be truer; one per chunk, approved the day after drafting
            Transaction.objects.filter(pk__in=[t.pk for t in part]).update(
                status=FundStatus.POSTED,
                approved_by=checker,
                approved_at=part[-1].drafted_at + dt.timedelta(days=1),
            )
        Transaction.objects.filter(pk__in=rejected).update(
            status=FundStatus.REJECTED,
            rejected_by=checker,
            rejected_at=self.now - dt.timedelta(days=1),
            rejection_reason="Thiếu chứng từ gốc của nhà tài trợ.",
        )
        txn_type = ContentType.objects.get_for_model(Transaction)
        events = []
        for t, (_k, _d, legs, _e, _f) in zip(txns, plans, strict=True):
            amount = sum(debit for _c, debit, _cr in legs)
            events.append(
                AuditEvent(
                    created_at=t.drafted_at,
                    actor=maker,
                    action=Action.FUND_DRAFTED,
                    content_type=txn_type,
                    object_id=t.pk,
                    object_repr=t.description[:300],
                    detail={"kind": t.kind, "amount": amount, "summary": t.description},
                )
            )
            if t.pk in pending:
                continue
            events.append(
                AuditEvent(
                    created_at=t.drafted_at + dt.timedelta(days=1),
                    actor=checker,
                    action=Action.FUND_REJECTED if t.pk in rejected else Action.FUND_APPROVED,
                    content_type=txn_type,
                    object_id=t.pk,
                    object_repr=t.description[:300],
                    detail={},
                )
            )
        AuditEvent.objects.bulk_create(events, batch_size=5000)
        self.count("fund transactions", len(txns))
        self.count("audit events", len(events))


def generate(size: Size, out=None) -> dict[str, int]:
    """Make what is missing of the bench data of this size; {what: rows made} (empty when all there)."""
    return Generator(size, out).run()
