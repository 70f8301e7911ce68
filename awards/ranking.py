"""The ranking job (SPEC §5): every entry with a valid council result, ranked per campaign (or per
field when the campaign's policy says so), stored as an immutable snapshot.

How a run works
---------------
1. `ranking_start` inserts a run «queued». A partial unique index allows one queued-or-running run per
   campaign, so of two runs started at once the second insert fails and its caller is told which run
   is under way (`RankingBusy`). The Celery task is sent after the commit.
2. `ranking_execute` (the task's body) takes the run, reads the inputs — active assignments per entry,
   and one aggregate pass giving per entry the count, sum, minimum and maximum of its submitted totals
   and of its two tie-break criteria's points — and computes each entry's score the way
   the council's results page does (the mean; the trimmed mean with five or more sheets; valid only at
   the 2/3 quorum), its classification under its rubric, and its rank.
3. Ties break deterministically (SPEC §5): the higher novelty score, then the higher effectiveness
   score (each the mean of that criterion's points over the entry's sheets, trimmed like the total),
   then the earlier first submission, then — should all of that be equal — the smaller reference. The
   decisive comparison is written beside each tied entry.
4. The results and the run's end are written in one transaction; a run is never changed afterwards.

The snapshot hash
-----------------
`inputs_hash` is the SHA-256 of a canonical text, one line per fact, in a fixed order: a header with
the algorithm version, the campaign id and whether it ranks per field; each rubric's classification
thresholds (by field); and per entry, by dossier id, its id, reference, field, first-submission time,
number of active assignments and the count, sum, minimum and maximum of its submitted totals and of
its two tie-break criteria's points. These are exactly the facts the result is computed from, so
unchanged inputs give the same hash and the same ranking, and any change that could move a result
changes the hash.
"""

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardPolicy, RankedEntry, RankingRun
from councils.models import Assignment, Council, Criterion, Rubric, ScoreItem, ScoreSheet
from councils.selectors import classify_key, quorum_needed
from submissions.models import Campaign, Dossier
from submissions.services import ActionRefused

logger = logging.getLogger(__name__)
ALGORITHM_VERSION = 1
TWO = Decimal("0.01")


class RankingBusy(ActionRefused):
    def __init__(self, message, run):
        super().__init__(message)
        self.run = run


def policy_for(campaign: Campaign) -> AwardPolicy:
    policy, _created = AwardPolicy.objects.get_or_create(campaign=campaign)
    return policy


# Plain data and the pure ranking ---------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """count, sum, minimum and maximum of some sheets' values."""

    n: int = 0
    total: Decimal = Decimal(0)
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(0)

    def mean(self) -> Decimal | None:
        """The mean; with five or more values, without the highest and the lowest (SPEC §4)."""
        if not self.n:
            return None
        trimmed = self.n >= 5
        value = (self.total - self.low - self.high) / (self.n - 2) if trimmed else self.total / self.n
        return value.quantize(TWO, rounding=ROUND_HALF_UP)

    def canonical(self) -> str:
        return f"{self.n},{self.total},{self.low},{self.high}"


@dataclass(frozen=True)
class EntryInput:
    dossier_id: int
    reference: str
    field_id: int
    submitted_at: object  # datetime
    assigned: int
    totals: Stats
    novelty: Stats
    effectiveness: Stats

    @property
    def valid(self) -> bool:
        return self.assigned > 0 and self.totals.n >= quorum_needed(self.assigned)


@dataclass
class Ranked:
    entry: EntryInput
    score: Decimal
    novelty: Decimal | None
    effectiveness: Decimal | None
    classification: str
    field_id: int | None
    rank: int = 0
    tie_note: str = ""


def _order_key(item: Ranked):
    low = Decimal("-1")
    return (
        -item.score,
        -(item.novelty if item.novelty is not None else low),
        -(item.effectiveness if item.effectiveness is not None else low),
        item.entry.submitted_at,
        item.entry.reference,
    )


