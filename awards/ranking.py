"""The ranking job (SPEC §5): every entry with a valid council result, ranked per campaign (or per
field when the campaign's policy says so), stored as an immutable snapshot.

How a run works
---------------
1. `ranking_start` inserts a run «queued». A partial unique index allows one queued-or-running run per
   campaign, so of two runs started at once the second insert fails and its caller is told which run
   is under way (`RankingBusy`). The Celery task is sent after the commit.
2. `ranking_execute` (the task's body) takes the run, reads the inputs with one aggregate query per
   kind of fact — active assignments per entry; count, sum, minimum and maximum of the submitted
   totals per entry; the same for the two tie-break criteria — and computes each entry's score the way
   the council's results page does (the mean; the trimmed mean with five or more sheets; valid only at
   the 2/3 quorum), its classification under its rubric, and its rank.
3. Ties break deterministically (SPEC §5): the higher novelty score, then the higher effectiveness
   score (each the mean of that criterion's points over the entry's sheets, trimmed like the total),
   then the earlier first submission, then — should all of that be equal — the smaller reference. The
   decisive comparison is written beside each tied entry.
4. The results and the run's end are written in one transaction; a run is never changed afterwards.

The snapshot hash
-----------------
`inputs_hash` is the SHA-256 of a canonical JSON document (sorted keys, no spaces) holding: the
algorithm version, the campaign id, whether it ranks per field, each rubric's classification
thresholds, and per entry its id, reference, field, first-submission time, number of active
assignments and the count, sum, minimum and maximum of its submitted totals and of its two tie-break
criteria's points. These are exactly the facts the result is computed from, so unchanged inputs give
the same hash and the same ranking, and any change that could move a result changes the hash.
"""

import datetime as dt
import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardPolicy, RankedEntry, RankingRun
from councils.models import Assignment, Council, Rubric, ScoreItem, ScoreSheet, TieBreak
from councils.selectors import classify_key, quorum_needed
from dksangtao.formatting import format_points
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

    def canonical(self) -> list:
        return [self.n, str(self.total), str(self.low), str(self.high)]


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


def _why_ahead(first: Ranked, second: Ranked) -> str:
    """Why `first` is ranked above `second`, which has the same score."""
    if first.novelty != second.novelty:
        return _("điểm tính mới %(a)s so với %(b)s") % {
            "a": format_points(first.novelty),
            "b": format_points(second.novelty),
        }
    if first.effectiveness != second.effectiveness:
        return _("điểm hiệu quả %(a)s so với %(b)s") % {
            "a": format_points(first.effectiveness),
            "b": format_points(second.effectiveness),
        }
    if first.entry.submitted_at != second.entry.submitted_at:
        return _("nộp sớm hơn (%(a)s so với %(b)s)") % {
            "a": timezone.localtime(first.entry.submitted_at).strftime("%d/%m/%Y %H:%M"),
            "b": timezone.localtime(second.entry.submitted_at).strftime("%d/%m/%Y %H:%M"),
        }
    return _("số hồ sơ nhỏ hơn")


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
    ranked = []
    for group in sorted(groups, key=lambda g: (g is not None, g or 0)):
        items = sorted(groups[group], key=_order_key)
        for position, item in enumerate(items, start=1):
            item.rank = position
        for above, below in zip(items, items[1:], strict=False):
            if above.score == below.score:
                reason = _why_ahead(above, below)
                notes = {
                    "ahead": _("Bằng điểm với %(ref)s; xếp trên vì %(why)s")
                    % {"ref": below.entry.reference, "why": reason},
                    "behind": _("Bằng điểm với %(ref)s; xếp dưới vì %(why)s")
                    % {"ref": above.entry.reference, "why": reason},
                }
                above.tie_note = "; ".join(filter(None, [above.tie_note, notes["ahead"]]))
                below.tie_note = "; ".join(filter(None, [below.tie_note, notes["behind"]]))
        ranked.extend(items)
    return ranked


