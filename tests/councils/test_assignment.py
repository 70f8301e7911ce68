"""Assignment of council members to dossiers: the planner's guarantees on random councils (hypothesis),
then worked examples through the services and the database."""

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import UnitKind
from councils.assignment import (
    Entry,
    Member,
    assignment_add,
    assignment_auto,
    assignment_declare_conflict,
    assignment_remove,
    plan_assignments,
)
from councils.models import Assignment, Council, CouncilMember, MemberRole
from dksangtao.roles import Role
from dksangtao.text import fold
from submissions.models import Field, Status
from submissions.services import ActionRefused
from tests.factories import UnitFactory, UserFactory, person_with_role

NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Minh Đức", "Võ Quốc Huy"]
FIELDS = [1, 2, 3, 4]


# The planner on random councils ------------------------------------------------------------------


def forbidden(entry: Entry, member: Member, parents) -> bool:
    """The issue's rules, written out again independently of councils.assignment.conflict_of."""
    unit, home = entry.unit_id, member.home_unit_id
    return (
        home == unit
        or (parents[unit] is not None and home == parents[unit])
        or parents[home] == unit
        or member.user_id == entry.creator_id
        or member.name_key in entry.author_keys
        or member.id in entry.declined
    )


def candidates(entry: Entry, members, parents) -> list[Member]:
    """Who may be added to the entry: conflict-free, not on it, not taken off it by the secretary."""
    return [
        m
        for m in members
        if not forbidden(entry, m, parents) and m.id not in entry.assigned and m.id not in entry.removed
    ]


@st.composite
def councils(draw):
    """A random unit tree, members with random homes, expertise, names and loads, and entries with
    random units, creators (sometimes a member), authors (sometimes a member's name, spelt
    differently), existing assignments, declared conflicts and removals."""
    unit_count = draw(st.integers(1, 10))
    parents = {1: None}
    for unit in range(2, unit_count + 1):
        parents[unit] = draw(st.one_of(st.none(), st.integers(1, unit - 1)))
    units = st.sampled_from(sorted(parents))
    members = []
    for index in range(draw(st.integers(0, 12))):
        members.append(
            Member(
                id=100 + index,
                user_id=1000 + index,
                home_unit_id=draw(units),
                name_key=fold(draw(st.sampled_from(NAMES))),
                expertise=frozenset(draw(st.sets(st.sampled_from(FIELDS)))),
                load=draw(st.integers(0, 4)),
            )
        )
    member_ids = [m.id for m in members]
    some_members = st.sets(st.sampled_from(member_ids), max_size=4) if member_ids else st.just(set())
    entries = []
    for index in range(draw(st.integers(0, 15))):
        assigned = draw(some_members)
        entries.append(
            Entry(
                id=index + 1,
                unit_id=draw(units),
                field_id=draw(st.sampled_from(FIELDS)),
                creator_id=draw(st.integers(1000, 1015)),
                author_keys=frozenset(fold(name.upper()) for name in draw(st.sets(st.sampled_from(NAMES)))),
                assigned=frozenset(assigned),
                declined=frozenset(draw(some_members) - assigned),
                removed=frozenset(draw(some_members) - assigned),
            )
        )
    return entries, members, parents, draw(st.integers(1, 5))


@settings(max_examples=300, deadline=None)
@given(councils())
def test_the_planner_never_assigns_a_conflict_and_fills_each_entry_as_far_as_it_can(council):
    entries, members, parents, per_entry = council
    plan = plan_assignments(entries, members, parents, per_entry)
    by_id = {m.id: m for m in members}
    assert len(plan.pairs) == len(set(plan.pairs))  # no pair twice
    short = set()
    for entry in entries:
        new = [by_id[m] for e, m in plan.pairs if e == entry.id]
        free = candidates(entry, members, parents)
        for member in new:
            assert not forbidden(entry, member, parents)
            assert member.id not in entry.assigned  # never duplicates an existing active pair
            assert member.id not in entry.removed  # never undoes the secretary's hand edit
        assert len(new) == min(max(0, per_entry - len(entry.assigned)), len(free))
        if len(entry.assigned) + len(new) < per_entry:
            short.add(entry.id)
        # Experts first: a non-expert only when every conflict-free expert is on the entry.
        if any(entry.field_id not in m.expertise for m in new):
            assert {m.id for m in free if entry.field_id in m.expertise} <= {m.id for m in new}
    assert {s.entry_id for s in plan.shortfalls} == short


