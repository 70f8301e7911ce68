"""Who scores which dossier: the automatic assignment, the secretary's hand edits and the members'
declarations of conflict of interest.

The planner (`plan_assignments`) works on plain data and touches no database, so its guarantees are
checked by property tests over random councils; the services below load the data for it, write what
it decides, and hold the council's row lock so that two runs (or a run and a hand edit) never
interleave.

The automatic assignment, step by step
--------------------------------------
1. For every eligible entry (a dossier «đang thẩm định» of the council's campaign) the candidates are
   the scoring members (Ủy viên and Phó Chủ tịch) who have no conflict of interest with it
   (`conflict_of`), are not already assigned to it, and were not taken off it by the secretary.
2. Entries are taken in order of fewest candidates, then fewest expert candidates, then id: the
   hardest to staff choose first, and the flexible ones then even out the loads around them.
3. An entry lacking k members (k = N − its active assignments, N = `Council.members_per_entry`)
   takes the first k candidates ordered by (not an expert in the entry's field, current load,
   member id): experts first and others only when there are not enough conflict-free experts;
   among equals the least loaded, ties by id. Each pick adds one to that member's load at once.
4. Entries that end with fewer than N members are reported with the reason (how many members were
   excluded, and why).

Guarantees (tests/councils/test_assignment.py checks each on random councils)
-----------------------------------------------------------------------------
- Never a conflict: no new pair puts a member on an entry from their own unit, its parent unit or
  one of its child units, an entry they created, an entry whose author has their name (compared with
  `fold`: case, diacritics and spacing ignored), or an entry on which they declared a conflict.
- Each entry gets exactly min(max(0, N − active), candidates) new, distinct members; so an entry
  whose existing assignments are conflict-free and no more than N ends with min(N, conflict-free
  members not taken off it by the secretary).
- Idempotent: existing active assignments are kept, never duplicated or moved; a second run with
  nothing changed adds nothing. The run never undoes a hand edit (a removed pair is not re-proposed).
- Deterministic: the same data gives the same pairs, whatever the order it arrives in.
- Experts first: an entry gets a non-expert only when every conflict-free expert is on it.
- Load balance: when every member is a conflict-free expert for every entry (and none is already on
  them), each entry takes the k least loaded members, which never widens the gap between the busiest
  and the idlest member past one: max load − min load ≤ max(1, the gap before the run) — ≤ 1 from
  a fresh start. When members fall into groups by field (each member expert in one field, each
  field's entries with at least N conflict-free experts), the same holds inside each group. Beyond
  that, conflicts and uneven expertise may force imbalance (experts come before balance); the
  greedy order keeps it small but promises no optimum.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Unit
from councils.models import SCORING_ROLES, Assignment, Council, CouncilMember, ScoreSheet
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.text import fold, nfc
from submissions.models import Author, Dossier, Status

# Why a member may not score an entry, in the order `conflict_of` checks them.
CONFLICTS = {
    "declared": gettext_lazy("đã khai báo xung đột lợi ích với hồ sơ này"),
    "creator": gettext_lazy("là người lập hồ sơ"),
    "author": gettext_lazy("trùng họ tên với một tác giả của hồ sơ"),
    "same_unit": gettext_lazy("công tác tại chính đơn vị đề nghị"),
    "parent_unit": gettext_lazy("công tác tại đơn vị cấp trên của đơn vị đề nghị"),
    "child_unit": gettext_lazy("công tác tại đơn vị trực thuộc đơn vị đề nghị"),
}
# Not a conflict, but the automatic run leaves the pair alone.
REMOVED = "removed"
EXCLUSIONS = {**CONFLICTS, REMOVED: gettext_lazy("đã được Thư ký bỏ phân công")}


# The planner: plain data in, plain data out ----------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: int
    unit_id: int
    field_id: int
    creator_id: int
    author_keys: frozenset[str] = frozenset()  # fold(author full name)
    assigned: frozenset[int] = frozenset()  # members with an active assignment
    declined: frozenset[int] = frozenset()  # members who declared a conflict on it
    removed: frozenset[int] = frozenset()  # members the secretary took off it


@dataclass(frozen=True)
class Member:
    id: int
    user_id: int
    home_unit_id: int
    name_key: str = ""  # fold(full name)
    expertise: frozenset[int] = frozenset()
    load: int = 0  # active assignments in this council


@dataclass(frozen=True)
class Shortfall:
    entry_id: int
    wanted: int
    got: int  # active members after the run
    excluded: tuple[tuple[str, int], ...]  # (EXCLUSIONS key, how many members), in EXCLUSIONS order

    def why(self) -> str:
        """«có 2/3 người; không xếp được: 3 thành viên công tác tại chính đơn vị đề nghị, …»"""
        figures = {"got": self.got, "wanted": self.wanted}
        if not self.excluded:
            return _("có %(got)s/%(wanted)s người; Hội đồng không còn thành viên chấm nào khác") % figures
        reasons = ", ".join(
            _("%(n)s thành viên %(why)s") % {"n": n, "why": EXCLUSIONS[code]} for code, n in self.excluded
        )
        return _("có %(got)s/%(wanted)s người; không xếp được: %(reasons)s") % {**figures, "reasons": reasons}


@dataclass(frozen=True)
class Plan:
    pairs: list[tuple[int, int]]  # (entry id, member id), in the order decided
    shortfalls: list[Shortfall]


def conflict_of(entry: Entry, member: Member, parents: Mapping[int, int | None]) -> str | None:
    """The CONFLICTS key that keeps `member` off `entry`, or None. Units count one step up and one
    step down the tree: the submitting unit, its parent, and its children."""
    if member.id in entry.declined:
        return "declared"
    if member.user_id == entry.creator_id:
        return "creator"
    if member.name_key and member.name_key in entry.author_keys:
        return "author"
    if member.home_unit_id == entry.unit_id:
        return "same_unit"
    parent = parents.get(entry.unit_id)
    if parent is not None and member.home_unit_id == parent:
        return "parent_unit"
    if parents.get(member.home_unit_id) == entry.unit_id:
        return "child_unit"
    return None


def plan_assignments(
    entries: Iterable[Entry], members: Iterable[Member], parents: Mapping[int, int | None], per_entry: int
) -> Plan:
    """The new (entry, member) pairs that bring every entry to `per_entry` members; see the module
    docstring for the algorithm and its guarantees."""
    members = sorted(members, key=lambda m: m.id)
    load = {m.id: m.load for m in members}
    work = []  # (candidate count, expert candidate count, entry, candidates, excluded counts)
    for entry in sorted(entries, key=lambda e: e.id):
        candidates, excluded = [], defaultdict(int)
        for member in members:
            if member.id in entry.assigned:
                continue
            why = conflict_of(entry, member, parents) or (REMOVED if member.id in entry.removed else None)
            if why:
                excluded[why] += 1
            else:
                candidates.append(member)
        experts = sum(1 for m in candidates if entry.field_id in m.expertise)
        work.append((len(candidates), experts, entry, candidates, excluded))
    work.sort(key=lambda item: (item[0], item[1], item[2].id))

    pairs, shortfalls = [], []
    for _n, _experts, entry, candidates, excluded in work:
        need = max(0, per_entry - len(entry.assigned))
        field_id = entry.field_id
        chosen = sorted(candidates, key=lambda m: (field_id not in m.expertise, load[m.id], m.id))[:need]
        for member in chosen:
            load[member.id] += 1
            pairs.append((entry.id, member.id))
        got = len(entry.assigned) + len(chosen)
        if got < per_entry:
            counts = tuple((code, excluded[code]) for code in EXCLUSIONS if excluded[code])
            shortfalls.append(Shortfall(entry.id, per_entry, got, counts))
    shortfalls.sort(key=lambda s: s.entry_id)
    return Plan(pairs, shortfalls)


# Loading the planner's data ----------------------------------------------------------------------


def _parents(unit_ids: Iterable[int] | None = None) -> dict[int, int | None]:
    units = Unit.objects.order_by()
    if unit_ids is not None:
        units = units.filter(pk__in=set(unit_ids))
    return dict(units.values_list("id", "parent_id"))


def _scoring_members(council: Council):
    return CouncilMember.objects.filter(council=council, role__in=SCORING_ROLES)


def member_data(member: CouncilMember, *, load: int = 0) -> Member:
    """Plain data of a member whose user and expertise are loaded (select_related/prefetch_related)."""
    return Member(
        id=member.pk,
        user_id=member.user_id,
        home_unit_id=member.home_unit_id,
        name_key=fold(member.user.full_name),
        expertise=frozenset(field.pk for field in member.expertise.all()),
        load=load,
    )


def _entry(dossier: Dossier, author_names, history) -> Entry:
    """`history`: (member id, is_active, conflict_reason) of the dossier's assignment rows."""
    assigned = {m for m, active, _r in history if active}
    return Entry(
        id=dossier.pk,
        unit_id=dossier.unit_id,
        field_id=dossier.field_id,
        creator_id=dossier.created_by_id,
        author_keys=frozenset(filter(None, (fold(name) for name in author_names))),
        assigned=frozenset(assigned),
        declined=frozenset(m for m, active, reason in history if not active and reason),
        removed=frozenset(m for m, active, reason in history if not active and not reason) - assigned,
    )


