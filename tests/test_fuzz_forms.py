"""No 500 on any input, and no partial write on a refusal (issue #15, item 6): every URL the portal
serves is POSTed to, as a person who may use it, on the demo data (seed_demo); those that accept a
POST are fuzzed with hypothesis — every field of the forms the pages offer for them (their own values
mixed with hostile ones: NUL and control characters, «²٣», huge numbers, 1E-999999999, NaN, dates
0001/9999, 100,000 characters, invisible-only names, other objects' ids, lists, missing fields).

A fixed hypothesis profile (derandomised, FUZZ_EXAMPLES examples per view, 6 by default) keeps the
run the same in CI and on every machine. Each example runs in a savepoint rolled back afterwards, so
every example starts from the same data."""

import os
import time
import uuid

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import RoleRequest, User
from awards.models import AwardList, Honouree, RankingRun, UpwardNomination
from councils.models import Appeal, Assignment, ScoreSheet
from fund.models import Account, Transaction, Voucher
from public.models import PublicRecord, RecordApplication
from reports.models import ReportJob
from submissions.models import Attachment, Dossier, ImportJob
from tests.fuzz import (
    MISSING,
    Form,
    battery,
    changed_tables,
    distinct,
    field_value,
    page_forms,
    snapshot,
    url_patterns,
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
DEMO = "@demo.dksangtao.vn"

STAFF, REVIEWER, OTHER_STAFF = "canbo.khcn", "lanhdao.khcn", "canbo.gddt"
SECRETARY, MEMBER, CHAIR = "thuky.hoidong", "uyvien.hoidong", "chutich.hoidong"
ADMIN, ADMIN_2 = "quantri.mttq", "thuongtruc.mttq"
MAKER, CHECKER, VIEWER = "ketoan.quy", "kiemsoat.quy", "baocao.gddt"


def pks(queryset):
    return lambda: [str(pk) for pk in queryset.order_by("-pk").values_list("pk", flat=True)[:3]]


def dossiers(**filters):
    return pks(Dossier.objects.filter(**filters))


def references():
    return list(PublicRecord.objects.order_by("pk").values_list("reference", flat=True)[:2])


def import_tokens():
    tokens = [str(token) for token in ImportJob.objects.values_list("token", flat=True)[:3]]
    return tokens or [str(uuid.uuid4())]


def user_token():
    user = User.objects.get(email=STAFF + DEMO)
    return [(urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user))]