@settings(max_examples=200, deadline=None)
@given(councils(), st.randoms(use_true_random=False))
def test_the_planner_is_deterministic_whatever_the_order_of_its_input(council, shuffler):
    entries, members, parents, per_entry = council
    first = plan_assignments(entries, members, parents, per_entry)
    shuffled_entries, shuffled_members = list(entries), list(members)
    shuffler.shuffle(shuffled_entries)
    shuffler.shuffle(shuffled_members)
    assert plan_assignments(shuffled_entries, shuffled_members, parents, per_entry) == first


@settings(max_examples=200, deadline=None)
@given(councils())
def test_a_second_run_over_the_first_runs_result_adds_nothing_to_full_entries(council):
    entries, members, parents, per_entry = council
    plan = plan_assignments(entries, members, parents, per_entry)
    added = {}
    for entry_id, member_id in plan.pairs:
        added.setdefault(entry_id, set()).add(member_id)
    loads = {m.id: m.load + sum(m.id in ids for ids in added.values()) for m in members}
    again = plan_assignments(
        [
            dataclasses.replace(e, assigned=e.assigned | added.get(e.id, set()))  # what the DB now holds
            for e in entries
        ],
        [dataclasses.replace(m, load=loads[m.id]) for m in members],
        parents,
        per_entry,
    )
    assert again.pairs == []
    assert {s.entry_id for s in again.shortfalls} == {s.entry_id for s in plan.shortfalls}


@st.composite
def open_councils(draw):
    """Every member a conflict-free expert for every entry: homes in a unit of their own, no names or
    creators in common, nothing assigned yet."""
    member_count = draw(st.integers(1, 15))
    members = [
        Member(
            id=i, user_id=1000 + i, home_unit_id=99, name_key=f"thanh vien {i}", expertise=frozenset(FIELDS)
        )
        for i in range(member_count)
    ]
    entries = [
        Entry(id=i, unit_id=draw(st.integers(1, 5)), field_id=draw(st.sampled_from(FIELDS)), creator_id=1)
        for i in range(draw(st.integers(0, 60)))
    ]
    parents = {1: None, 2: 1, 3: 1, 4: 2, 5: None, 99: None}
    return entries, members, parents, draw(st.integers(1, 5))


def final_loads(plan, members) -> dict[int, int]:
    loads = {m.id: m.load for m in members}
    for _entry_id, member_id in plan.pairs:
        loads[member_id] += 1
    return loads


@settings(max_examples=300, deadline=None)
@given(open_councils())
def test_when_everyone_can_score_everything_loads_differ_by_at_most_one(council):
    entries, members, parents, per_entry = council
    plan = plan_assignments(entries, members, parents, per_entry)
    loads = final_loads(plan, members).values()
    assert max(loads) - min(loads) <= 1
    assert len(plan.pairs) == len(entries) * min(per_entry, len(members))


@settings(max_examples=200, deadline=None)
@given(open_councils(), st.lists(st.integers(0, 6), min_size=15, max_size=15))
def test_the_run_never_widens_a_gap_already_there(council, earlier):
    entries, members, parents, per_entry = council
    members = [dataclasses.replace(m, load=earlier[i]) for i, m in enumerate(members)]
    before = [m.load for m in members]
    loads = final_loads(plan_assignments(entries, members, parents, per_entry), members).values()
    assert max(loads) - min(loads) <= max(1, max(before) - min(before))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_when_members_split_by_field_loads_balance_inside_each_field(data):
    per_entry = data.draw(st.integers(1, 4))
    members, next_id = [], 0
    for field_id in FIELDS:
        for _ in range(data.draw(st.integers(per_entry, per_entry + 4))):
            members.append(Member(next_id, 1000 + next_id, 99, f"tv {next_id}", frozenset({field_id})))
            next_id += 1
    entries = [
        Entry(i, unit_id=1, field_id=data.draw(st.sampled_from(FIELDS)), creator_id=1)
        for i in range(data.draw(st.integers(0, 50)))
    ]
    plan = plan_assignments(entries, members, {1: None, 99: None}, per_entry)
    loads = final_loads(plan, members)
    for field_id in FIELDS:
        group = [loads[m.id] for m in members if field_id in m.expertise]
        assert max(group) - min(group) <= 1


