"""Reads for the council's pages: the current council, the loaders that refuse what a person may not
reach, a member's queue, and the aggregated results (SPEC §4) — the one aggregation the ranking
reuses."""

import datetime as dt
import hashlib
import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection, connections, router
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_lazy

from accounts.models import User
from councils.models import (
    Appeal,
    Assignment,
    Council,
    CouncilMember,
    Criterion,
    Rubric,
    ScoreItem,
    ScoreSheet,
)
from dksangtao.errors import ActionRefused
from submissions.models import Dossier

QUORUM = Decimal(2) / Decimal(3)  # SPEC §4: a result counts once 2/3 of the assigned members submitted
DISAGREEMENT_GAP = Decimal(20)  # two members' totals further apart than this flag the entry
TWO_PLACES = Decimal("0.01")


def assignment_for_member(user, pk: int, *, active_only: bool = True) -> Assignment:
    """The member's own (active) assignment, or 404: nobody reaches another member's sheet by URL."""
    assignments = Assignment.objects.select_related(
        "council__campaign", "dossier__field", "dossier__kind", "dossier__unit", "member"
    ).filter(pk=pk, member__user=user)
    assignment = (assignments.filter(is_active=True) if active_only else assignments).first()
    if assignment is None:
        raise Http404
    return assignment


