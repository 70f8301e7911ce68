"""Benchmark (not a timed test): rank 10,000 scored entries × 5 members × 5 criteria and compare the
job's wall time, in the same run, with two floors written in SQL alone over the same rows:

- the snapshot: one INSERT…SELECT that aggregates the same sheets and items (the trimmed mean, the
  tie-break criteria's means, the class, the rank) and writes the 10,000 RankedEntry rows into the
  table the job writes;
- the same work as the job: the snapshot, plus what a finished run also writes — its dossiers moved
  to «ranked» (an UPDATE) and one audit event for each (an INSERT…SELECT).

Each floor runs in a savepoint rolled back afterwards, once before and once after the job (the
lower time counts). Skipped unless DKST_BENCH=1; run on PostgreSQL with -s to see the figures.
Goal: at most 2× the same work.

    DKST_BENCH=1 DATABASE_URL=postgres://… .venv/bin/pytest tests/awards/test_ranking_speed.py -s
"""

import datetime as dt
import os
import random
import time
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Unit, UnitKind, User
from awards.models import RankedEntry, RankingRun
from awards.ranking import AGGREGATE_SQL, COLUMNS, ranking_execute, ranking_start
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

# The aggregate alone (the comparison this benchmark used to make, printed for reference).
SELECT_ONLY = AGGREGATE_SQL.format(
    sheet="councils_scoresheet",
    assignment="councils_assignment",
    item="councils_scoreitem",
    criterion="councils_criterion",
)

# The floor: the snapshot computed and written by the database alone. Per entry the count, sum,
# minimum and maximum of its sheets' totals and of its two tie-break criteria (the job's aggregate,
# AGGREGATE_SQL), the score as the council computes it (the mean; without the highest and the lowest
# from five sheets up), the class under the rubric's thresholds, the rank by score, novelty,
# effectiveness, first submission and reference — inserted into awards_rankedentry.
FLOOR_SQL = f"""
INSERT INTO awards_rankedentry ({", ".join(COLUMNS)})
WITH per_sheet AS (
    SELECT a.dossier_id, s.id AS sheet_id, s.total,
           MAX(CASE WHEN c.tie_break = 'novelty' THEN i.points END) AS novelty,
           MAX(CASE WHEN c.tie_break = 'effectiveness' THEN i.points END) AS effectiveness
      FROM councils_scoresheet s
      JOIN councils_assignment a ON a.id = s.assignment_id
      JOIN councils_scoreitem i ON i.sheet_id = s.id
      JOIN councils_criterion c ON c.id = i.criterion_id
     WHERE a.council_id = %(council)s AND a.is_active AND s.state = 'submitted'
     GROUP BY a.dossier_id, s.id, s.total
), per_entry AS (
    SELECT dossier_id, COUNT(*) AS n, SUM(total) AS t, MIN(total) AS t_lo, MAX(total) AS t_hi,
           COUNT(novelty) AS nn, SUM(novelty) AS nt, MIN(novelty) AS n_lo, MAX(novelty) AS n_hi,
           COUNT(effectiveness) AS en, SUM(effectiveness) AS et, MIN(effectiveness) AS e_lo,
           MAX(effectiveness) AS e_hi
      FROM per_sheet
     GROUP BY dossier_id
), scored AS (
    SELECT e.dossier_id, e.n, d.submitted_at, d.reference,
           ROUND(CASE WHEN e.n >= 5 THEN (e.t - e.t_lo - e.t_hi) / (e.n - 2) ELSE e.t / e.n END, 2) AS score,
           ROUND(CASE WHEN e.nn >= 5 THEN (e.nt - e.n_lo - e.n_hi) / (e.nn - 2) ELSE e.nt / e.nn END, 2)
               AS novelty,
           ROUND(CASE WHEN e.en >= 5 THEN (e.et - e.e_lo - e.e_hi) / (e.en - 2) ELSE e.et / e.en END, 2)
               AS effectiveness
      FROM per_entry e
      JOIN submissions_dossier d ON d.id = e.dossier_id
     WHERE d.status IN ('scored', 'ranked')
)
SELECT %(run)s, dossier_id, NULL,
       ROW_NUMBER() OVER (ORDER BY score DESC, novelty DESC, effectiveness DESC, submitted_at, reference),
       score, novelty, effectiveness, submitted_at,
       CASE WHEN score >= 90 THEN 'excellent' WHEN score >= 80 THEN 'good' WHEN score >= 65 THEN 'fair'
            WHEN score >= 50 THEN 'pass' ELSE 'fail' END,
       n, ''
  FROM scored
"""