def _points(value: Decimal | None) -> str:
    """27,5 — the Vietnamese decimal mark, no trailing zeros (the note is stored in Vietnamese)."""
    return "—" if value is None else format(value.normalize(), "f").replace(".", ",")


class _Notes:
    """The tie-break sentences, translated once per run (a run may write thousands of them)."""

    def __init__(self):
        self.novelty = _("điểm tính mới %(a)s so với %(b)s")
        self.effectiveness = _("điểm hiệu quả %(a)s so với %(b)s")
        self.earlier = _("nộp sớm hơn (%(a)s so với %(b)s)")
        self.reference = _("số hồ sơ nhỏ hơn")
        self.ahead = _("Bằng điểm với %(ref)s; xếp trên vì %(why)s")
        self.behind = _("Bằng điểm với %(ref)s; xếp dưới vì %(why)s")

    def why_ahead(self, first: Ranked, second: Ranked) -> str:
        """Why `first` is ranked above `second`, which has the same score."""
        if first.novelty != second.novelty:
            return self.novelty % {"a": _points(first.novelty), "b": _points(second.novelty)}
        if first.effectiveness != second.effectiveness:
            return self.effectiveness % {
                "a": _points(first.effectiveness),
                "b": _points(second.effectiveness),
            }
        if first.entry.submitted_at != second.entry.submitted_at:
            return self.earlier % {
                "a": timezone.localtime(first.entry.submitted_at).strftime("%d/%m/%Y %H:%M"),
                "b": timezone.localtime(second.entry.submitted_at).strftime("%d/%m/%Y %H:%M"),
            }
        return self.reference


def rank_entries(entries: list[EntryInput], rubrics: dict, *, per_field: bool) -> list[Ranked]:
    """Rank the valid entries (see the module docstring). `rubrics`: field id (None = general) →
    Rubric. Ranks start at 1 in each group (the whole campaign, or each field)."""
    groups: dict[int | None, list[Ranked]] = defaultdict(list)
    for entry in entries:
        if not entry.valid:
            continue
        score = entry.totals.mean()
        rubric = rubrics.get(entry.field_id) or rubrics.get(None)
        group = entry.field_id if per_field else None
        groups[group].append(
            Ranked(
                entry=entry,
                score=score,
                novelty=entry.novelty.mean(),
                effectiveness=entry.effectiveness.mean(),
                classification=classify_key(score, rubric),
                field_id=group,
            )
        )
    ranked, notes = [], _Notes()
    for group in sorted(groups, key=lambda g: (g is not None, g or 0)):
        items = sorted(groups[group], key=_order_key)
        for position, item in enumerate(items, start=1):
            item.rank = position
        for above, below in zip(items, items[1:], strict=False):
            if above.score == below.score:
                why = notes.why_ahead(above, below)
                ahead = notes.ahead % {"ref": below.entry.reference, "why": why}
                behind = notes.behind % {"ref": above.entry.reference, "why": why}
                above.tie_note = f"{above.tie_note}; {ahead}" if above.tie_note else ahead
                below.tie_note = f"{below.tie_note}; {behind}" if below.tie_note else behind
        ranked.extend(items)
    return ranked


def inputs_hash(campaign_id: int, per_field: bool, entries: list[EntryInput], rubrics: dict) -> str:
    """SHA-256 over canonical text: a header line, one line per rubric, one line per entry (sorted)."""
    digest = hashlib.sha256(
        f"ranking v{ALGORITHM_VERSION}|campaign {campaign_id}|per_field {per_field}\n".encode()
    )
    for field_id, r in sorted(rubrics.items(), key=lambda item: item[0] or 0):
        digest.update(
            f"rubric|{field_id or 0}|{r.excellent_min}|{r.good_min}|{r.fair_min}|{r.pass_min}\n".encode()
        )
    for e in sorted(entries, key=lambda e: e.dossier_id):
        digest.update(
            f"entry|{e.dossier_id}|{e.reference}|{e.field_id}|{e.submitted_at.isoformat()}|{e.assigned}"
            f"|{e.totals.canonical()}|{e.novelty.canonical()}|{e.effectiveness.canonical()}\n".encode()
        )
    return digest.hexdigest()


