"""The secretary's view of scoring progress, and the reminders to members with sheets still to
submit: on the secretary's click, and every day of the last three days of the window (beat).

A reminder tells a member how many of *their own* sheets are pending, nothing about anyone else's.
Each member gets at most one reminder a day, whoever sends it: the row lock on the council
serialises a click and the daily task, and `ScoringReminder` records who was reminded on which day.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import SCORING_ROLES, Assignment, Council, CouncilMember, ScoreSheet, ScoringReminder
from councils.selectors import Fingerprint, entry_summaries, figures_cached
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


def scoring_counts(council: Council) -> dict[int, tuple[int, int, int]]:
    """{member id: (active assignments, submitted sheets, drafts)} of the council, in one aggregate
    over its assignments (no member row loaded)."""
    submitted = Q(sheet__state=ScoreSheet.State.SUBMITTED)
    rows = (
        Assignment.objects.filter(council=council, is_active=True)
        .order_by()
        .values_list("member_id")
        .annotate(
            assigned=Count("id"),
            submitted=Count("id", filter=submitted),
            drafts=Count("id", filter=Q(sheet__state=ScoreSheet.State.DRAFT)),
        )
    )
    return {member_id: (assigned, done, drafts) for member_id, assigned, done, drafts in rows}


def member_progress(council: Council, *, kept: Fingerprint | None = None) -> list[MemberProgress]:
    """Every scoring member with their active assignments, submitted sheets, drafts and the day of
    their last reminder: two queries (the members; the counts), whatever the number of members and
    entries. `kept`: the counts as kept between requests under that fingerprint (the progress page;
    figures_cached) — not inside the reminders' transaction, which counts what it has locked."""
    last_reminder = (
        ScoringReminder.objects.filter(member=OuterRef("pk")).order_by().values("member")
    ).annotate(last=Max("sent_on"))
    members = (
        CouncilMember.objects.filter(council=council, role__in=SCORING_ROLES)
        .select_related("user")
        .annotate(last_reminded=Subquery(last_reminder.values("last")))
        .order_by("user__full_name", "id")
    )
    if kept:
        counts = figures_cached(
            "scoring_counts", council.pk, lambda: scoring_counts(council), fingerprint=kept
        )
    else:
        counts = scoring_counts(council)
    rows = []
    for member in members:
        assigned, submitted, drafts = counts.get(member.pk, (0, 0, 0))
        rows.append(MemberProgress(member, assigned, submitted, drafts, member.last_reminded))
    return rows


@dataclass(frozen=True)
class EntryCounts:
    ids: list  # the assigned dossiers, by reference
    complete: int  # those whose every active member has submitted


def entry_counts(council: Council, *, fingerprint: Fingerprint) -> EntryCounts:
    """The progress page's figures over every entry, kept under the fingerprint: the order to page
    through and the number complete (a list of ids, not the 2,000 summaries they come from)."""

    def build():
        summaries = entry_summaries(council, fingerprint=fingerprint)
        return EntryCounts([s.dossier_id for s in summaries], sum(1 for s in summaries if s.complete))

    return figures_cached("entry_counts", council.pk, build, fingerprint=fingerprint)


@dataclass
class EntryProgress:
    """One assigned dossier on the progress page: its members' names and the state of their sheets
    («» when not opened)."""

    reference: str
    title: str
    sheets: list = field(default_factory=list)  # (member's name, sheet state), by name

    @property
    def assigned(self) -> int:
        return len(self.sheets)

    @property
    def submitted(self) -> int:
        return sum(1 for _name, state in self.sheets if state == ScoreSheet.State.SUBMITTED)


def entry_progress(council: Council, dossier_ids: list[int]) -> list[EntryProgress]:
    """The page's dossiers, in the order given, with their active members' sheets: one query over
    their assignments, reading the columns shown (no dossier, member or sheet row loaded)."""
    rows = (
        Assignment.objects.filter(council=council, is_active=True, dossier_id__in=dossier_ids)
        .order_by("member__user__full_name", "id")
        .values_list(
            "dossier_id", "dossier__reference", "dossier__title", "member__user__full_name", "sheet__state"
        )
    )
    entries: dict[int, EntryProgress] = {}
    for dossier_id, reference, title, name, state in rows:
        entry = entries.setdefault(dossier_id, EntryProgress(reference, title))
        entry.sheets.append((name, state or ""))
    return [entries[pk] for pk in dossier_ids if pk in entries]


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