def inputs_hash(campaign_id: int, per_field: bool, entries: list[EntryInput], rubrics: dict) -> str:
    document = {
        "version": ALGORITHM_VERSION,
        "campaign": campaign_id,
        "per_field": per_field,
        "rubrics": sorted(
            [field_id or 0, str(r.excellent_min), str(r.good_min), str(r.fair_min), str(r.pass_min)]
            for field_id, r in rubrics.items()
        ),
        "entries": sorted(
            [
                e.dossier_id,
                e.reference,
                e.field_id,
                e.submitted_at.isoformat(),
                e.assigned,
                e.totals.canonical(),
                e.novelty.canonical(),
                e.effectiveness.canonical(),
            ]
            for e in entries
        ),
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


# Reading the inputs ----------------------------------------------------------------------------


def load_inputs(campaign: Campaign) -> tuple[list[EntryInput], dict]:
    """The facts a ranking is computed from, in four aggregate queries and one list of dossiers."""
    rubrics = {r.field_id: r for r in Rubric.objects.filter(campaign=campaign)}
    council = Council.objects.filter(campaign=campaign).first()
    if council is None:
        return [], rubrics
    assigned = dict(
        Assignment.objects.filter(council=council, is_active=True)
        .order_by()
        .values("dossier_id")
        .annotate(n=Count("id"))
        .values_list("dossier_id", "n")
    )
    submitted = ScoreSheet.objects.filter(
        assignment__council=council, assignment__is_active=True, state=ScoreSheet.State.SUBMITTED
    )
    totals = {
        dossier_id: Stats(n, total, low, high)
        for dossier_id, n, total, low, high in submitted.order_by()
        .values("assignment__dossier_id")
        .annotate(n=Count("id"), s=Sum("total"), lo=Min("total"), hi=Max("total"))
        .values_list("assignment__dossier_id", "n", "s", "lo", "hi")
    }
    tie_breaks: dict[str, dict[int, Stats]] = {TieBreak.NOVELTY: {}, TieBreak.EFFECTIVENESS: {}}
    for dossier_id, role, n, total, low, high in (
        ScoreItem.objects.filter(
            sheet__assignment__council=council,
            sheet__assignment__is_active=True,
            sheet__state=ScoreSheet.State.SUBMITTED,
            criterion__tie_break__in=list(tie_breaks),
            points__isnull=False,
        )
        .order_by()
        .values("sheet__assignment__dossier_id", "criterion__tie_break")
        .annotate(n=Count("id"), s=Sum("points"), lo=Min("points"), hi=Max("points"))
        .values_list("sheet__assignment__dossier_id", "criterion__tie_break", "n", "s", "lo", "hi")
    ):
        tie_breaks[role][dossier_id] = Stats(n, total, low, high)
    dossiers = Dossier.objects.filter(pk__in=list(assigned)).values_list(
        "id", "reference", "field_id", "submitted_at"
    )
    entries = [
        EntryInput(
            dossier_id=pk,
            reference=reference,
            field_id=field_id,
            submitted_at=submitted_at,
            assigned=assigned[pk],
            totals=totals.get(pk, Stats()),
            novelty=tie_breaks[TieBreak.NOVELTY].get(pk, Stats()),
            effectiveness=tie_breaks[TieBreak.EFFECTIVENESS].get(pk, Stats()),
        )
        for pk, reference, field_id, submitted_at in dossiers
    ]
    return entries, rubrics


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
            RankedEntry.objects.bulk_create(
                [
                    RankedEntry(
                        run_id=run.pk,
                        dossier_id=item.entry.dossier_id,
                        field_id=item.field_id,
                        rank=item.rank,
                        score=item.score,
                        novelty=item.novelty,
                        effectiveness=item.effectiveness,
                        submitted_at=item.entry.submitted_at,
                        classification=item.classification,
                        sheets=item.entry.totals.n,
                        tie_note=item.tie_note[:500],
                    )
                    for item in ranked
                ],
                batch_size=2000,
            )
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