# How to reach every URL pattern: the person who may use it and where its parameters come from (a
# function giving candidate values; the first that the view does not refuse with 403/404 is used).
# A pattern missing here fails test_every_url_pattern_is_in_the_table.
REACH = {
    "home": (None, {}),
    "healthz": (None, {}),
    "audit": (ADMIN, {}),
    "set_language": (STAFF, {}),
    "dashboard": (STAFF, {}),
    "login": (None, {}),
    "logout": (STAFF, {}),
    "password_change": (STAFF, {}),
    "password_change_done": (STAFF, {}),
    "password_reset": (None, {}),
    "password_reset_done": (None, {}),
    "password_reset_confirm": (None, {("uidb64", "token"): user_token}),
    "password_reset_complete": (None, {}),
    "invitation_accept": (None, {("uidb64", "token"): user_token}),
    "invite": (ADMIN, {}),
    "invitation_resend": (ADMIN, {"pk": pks(User.objects.filter(email__endswith=DEMO))}),
    "role_requests": (ADMIN, {}),
    "role_request_new": (ADMIN, {}),
    "role_request_approve": (ADMIN_2, {"pk": pks(RoleRequest.objects.filter(status="pending"))}),
    "role_request_reject": (ADMIN_2, {"pk": pks(RoleRequest.objects.filter(status="pending"))}),
    "role_request_cancel": (ADMIN, {"pk": pks(RoleRequest.objects.filter(status="pending"))}),
    "submissions:list": (STAFF, {}),
    "submissions:unit_lookup": (STAFF, {}),
    "submissions:review_queue": (REVIEWER, {}),
    "submissions:create": (STAFF, {}),
    "submissions:similar": (STAFF, {}),
    "submissions:import": (STAFF, {}),
    "submissions:import_template": (STAFF, {}),
    "submissions:import_job": (STAFF, {"token": import_tokens}),
    "submissions:detail": (STAFF, {"pk": dossiers(unit__code="so-khcn")}),
    "submissions:detail_similar": (STAFF, {"pk": dossiers(unit__code="so-khcn")}),
    "submissions:edit": (STAFF, {"pk": dossiers(unit__code="so-khcn", status="draft")}),
    "submissions:submit": (STAFF, {"pk": dossiers(unit__code="so-khcn", status="draft")}),
    "submissions:withdraw": (STAFF, {"pk": dossiers(unit__code="so-khcn")}),
    "submissions:return": (REVIEWER, {"pk": dossiers(unit__code="so-khcn", status="submitted")}),
    "submissions:recognise": (REVIEWER, {"pk": dossiers(unit__code="so-khcn", status="submitted")}),
    "submissions:nominate": (REVIEWER, {"pk": dossiers(unit__code="so-khcn")}),
    "submissions:attachment_upload": (STAFF, {"pk": dossiers(unit__code="so-khcn", status="draft")}),
    "submissions:attachment_download": (
        STAFF,
        {"pk": dossiers(unit__code="so-khcn"), "attachment_id": pks(Attachment.objects.all())},
    ),
    "submissions:attachment_delete": (
        STAFF,
        {"pk": dossiers(unit__code="so-khcn"), "attachment_id": pks(Attachment.objects.all())},
    ),
    "councils:screening_queue": (SECRETARY, {}),
    "councils:screening": (SECRETARY, {"pk": dossiers(status="nominated")}),
    "councils:assignments": (SECRETARY, {}),
    "councils:auto_assign": (SECRETARY, {}),
    "councils:assignment_add": (SECRETARY, {"dossier_pk": dossiers(status="eligible")}),
    "councils:assignment_remove": (SECRETARY, {"pk": pks(Assignment.objects.all())}),
    "councils:conflict": (MEMBER, {"pk": pks(Assignment.objects.filter(member__user__email=MEMBER + DEMO))}),
    "councils:scoring": (MEMBER, {}),
    "councils:sheet": (MEMBER, {"pk": pks(Assignment.objects.filter(member__user__email=MEMBER + DEMO))}),
    "councils:attachment": (
        MEMBER,
        {
            "pk": pks(Assignment.objects.filter(member__user__email=MEMBER + DEMO)),
            "attachment_id": pks(Attachment.objects.all()),
        },
    ),
    "councils:calibration": (SECRETARY, {}),
    "councils:minutes": (SECRETARY, {}),
    "councils:results": (CHAIR, {}),
    "councils:add_scorer": (
        SECRETARY,
        {"dossier_pk": pks(Dossier.objects.filter(pk__in=Assignment.objects.values("dossier")))},
    ),
    "councils:progress": (SECRETARY, {}),
    "councils:reminders": (SECRETARY, {}),
    "councils:announce": (CHAIR, {}),
    "councils:appeals": (SECRETARY, {}),
    "councils:appeal_answer": (CHAIR, {"pk": pks(Appeal.objects.all())}),
    "councils:appeal_lodge": (REVIEWER, {"dossier_pk": dossiers(unit__code="so-khcn")}),
    "councils:reopen": (CHAIR, {"pk": pks(ScoreSheet.objects.all())}),
    "awards:index": (ADMIN, {}),
    "awards:policy": (ADMIN, {}),
    "awards:ranking_start": (ADMIN, {}),
    "awards:run": (ADMIN, {"pk": pks(RankingRun.objects.all())}),
    "awards:run_progress": (ADMIN, {"pk": pks(RankingRun.objects.all())}),
    "awards:list_draft": (ADMIN, {"pk": pks(RankingRun.objects.all())}),
    "awards:list": (ADMIN, {"pk": pks(AwardList.objects.all())}),
    "awards:honouree_add": (ADMIN, {"pk": pks(AwardList.objects.all())}),
    "awards:list_approve": (ADMIN_2, {"pk": pks(AwardList.objects.all())}),
    "awards:list_publish": (ADMIN, {"pk": pks(AwardList.objects.all())}),
    "awards:honouree_amend": (ADMIN, {"pk": pks(AwardList.objects.all())}),
    "awards:certificates": (ADMIN, {"pk": pks(AwardList.objects.all())}),
    "awards:honouree_change": (ADMIN, {"pk": pks(Honouree.objects.all())}),
    "awards:honouree_remove": (ADMIN, {"pk": pks(Honouree.objects.all())}),
    "awards:upward": (ADMIN, {}),
    "awards:upward_mark": (ADMIN, {}),
    "awards:upward_unmark": (ADMIN, {"pk": pks(UpwardNomination.objects.all())}),
    "awards:upward_zip": (ADMIN, {"pk": pks(UpwardNomination.objects.all())}),
    "awards:upward_target_zip": (ADMIN, {("year", "target"): lambda: [("2026", "central")]}),
    "awards:booklet_old": (ADMIN, {"year": lambda: ["2026"]}),
    "awards:booklet_photos": (ADMIN, {"year": lambda: ["2026"]}),
    "awards:honouree_photo": (ADMIN, {"pk": pks(Honouree.objects.all())}),
    "awards:honouree_photo_upload": (ADMIN, {"pk": pks(Honouree.objects.all())}),
    "awards:honouree_photo_remove": (ADMIN, {"pk": pks(Honouree.objects.all())}),
    "awards_public:index": (None, {}),
    "awards_public:year": (None, {"year": lambda: ["2026"]}),
    "awards_public:certificate": (None, {"year": lambda: ["2026"], "pk": pks(Honouree.objects.all())}),
    "awards_public:booklet": (None, {"year": lambda: ["2026"]}),
    "fund:overview": (MAKER, {}),
    "fund:budget_new": (MAKER, {}),
    "fund:donation_new": (MAKER, {}),
    "fund:interest_new": (MAKER, {}),
    "fund:payment_new": (MAKER, {}),
    "fund:prize_batch_new": (MAKER, {}),
    "fund:approvals": (CHECKER, {}),
    "fund:transaction": (MAKER, {"pk": pks(Transaction.objects.all())}),
    "fund:approve": (CHECKER, {"pk": pks(Transaction.objects.filter(status="draft"))}),
    "fund:reject": (CHECKER, {"pk": pks(Transaction.objects.filter(status="draft"))}),
    "fund:reverse": (MAKER, {"pk": pks(Transaction.objects.filter(status="posted"))}),
    "fund:thank_you": (MAKER, {"pk": pks(Transaction.objects.all())}),
    "fund:voucher": (MAKER, {"pk": pks(Voucher.objects.all())}),
    "fund:ledger": (MAKER, {"code": lambda: list(Account.objects.values_list("code", flat=True)[:2])}),
    "fund:statement": (MAKER, {}),
    "fund:statement_pdf": (MAKER, {}),
    "fund:statement_xlsx": (MAKER, {}),
    "reports:centre": (ADMIN, {}),
    "reports:request": (ADMIN, {}),
    "reports:export_all": (ADMIN, {}),
    "reports:job_status": (ADMIN, {"pk": pks(ReportJob.objects.all())}),
    "reports:retry": (ADMIN, {"pk": pks(ReportJob.objects.all())}),
    "reports:download": (ADMIN, {"pk": pks(ReportJob.objects.all())}),
    "reports:statistics": (ADMIN, {}),
    "public:search": (None, {}),
    "public:statistics": (None, {}),
    "public:mark": (ADMIN, {"dossier_id": dossiers(status="recognised_at_unit")}),
    "public:record": (None, {"reference": references}),
    "public:print": (None, {"reference": references}),
    "public:withdraw": (ADMIN, {"reference": references}),
    "applications:queue": (STAFF, {}),
    "applications:mine": (STAFF, {}),
    "applications:record": (STAFF, {"reference": references}),
    "applications:confirm": (REVIEWER, {"pk": pks(RecordApplication.objects.all())}),
    "applications:reject": (REVIEWER, {"pk": pks(RecordApplication.objects.all())}),
    "opendata:index": (None, {}),
    "opendata:download": (None, {"fmt": lambda: ["csv"]}),
    "api:record_list": (None, {}),
    "api:record_detail": (None, {"reference": references}),
    "api:award_year": (None, {"year": lambda: ["2026"]}),
    "api:statistics": (None, {}),
    "api:schema": (None, {}),
    "api:docs": (None, {}),
    "feed": (None, {}),
    "sitemap": (None, {}),
    "sitemap_section": (None, {"section": lambda: ["records", "awards", "pages"]}),
    "robots": (None, {}),
}
# The fund's old Vietnamese paths (RedirectViews with no name) are reached by their route.
OLD_FUND_PATHS = {"pk": lambda: ["1"], "code": lambda: ["111"]}