# Reading the inputs ----------------------------------------------------------------------------


# One pass over the council's submitted sheets and their items: per sheet its total and the points of
# its two tie-break criteria, then per entry the count, sum, minimum and maximum of each. Raw SQL because
# this is the job's whole cost on a large campaign; plain SQL that PostgreSQL and SQLite both run.
AGGREGATE_SQL = """
WITH per_sheet AS (
    SELECT a.dossier_id, s.id AS sheet_id, s.total,
           MAX(CASE WHEN c.tie_break = 'novelty' THEN i.points END) AS novelty,
           MAX(CASE WHEN c.tie_break = 'effectiveness' THEN i.points END) AS effectiveness
      FROM {sheet} s
      JOIN {assignment} a ON a.id = s.assignment_id
      JOIN {item} i ON i.sheet_id = s.id
      JOIN {criterion} c ON c.id = i.criterion_id
     WHERE a.council_id = %s AND a.is_active AND s.state = %s
     GROUP BY a.dossier_id, s.id, s.total
)
SELECT dossier_id,
       COUNT(*), SUM(total), MIN(total), MAX(total),
       COUNT(novelty), SUM(novelty), MIN(novelty), MAX(novelty),
       COUNT(effectiveness), SUM(effectiveness), MIN(effectiveness), MAX(effectiveness)
  FROM per_sheet
 GROUP BY dossier_id
"""


ENTRIES_SQL = """
SELECT d.id, d.reference, d.field_id, d.submitted_at, COUNT(*)
  FROM {assignment} a
  JOIN {dossier} d ON d.id = a.dossier_id
 WHERE a.council_id = %s AND a.is_active
 GROUP BY d.id, d.reference, d.field_id, d.submitted_at
"""


def _decimal(value) -> Decimal:
    # PostgreSQL hands back Decimals; SQLite floats or ints: go through str() to keep the value exact.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _stats(n, total, low, high) -> Stats:
    return Stats(n, _decimal(total), _decimal(low), _decimal(high)) if n else Stats()


def load_inputs(campaign: Campaign) -> tuple[list[EntryInput], dict]:
    """The facts a ranking is computed from: each assigned entry with its active assignments
    (ENTRIES_SQL), and one aggregate pass over the submitted sheets (AGGREGATE_SQL)."""
    rubrics = {r.field_id: r for r in Rubric.objects.filter(campaign=campaign)}
    council = Council.objects.filter(campaign=campaign).first()
    if council is None:
        return [], rubrics
    sql = AGGREGATE_SQL.format(
        sheet=ScoreSheet._meta.db_table,
        assignment=Assignment._meta.db_table,
        item=ScoreItem._meta.db_table,
        criterion=Criterion._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [council.pk, ScoreSheet.State.SUBMITTED])
        aggregates = {row[0]: (_stats(*row[1:5]), _stats(*row[5:9]), _stats(*row[9:13])) for row in cursor}
        cursor.execute(
            ENTRIES_SQL.format(assignment=Assignment._meta.db_table, dossier=Dossier._meta.db_table),
            [council.pk],
        )
        rows = cursor.fetchall()
    empty = (Stats(), Stats(), Stats())
    return [
        EntryInput(pk, reference, field_id, _aware(submitted_at), assigned, *aggregates.get(pk, empty))
        for pk, reference, field_id, submitted_at, assigned in rows
    ], rubrics


