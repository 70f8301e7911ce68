"""The ranking the campaign's dates drive (SPEC §2): `ranking_days_before` the ceremony (14 by
default). The daily beat task starts it once, on its day or — if the beat was down that day, or the
council had not announced its results yet — on the first day after it when it can start, up to the
ceremony. A Front admin can start it at any time by hand. (The exports before the ceremony are the
reports app's: reports.services.scheduled_exports.)"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from awards.models import ScheduledJob
from awards.ranking import RankingBusy, ranking_start
from awards.selectors import policy_for
from dksangtao.errors import ActionRefused
from submissions.models import Campaign


def due_rankings(today: dt.date) -> list[Campaign]:
    """Campaigns whose ranking day has come and whose ceremony is still ahead."""
    return [
        campaign
        for campaign in Campaign.objects.filter(ceremony_date__gte=today).order_by("year")
        if campaign.ceremony_date - dt.timedelta(days=policy_for(campaign).ranking_days_before) <= today
    ]


def run_due_jobs(today: dt.date | None = None) -> list[int]:
    """Start the rankings that are due and not started by the schedule yet: [campaign id]."""
    today = today or timezone.localdate()
    started = []
    for campaign in due_rankings(today):
        try:
            with transaction.atomic():
                ScheduledJob.objects.create(campaign=campaign, kind=ScheduledJob.Kind.RANKING)
                ranking_start(campaign=campaign)
        except IntegrityError:
            continue  # started on an earlier day
        except RankingBusy:
            ScheduledJob.objects.get_or_create(campaign=campaign, kind=ScheduledJob.Kind.RANKING)
            continue  # a run started by hand is under way: it serves
        except ActionRefused:
            continue  # the council has not announced its results: tomorrow again
        started.append(campaign.pk)
    return started