# What a finished run writes beside its snapshot (submissions.services.dossiers_ranked).
MOVE_SQL = """
UPDATE submissions_dossier SET status = 'ranked', updated_at = now()
 WHERE status IN ('scored', 'ranked')
   AND id IN (SELECT dossier_id FROM awards_rankedentry WHERE run_id = %(run)s)
"""
AUDIT_SQL = """
INSERT INTO dksangtao_auditevent
       (created_at, actor_id, action, content_type_id, object_id, object_repr, reason, detail)
SELECT now(), %(actor)s, 'dossier.ranked', %(content_type)s, d.id, d.reference || ' — ' || d.title, '',
       '{"from": "scored", "to": "ranked"}'
  FROM awards_rankedentry r
  JOIN submissions_dossier d ON d.id = r.dossier_id
 WHERE r.run_id = %(run)s
"""


def floor_seconds(campaign, council, actor, *, same_work: bool) -> float:
    """A floor's time; its rows are written, counted and then rolled back."""
    with transaction.atomic():
        run = RankingRun.objects.create(campaign=campaign, status="done")
        params = {
            "council": council.pk,
            "run": run.pk,
            "actor": actor.pk,
            "content_type": ContentType.objects.get_for_model(Dossier).pk,
        }
        started = time.perf_counter()
        counts = []
        with connection.cursor() as cursor:
            for statement in (FLOOR_SQL, MOVE_SQL, AUDIT_SQL) if same_work else (FLOOR_SQL,):
                cursor.execute(statement, params)
                counts.append(cursor.rowcount)
        seconds = time.perf_counter() - started
        assert counts == [ENTRIES] * len(counts)
        transaction.set_rollback(True)
    return seconds


def select_seconds(council) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SELECT_ONLY, [council.pk, "submitted"])
        assert len(cursor.fetchall()) == ENTRIES
    return time.perf_counter() - started


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
        results_announced_at=timezone.now(),  # the results are out: the entries are «scored»
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
                status=Status.SCORED,
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

    def floors():
        snapshot["s"].append(floor_seconds(campaign, council, users[-1], same_work=False))
        snapshot["work"].append(floor_seconds(campaign, council, users[-1], same_work=True))
        snapshot["select"].append(select_seconds(council))

    snapshot = {"s": [], "work": [], "select": []}
    floors()
    run = ranking_start(campaign=campaign, actor=users[-1])
    started = time.perf_counter()
    ranking_execute(run.pk)
    job = time.perf_counter() - started
    run = RankingRun.objects.get(pk=run.pk)
    floors()  # again after the job, so that noise from the machine hits both sides
    alone, work, select = (min(snapshot[key]) for key in ("s", "work", "select"))
    print(
        f"\nranking ({connection.vendor}): {ENTRIES} entries × {MEMBERS} members × {CRITERIA} criteria "
        f"({len(sheets)} sheets, {len(sheets) * CRITERIA} items): job {job:.2f} s\n"
        f"  floor, the same work (snapshot + dossiers «ranked» + their audit events) {work:.2f} s: "
        f"ratio {job / work:.2f}×\n"
        f"  floor, the snapshot alone (aggregate + INSERT…SELECT) {alone:.2f} s: ratio {job / alone:.2f}×\n"
        f"  the aggregate SELECT alone {select:.2f} s: ratio {job / select:.2f}×"
    )
    assert run.status == "done" and run.entry_count == ENTRIES, run.error
    assert RankedEntry.objects.filter(run=run).count() == ENTRIES
    assert job <= 2 * work
