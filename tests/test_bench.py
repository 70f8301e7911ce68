"""The benchmark's instrument (issue #16): the province-scale generator at a tiny size, twice, and
one short locust run of the page benchmark against the live server (bench.run)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Sum

from accounts.models import Membership, Unit, User
from awards.models import AwardList, RankedEntry
from councils.models import Assignment, ScoreItem, ScoreSheet
from dksangtao.models import AuditEvent
from dksangtao.text import fold, padded_words
from fund.models import Entry, Transaction
from public.models import PublicRecord
from submissions.models import Dossier, Status

pytestmark = pytest.mark.django_db

MODELS = [
    Unit,
    User,
    Membership,
    Dossier,
    Assignment,
    ScoreSheet,
    ScoreItem,
    RankedEntry,
    AwardList,
    PublicRecord,
    Transaction,
    Entry,
    AuditEvent,
]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _generate(size=60):
    out = io.StringIO()
    call_command("bench_data", "--dossiers", str(size), "--yes", stdout=out)
    return out.getvalue()


def test_bench_data_is_consistent_and_idempotent():
    _generate()
    first = _counts()
    assert first["Dossier"] == 60
    # entries = max(5, N/50) per scored campaign, 5 scorers each, 4 criteria per sheet
    assert first["Assignment"] == first["ScoreSheet"] == 2 * 5 * 5
    assert first["ScoreItem"] == 4 * first["ScoreSheet"]
    assert "đã có" in _generate()
    assert _counts() == first

    # Derived columns as the services fill them.
    for dossier in Dossier.objects.all():
        assert dossier.search_text == fold(f"{dossier.title} {dossier.summary}")
        assert dossier.search_title == fold(dossier.title)
        assert (dossier.reference is None) == (dossier.status in (Status.DRAFT,))
    sheets = ScoreSheet.objects.annotate(items_total=Sum("items__points"))
    assert all(sheet.total == sheet.items_total for sheet in sheets)
    record = PublicRecord.objects.filter(source=PublicRecord.Source.MARKED).select_related("unit").first()
    assert record.search_title == padded_words(record.dossier.title)
    assert AwardList.objects.filter(status=AwardList.Status.PUBLISHED).count() == 1
    assert AwardList.objects.filter(status=AwardList.Status.APPROVED).count() == 1
    assert set(Dossier.objects.filter(honours__isnull=False).values_list("status", flat=True)) <= {
        Status.AWARDED,
        Status.RANKED,
    }
    # The ledger balances, transaction by transaction (the deferred trigger checks it too, now).
    unbalanced = Transaction.objects.annotate(
        d=Sum("entries__debit"), c=Sum("entries__credit"), n=Count("entries")
    )
    assert not [t for t in unbalanced if t.d != t.c or t.n < 2]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    posted = Transaction.objects.filter(status="posted").exclude(approved_by=None)
    assert posted.exists() and not posted.filter(approved_by=F("drafted_by")).exists()

    # Every bench user signs in with the bench password (they share one hash: one slow check).
    roles = [
        "staff",
        "leader",
        "reviewer",
        "department",
        "secretary",
        "chair",
        "member",
        "front-admin",
        "front-admin-2",
        "fund-maker",
        "fund-checker",
        "superuser",
    ]
    users = User.objects.filter(email__in=[f"bench-{role}@bench.invalid" for role in roles])
    assert len({user.password for user in users}) == 1 and len(users) == len(roles)
    assert users[0].check_password("bench-pass-2026")
    assert Membership.objects.filter(user__in=users).values("user").distinct().count() == 8


def test_bench_data_refuses_without_consent(monkeypatch):
    monkeypatch.delenv("DKST_BENCH", raising=False)
    with pytest.raises(CommandError):
        call_command("bench_data", "--dossiers", "60", stdout=io.StringIO())
    assert not Dossier.objects.exists()


@pytest.mark.urls("bench.urls")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_page_benchmark_smoke(live_server, tmp_path):
    """The runner against the live server: tiny data, two clients, one second per page."""
    from bench.run import main

    _generate()
    report = tmp_path / "report.md"
    rows = main(
        [
            "--host",
            live_server.url,
            "--pages",
            "public home,dashboard (staff)",
            "--duration",
            "1",
            "--users",
            "2",
            "--out",
            str(report),
        ]
    )
    assert [row.page.name for row in rows] == ["bare view", "dashboard (staff)", "public home"]
    for row in rows:
        load = row.loads[2]
        assert load.requests > 0 and load.rps > 0 and load.errors == 0, row
        assert 0 < load.p50 <= load.p95 <= load.p99
        assert row.status == 200 and row.kb > 0 and row.ratio > 0
    assert rows[0].queries == 0 and rows[1].queries > 0
    text = report.read_text()
    for name in ("bare view", "dashboard (staff)", "public home"):
        assert f"| {name} |" in text


@pytest.mark.postgres_only
def test_trigram_indexes_come_back_as_they_were():
    """A large run drops the search columns' GIN indexes while the dossiers go in, then builds them again."""
    from bench.generate import _gin_rebuilt

    def gin_indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef ILIKE %s "
                "ORDER BY indexname",
                [Dossier._meta.db_table, "% USING gin %"],
            )
            return cursor.fetchall()

    before = gin_indexes()
    assert len(before) >= 2
    with _gin_rebuilt(Dossier):
        assert gin_indexes() == []
        _generate()  # rows inserted inside: their deferred foreign-key checks are pending at the rebuild
    assert gin_indexes() == before
    assert Dossier.objects.filter(search_text__contains="so").exists()
