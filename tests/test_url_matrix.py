"""The URL matrix (issue #15, item 6): every URL pattern of the resolver × every role and anonymous ×
the own unit's objects, another unit's objects and junk values the converters accept. Any 5xx fails;
so does any 2xx that tests/url_matrix_table.py does not allow for that (pattern, role, own|other),
any refusal other than 403/404/405/400 or a redirect to a login page, and any refused request that
writes to the database. One data set for the whole module (built once, rolled back at the end); each
request runs in a savepoint that is rolled back, so no request sees another's writes."""

import datetime as dt
import hashlib
import re
import time
import traceback
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.throttling import AnonRateThrottle

from accounts.models import Membership, RoleRequest, Unit, UnitKind, User
from accounts.services import role_request_create, user_invite
from awards.models import AwardList, Honouree, RankingRun, UpwardNomination
from councils.models import Appeal, Assignment, CouncilMember, MemberRole, ScoreSheet
from councils.services import council_found, rubric_create_default
from dksangtao.files import store_upload
from dksangtao.roles import Role
from fund import chart
from fund.models import Voucher
from fund.services import budget_receipt_draft, donation_draft, transaction_approve
from public import opendata
from public import services as public_services
from public.models import RecordApplication
from reports.models import ReportJob
from submissions import services
from submissions.models import Attachment, Campaign, DossierKind, Field, ImportJob, UnitGrade
from tests.factories import CampaignFactory, UnitFactory, person_on_council, person_with_role
from tests.samples import PDF
from tests.submissions.conftest import complete_data, two_authors
from tests.url_matrix_table import ADMIN_PAGES, ROLES, TABLE, Row, admin_rows

LONG_SLUG = "thu-" * 50  # 200 characters
JUNK = {
    "int": ["0", "2147483648", "9999999999999"],
    "year": ["1", "9999", "0"],
    "str": [LONG_SLUG, "0", "%E2%80%8B"],
}
VARIANTS = ("own", "other", "junk0", "junk1", "junk2")
LOGIN_PATHS = (resolve_url(settings.LOGIN_URL), "/admin/login/")
ADMIN_INDEX = "/admin/"  # where the admin sends whoever asks for an object that is not there

pytestmark = pytest.mark.django_db


# The patterns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the qualified name, or the route for an unnamed pattern
    route: str  # the whole route, includes joined
    converters: dict  # parameter → converter name ("int", "str", "path"; "regex" for a regex group)


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace and namespace else entry.namespace
            yield from _walk(entry, route, inner or namespace)
            continue
        converters = {
            name: type(conv).__name__.replace("Converter", "").lower()
            for name, conv in getattr(entry.pattern, "converters", {}).items()
        }
        for name in re.findall(r"\(\?P<(\w+)>", route):
            converters.setdefault(name, "regex")
        for name in re.findall(r"<(\w+)>", route):  # a parameter without a converter
            converters.setdefault(name, "str")
        key = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or route)
        yield Pattern(key, route, converters)


def all_patterns() -> list[Pattern]:
    patterns = list(_walk(get_resolver()))
    assert len({p.key for p in patterns}) == len(patterns), "two patterns share a key"
    return patterns


ADMIN_VIEW = re.compile(r"^admin:(\w+?)_(changelist|add|history|delete|change)$")
ADMIN_REDIRECT = re.compile(r"^admin/(\w+)/(\w+)/<path:object_id>/$")


def full_table(patterns) -> dict[str, Row]:
    labels = {f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry}
    model_urls: dict[str, list] = {}
    for pattern in patterns:
        match = ADMIN_VIEW.match(pattern.key)
        if match and match.group(1) in labels:
            model_urls.setdefault(match.group(1), []).append((pattern.key, match.group(2)))
        match = ADMIN_REDIRECT.match(pattern.key)
        if match and f"{match.group(1)}_{match.group(2)}" in labels:
            model_urls.setdefault(f"{match.group(1)}_{match.group(2)}", []).append((pattern.key, "redirect"))
    return {**TABLE, **ADMIN_PAGES, **admin_rows(model_urls)}