def test_a_worked_example_with_a_unit_tree():
    # Unit 1 (a department) has children 2 and 3; unit 4 is elsewhere.
    parents = {1: None, 2: 1, 3: 1, 4: None}
    members = [
        Member(10, 110, home_unit_id=1, name_key="tran van a", expertise=frozenset({7})),  # parent of 2
        Member(11, 111, home_unit_id=2, name_key="le thi b", expertise=frozenset({7})),  # the unit
        Member(12, 112, home_unit_id=3, name_key="pham van c", expertise=frozenset({7})),  # a sibling
        Member(13, 113, home_unit_id=4, name_key="vo thi d", expertise=frozenset()),  # no expertise
        Member(14, 114, home_unit_id=4, name_key="nguyen van e", expertise=frozenset({7}), load=1),
    ]
    entry = Entry(1, unit_id=2, field_id=7, creator_id=999, author_keys=frozenset({"nguyen van e"}))
    plan = plan_assignments([entry], members, parents, 3)
    # 10 is the parent unit, 11 the unit itself, 14 an author: the sibling expert, then the non-expert.
    assert plan.pairs == [(1, 12), (1, 13)]
    [shortfall] = plan.shortfalls
    assert (shortfall.got, shortfall.wanted) == (2, 3)
    assert shortfall.excluded == (("author", 1), ("same_unit", 1), ("parent_unit", 1))
    assert "có 2/3 người" in shortfall.why()


# Worked examples through the services (the fixtures bring the database) --------------------------


@pytest.fixture
def council(campaign):
    return Council.objects.create(
        campaign=campaign,
        name="Hội đồng thẩm định sáng tạo năm 2026",
        decision_number="125/QĐ-MTTQ-BTT",
        decision_date=dt.date(2026, 3, 8),
        decision_signer="Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
    )


@pytest.fixture
def add_member(council, field):
    def add(unit, name, *, role=MemberRole.MEMBER, user=None, expert=True):
        user = user or UserFactory(full_name=name, password=None)  # no hashing: they never type it
        member = CouncilMember.objects.create(council=council, user=user, role=role, home_unit=unit)
        if expert:
            member.expertise.set([field])
        return member

    return add


def active_members(dossier) -> set[int]:
    return set(Assignment.objects.filter(dossier=dossier, is_active=True).values_list("member_id", flat=True))


def test_the_automatic_run_fills_every_dossier_once_and_a_second_run_adds_nothing(
    council, add_member, make_dossier, staff, unit_a, unit_b, secretary
):
    members = [add_member(unit_b, name) for name in NAMES[:4]]
    dossiers = [make_dossier(unit_a, staff, Status.IN_APPRAISAL) for _ in range(4)]
    make_dossier(unit_a, staff, Status.NOMINATED)  # not yet screened: not assigned
    result = assignment_auto(council=council, actor=secretary)
    assert (result.created, result.shortfalls) == (12, [])
    assert all(len(active_members(d)) == 3 for d in dossiers)
    loads = [Assignment.objects.filter(member=m, is_active=True).count() for m in members]
    assert sorted(loads) == [3, 3, 3, 3]
    assert assignment_auto(council=council, actor=secretary).created == 0
    assert Assignment.objects.count() == 12
    assert set(Assignment.objects.values_list("assigned_by", flat=True)) == {secretary.pk}