# Services ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AutoResult:
    created: int
    shortfalls: list[tuple[str, Shortfall]] = field(default_factory=list)  # (dossier reference, why)


def _lock(council: Council) -> Council:
    # One row lock per council serialises automatic runs and hand edits, so the planner's picture of
    # who is assigned where cannot go stale while it writes.
    return Council.objects.select_for_update().get(pk=council.pk)


def assignment_auto(*, council: Council, actor) -> AutoResult:
    """Bring every dossier in appraisal to `members_per_entry` scorers (module docstring). Seven
    queries and a bulk insert, whatever the number of dossiers."""
    with transaction.atomic():
        council = _lock(council)
        dossiers = list(
            Dossier.objects.filter(campaign_id=council.campaign_id, status=Status.IN_APPRAISAL)
            .order_by()
            .only("id", "reference", "unit_id", "field_id", "created_by_id")
        )
        authors = defaultdict(list)
        for dossier_id, name in Author.objects.filter(
            dossier__campaign_id=council.campaign_id, dossier__status=Status.IN_APPRAISAL
        ).values_list("dossier_id", "full_name"):
            authors[dossier_id].append(name)
        history, load = defaultdict(list), defaultdict(int)
        for dossier_id, member_id, active, reason in Assignment.objects.filter(council=council).values_list(
            "dossier_id", "member_id", "is_active", "conflict_reason"
        ):
            history[dossier_id].append((member_id, active, reason))
            load[member_id] += active
        members = [
            member_data(m, load=load[m.pk])
            for m in _scoring_members(council).select_related("user").prefetch_related("expertise")
        ]
        entries = [_entry(d, authors[d.pk], history[d.pk]) for d in dossiers]
        plan = plan_assignments(entries, members, _parents(), council.members_per_entry)
        Assignment.objects.bulk_create(
            [
                Assignment(council=council, dossier_id=entry_id, member_id=member_id, assigned_by=actor)
                for entry_id, member_id in plan.pairs
            ],
            batch_size=500,
        )
        references = {d.pk: d.reference for d in dossiers}
        result = AutoResult(len(plan.pairs), [(references[s.entry_id], s) for s in plan.shortfalls])
        record(
            actor=actor,
            action=Action.ASSIGNMENT_AUTO,
            obj=council,
            detail={
                "created": result.created,
                "short": [reference for reference, _shortfall in result.shortfalls],
                "summary": _("%(n)s lượt chấm mới; %(m)s hồ sơ chưa đủ người")
                % {"n": result.created, "m": len(result.shortfalls)},
            },
        )
    return result