PATTERNS = all_patterns()
ROWS = full_table(PATTERNS)


def test_every_pattern_has_its_row_and_every_row_its_pattern():
    keys = {p.key for p in PATTERNS}
    missing, stale = sorted(keys - ROWS.keys()), sorted(ROWS.keys() - keys)
    assert (missing, stale) == ([], []), (
        f"patterns without a row in tests/url_matrix_table.py: {missing}; "
        f"rows naming a pattern that no longer exists: {stale}"
    )
    for pattern in PATTERNS:
        named = {name for name, _kind in ROWS[pattern.key].params}
        assert named == set(pattern.converters), f"{pattern.key}: the row names other parameters"


# The data set ------------------------------------------------------------------------------------

SUBMIT_DAY = dt.date(2026, 5, 1)
REVIEW_DAY = dt.date(2026, 7, 1)


def _dossier(campaign, unit, creator, *, reviewer, to, today_submit, today_review, kind, fld):
    dossier = services.dossier_create(
        campaign=campaign, unit=unit, actor=creator, data=complete_data(kind, fld), authors=two_authors()
    )
    services.attachment_add(dossier=dossier, upload=_pdf(), actor=creator)
    if to == "draft":
        return dossier
    dossier = services.dossier_submit(dossier=dossier, actor=creator, today=today_submit)
    if to == "recognised":
        return services.dossier_recognise(
            dossier=dossier, actor=reviewer, grade=UnitGrade.GOOD, today=today_review
        )
    dossier = services.dossier_nominate(dossier=dossier, actor=reviewer, today=today_review)
    return services.dossier_screen(dossier=dossier, actor=reviewer, eligible=True, today=today_review)