def dossier_of_council(council: Council, pk: int) -> Dossier:
    """A dossier of the council's campaign, with what the council's pages show; 404 for any other."""
    dossier = (
        Dossier.objects.filter(pk=pk, campaign_id=council.campaign_id)
        .select_related("campaign", "unit", "kind", "field")
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def rubric_for(dossier) -> Rubric | None:
    """The field's own rubric if the campaign has one, else the campaign's general rubric."""
    rubrics = {r.field_id: r for r in Rubric.objects.filter(campaign_id=dossier.campaign_id)}
    return rubrics.get(dossier.field_id) or rubrics.get(None)


NO_RUBRIC = gettext_lazy("Đợt xét chọn chưa có bộ tiêu chí; Thư ký cần thiết lập trước khi chấm.")


@dataclass
class SheetLine:
    criterion: Criterion
    points: Decimal | None = None
    comment: str = ""


def sheet_lines(assignment: Assignment) -> tuple[ScoreSheet | None, list[SheetLine]]:
    """The member's sheet as its page shows it: the saved lines, or — before the first save — the
    rubric's criteria, empty (showing a sheet writes nothing). ActionRefused without a rubric."""
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    if sheet is not None:
        items = sheet.items.select_related("criterion").prefetch_related("criterion__bands")
        lines = [
            SheetLine(i.criterion, i.points, i.comment) for i in items.order_by("criterion__order", "id")
        ]
        return sheet, lines
    rubric = rubric_for(assignment.dossier)
    if rubric is None:
        raise ActionRefused(str(NO_RUBRIC))
    return None, [SheetLine(criterion) for criterion in rubric.criteria.prefetch_related("bands")]


def sheet_of_council(council: Council, pk: int) -> ScoreSheet:
    """A sheet of the council, for its chair to reopen; 404 for any other sheet."""
    sheet = (
        ScoreSheet.objects.filter(pk=pk, assignment__council=council)
        .select_related("assignment__dossier", "assignment__member__user")
        .first()
    )
    if sheet is None:
        raise Http404
    return sheet


@dataclass
class SheetCorrection:
    """A submitted sheet of an appealed dossier as the answer page offers it for correction."""

    sheet: ScoreSheet
    member_name: str
    items: list  # ScoreItem, in the rubric's order
    fields: list = field(default_factory=list)  # the answer page's inputs, filled in by its view


def appeal_sheets(appeal: Appeal) -> list[SheetCorrection]:
    """The submitted sheets of the appealed dossier (active assignments), in two queries."""
    sheets = (
        ScoreSheet.objects.filter(
            assignment__council_id=appeal.council_id,
            assignment__dossier_id=appeal.dossier_id,
            assignment__is_active=True,
            state=ScoreSheet.State.SUBMITTED,
        )
        .select_related("assignment__member__user")
        .prefetch_related(
            Prefetch(
                "items", queryset=ScoreItem.objects.select_related("criterion").order_by("criterion__order")
            )
        )
        .order_by("assignment__member__user__full_name", "pk")
    )
    return [
        SheetCorrection(sheet, sheet.assignment.member.user.full_name, list(sheet.items.all()))
        for sheet in sheets
    ]


def appeal_of_council(council: Council, pk: int) -> Appeal:
    """An appeal lodged with the council, for its secretary to answer; 404 for any other."""
    appeal = (
        Appeal.objects.filter(pk=pk, council=council).select_related("dossier__unit", "lodged_by").first()
    )
    if appeal is None:
        raise Http404
    return appeal


def mean_of(count: int, total: Decimal, lowest: Decimal, highest: Decimal) -> Decimal | None:
    """SPEC §4's score of `count` sheets summing to `total`: the mean; with five or more sheets, the
    trimmed mean without the highest and the lowest. Rounded half up to two decimals. The council's
    pages and the ranking job (from SQL aggregates) both compute it here."""
    if not count:
        return None
    if count >= 5:
        total, count = total - lowest - highest, count - 2
    return (total / count).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def aggregate(totals: list[Decimal]) -> Decimal | None:
    """The score of these submitted totals (mean_of)."""
    if not totals:
        return None
    return mean_of(len(totals), sum(totals, Decimal(0)), min(totals), max(totals))


def quorum_needed(assigned: int) -> int:
    return math.ceil(assigned * QUORUM - Decimal("1e-9")) if assigned else 0


def result_valid(assigned: int, submitted: int) -> bool:
    """A result counts once the quorum of the assigned members has submitted."""
    return assigned > 0 and submitted >= quorum_needed(assigned)


CLASS_LABELS = {
    "excellent": gettext_lazy("Xuất sắc"),
    "good": gettext_lazy("Tốt"),
    "fair": gettext_lazy("Khá"),
    "pass": gettext_lazy("Đạt"),
    "fail": gettext_lazy("Không đạt"),
}


def classify_key(score: Decimal | None, rubric: Rubric | None) -> str:
    """The class of a score under the rubric's thresholds: excellent, good, fair, pass, fail ("" when
    there is no score)."""
    if score is None or rubric is None:
        return ""
    for threshold, key in (
        (rubric.excellent_min, "excellent"),
        (rubric.good_min, "good"),
        (rubric.fair_min, "fair"),
        (rubric.pass_min, "pass"),
    ):
        if score >= threshold:
            return key
    return "fail"


def classify(score: Decimal | None, rubric: Rubric | None) -> str:
    key = classify_key(score, rubric)
    return str(CLASS_LABELS[key]) if key else ""


@dataclass
class EntryResult:
    dossier: Dossier
    sheets: list = field(default_factory=list)  # (member, sheet or None) in member order
    assigned: int = 0
    totals: list = field(default_factory=list)
    score: Decimal | None = None
    valid: bool = False
    flagged: bool = False
    classification: str = ""
    normalised: Decimal | None = None  # filled in by the results page from calibration()
    reopen_refusal: str = ""  # filled in by the results page: why its sheets stay closed

    @property
    def submitted(self) -> int:
        return len(self.totals)

    @property
    def needed(self) -> int:
        return quorum_needed(self.assigned)


@dataclass(frozen=True)
class Verdict:
    """What SPEC §4 makes of an entry's submitted totals, from their count, sum, minimum and maximum."""

    valid: bool
    score: Decimal | None
    flagged: bool
    class_key: str


def judge(assigned: int, count: int, total, lowest, highest, rubric: Rubric | None) -> Verdict:
    """The entry's validity (quorum), score (mean_of), disagreement flag and class: the one place
    both the full results and the summaries (entry_summaries) compute them."""
    valid = result_valid(assigned, count)
    score = mean_of(count, total, lowest, highest) if valid else None
    flagged = count >= 2 and highest - lowest > DISAGREEMENT_GAP
    return Verdict(valid, score, flagged, classify_key(score, rubric))


def rubrics_of(council: Council) -> dict:
    """The campaign's rubrics by field (None: the general one), for classify_key; a page that calls
    both entry_summaries and council_results reads them once and passes them to both."""
    return {r.field_id: r for r in Rubric.objects.filter(campaign_id=council.campaign_id)}


def council_results(
    council: Council, *, dossier: Dossier | None = None, dossier_ids=None, rubrics: dict | None = None
) -> list[EntryResult]:
    """The assigned dossiers of the council — all, just `dossier`, or those of `dossier_ids` (a
    page's rows) — with their members' sheets and the aggregate, in two queries (rubrics;
    assignments with dossiers, members and sheets) whatever the number. A page of a large council
    passes its own rows: the whole council is 10,000 assignments at province scale."""
    if dossier_ids is not None and not dossier_ids:
        return []
    rubrics = rubrics_of(council) if rubrics is None else rubrics
    if dossier_ids is not None:
        return _judged(_page_results(council, list(dossier_ids)), rubrics)
    assignments = (
        Assignment.objects.filter(council=council, is_active=True)
        .select_related("dossier__unit", "dossier__field", "member__user", "sheet")
        .order_by("dossier__reference", "member__user__full_name")
    )
    if dossier is not None:
        assignments = assignments.filter(dossier=dossier)
    results: dict[int, EntryResult] = {}
    for assignment in assignments:
        _add_sheet(results, assignment.dossier, assignment.member, getattr(assignment, "sheet", None))
    return _judged(results, rubrics)


def _add_sheet(results: dict[int, EntryResult], dossier, member, sheet) -> None:
    """One assignment of the dossier: its member and sheet (None before it is opened)."""
    result = results.setdefault(dossier.pk, EntryResult(dossier=dossier))
    result.sheets.append((member, sheet))
    result.assigned += 1
    if sheet is not None and sheet.state == ScoreSheet.State.SUBMITTED:
        result.totals.append(sheet.total)


def _columns(model, names: set) -> tuple:
    """The named columns in the model's order, as Model.from_db takes them."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


# What a page's rows show (the results page): the dossier's reference, title and status, each
# member's name and sheet. A real dossier's long texts run to pages, and its unit and field are not
# shown: only these columns are read.
PAGE_DOSSIER = _columns(Dossier, {"id", "reference", "title", "status", "field_id", "campaign_id"})
PAGE_MEMBER = _columns(CouncilMember, {"id", "user_id", "role"})
PAGE_USER = _columns(User, {"id", "full_name"})
PAGE_SHEET = _columns(ScoreSheet, {"id", "assignment_id", "state", "total", "submitted_at"})


def _page_results(council: Council, dossier_ids: list) -> dict[int, EntryResult]:
    """The page's dossiers with their active members' sheets, from one query over their assignments
    that builds one dossier per dossier and one member per member (select_related would build each
    of them again on every assignment row: 625 objects for 25 entries instead of 226)."""
    rows = (
        Assignment.objects.filter(council=council, is_active=True, dossier_id__in=dossier_ids)
        .order_by("dossier__reference", "member__user__full_name")
        .values_list(
            *(f"dossier__{name}" for name in PAGE_DOSSIER),
            *(f"member__{name}" for name in PAGE_MEMBER),
            *(f"member__user__{name}" for name in PAGE_USER[1:]),
            *(f"sheet__{name}" for name in PAGE_SHEET),
        )
    )
    db = rows.db
    dossiers: dict[int, Dossier] = {}
    members: dict[int, CouncilMember] = {}
    results: dict[int, EntryResult] = {}
    member_at = len(PAGE_DOSSIER)
    name_at = member_at + len(PAGE_MEMBER)
    for row in rows:
        dossier_row, member_row = row[:member_at], row[member_at:name_at]
        user_name, sheet_row = row[name_at], row[name_at + 1 :]
        dossier = dossiers.get(dossier_row[0])
        if dossier is None:
            dossier = dossiers[dossier_row[0]] = Dossier.from_db(db, PAGE_DOSSIER, dossier_row)
        member = members.get(member_row[0])
        if member is None:
            member = members[member_row[0]] = CouncilMember.from_db(db, PAGE_MEMBER, member_row)
            user_id = member_row[PAGE_MEMBER.index("user_id")]
            member.user = User.from_db(db, PAGE_USER, (user_id, user_name))
        sheet = ScoreSheet.from_db(db, PAGE_SHEET, sheet_row) if sheet_row[0] is not None else None
        _add_sheet(results, dossier, member, sheet)
    return results


def _judged(results: dict[int, EntryResult], rubrics: dict) -> list[EntryResult]:
    """The results with their verdicts (judge) filled in."""
    for result in results.values():
        totals = result.totals
        verdict = judge(
            result.assigned,
            len(totals),
            sum(totals, Decimal(0)),
            min(totals, default=None),
            max(totals, default=None),
            rubrics.get(result.dossier.field_id) or rubrics.get(None),
        )
        result.valid, result.score, result.flagged = verdict.valid, verdict.score, verdict.flagged
        result.classification = str(CLASS_LABELS[verdict.class_key]) if verdict.class_key else ""
    return list(results.values())


class EntrySummary(NamedTuple):
    """One assigned dossier of the council as its figures: no dossier row, member or sheet loaded.
    A named tuple: 2,000 of them are kept in the cache, and a tuple unpickles in half the time of an
    object with its own attribute dict."""

    dossier_id: int
    reference: str
    field_id: int
    status: str  # the dossier's
    assigned: int
    submitted: int
    valid: bool
    score: Decimal | None
    flagged: bool
    class_key: str

    @property
    def complete(self) -> bool:
        return self.submitted == self.assigned

    @property
    def classification(self) -> str:
        return str(CLASS_LABELS[self.class_key]) if self.class_key else ""


# One pass over the council's active assignments and their submitted sheets: per dossier the number
# assigned and the count, sum, minimum and maximum of the submitted totals — all that SPEC §4's
# score, quorum, flag and class need (judge). Raw SQL as in awards.ranking (plain SQL that PostgreSQL
# and SQLite both run; SQLite's sums come back as floats and go through str() to stay exact). Reads the
# council's rows by assignment_council_dossier_idx.
SUMMARY_SQL = """
SELECT d.id, d.reference, d.field_id, d.status,
       COUNT(*), COUNT(s.id), SUM(s.total), MIN(s.total), MAX(s.total)
  FROM {assignment} a
  JOIN {dossier} d ON d.id = a.dossier_id
  LEFT JOIN {sheet} s ON s.assignment_id = a.id AND s.state = %s
 WHERE a.council_id = %s AND a.is_active
 GROUP BY d.id, d.reference, d.field_id, d.status
 ORDER BY d.reference, d.id
"""


def _exact(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def entry_summaries(
    council: Council, *, rubrics: dict | None = None, fingerprint: "Fingerprint | None" = None
) -> list[EntrySummary]:
    """Every assigned dossier of the council with its verdict, by reference — what the results,
    progress and statistics pages count and filter; they load sheets (council_results) only for the
    rows they show. Two queries (rubrics; the figures' fingerprint), and the aggregate
    (_entry_summaries) only when the council's rows have changed since it was last kept."""
    rubrics = rubrics_of(council) if rubrics is None else rubrics
    thresholds = sorted(
        (field_id or 0, r.pk, r.excellent_min, r.good_min, r.fair_min, r.pass_min)
        for field_id, r in rubrics.items()
    )
    return figures_cached(
        "entry_summaries",
        (council.pk, thresholds),
        lambda: _entry_summaries(council, rubrics),
        fingerprint=fingerprint,
    )


def _entry_summaries(council: Council, rubrics: dict) -> list[EntrySummary]:
    """entry_summaries from one aggregate over the council's assignments and submitted sheets."""
    sql = SUMMARY_SQL.format(
        assignment=Assignment._meta.db_table,
        dossier=Dossier._meta.db_table,
        sheet=ScoreSheet._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ScoreSheet.State.SUBMITTED, council.pk])
        rows = cursor.fetchall()
    summaries = []
    for pk, reference, field_id, status, assigned, count, total, lowest, highest in rows:
        verdict = judge(
            assigned,
            count,
            _exact(total),
            _exact(lowest),
            _exact(highest),
            rubrics.get(field_id) or rubrics.get(None),
        )
        summaries.append(
            EntrySummary(
                pk,
                reference,
                field_id,
                status,
                assigned,
                count,
                verdict.valid,
                verdict.score,
                verdict.flagged,
                verdict.class_key,
            )
        )
    return summaries


def rubric_is_locked(rubric: Rubric) -> bool:
    """A rubric cannot change once any score on it has been submitted."""
    return ScoreSheet.objects.filter(
        state=ScoreSheet.State.SUBMITTED, items__criterion__rubric=rubric
    ).exists()


# Figures kept between requests -------------------------------------------------------------------

# The council's figures and the statistics are aggregates over 10,000 assignments and 100,000
# dossiers (20–60 ms each at province scale). They are kept in the shared cache under a fingerprint
# of the rows they count, read before each use in one query over small indexes: the newest change of
# a submitted dossier (dossier_figures_idx), of a score sheet (sheet_updated_idx) and of an
# assignment (assignment_assigned_idx), and the number of ended assignments (assignment_ended_idx:
# an assignment is only ever ended, never taken back). Every write to those rows — the dossier's
# transitions and edits, scoring, reopening, appeals' corrections, assigning, ending — moves the
# fingerprint, whichever service or admin page makes it: nothing has to remember to drop a figure.
# A timestamp is taken before its transaction commits, so two overlapping writes may commit out of
# order and a figure computed between the two commits would carry the newer fingerprint; figures whose
# newest change is younger than FIGURES_SETTLE are therefore kept only FIGURES_FRESH_SECONDS.
FIGURES_SETTLE = dt.timedelta(seconds=60)
FIGURES_FRESH_SECONDS = 5
FIGURES_CACHE_SECONDS = 10 * 60

FINGERPRINT_SQL = """
SELECT (SELECT MAX(updated_at) FROM {dossier} WHERE reference IS NOT NULL),
       (SELECT MAX(updated_at) FROM {sheet}),
       (SELECT MAX(assigned_at) FROM {assignment}),
       (SELECT COUNT(*) FROM {assignment} WHERE NOT is_active)
"""


def _moment(value) -> dt.datetime | None:
    """A MAX() of a timestamp as the database returns it (SQLite: text in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


@dataclass(frozen=True)
class Fingerprint:
    key: str
    newest: dt.datetime | None

    @property
    def lifetime(self) -> int:
        settled = self.newest is None or timezone.now() - self.newest >= FIGURES_SETTLE
        return FIGURES_CACHE_SECONDS if settled else FIGURES_FRESH_SECONDS


def figures_fingerprint() -> Fingerprint:
    """The state of the rows the kept figures count (see above), from the database pages read."""
    sql = FINGERPRINT_SQL.format(
        dossier=Dossier._meta.db_table, sheet=ScoreSheet._meta.db_table, assignment=Assignment._meta.db_table
    )
    with connections[router.db_for_read(Dossier) or "default"].cursor() as cursor:
        cursor.execute(sql)
        dossiers, sheets, assigned, ended = cursor.fetchone()
    moments = [_moment(value) for value in (dossiers, sheets, assigned)]
    newest = max((moment for moment in moments if moment is not None), default=None)
    return Fingerprint(repr((*moments, ended)), newest)


# The figures this process read last, by key: a page that finds its figure here (and still in the
# shared cache, which decides how long it lives) neither fetches nor unpickles it again — 2,000
# entry summaries are 120 kB. Callers only read a kept figure, never change it.
_READ: dict[str, object] = {}
_READ_LOCK = threading.Lock()
READ_KEPT = 32


def figures_cached(name: str, parts, build, *, fingerprint: Fingerprint | None = None):
    """`build()`, kept in the shared cache until the rows it counts change (figures_fingerprint;
    a page that keeps several figures reads it once and passes it). `parts` names what else the
    figure depends on (the council, the scope, the filters); the page's language is added, for
    figures with labels. The value is shared: read it, never change it."""
    fingerprint = fingerprint or figures_fingerprint()
    digest = hashlib.sha256(repr((fingerprint.key, get_language(), parts)).encode()).hexdigest()
    key = f"figures:{name}:{digest}"
    value = _READ.get(key)
    if value is not None and cache.has_key(key):
        return value
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, fingerprint.lifetime)
    with _READ_LOCK:  # threaded servers: one change of the dict at a time
        if len(_READ) >= READ_KEPT:
            _READ.pop(next(iter(_READ)), None)
        _READ[key] = value
    return value


@dataclass
class MemberCalibration:
    member: CouncilMember
    count: int
    mean: Decimal
    spread: Decimal  # population standard deviation of the member's submitted totals
    offset: Decimal  # member mean − council mean


@dataclass
class Calibration:
    council_mean: Decimal | None
    council_spread: Decimal | None
    normalised: dict  # dossier id → the mean of its sheets' totals re-expressed on the council's scale
    figures: dict = field(default_factory=dict)  # member id → (count, mean, spread, offset), unrounded

    @cached_property
    def members(self) -> list[MemberCalibration]:
        """Each member's figures beside the council's, by name: the members are loaded on first use
        (the calibration page), not for the results page, which shows only `normalised`."""
        members = CouncilMember.objects.select_related("user").in_bulk(list(self.figures))
        two = Decimal("0.01")
        rows = (
            MemberCalibration(
                member=members[member_id],
                count=count,
                mean=mean.quantize(two),
                spread=sd.quantize(two),
                offset=offset.quantize(two),
            )
            for member_id, (count, mean, sd, offset) in self.figures.items()
        )
        return sorted(rows, key=lambda row: row.member.user.full_name)


# Per member, the count, sum and sum of squares of their submitted totals: each member's mean and
# spread (and the council's, from the members' sums) without loading the sheets.
CALIBRATION_SQL = """
SELECT a.member_id, COUNT(*), SUM(s.total), SUM(s.total * s.total)
  FROM {sheet} s
  JOIN {assignment} a ON a.id = s.assignment_id
 WHERE a.council_id = %s AND s.state = %s
 GROUP BY a.member_id
"""


def _mean_sd(count: int, total: Decimal, squares: Decimal) -> tuple[Decimal, Decimal]:
    """Mean and population standard deviation from count, sum and sum of squares."""
    mean = total / count
    variance = squares / count - mean * mean
    return mean, max(variance, Decimal(0)).sqrt()  # never below 0 from the last digit's rounding


def _member_sums(council: Council) -> dict:
    """{member id: (count, sum, sum of squares)} of the members' submitted totals (CALIBRATION_SQL)."""
    sql = CALIBRATION_SQL.format(sheet=ScoreSheet._meta.db_table, assignment=Assignment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [council.pk, ScoreSheet.State.SUBMITTED])
        return {member_id: (n, _exact(total), _exact(squares)) for member_id, n, total, squares in cursor}


def calibration(council: Council, *, dossier_ids=None) -> Calibration:
    """How each member scores against the council (SPEC §4): each member's mean and spread beside
    the council's, and a normalised result per entry — each submitted total turned into a z-score
    within its member's own totals, then put back on the council's mean and spread. The raw mean
    stays the official result; this is shown beside it. The means and spreads come from one
    aggregate (CALIBRATION_SQL); the normalised results are computed for `dossier_ids` only when
    given (a page's rows), from their own sheets."""
    sums = figures_cached("calibration", council.pk, lambda: _member_sums(council))
    if not sums:
        return Calibration(None, None, {})
    council_mean, council_sd = _mean_sd(
        sum(n for n, _t, _s in sums.values()),
        sum((t for _n, t, _s in sums.values()), Decimal(0)),
        sum((sq for _n, _t, sq in sums.values()), Decimal(0)),
    )
    stats = {member_id: _mean_sd(*figures) for member_id, figures in sums.items()}
    sheets = ScoreSheet.objects.filter(assignment__council=council, state=ScoreSheet.State.SUBMITTED)
    if dossier_ids is not None:
        sheets = sheets.filter(assignment__dossier_id__in=list(dossier_ids))
    per_entry: dict[int, list[Decimal]] = {}
    for member_id, dossier_id, total in sheets.values_list(
        "assignment__member_id", "assignment__dossier_id", "total"
    ):
        mean, sd = stats[member_id]
        z = (total - mean) / sd if sd else Decimal(0)
        per_entry.setdefault(dossier_id, []).append(council_mean + z * council_sd)
    two = Decimal("0.01")
    return Calibration(
        council_mean=council_mean.quantize(two),
        council_spread=council_sd.quantize(two),
        normalised={
            dossier_id: (sum(values, Decimal(0)) / len(values)).quantize(two)
            for dossier_id, values in per_entry.items()
        },
        figures={
            member_id: (sums[member_id][0], mean, sd, mean - council_mean)
            for member_id, (mean, sd) in stats.items()
        },
    )


@dataclass(frozen=True)
class ResultsOverview:
    """The counts at the top of the results page, over every entry of the council."""

    entries: int
    complete: int
    valid: int
    flagged: int
    classes: list  # (key, label, count) in the rubric's order

    @classmethod
    def of(cls, summaries) -> "ResultsOverview":
        counts = Counter(s.class_key for s in summaries)
        return cls(
            entries=len(summaries),
            complete=sum(1 for s in summaries if s.complete),
            valid=sum(1 for s in summaries if s.valid),
            flagged=sum(1 for s in summaries if s.flagged),
            classes=[(key, label, counts[key]) for key, label in CLASS_LABELS.items()],
        )


# A member's queue at province scale: its figures first, then a page of 25 -------------------------

# What the queue shows and exports of each assignment: never a dossier's ten long sections.
QUEUE_FIELDS = (
    "council_id",
    "dossier__reference",
    "dossier__title",
    "dossier__field__name",
    "sheet__state",
    "sheet__total",
)


def _queue_of(place: CouncilMember) -> QuerySet:
    # By the member's place itself (councils.permissions.current_place, read once per request), not
    # by its user through a join: that read the council's 10,000 assignments to find the member's 264.
    return Assignment.objects.filter(council_id=place.council_id, member_id=place.pk, is_active=True)


def member_queue_rows(place: CouncilMember) -> QuerySet:
    """A member's active assignments (`place`: their place on the council) in the order they were
    assigned, with what their queue shows joined; the queue page filters, sorts and pages them
    (councils.filters.MemberQueueFilter). The order is the assignments' own: a page of 25 then joins
    25 dossiers, where ordering by reference joined and sorted all of the member's hundreds."""
    return _queue_of(place).select_related("dossier__field", "sheet").only(*QUEUE_FIELDS).order_by("pk")


@dataclass(frozen=True)
class QueueFigures:
    """A member's whole queue in three numbers (one aggregate, whatever its length)."""

    total: int
    submitted: int
    drafts: int

    @property
    def unopened(self) -> int:
        return self.total - self.submitted - self.drafts


def member_queue_figures(place: CouncilMember) -> QueueFigures:
    def sheets(state):
        # A look-up per assignment on the sheet's unique index: a join read every sheet of the province.
        return Exists(ScoreSheet.objects.filter(assignment=OuterRef("pk"), state=state))

    return QueueFigures(
        **_queue_of(place).aggregate(
            total=Count("pk"),
            submitted=Count("pk", filter=sheets(ScoreSheet.State.SUBMITTED)),
            drafts=Count("pk", filter=sheets(ScoreSheet.State.DRAFT)),
        )
    )
