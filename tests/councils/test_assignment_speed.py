"""How long the automatic assignment takes for a large campaign: 2,000 dossiers, 40 scoring members.
Skipped unless DKST_BENCH=1; run on PostgreSQL with -s to see the figures. Goal: under 5 s each."""

import datetime as dt
import os
import random
import time

import pytest

from accounts.models import Unit, UnitKind, User
from councils.assignment import Entry, Member, assignment_auto, plan_assignments
from councils.models import Assignment, Council, CouncilMember, MemberRole
from submissions.models import Author, Dossier, Field, Status

pytestmark = pytest.mark.skipif(os.environ.get("DKST_BENCH") != "1", reason="benchmark: set DKST_BENCH=1")

ENTRIES, MEMBERS, GOAL_SECONDS = 2000, 40, 5.0


def test_the_planner_alone():
    rng = random.Random(2026)
    parents = {u: (None if u <= 20 else rng.randint(1, 20)) for u in range(1, 201)}
    fields = list(range(1, 9))
    members = [
        Member(i, 10_000 + i, rng.randint(1, 200), f"thanh vien {i}", frozenset(rng.sample(fields, 2)))
        for i in range(MEMBERS)
    ]
    entries = [
        Entry(
            i,
            unit_id=rng.randint(1, 200),
            field_id=rng.choice(fields),
            creator_id=rng.randint(1, 5000),
            author_keys=frozenset({f"tac gia {rng.randint(1, 3000)}", f"thanh vien {rng.randint(0, 400)}"}),
        )
        for i in range(ENTRIES)
    ]
    started = time.perf_counter()
    plan = plan_assignments(entries, members, parents, 3)
    seconds = time.perf_counter() - started
    loads = [sum(1 for _e, m in plan.pairs if m == member.id) for member in members]
    print(
        f"\nplan_assignments: {ENTRIES} entries × {MEMBERS} members → {len(plan.pairs)} pairs, "
        f"{len(plan.shortfalls)} short, loads {min(loads)}–{max(loads)}, {seconds:.3f} s"
    )
    assert seconds < GOAL_SECONDS


def test_assignment_auto_on_the_database(campaign, kind):
    rng = random.Random(2026)
    roots = Unit.objects.bulk_create(
        Unit(name=f"Sở thử {i}", code=f"so-thu-{i}", kind=UnitKind.DEPARTMENT) for i in range(20)
    )
    children = Unit.objects.bulk_create(
        Unit(
            name=f"Đơn vị thử {i}", code=f"dv-thu-{i}", kind=UnitKind.PUBLIC_SERVICE, parent=rng.choice(roots)
        )
        for i in range(180)
    )
    units = roots + children
    users = User.objects.bulk_create(
        User(email=f"tv{i}@bench.vn", full_name=f"Thành viên {i}", password="!") for i in range(MEMBERS + 50)
    )
    fields = list(Field.objects.all())
    council = Council.objects.create(
        campaign=campaign,
        name="Hội đồng đo tốc độ",
        decision_number="1/QĐ",
        decision_date=dt.date(2026, 3, 8),
        decision_signer="Chủ tịch",
    )
    members = CouncilMember.objects.bulk_create(
        CouncilMember(council=council, user=users[i], role=MemberRole.MEMBER, home_unit=rng.choice(units))
        for i in range(MEMBERS)
    )
    CouncilMember.expertise.through.objects.bulk_create(
        CouncilMember.expertise.through(councilmember_id=m.pk, field_id=f.pk)
        for m in members
        for f in rng.sample(fields, 2)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            campaign=campaign,
            unit=rng.choice(units),
            reference=f"DKST-2026-{i:05d}",
            status=Status.IN_APPRAISAL,
            title=f"Sáng kiến thử số {i}",
            kind=kind,
            field=rng.choice(fields),
            summary="Đo tốc độ phân công.",
            created_by=rng.choice(users),
        )
        for i in range(1, ENTRIES + 1)
    )
    Author.objects.bulk_create(
        Author(dossier=d, order=n, full_name=f"Thành viên {rng.randint(0, 600)}", contribution_percent=50)
        for d in dossiers
        for n in range(2)
    )
    secretary = users[-1]

    started = time.perf_counter()
    result = assignment_auto(council=council, actor=secretary)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = assignment_auto(council=council, actor=secretary)
    second = time.perf_counter() - started
    print(
        f"\nassignment_auto ({os.environ.get('DATABASE_URL', 'sqlite').split(':')[0]}): {ENTRIES} dossiers × "
        f"{MEMBERS} members → {result.created} assignments, {len(result.shortfalls)} short, {first:.3f} s; "
        f"second run {again.created} new, {second:.3f} s"
    )
    assert Assignment.objects.filter(is_active=True).count() == result.created
    assert again.created == 0
    assert first < GOAL_SECONDS