def _record(assignment: Assignment, action: str, actor, *, reason: str = "", extra: str = "") -> None:
    """One assignment's change, named by its dossier and member for the trail."""
    summary = f"{assignment.dossier.reference}: {assignment.member.user.full_name}"
    record(
        actor=actor,
        action=action,
        obj=assignment,
        reason=reason,
        detail={
            "dossier": assignment.dossier_id,
            "member": assignment.member_id,
            "summary": f"{summary} ({extra})" if extra else summary,
        },
    )


def assignment_add(*, dossier: Dossier, member: CouncilMember, actor) -> Assignment:
    """The secretary puts one member on one dossier by hand; refused for a conflict of interest, a
    duplicate, a member who does not score, or a dossier not in appraisal."""
    with transaction.atomic():
        council = _lock(member.council)
        member = CouncilMember.objects.select_related("user").get(pk=member.pk)
        dossier = Dossier.objects.get(pk=dossier.pk)
        if dossier.campaign_id != council.campaign_id:
            raise ActionRefused(_("Thành viên này không thuộc Hội đồng của đợt xét chọn có hồ sơ."))
        if dossier.status != Status.IN_APPRAISAL:
            raise ActionRefused(_("Chỉ phân công chấm hồ sơ đang thẩm định."))
        if member.role not in SCORING_ROLES:
            raise ActionRefused(_("Chỉ Phó Chủ tịch và Ủy viên Hội đồng được phân công chấm."))
        history = list(
            Assignment.objects.filter(council=council, dossier=dossier).values_list(
                "member_id", "is_active", "conflict_reason"
            )
        )
        entry = _entry(dossier, dossier.authors.values_list("full_name", flat=True), history)
        names = {"name": member.user.full_name, "ref": dossier.reference}
        if member.pk in entry.assigned:
            raise ActionRefused(_("%(name)s đã được phân công chấm hồ sơ %(ref)s.") % names)
        why = conflict_of(
            entry,
            member_data(member),
            _parents([dossier.unit_id, member.home_unit_id]),
        )
        if why:
            raise ActionRefused(
                _("Không thể phân công %(name)s chấm hồ sơ %(ref)s: thành viên %(why)s.")
                % {**names, "why": CONFLICTS[why]}
            )
        assignment = Assignment.objects.create(
            council=council, dossier=dossier, member=member, assigned_by=actor
        )
        _record(assignment, Action.ASSIGNMENT_ADDED, actor)
        return assignment