def _pdf(name="Ho so.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class MatrixData:
    users: dict[str, User]
    objects: dict[str, tuple[str, str]]  # kind → (own value, other value)
    sessions: dict[str, str] = field(default_factory=dict)


def build_data(media_root) -> MatrixData:
    today = timezone.localdate()
    kind = DossierKind.objects.get_or_create(code="sang-kien", defaults={"name": "Sáng kiến", "order": 1})[0]
    fld = Field.objects.get_or_create(code="khcn-cds", defaults={"name": "Khoa học – công nghệ", "order": 6})[
        0
    ]
    unit_a = UnitFactory(name="Sở Khoa học và Công nghệ", code="so-khcn")
    unit_b = UnitFactory(name="Sở Giáo dục và Đào tạo", code="so-gddt")
    front_unit = UnitFactory(name="Ủy ban MTTQ Việt Nam tỉnh", code="mttq-tinh", kind=UnitKind.FRONT_PROVINCE)
    finance = UnitFactory(name="Sở Tài chính", code="so-tc")
    users = {
        "staff": person_with_role(Role.UNIT_STAFF, unit_a),
        "reviewer": person_with_role(Role.UNIT_REVIEWER, unit_a),
        "viewer": person_with_role(Role.DEPARTMENT_VIEWER, unit_a),
        "front": person_with_role(Role.FRONT_ADMIN, front_unit),
        "maker": person_with_role(Role.FUND_MAKER, finance),
        "checker": person_with_role(Role.FUND_CHECKER, front_unit),
        "super": User.objects.create_superuser(
            email="root@example.vn", password="x-Matrix-2026", full_name="Root"
        ),
    }
    # People of unit B, who act on its objects and are not in the cast.
    staff_b = person_with_role(Role.UNIT_STAFF, unit_b)
    reviewer_b = person_with_role(Role.UNIT_REVIEWER, unit_b)
    second_front = person_with_role(Role.FRONT_ADMIN, front_unit)

    # The current campaign (its ceremony still to come) and a past one with a published list.
    campaign = CampaignFactory(year=2026)
    Campaign.objects.filter(pk=campaign.pk).update(ceremony_date=today + dt.timedelta(days=60))
    campaign.refresh_from_db()
    past = CampaignFactory(year=2025)
    Campaign.objects.filter(pk=past.pk).update(ceremony_date=dt.date(2025, 9, 2))
    council = council_found(
        campaign=campaign,
        name="Hội đồng thẩm định sáng tạo năm 2026",
        decision_number="45/QĐ-MTTQ",
        decision_date=campaign.submissions_open,
        signer="Chủ tịch UB MTTQ tỉnh",
        actor=None,
    )
    rubric_create_default(campaign=campaign, actor=None)
    for role in ("chair", "secretary", "member"):
        users[role] = person_on_council(council, role, front_unit)
    other_member = person_on_council(council, MemberRole.MEMBER, unit_b)

    walk = {"kind": kind, "fld": fld, "today_submit": SUBMIT_DAY, "today_review": REVIEW_DAY}
    dossier_a = _dossier(campaign, unit_a, users["staff"], reviewer=users["reviewer"], to="appraisal", **walk)
    dossier_b = _dossier(campaign, unit_b, staff_b, reviewer=reviewer_b, to="appraisal", **walk)
    recognised_a = _dossier(
        campaign, unit_a, users["staff"], reviewer=users["reviewer"], to="recognised", **walk
    )
    recognised_b = _dossier(campaign, unit_b, staff_b, reviewer=reviewer_b, to="recognised", **walk)
    _dossier(campaign, unit_b, staff_b, reviewer=reviewer_b, to="draft", **walk)
    past_walk = {**walk, "today_submit": dt.date(2025, 5, 1), "today_review": dt.date(2025, 7, 1)}
    past_b = _dossier(past, unit_b, staff_b, reviewer=reviewer_b, to="appraisal", **past_walk)

    attachments = [Attachment.objects.get(dossier=dossier) for dossier in (dossier_a, dossier_b)]
    places = {
        "member": CouncilMember.objects.get(council=council, user=users["member"]),
        "other": CouncilMember.objects.get(council=council, user=other_member),
    }
    assignment_a = Assignment.objects.create(
        council=council, dossier=dossier_a, member=places["member"], assigned_by=users["secretary"]
    )
    assignment_b = Assignment.objects.create(
        council=council, dossier=dossier_b, member=places["other"], assigned_by=users["secretary"]
    )
    sheets = [ScoreSheet.objects.create(assignment=a) for a in (assignment_a, assignment_b)]
    appeals = [
        Appeal.objects.create(council=council, dossier=d, text="Đề nghị xem lại điểm.", lodged_by=by)
        for d, by in ((dossier_a, users["reviewer"]), (dossier_b, reviewer_b))
    ]

    # Awards: the current campaign's draft list (own), the past campaign's published one (other).
    runs, lists, honourees = [], [], []
    for camp, dossier, status in ((campaign, dossier_a, "draft"), (past, past_b, "published")):
        run = RankingRun.objects.create(campaign=camp, started_by=users["front"], status="done", progress=100)
        award_list = AwardList.objects.create(
            campaign=camp,
            run=run,
            title=f"Danh sách tôn vinh năm {camp.year}",
            drafted_by=second_front,
            status=status,
            decision="Quyết định số 45/QĐ-MTTQ-BTT" if status == "published" else "",
            approved_by=users["front"] if status == "published" else None,
            approved_at=timezone.now() if status == "published" else None,
            published_by=users["front"] if status == "published" else None,
            published_at=timezone.now() if status == "published" else None,
        )
        honouree = Honouree.objects.create(
            award_list=award_list,
            dossier=dossier,
            position=1,
            kind=Honouree.Kind.COLLECTIVE,
            name=dossier.unit.name,
            unit_name=dossier.unit.name,
            honour="Bằng khen",
            classification="excellent",
            score=90,
            prize_amount=10_000_000,
            certificate_number=f"01/{camp.year}/GCN" if status == "published" else "",
        )
        runs.append(run)
        lists.append(award_list)
        honourees.append(honouree)
    nominations = [
        UpwardNomination.objects.create(
            campaign=campaign, dossier=d, target="central", marked_by=users["front"]
        )
        for d in (dossier_a, dossier_b)
    ]

    # The fund: a draft budget receipt with its voucher (own), a posted donation with one (other).
    chart.chart_ensure()
    draft = budget_receipt_draft(
        date=dt.date(2026, 3, 10),
        decision_number="125/QĐ-UBND",
        amount=100_000_000,
        into=chart.BANK,
        description="",
        drafted_by=users["maker"],
    )
    donation = donation_draft(
        date=dt.date(2026, 3, 10),
        amount=5_000_000,
        into=chart.BANK,
        donor_name="Công ty TNHH Minh Phát",
        donor_kind="organisation",
        drafted_by=users["maker"],
    )
    # Vouchers go with the draft: the database refuses any added to a posted transaction.
    vouchers = [
        store_upload(Voucher(transaction=txn, uploaded_by=users["maker"]), _pdf(), max_bytes=10**7)
        for txn in (draft, donation)
    ]
    posted = transaction_approve(txn=donation, approver=users["checker"])

    # Reports: a finished summary of unit A and one of unit B.
    jobs = []
    for unit in (unit_a, unit_b):
        job = ReportJob(kind="unit_summary", campaign=campaign, unit=unit, status="done", progress=100)
        job.file.save(f"bao-cao-{unit.code}.pdf", ContentFile(PDF), save=False)
        job.checksum = hashlib.sha256(PDF).hexdigest()
        job.size = len(PDF)
        job.save()
        jobs.append(job)

    # Excel imports: a finished check by unit A's clerk, and one by unit B's.
    imports = [
        ImportJob.objects.create(
            unit=unit,
            campaign=campaign,
            requested_by=by,
            original_name="ho-so.xlsx",
            status="done",
            progress=100,
        )
        for unit, by in ((unit_a, users["staff"]), (unit_b, staff_b))
    ]

    # The public database: a record of each unit; unit A applies B's record and B applies A's.
    record_a = public_services.record_mark(dossier=recognised_a, actor=users["front"])
    record_b = public_services.record_mark(dossier=recognised_b, actor=users["front"])
    applications = [
        RecordApplication.objects.create(
            record=record,
            unit=unit,
            applied_on=dt.date(2026, 1, 5),
            scope="Toàn đơn vị",
            contact="Lan",
            recorded_by=by,
        )
        for record, unit, by in ((record_b, unit_a, users["staff"]), (record_a, unit_b, staff_b))
    ]

    # People invited by a Front admin (no password yet), and a pending request for a sensitive role
    # at unit A and one at unit B, made by the other Front admin (so the cast's one may decide them).
    invited = [
        user_invite(email=email, full_name=name, actor=by)
        for email, name, by in (
            ("moi-a@example.vn", "Trần Thị Mời", users["front"]),
            ("moi-b@example.vn", "Lê Văn Mời", second_front),
        )
    ]
    role_requests = [
        role_request_create(
            user=person, unit=unit, role=role, kind=RoleRequest.Kind.GRANT, actor=second_front, reason="Mới"
        )
        for person, unit, role in (
            (invited[0], unit_a, Role.FUND_MAKER),
            (invited[1], unit_b, Role.FUND_CHECKER),
        )
    ]
    # Failed logins (django-axes) from other addresses with e-mails outside the cast: one under the
    # limit, one locked; neither locks a login of the matrix (127.0.0.1, the cast's e-mails).
    for username, address, failures in (
        ("sai-a@example.vn", "203.0.113.7", 2),
        ("sai-b@example.vn", "203.0.113.8", settings.AXES_FAILURE_LIMIT),
    ):
        AccessAttempt.objects.create(
            username=username,
            ip_address=address,
            user_agent="Mozilla/5.0",
            http_accept="text/html",
            path_info="/accounts/login/",
            get_data="",
            post_data="",
            failures_since_start=failures,
        )

    def pair(a, b):
        return (str(a.pk), str(b.pk))

    unit_type = ContentType.objects.get_for_model(Unit)
    objects = {
        "dossier": pair(dossier_a, dossier_b),
        "attachment": pair(*attachments),
        "assignment": pair(assignment_a, assignment_b),
        "sheet": pair(*sheets),
        "appeal": pair(*appeals),
        "run": pair(*runs),
        "award_list": pair(*lists),
        "honouree": pair(*honourees),
        "nomination": pair(*nominations),
        "year": ("2026", "2025"),
        "target": ("central", "golden_book"),
        "transaction": pair(draft, posted),
        "voucher": pair(*vouchers),
        "ledger": (chart.BANK, chart.DONATIONS),
        "report_job": pair(*jobs),
        "import_job": (str(imports[0].token), str(imports[1].token)),
        "record": (record_a.reference, record_b.reference),
        "sitemap_section": ("records", "pages"),
        "application": pair(*applications),
        "format": ("csv", "json"),
        "uid": (
            urlsafe_base64_encode(force_bytes(users["staff"].pk)),
            urlsafe_base64_encode(force_bytes(staff_b.pk)),
        ),
        "token": (default_token_generator.make_token(users["staff"]), "set-password"),
        "content_type": (str(unit_type.pk), str(unit_type.pk)),
        "unit_pk": pair(unit_a, unit_b),
        "user_pk": pair(users["staff"], staff_b),
        "invited": pair(*invited),
        "invite_uid": tuple(urlsafe_base64_encode(force_bytes(person.pk)) for person in invited),
        "invite_token": (default_token_generator.make_token(invited[0]), "set-password"),
        "role_request": pair(*role_requests),
        "app_label": ("accounts", "fund"),
        "admin_path": ("khong-co/", "accounts/khong-co/"),
    }
    for model in admin.site._registry:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        rows = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        objects[label] = (str(rows[0]), str(rows[-1])) if rows else ("1", "2")
    # Roles: the own one is unit A's clerk's (not sensitive), the other the second Front admin's.
    objects["admin:accounts_membership"] = tuple(
        str(Membership.objects.get(user=person).pk) for person in (users["staff"], second_front)
    )
    opendata.build_all()  # the open data files exist (before their first build the page answers 503)
    data = MatrixData(users=users, objects=objects)
    for role, user in users.items():
        client = Client()  # one each: a second login on the same client would end the first session
        client.force_login(user)
        data.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return data


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock():
        from django.test import override_settings

        with override_settings(MEDIA_ROOT=media), transaction.atomic():
            data = build_data(media)
            data.media_root = media
            yield data
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _matrix_media(request, settings):
    if "matrix" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("matrix").media_root


# The requests ------------------------------------------------------------------------------------


def fill(pattern: Pattern, row: Row, data: MatrixData, variant: str) -> str:
    kinds = dict(row.params)

    def value(name):
        kind = kinds[name]
        if variant in ("own", "other"):
            return data.objects[kind][variant == "other"]
        converter = "year" if name == "year" else pattern.converters[name]
        junk = JUNK.get(converter, JUNK["str"])
        return junk[int(variant[-1]) % len(junk)]

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), pattern.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    return "/" + path.replace("^", "").replace("$", "")


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def writes(queries) -> list[str]:
    """The statements that changed data (a refused request must issue none; the session's own row
    aside, which Django may save on any request)."""
    return [q["sql"] for q in queries if WRITE.match(q["sql"]) and "django_session" not in q["sql"]]


