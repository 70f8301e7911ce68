"""The ranking job (SPEC §5): every entry with a valid council result, ranked per campaign (or per
field when the campaign's policy says so), stored as an immutable snapshot.

How a run works
---------------
1. `ranking_start` inserts a run «queued» once the council has announced its results (the dossiers
   with a valid result are then «scored»). A partial unique index allows one queued-or-running run per
   campaign, so of two runs started at once the second insert fails and its caller is told which run
   is under way (`RankingBusy`). The Celery task is sent after the commit.
2. `ranking_execute` (the task's body) takes the run, reads the inputs — the scored (or already
   ranked) entries with their active assignments, and one aggregate pass giving per entry the count,
   sum, minimum and maximum of its submitted totals and of its two tie-break criteria's points — and
   computes each entry's score with the council's own aggregation (councils.selectors.mean_of: the
   mean; the trimmed mean with five or more sheets; valid only at the 2/3 quorum), its
   classification under its rubric, and its rank.
3. Ties break deterministically (SPEC §5): the higher novelty score, then the higher effectiveness
   score (each the mean of that criterion's points over the entry's sheets, trimmed like the total),
   then the earlier first submission, then — should all of that be equal — the smaller reference. The
   decisive comparison is written beside each tied entry.
4. The results, the run's end and the ranked entries' move to «ranked» are written in one
   transaction; a run is never changed afterwards.

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
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import RankedEntry, RankingRun
from awards.selectors import policy_for
from councils.models import Assignment, Council, Criterion, Rubric, ScoreItem, ScoreSheet
from councils.selectors import classify_key, mean_of, result_valid
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.formatting import format_datetime
from dksangtao.jobs import ACTIVE, JobStatus, JobTakenOver
from submissions.models import Campaign, Dossier, Status
from submissions.services import dossiers_ranked

logger = logging.getLogger(__name__)
ALGORITHM_VERSION = 1


class RankingBusy(ActionRefused):
    def __init__(self, message, run):
        super().__init__(message)
        self.run = run


# Plain data and the pure ranking ---------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """count, sum, minimum and maximum of some sheets' values."""

    n: int = 0
    total: Decimal = Decimal(0)
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(0)

    def mean(self) -> Decimal | None:
        """The council's score of these values (councils.selectors.mean_of)."""
        return mean_of(self.n, self.total, self.low, self.high)

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
        return result_valid(self.assigned, self.totals.n)


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
                "a": format_datetime(first.entry.submitted_at),
                "b": format_datetime(second.entry.submitted_at),
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
 WHERE a.council_id = %s AND a.is_active AND d.status IN (%s, %s)
 GROUP BY d.id, d.reference, d.field_id, d.submitted_at
"""


def _decimal(value) -> Decimal:
    # PostgreSQL hands back Decimals; SQLite floats or ints: go through str() to keep the value exact.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _stats(n, total, low, high) -> Stats:
    return Stats(n, _decimal(total), _decimal(low), _decimal(high)) if n else Stats()


def load_inputs(campaign: Campaign) -> tuple[list[EntryInput], dict]:
    """The facts a ranking is computed from: each scored (or ranked) entry with its active assignments
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
            [council.pk, Status.SCORED, Status.RANKED],
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


def ranking_start(*, campaign: Campaign, actor=None) -> RankingRun:
    """Queue a run for the campaign (`actor` None: the schedule). Refused until the council has
    announced its results, and with RankingBusy while another run of the campaign is queued or
    running (a run that lost its worker is marked failed first)."""
    council = Council.objects.filter(campaign=campaign).first()
    if council is None or council.results_announced_at is None:
        raise ActionRefused(_("Hội đồng thẩm định chưa công bố kết quả chấm của đợt này; chưa thể xếp hạng."))
    RankingRun.expire_stale(RankingRun.objects.filter(campaign=campaign))
    policy = policy_for(campaign)
    try:
        with transaction.atomic():
            run = RankingRun.objects.create(
                campaign=campaign, started_by=actor, per_field=policy.rank_per_field
            )
            record(actor=actor, action=Action.RANKING_STARTED, obj=run)
    except IntegrityError:
        active = (
            RankingRun.objects.filter(campaign=campaign, status__in=ACTIVE)
            .select_related("started_by")
            .first()
        )
        who = active.started_by.full_name if active and active.started_by else _("lịch tự động")
        raise RankingBusy(
            _("Đang có lần xếp hạng #%(n)s (%(who)s) chưa xong; lần chạy này không được bắt đầu.")
            % {"n": active.pk if active else "?", "who": who},
            active,
        ) from None
    run.enqueue()  # after the commit; a broker that is down leaves the run failed-retryable
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


def ranking_execute(run_id: int) -> RankingRun:
    """The task's work (module docstring). A run that is not queued any more is left alone, so a
    redelivered task does nothing; a run taken over while this worker was thought dead writes
    nothing (dksangtao.jobs)."""
    run = RankingRun.claim(run_id, "campaign", "started_by")
    if run is None:
        return RankingRun.objects.get(pk=run_id)
    try:
        entries, rubrics = load_inputs(run.campaign)
        RankingRun.report_progress(run.pk, 40)
        ranked = rank_entries(entries, rubrics, per_field=run.per_field)
        digest = inputs_hash(run.campaign_id, run.per_field, entries, rubrics)
        RankingRun.report_progress(run.pk, 70)
        with transaction.atomic():
            RankingRun.hold(run)
            _write_entries(run.pk, ranked)
            RankingRun.objects.filter(pk=run.pk).update(
                status=JobStatus.DONE,
                progress=100,
                inputs_hash=digest,
                entry_count=len(ranked),
                finished_at=timezone.now(),
            )
            ranked_ids = RankedEntry.objects.filter(run_id=run.pk).values("dossier_id")
            # on behalf of whoever started the run (None: the schedule)
            dossiers_ranked(dossiers=Dossier.objects.filter(pk__in=ranked_ids), actor=run.started_by)
            record(actor=None, action=Action.RANKING_DONE, obj=run, detail={"entries": len(ranked)})
    except JobTakenOver:
        logger.warning("Ranking run %s was taken over; this worker's result is dropped", run.pk)
    except Exception as error:  # recorded on the run for the admin to see; the run ends failed
        logger.exception("Ranking run %s failed", run.pk)
        if RankingRun.fail(run.pk, str(error) or repr(error), claimed=run):
            record(actor=None, action=Action.RANKING_FAILED, obj=run, detail={"error": str(error)[:500]})
    run.refresh_from_db()
    return run
