"""The jobs the campaign's dates drive (SPEC §2): the ranking `ranking_days_before` the ceremony (14
by default) and the exports `exports_days_before` it (7 by default). The daily beat task starts each
job once, on its day or — if the beat was down that day — on the first day after it, up to the
ceremony. A Front admin can start either at any time by hand."""

import contextlib
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from awards.models import ScheduledJob
from awards.ranking import RankingBusy, policy_for, ranking_start
from dksangtao.registry import SCHEDULED_EXPORTS
from submissions.models import Campaign


def due_jobs(today: dt.date) -> list[tuple[str, Campaign]]:
    due = []
    for campaign in Campaign.objects.filter(ceremony_date__gte=today).order_by("year"):
        policy = policy_for(campaign)
        for kind, days in (
            (ScheduledJob.Kind.RANKING, policy.ranking_days_before),
            (ScheduledJob.Kind.EXPORTS, policy.exports_days_before),
        ):
            if campaign.ceremony_date - dt.timedelta(days=days) <= today:
                due.append((kind, campaign))
    return due


def exports_start(campaign: Campaign) -> None:
    """Every export an app has registered (the reports, …) for the campaign."""
    for export in SCHEDULED_EXPORTS:
        export(campaign)


def run_due_jobs(today: dt.date | None = None) -> list[tuple[str, int]]:
    """Start what is due and has not been started by the schedule yet: [(kind, campaign id)]."""
    today = today or timezone.localdate()
    started = []
    for kind, campaign in due_jobs(today):
        try:
            with transaction.atomic():
                ScheduledJob.objects.create(campaign=campaign, kind=kind)
        except IntegrityError:
            continue  # started on an earlier day
        if kind == ScheduledJob.Kind.RANKING:
            with contextlib.suppress(RankingBusy):  # a run started by hand is under way: it serves
                ranking_start(campaign=campaign)
        else:
            exports_start(campaign)
        started.append((str(kind), campaign.pk))
    return started