# Views that answer an error yet keep part of what was posted, on purpose.
PARTIAL_BY_DESIGN = {
    # The scoring sheet's autosave keeps the valid points and comments and answers 400 with the
    # errors of the rest, which the page keeps as typed (councils.services.score_save_draft).
    "councils:sheet",
}


def _key(route, name):
    return name if not name.endswith(":") else f"{name}{route}"


def test_every_url_pattern_is_in_the_table():
    missing = [
        _key(route, name)
        for route, name, _pattern in url_patterns()
        if not name.endswith(":") and name not in REACH
    ]
    assert not missing, f"Add these URL names to REACH in tests/test_fuzz_forms.py: {missing}"


def _candidates(route, name):
    role, params = REACH.get(name, (MAKER, OLD_FUND_PATHS))
    names = list(params)
    options = [[]]
    for param in names:
        values = params[param]() or (["999999"] if isinstance(param, str) else [("x", "y")])
        options = [[*chosen, v] for chosen in options for v in values]
    for chosen in options:
        kwargs = {}
        for param, value in zip(names, chosen, strict=True):
            if isinstance(param, tuple):
                kwargs.update(zip(param, value, strict=True))
            else:
                kwargs[param] = value
        yield role, kwargs


def _url(route, name, kwargs):
    if name.endswith(":"):
        path = "/" + route
        for key, value in kwargs.items():
            path = path.replace(f"<int:{key}>", value).replace(f"<str:{key}>", value)
        return path
    return reverse(name, kwargs=kwargs)