def assignment_add_scorer(*, council: Council, dossier: Dossier, actor) -> Assignment:
    """One more scorer for an entry (the disagreement flag's «add a scorer»), chosen the way the
    automatic run chooses: a conflict-free member not on it and not taken off it, experts first, then
    the least loaded."""
    with transaction.atomic():
        council = _lock(council)
        dossier = Dossier.objects.get(pk=dossier.pk)
        if dossier.campaign_id != council.campaign_id or dossier.status != Status.IN_APPRAISAL:
            raise ActionRefused(_("Chỉ phân công chấm hồ sơ đang thẩm định."))
        history, load = [], defaultdict(int)
        for dossier_id, member_id, active, reason in Assignment.objects.filter(council=council).values_list(
            "dossier_id", "member_id", "is_active", "conflict_reason"
        ):
            load[member_id] += active
            if dossier_id == dossier.pk:
                history.append((member_id, active, reason))
        entry = _entry(dossier, dossier.authors.values_list("full_name", flat=True), history)
        members = [
            member_data(m, load=load[m.pk])
            for m in _scoring_members(council).select_related("user").prefetch_related("expertise")
        ]
        plan = plan_assignments([entry], members, _parents(), len(entry.assigned) + 1)
        if not plan.pairs:
            raise ActionRefused(
                _("Không còn thành viên phù hợp để chấm thêm hồ sơ %(ref)s: %(why)s.")
                % {"ref": dossier.reference, "why": plan.shortfalls[0].why()}
            )
        ((_entry_id, member_id),) = plan.pairs
        assignment = Assignment.objects.create(
            council=council, dossier=dossier, member_id=member_id, assigned_by=actor
        )
        _record(assignment, Action.ASSIGNMENT_ADDED, actor, extra=_("chấm thêm do chênh lệch điểm"))
        return assignment


def _refuse_if_scored(assignment: Assignment) -> None:
    """A submitted sheet stays part of the result: its assignment cannot be ended (the chair reopens
    the sheet first if it must be redone)."""
    if ScoreSheet.objects.filter(assignment=assignment, state=ScoreSheet.State.SUBMITTED).exists():
        raise ActionRefused(_("Thành viên đã nộp phiếu chấm cho hồ sơ này; không thể bỏ phân công."))


def assignment_remove(*, assignment: Assignment, actor) -> Assignment:
    """The secretary takes a member off a dossier. The row is kept (inactive, no conflict reason), and
    the automatic run will not put the same member back; a hand edit may."""
    with transaction.atomic():
        _lock(assignment.council)
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("dossier", "member__user")
            .get(pk=assignment.pk)
        )
        if not assignment.is_active:
            raise ActionRefused(_("Phân công này đã kết thúc trước đó."))
        _refuse_if_scored(assignment)
        assignment.is_active = False
        assignment.save(update_fields=["is_active"])
        _record(assignment, Action.ASSIGNMENT_REMOVED, actor)
    return assignment