def _aware(value):
    """SQLite's raw rows give the timestamp as text; PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


# Services --------------------------------------------------------------------------------------


def _expire_stale(campaign: Campaign) -> None:
    """A run left queued or running past the task time limit (a worker that died) is marked failed,
    so it cannot hold the lock for ever."""
    limit = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    active = [RankingRun.Status.QUEUED, RankingRun.Status.RUNNING]
    RankingRun.objects.filter(campaign=campaign, status__in=active, created_at__lt=limit).update(
        status=RankingRun.Status.FAILED,
        error=_("Quá thời gian chạy cho phép; lần chạy bị hủy."),
        finished_at=timezone.now(),
    )


def ranking_start(*, campaign: Campaign, actor=None) -> RankingRun:
    """Queue a run for the campaign (`actor` None: the schedule). Refused with RankingBusy while
    another run of the campaign is queued or running."""
    from awards.tasks import run_ranking

    _expire_stale(campaign)
    policy = policy_for(campaign)
    try:
        with transaction.atomic():
            run = RankingRun.objects.create(
                campaign=campaign, started_by=actor, per_field=policy.rank_per_field
            )
    except IntegrityError:
        active = (
            RankingRun.objects.filter(
                campaign=campaign, status__in=[RankingRun.Status.QUEUED, RankingRun.Status.RUNNING]
            )
            .select_related("started_by")
            .first()
        )
        who = active.started_by.full_name if active and active.started_by else _("lịch tự động")
        raise RankingBusy(
            _("Đang có lần xếp hạng #%(n)s (%(who)s) chưa xong; lần chạy này không được bắt đầu.")
            % {"n": active.pk if active else "?", "who": who},
            active,
        ) from None
    transaction.on_commit(lambda: run_ranking.delay(run.pk))
    return run


COLUMNS = (
    "run_id",
    "dossier_id",
    "field_id",
    "rank",
    "score",
    "novelty",
    "effectiveness",
    "submitted_at",
    "classification",
    "sheets",
    "tie_note",
)


def _write_entries(run_id: int, ranked: list[Ranked]) -> None:
    """The snapshot's rows: PostgreSQL's COPY (ten thousand rows in a fraction of the time of INSERTs),
    bulk_create elsewhere."""
    rows = (
        (
            run_id,
            item.entry.dossier_id,
            item.field_id,
            item.rank,
            item.score,
            item.novelty,
            item.effectiveness,
            item.entry.submitted_at,
            item.classification,
            item.entry.totals.n,
            item.tie_note[:500],
        )
        for item in ranked
    )
    if connection.vendor == "postgresql":
        statement = f"COPY {RankedEntry._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        RankedEntry.objects.bulk_create(
            (RankedEntry(**dict(zip(COLUMNS, row, strict=True))) for row in rows), batch_size=2000
        )


def _progress(run_id: int, percent: int) -> None:
    RankingRun.objects.filter(pk=run_id).update(progress=percent)


def ranking_execute(run_id: int) -> RankingRun:
    """The task's work (module docstring). A run that is not queued any more is left alone, so a
    redelivered task does nothing."""
    with transaction.atomic():
        run = RankingRun.objects.select_for_update().select_related("campaign").get(pk=run_id)
        if run.status != RankingRun.Status.QUEUED:
            return run
        run.status, run.started_at, run.progress = RankingRun.Status.RUNNING, timezone.now(), 5
        run.save(update_fields=["status", "started_at", "progress"])
    try:
        entries, rubrics = load_inputs(run.campaign)
        _progress(run.pk, 40)
        ranked = rank_entries(entries, rubrics, per_field=run.per_field)
        digest = inputs_hash(run.campaign_id, run.per_field, entries, rubrics)
        _progress(run.pk, 70)
        with transaction.atomic():
            _write_entries(run.pk, ranked)
            RankingRun.objects.filter(pk=run.pk).update(
                status=RankingRun.Status.DONE,
                progress=100,
                inputs_hash=digest,
                entry_count=len(ranked),
                finished_at=timezone.now(),
            )
    except Exception as error:  # recorded on the run for the admin to see; the run ends failed
        logger.exception("Ranking run %s failed", run.pk)
        RankingRun.objects.filter(pk=run.pk).update(
            status=RankingRun.Status.FAILED,
            error=str(error)[:2000] or repr(error),
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run
