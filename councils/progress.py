"""The secretary's view of scoring progress, and the reminders to members with sheets still to
submit: on the secretary's click, and every day of the last three days of the window (beat).

A reminder tells a member how many of *their own* sheets are pending, nothing about anyone else's.
Each member gets at most one reminder a day, whoever sends it: the row lock on the council
serialises a click and the daily task, and `ScoringReminder` records who was reminded on which day.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import SCORING_ROLES, Council, CouncilMember, ScoreSheet, ScoringReminder
from councils.services import check_scoring_window
from dksangtao.audit import Action, record
from dksangtao.mail import notify, site_url

REMINDER_DAYS = 3  # the daily reminders run on the last three days of the scoring window


@dataclass
class MemberProgress:
    member: CouncilMember
    assigned: int
    submitted: int
    drafts: int  # sheets opened and not yet submitted
    last_reminded: dt.date | None

    @property
    def pending(self) -> int:
        return self.assigned - self.submitted


def member_progress(council: Council) -> list[MemberProgress]:
    """Every scoring member with their active assignments, submitted sheets, drafts and the day of
    their last reminder: one query, whatever the number of members and entries."""
    active = Q(assignments__is_active=True)
    last_reminder = (
        ScoringReminder.objects.filter(member=OuterRef("pk")).order_by().values("member")
    ).annotate(last=Max("sent_on"))
    members = (
        CouncilMember.objects.filter(council=council, role__in=SCORING_ROLES)
        .select_related("user")
        .annotate(
            n_assigned=Count("assignments", filter=active),
            n_submitted=Count(
                "assignments", filter=active & Q(assignments__sheet__state=ScoreSheet.State.SUBMITTED)
            ),
            n_drafts=Count(
                "assignments", filter=active & Q(assignments__sheet__state=ScoreSheet.State.DRAFT)
            ),
            last_reminded=Subquery(last_reminder.values("last")),
        )
        .order_by("user__full_name", "id")
    )
    return [MemberProgress(m, m.n_assigned, m.n_submitted, m.n_drafts, m.last_reminded) for m in members]


@dataclass(frozen=True)
class ReminderRun:
    sent: int  # members e-mailed now
    already: int  # members with pending sheets who had been reminded today already


def reminders_send(*, council: Council, actor=None, today: dt.date | None = None) -> ReminderRun:
    """E-mail every scoring member who has active assignments not yet submitted and has not been
    reminded today. `actor` is the secretary, or None for the daily task."""
    today = today or timezone.localdate()
    with transaction.atomic():
        council = Council.objects.select_for_update().select_related("campaign").get(pk=council.pk)
        check_scoring_window(
            council, today, _("Chỉ gửi nhắc trong thời gian chấm điểm, từ %(start)s đến %(end)s.")
        )
        pending = [row for row in member_progress(council) if row.pending > 0 and row.member.user.is_active]
        reminded_today = set(
            ScoringReminder.objects.filter(member__council=council, sent_on=today).values_list(
                "member_id", flat=True
            )
        )
        due = [row for row in pending if row.member.pk not in reminded_today]
        ScoringReminder.objects.bulk_create(
            [ScoringReminder(member=r.member, pending=r.pending, sent_on=today, sent_by=actor) for r in due]
        )
        for row in due:
            notify(
                template="councils/email/reminder",
                context={
                    "council": council,
                    "name": row.member.user.full_name,
                    "pending": row.pending,
                    "end": council.campaign.scoring_end,
                    "url": site_url("councils:scoring"),
                },
                to=[row.member.user.email],
            )
        if due:
            record(
                actor=actor,
                action=Action.REMINDERS_SENT,
                obj=council,
                detail={
                    "members": [row.member.pk for row in due],
                    "summary": ", ".join(f"{row.member.user.full_name} ({row.pending})" for row in due),
                },
            )
    return ReminderRun(sent=len(due), already=len(pending) - len(due))


def councils_in_reminder_days(today: dt.date):
    """Councils whose scoring window ends within the next REMINDER_DAYS days, today included."""
    return Council.objects.filter(
        campaign__scoring_start__lte=today,
        campaign__scoring_end__gte=today,
        campaign__scoring_end__lt=today + dt.timedelta(days=REMINDER_DAYS),
    )


def daily_reminders(today: dt.date | None = None) -> int:
    """The beat task's work: remind pending members of every council in its last three days."""
    today = today or timezone.localdate()
    return sum(reminders_send(council=c, today=today).sent for c in councils_in_reminder_days(today))