def assignment_declare_conflict(*, assignment: Assignment, member_user, reason: str) -> Assignment:
    """The assigned member declares a conflict of interest: the assignment ends, the reason is kept
    for the secretary, and the next automatic run puts someone else on the dossier."""
    reason = nfc(reason).strip()
    if not reason:
        raise ActionRefused(_("Vui lòng ghi lý do xung đột lợi ích."))
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("dossier", "member__user")
            .get(pk=assignment.pk)
        )
        if assignment.member.user_id != member_user.pk:
            raise ActionRefused(_("Chỉ thành viên được phân công mới khai báo xung đột lợi ích."))
        if not assignment.is_active:
            raise ActionRefused(_("Phân công này đã kết thúc trước đó."))
        _refuse_if_scored(assignment)
        assignment.is_active = False
        assignment.conflict_reason = reason
        assignment.save(update_fields=["is_active", "conflict_reason"])
        _record(assignment, Action.CONFLICT_DECLARED, member_user, reason=reason)
    return assignment


# The secretary's board (a read) ------------------------------------------------------------------


@dataclass
class BoardRow:
    dossier: Dossier
    active: list[Assignment]
    declared: list[Assignment]  # ended by a declared conflict, with the reason
    choices: list[tuple[CouncilMember, bool]]  # (member, expert in the field): conflict-free, not on it


@dataclass
class MemberLoad:
    member: CouncilMember
    load: int


@dataclass
class Board:
    council: Council
    page: object  # the Paginator page of dossiers
    rows: list[BoardRow]
    loads: list[MemberLoad]

    @property
    def spread(self) -> int:
        figures = [item.load for item in self.loads]
        return max(figures) - min(figures) if figures else 0


PAGE_SIZE = 50


def board_dossiers(council: Council):
    """The dossiers in appraisal of the council's campaign with how many members are on each
    (`active_count`), by reference; the board filters and pages them (councils.filters)."""
    active_count = (
        Assignment.objects.filter(dossier=OuterRef("pk"), council=council, is_active=True)
        .order_by()
        .values("dossier")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Dossier.objects.filter(campaign_id=council.campaign_id, status=Status.IN_APPRAISAL)
        .select_related("unit", "field")
        .prefetch_related("authors")
        .annotate(active_count=Coalesce(Subquery(active_count), 0))
        .order_by("reference", "id")
    )


def assignment_board(council: Council, page) -> Board:
    """A page of board_dossiers with their scorers, declared conflicts and hand-add choices, and each
    member's load. A fixed number of queries per page (count, dossiers, authors, assignments, members,
    expertise, loads, units), whatever the number of dossiers."""
    shown = list(page.object_list)

    history = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(council=council, dossier__in=[d.pk for d in shown])
        .filter(Q(is_active=True) | ~Q(conflict_reason=""))
        .select_related("member__user")
        .order_by("member__user__full_name", "id")
    ):
        history[assignment.dossier_id].append(assignment)
    loads = dict(
        Assignment.objects.filter(council=council, is_active=True)
        .order_by()
        .values("member_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "n")
    )
    members = list(
        _scoring_members(council)
        .select_related("user", "home_unit")
        .prefetch_related("expertise")
        .order_by("user__full_name", "id")
    )
    data = {m.pk: member_data(m, load=loads.get(m.pk, 0)) for m in members}
    parents = _parents({d.unit_id for d in shown} | {m.home_unit_id for m in members})

    rows = []
    for dossier in shown:
        rows_history = [(a.member_id, a.is_active, a.conflict_reason) for a in history[dossier.pk]]
        entry = _entry(dossier, [a.full_name for a in dossier.authors.all()], rows_history)
        choices = [
            (m, dossier.field_id in data[m.pk].expertise)
            for m in members
            if m.pk not in entry.assigned and not conflict_of(entry, data[m.pk], parents)
        ]
        rows.append(
            BoardRow(
                dossier=dossier,
                active=[a for a in history[dossier.pk] if a.is_active],
                declared=[a for a in history[dossier.pk] if not a.is_active],
                choices=choices,
            )
        )
    return Board(council, page, rows, [MemberLoad(m, loads.get(m.pk, 0)) for m in members])