def test_the_chair_and_the_secretary_do_not_score(
    council, add_member, make_dossier, staff, unit_a, unit_b, secretary
):
    chair = add_member(unit_b, "Võ Thị Thu", role=MemberRole.CHAIR)
    clerk = add_member(unit_b, "Phạm Minh Tuấn", role=MemberRole.SECRETARY)
    vice = add_member(unit_b, "Đặng Quốc Bảo", role=MemberRole.VICE_CHAIR)
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    result = assignment_auto(council=council, actor=secretary)
    assert active_members(dossier) == {vice.pk}
    [(reference, shortfall)] = result.shortfalls
    assert reference == dossier.reference and (shortfall.got, shortfall.wanted) == (1, 3)
    with pytest.raises(ActionRefused, match="Chỉ Phó Chủ tịch và Ủy viên Hội đồng được phân công chấm."):
        assignment_add(dossier=dossier, member=chair, actor=secretary)
    with pytest.raises(ActionRefused):
        assignment_add(dossier=dossier, member=clerk, actor=secretary)


@pytest.fixture
def tree(unit_a, unit_a_child):
    """unit_a › unit_a_child › a school below it; a sibling of unit_a_child; a staff member of
    unit_a_child who writes the dossier."""
    school = UnitFactory(name="Trường THPT chuyên", kind=UnitKind.PUBLIC_SERVICE, parent=unit_a_child)
    sibling = UnitFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", parent=unit_a)
    writer = person_with_role(Role.UNIT_STAFF, unit_a_child, full_name="Lý Thị Xuân")
    return {"parent": unit_a, "unit": unit_a_child, "child": school, "sibling": sibling, "writer": writer}


@pytest.fixture
def conflicted(tree, add_member, unit_b):
    """One member per kind of conflict with a dossier of `tree["unit"]`, and three members without."""
    return {
        "same_unit": add_member(tree["unit"], "Cao Văn Một"),
        "parent_unit": add_member(tree["parent"], "Cao Văn Hai"),
        "child_unit": add_member(tree["child"], "Cao Văn Ba"),
        "author": add_member(unit_b, "NGUYEN  VAN BINH"),  # the dossier's first author, Nguyễn Văn Bình
        "creator": add_member(unit_b, "", user=tree["writer"]),
        "free": [
            add_member(tree["sibling"], "Mai Văn Bốn"),
            add_member(unit_b, "Mai Văn Năm"),
            add_member(unit_b, "Mai Văn Sáu", expert=False),
        ],
    }


def test_the_automatic_run_skips_every_kind_of_conflict(council, conflicted, tree, make_dossier, secretary):
    dossier = make_dossier(tree["unit"], tree["writer"], Status.IN_APPRAISAL)
    result = assignment_auto(council=council, actor=secretary)
    assert active_members(dossier) == {m.pk for m in conflicted["free"]}
    assert result.shortfalls == []
    council.members_per_entry = 5
    council.save()
    [(_ref, shortfall)] = assignment_auto(council=council, actor=secretary).shortfalls
    assert dict(shortfall.excluded) == {
        "creator": 1,
        "author": 1,
        "same_unit": 1,
        "parent_unit": 1,
        "child_unit": 1,
    }


@pytest.mark.parametrize(
    ("conflict", "why"),
    [
        ("same_unit", "công tác tại chính đơn vị đề nghị"),
        ("parent_unit", "công tác tại đơn vị cấp trên của đơn vị đề nghị"),
        ("child_unit", "công tác tại đơn vị trực thuộc đơn vị đề nghị"),
        ("author", "trùng họ tên với một tác giả của hồ sơ"),
        ("creator", "là người lập hồ sơ"),
    ],
)
def test_a_hand_edit_is_refused_for_each_kind_of_conflict(
    council, conflicted, tree, make_dossier, secretary, conflict, why
):
    dossier = make_dossier(tree["unit"], tree["writer"], Status.IN_APPRAISAL)
    with pytest.raises(ActionRefused, match=f"thành viên {why}"):
        assignment_add(dossier=dossier, member=conflicted[conflict], actor=secretary)
    assert not Assignment.objects.exists()
    assignment_add(dossier=dossier, member=conflicted["free"][0], actor=secretary)
    with pytest.raises(ActionRefused, match="đã được phân công chấm hồ sơ"):
        assignment_add(dossier=dossier, member=conflicted["free"][0], actor=secretary)
    assert Assignment.objects.count() == 1