@dataclass
class Outcome:
    role: str
    variant: str
    method: str
    path: str
    status: int
    problem: str = ""


STATS = {"requests": 0, "patterns": 0, "seconds": 0.0, "get": 0, "head": 0, "post": 0}


# The public API's rate limit counts per address; every request of the matrix comes from one.
THROTTLE_KEY = AnonRateThrottle.cache_format % {"scope": "anon", "ident": "127.0.0.1"}


def request_once(client, data, role, method, path):
    cache.delete(THROTTLE_KEY)
    client.cookies.clear()
    if role != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = data.sessions[role]
    STATS["requests"] += 1
    STATS[method] += 1
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(path)
            transaction.set_rollback(True)
        changed = writes(queries.captured_queries)
    except Exception as error:  # noqa: BLE001  (the test client re-raises what a view raised)
        frame = traceback.extract_tb(error.__traceback__)[-1]
        return 500, f"{type(error).__name__}: {error} at {frame.filename}:{frame.lineno}", []
    return response.status_code, response.get("Location", ""), changed


def judge(row: Row, role: str, variant: str, method: str, status: int, location: str, changed: list) -> str:
    if status >= 500:
        return f"server error {status} {location}"
    if variant == "own":
        allowed = role in row.own
    elif variant == "other":
        allowed = role in row.other
    else:
        allowed = role in row.own | row.other
    to_login = status in (301, 302, 303, 307, 308) and location.split("?")[0] in LOGIN_PATHS
    refused = status in (403, 404, 405) or to_login
    if allowed:
        # The table is exact: a role it lets in is not turned away from a real object (junk ids are),
        # and HEAD answers as GET (monitors and link checkers use it), form pages aside.
        if refused and variant in ("own", "other") and (method == "get" or method == "head" and row.head):
            return f"the table allows it but the view refused with {status} {location}"
        return ""
    if changed:
        return f"a refused request wrote to the database: {changed[0][:200]}"
    if 200 <= status < 300:
        return f"answered {status} where the table allows no 2xx"
    if refused or status == 400 or (status == 302 and location == ADMIN_INDEX):
        return ""
    return f"refused with {status} {location}"


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.key for p in PATTERNS])
def test_url_matrix(pattern, matrix, client):
    row = ROWS.get(pattern.key)
    if row is None:
        pytest.fail(f"{pattern.key}: no row in tests/url_matrix_table.py")
    started = time.monotonic()
    STATS["patterns"] += 1
    variants = VARIANTS if row.params else ("own",)
    # Junk values as the roles that pass the permission check (they reach the object lookup), the
    # superuser and anonymous; HEAD (GET's path) as anonymous and as every role that passes, with the
    # own and the other objects.
    junk_roles = [role for role in ROLES if role in row.own | row.other | {"anon", "super"}]
    head_roles = {"own": row.own | {"anon"}, "other": row.other | {"anon"}}
    problems = []
    for variant in variants:
        path = fill(pattern, row, matrix, variant)
        for role in ROLES if variant in ("own", "other") else junk_roles:
            methods = (
                ("post",)
                if row.post
                else ("get", "head")
                if role in head_roles.get(variant, ())
                else ("get",)
            )
            for method in methods:
                status, location, changed = request_once(client, matrix, role, method, path)
                problem = judge(row, role, variant, method, status, location, changed)
                if problem:
                    problems.append(f"{method.upper()} {path} as {role} ({variant}): {problem}")
    STATS["seconds"] += time.monotonic() - started
    assert not problems, "\n".join(problems)


def test_url_matrix_figures(capsys):
    """Runs last in the module (pytest keeps the file's order): the figures for the report."""
    with capsys.disabled():
        print(
            f"\nURL matrix: {STATS['patterns']} patterns × {len(ROLES)} roles, "
            f"{STATS['requests']} requests ({STATS['get']} GET, {STATS['head']} HEAD, {STATS['post']} POST) "
            f"in {STATS['seconds']:.1f} s"
        )