class Target:
    def __init__(self, name, url, role):
        self.name, self.url, self.role = name, url, role
        self.forms: dict[str, list[Form]] = {"post": [], "get": []}
        self.statuses: dict[int, int] = {}


def _client(client, role):
    client.logout()
    if role:
        client.force_login(User.objects.get(email=role + DEMO))
    return client


def _request(client, method, url, data, before=None):
    """One request in a savepoint rolled back afterwards, so that every request starts from the
    same data: (response, the tables it changed if it answered an error; `before` is the snapshot
    of that data)."""
    with transaction.atomic():
        response = client.post(url, data) if method == "post" else client.get(url, data)
        changed = []
        if before is not None and response.status_code >= 400:
            changed = changed_tables(before, snapshot())
        transaction.set_rollback(True)
    return response, changed


def _targets(client):
    """Every pattern, reached as the table says, with the POST forms the pages offer for it."""
    targets, forms_by_path = [], {}
    for route, name, _pattern in url_patterns():
        chosen = None
        for role, kwargs in _candidates(route, name):
            url = _url(route, name, kwargs)
            response, _changed = _request(_client(client, role), "post", url, {})
            if response.status_code not in {403, 404}:
                chosen = Target(_key(route, name), url, role)
                chosen.plain = response.status_code
                break
            if chosen is None:
                chosen = Target(_key(route, name), url, role)
                chosen.plain = response.status_code
        targets.append(chosen)
        page, _changed = _request(_client(client, chosen.role), "get", chosen.url, None)
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            for form in page_forms(page.content.decode(), chosen.url):
                forms_by_path.setdefault((form.method, form.action), []).append((chosen.role, form))
    for target in targets:
        for method in ["post", "get"]:
            found = forms_by_path.get((method, target.url), [])
            mine = [form for role, form in found if role == target.role]
            target.forms[method] = distinct(mine or [form for _role, form in found])
    return targets


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = False
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_no_form_answers_5xx_or_writes_part_of_a_refused_post(client, demo):
    started = time.monotonic()
    failures, reach, fuzzed, searched, cases = [], [], 0, 0, 0
    ids = sorted({str(pk) for pk in Dossier.objects.values_list("pk", flat=True)[:20]} | {"1", "2"})
    for target in _targets(client):
        if target.plain != 405:
            fuzzed += 1
            forms = target.forms["post"] or [Form(action=target.url, values={"reason": [""], "id": [""]})]
            cases += _fuzz(client, target, forms, ids, failures, "post")
        if target.forms["get"]:  # a list's filters, a search box: the query string
            searched += 1
            cases += _fuzz(client, target, target.forms["get"], ids, failures, "get")
        if target.statuses:
            forms = {method: len(found) for method, found in target.forms.items()}
            who = target.role or "anonymous"
            reach.append(f"{target.name:40} {who:16} {forms} {dict(sorted(target.statuses.items()))}")
    elapsed = time.monotonic() - started
    summary = (
        f"form fuzz: {fuzzed} POST views, {searched} pages with GET forms, {cases} cases, {elapsed:.0f} s"
    )
    print("\n".join(["", *reach, summary]))
    assert fuzzed >= 40 and searched >= 10
    assert not failures, "\n".join(failures[:30])