def test_a_declared_conflict_is_replaced_by_the_next_automatic_run(
    council, add_member, make_dossier, staff, unit_a, unit_b, secretary
):
    members = [add_member(unit_b, name) for name in NAMES[:4]]
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    assignment_auto(council=council, actor=secretary)
    assert active_members(dossier) == {m.pk for m in members[:3]}
    leaving = Assignment.objects.get(dossier=dossier, member=members[0])
    with pytest.raises(ActionRefused, match="Vui lòng ghi lý do xung đột lợi ích."):
        assignment_declare_conflict(assignment=leaving, member_user=members[0].user, reason="  ")
    with pytest.raises(ActionRefused, match="Chỉ thành viên được phân công"):
        assignment_declare_conflict(assignment=leaving, member_user=members[1].user, reason="Người thân")
    assignment_declare_conflict(
        assignment=leaving, member_user=members[0].user, reason="Tôi là cố vấn của nhóm tác giả."
    )
    leaving.refresh_from_db()
    assert (leaving.is_active, leaving.conflict_reason) == (False, "Tôi là cố vấn của nhóm tác giả.")
    assert assignment_auto(council=council, actor=secretary).created == 1
    assert active_members(dossier) == {m.pk for m in members[1:]}
    with pytest.raises(ActionRefused, match="đã khai báo xung đột lợi ích với hồ sơ này"):
        assignment_add(dossier=dossier, member=members[0], actor=secretary)


def test_a_removed_member_is_not_put_back_by_the_automatic_run(
    council, add_member, make_dossier, staff, unit_a, unit_b, secretary
):
    members = [add_member(unit_b, name) for name in NAMES[:4]]
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL)
    assignment_auto(council=council, actor=secretary)
    removed = Assignment.objects.get(dossier=dossier, member=members[0])
    assignment_remove(assignment=removed, actor=secretary)
    with pytest.raises(ActionRefused, match="đã kết thúc"):
        assignment_remove(assignment=removed, actor=secretary)
    assert assignment_auto(council=council, actor=secretary).created == 1
    assert active_members(dossier) == {m.pk for m in members[1:]}
    assert Assignment.objects.filter(member=members[0], is_active=False, conflict_reason="").exists()
    assignment_add(dossier=dossier, member=members[0], actor=secretary)  # by hand it may come back
    assert len(active_members(dossier)) == 4


def test_load_balance_prefers_experts_then_the_least_loaded(
    council, add_member, make_dossier, staff, unit_a, unit_b, secretary, field
):
    other_field = Field.objects.exclude(pk=field.pk).first()
    experts = [add_member(unit_b, name) for name in NAMES[:3]]
    outsider = add_member(unit_b, "Khổng Văn Lạ", expert=False)
    outsider.expertise.set([other_field])
    council.members_per_entry = 2
    council.save()
    dossiers = [make_dossier(unit_a, staff, Status.IN_APPRAISAL) for _ in range(6)]
    assignment_auto(council=council, actor=secretary)
    loads = [Assignment.objects.filter(member=m, is_active=True).count() for m in experts]
    assert sorted(loads) == [4, 4, 4]
    assert not Assignment.objects.filter(member=outsider).exists()
    assert all(len(active_members(d)) == 2 for d in dossiers)


def test_shuffling_inputs_gives_the_same_plan_on_a_large_random_council():
    rng = random.Random(7)
    parents = {u: (None if u < 10 else rng.randrange(1, 10)) for u in range(1, 60)}
    members = [
        Member(i, 1000 + i, rng.randrange(1, 60), f"tv {i}", frozenset(rng.sample(FIELDS, 2)))
        for i in range(40)
    ]
    entries = [Entry(i, rng.randrange(1, 60), rng.choice(FIELDS), creator_id=1) for i in range(500)]
    first = plan_assignments(entries, members, parents, 3)
    rng.shuffle(entries)
    rng.shuffle(members)
    assert plan_assignments(entries, members, parents, 3) == first
    assert first.shortfalls == []
