"""Benchmark (not a timed test): rank 10,000 scored entries × 5 members × 5 criteria and compare the
job's wall time with one hand-written SQL aggregate over the same rows, in the same run.
Skipped unless DKST_BENCH=1; run on PostgreSQL with -s to see the figures. Goal: at most 2×."""

import datetime as dt
import os
import random
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Unit, UnitKind, User
from awards.models import RankedEntry, RankingRun
from awards.ranking import ranking_execute, ranking_start
from councils.models import (
    Assignment,
    Council,
    CouncilMember,
    Criterion,
    MemberRole,
    Rubric,
    ScoreItem,
    ScoreSheet,
)
from submissions.models import Dossier, Field, Status

pytestmark = [
    pytest.mark.skipif(os.environ.get("DKST_BENCH") != "1", reason="benchmark: set DKST_BENCH=1"),
    pytest.mark.django_db,
]

ENTRIES, MEMBERS, CRITERIA = 10_000, 5, 5

HAND_WRITTEN = """
SELECT a.dossier_id,
       count(*) AS sheets, sum(s.total), min(s.total), max(s.total),
       sum(i.points) FILTER (WHERE c.tie_break = 'novelty'),
       sum(i.points) FILTER (WHERE c.tie_break = 'effectiveness')
  FROM councils_scoresheet s
  JOIN councils_assignment a ON a.id = s.assignment_id
  JOIN councils_scoreitem i ON i.sheet_id = s.id
  JOIN councils_criterion c ON c.id = i.criterion_id
 WHERE a.council_id = %s AND a.is_active AND s.state = 'submitted'
 GROUP BY a.dossier_id
"""


def test_ranking_10000_entries_against_one_sql_aggregate(campaign, kind):
    rng = random.Random(2026)
    unit = Unit.objects.create(name="Sở thử", code="so-thu", kind=UnitKind.DEPARTMENT)
    users = User.objects.bulk_create(
        User(email=f"tv{i}@bench.vn", full_name=f"Thành viên {i}", password="!") for i in range(MEMBERS + 1)
    )
    council = Council.objects.create(
        campaign=campaign,
        name="Hội đồng đo tốc độ",
        decision_number="1/QĐ",
        decision_date=dt.date(2026, 3, 8),
        decision_signer="Chủ tịch",
    )
    members = CouncilMember.objects.bulk_create(
        CouncilMember(council=council, user=users[i], role=MemberRole.MEMBER, home_unit=unit)
        for i in range(MEMBERS)
    )
    rubric = Rubric.objects.create(campaign=campaign, name="Bộ tiêu chí 5 × 20")
    criteria = Criterion.objects.bulk_create(
        Criterion(
            rubric=rubric,
            order=n,
            name=f"Tiêu chí {n}",
            max_points=Decimal(20),
            tie_break={1: "novelty", 3: "effectiveness"}.get(n, ""),
        )
        for n in range(1, CRITERIA + 1)
    )
    fields = list(Field.objects.all())
    now = timezone.now()
    dossiers = Dossier.objects.bulk_create(
        (
            Dossier(
                campaign=campaign,
                unit=unit,
                reference=f"DKST-2026-{i:05d}",
                status=Status.IN_APPRAISAL,
                title=f"Sáng kiến thử số {i}",
                kind=kind,
                field=rng.choice(fields),
                summary="Đo tốc độ xếp hạng.",
                created_by=users[-1],
                submitted_at=now - dt.timedelta(minutes=i),
            )
            for i in range(1, ENTRIES + 1)
        ),
        batch_size=2000,
    )
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(council=council, dossier=d, member=m, assigned_by=users[-1])
            for d in dossiers
            for m in members
        ),
        batch_size=5000,
    )
    halves = [Decimal(n) / 2 for n in range(0, 41)]
    points = {a.pk: [rng.choice(halves) for _ in criteria] for a in assignments}
    sheets = ScoreSheet.objects.bulk_create(
        (
            ScoreSheet(
                assignment=a, state=ScoreSheet.State.SUBMITTED, total=sum(points[a.pk]), submitted_at=now
            )
            for a in assignments
        ),
        batch_size=5000,
    )
    ScoreItem.objects.bulk_create(
        (
            ScoreItem(sheet=s, criterion=c, points=p)
            for s in sheets
            for c, p in zip(criteria, points[s.assignment_id], strict=True)
        ),
        batch_size=10_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(HAND_WRITTEN, [council.pk])
        rows = cursor.fetchall()
    sql_seconds = time.perf_counter() - started

    run = ranking_start(campaign=campaign, actor=users[-1])
    started = time.perf_counter()
    ranking_execute(run.pk)
    task_seconds = time.perf_counter() - started
    run = RankingRun.objects.get(pk=run.pk)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(HAND_WRITTEN, [council.pk])
        cursor.fetchall()
    sql_again = time.perf_counter() - started
    print(
        f"\nranking ({connection.vendor}): {ENTRIES} entries × {MEMBERS} members × {CRITERIA} criteria "
        f"({len(sheets)} sheets, {len(sheets) * CRITERIA} items): task {task_seconds:.2f} s; "
        f"hand-written SQL aggregate {sql_seconds:.2f} s (again {sql_again:.2f} s); "
        f"ratio {task_seconds / min(sql_seconds, sql_again):.2f}×"
    )
    assert run.status == "done" and run.entry_count == ENTRIES == len(rows)
    assert RankedEntry.objects.filter(run=run).count() == ENTRIES