def _fuzz(client, target, forms, ids, failures, method) -> int:
    """Send EXAMPLES drawn variations of the target's forms; record 5xx, and partial writes of a
    refused POST."""
    count = 0
    _client(client, target.role)
    before = snapshot()  # after the login, which sets last_login

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def fuzz(data):
        form = data.draw(st.sampled_from(forms))
        names = sorted(set(form.values) | set(form.choices) | form.files)
        # Mostly one or two fields hostile and the rest as a person fills them (to reach the code
        # behind the form's first checks); sometimes every field hostile.
        hostile = set(data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=2))) if names else set()
        if data.draw(st.integers(0, 4)) == 0:
            hostile = set(names)
        posted = {}
        for name in names:
            value = field_value(data.draw, form, name, ids, mutate=name in hostile)
            if value is not MISSING:
                posted[name] = value
        send(posted)

    def send(posted):
        nonlocal count
        count += 1
        try:
            response, changed = _request(client, method, target.url, posted, before)
        except Exception as exc:  # a 500 in production: say which and why
            why = f"{type(exc).__name__}: {str(exc)[:200]}"
            failures.append(f"{method.upper()} {target.name} {target.url}: {why} for {_short(posted)}")
            return
        status = response.status_code
        target.statuses[status] = target.statuses.get(status, 0) + 1
        if status >= 500:
            failures.append(f"{method.upper()} {target.name} {target.url}: {status} for {_short(posted)}")
        elif status >= 400 and changed and target.name not in PARTIAL_BY_DESIGN:
            failures.append(
                f"{method.upper()} {target.name}: {status} yet changed {changed} for {_short(posted)}"
            )

    for form in forms:
        for posted in battery(form):
            send(posted)
    fuzz()
    return count


def _short(posted):
    def cut(value):
        if isinstance(value, list):
            return [cut(v) for v in value]
        text = getattr(value, "name", value)
        return text if len(text) <= 40 else f"{text[:20]}…({len(text)} chars)"

    return {key: cut(value) for key, value in posted.items()}
