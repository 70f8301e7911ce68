"""How long the annual summaries take, and how much memory, beside WeasyPrint rendering the
already-built HTML alone in the same run: a unit summary over 1,000 dossiers and the province-wide
summary over 20,000 (SPEC §7; goal: at most 1.5× WeasyPrint alone and under 500 MB). Run on demand:

    DKST_BENCH=1 DATABASE_URL=postgres://… .venv/bin/pytest tests/reports/test_speed.py -s

With DKST_PROFILE=1 it also prints where building the HTML spends its time (cProfile).
"""

import datetime as dt
import os
import random
import resource
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Unit, UnitKind, User
from councils.models import Assignment, Council, CouncilMember, MemberRole, ScoreSheet
from councils.services import rubric_create_default
from dksangtao.jobs import JobStatus
from dksangtao.pdf import html_to_pdf
from reports import services
from reports.models import ReportJob, ReportKind
from submissions.models import Dossier, DossierKind, Field, Status

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(os.environ.get("DKST_BENCH") != "1", reason="benchmark: set DKST_BENCH=1 to run it"),
]

GOAL_RATIO, GOAL_MB = 1.5, 500
S = Status
# A year's spread of statuses: most stay at the unit, a fifth reach the council.
STATUSES = (
    [S.SUBMITTED] * 30
    + [S.RECOGNISED_AT_UNIT] * 25
    + [S.RETURNED] * 5
    + [S.WITHDRAWN] * 3
    + [S.NOMINATED] * 10
    + [S.INELIGIBLE] * 4
    + [S.IN_APPRAISAL] * 6
    + [S.SCORED] * 6
    + [S.RANKED] * 4
    + [S.AWARDED] * 3
    + [S.NOT_AWARDED] * 4
)
COUNCIL_STAGES = {S.IN_APPRAISAL, S.SCORED, S.RANKED, S.AWARDED, S.NOT_AWARDED}


class Peak:
    """The process's peak resident memory during a block: Linux lets a process reset its high-water
    mark (VmHWM) by writing 5 to /proc/self/clear_refs; elsewhere ru_maxrss (peak since start)."""

    clear_refs = Path("/proc/self/clear_refs")

    def __enter__(self):
        try:
            self.clear_refs.write_text("5")
            self.resettable = True
        except OSError:
            self.resettable = False
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        if self.resettable:
            status = Path("/proc/self/status").read_text()
            line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
            self.mb = int(line.split()[1]) / 1024
        else:
            self.mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return False


def _province(
    campaign,
    dossiers: int,
    rng: random.Random,
    *,
    one_tree: bool,
    members: int = 30,
    per_entry: int = 3,
    entries: int | None = None,
    heavy: tuple = (),
):
    """`dossiers` submitted dossiers, with council results for those that reached appraisal: spread over
    200 units, or (one_tree) over one department and its 10 schools. `members` score each entry
    `per_entry` times, for the first `entries` of them (all by default); `heavy`: the sizes of units
    (schools) that get that many dossiers first, the rest being spread."""
    roots = Unit.objects.bulk_create(
        Unit(name=f"Sở thử nghiệm số {i}", code=f"so-do-{i}", kind=UnitKind.DEPARTMENT) for i in range(20)
    )
    children = Unit.objects.bulk_create(
        Unit(
            name=f"Trường, trung tâm trực thuộc số {i}",
            code=f"dv-do-{i}",
            kind=UnitKind.PUBLIC_SERVICE,
            parent=roots[i % 20],
        )
        for i in range(180)
    )
    tree = [roots[0]] + [child for child in children if child.parent_id == roots[0].pk][:10]
    units = tree if one_tree else roots + children
    heavy_units = [children[-1 - i] for i in range(len(heavy))]  # leaves, outside roots[0]'s tree
    first = [unit for unit, size in zip(heavy_units, heavy, strict=True) for _ in range(size)]
    users = User.objects.bulk_create(
        User(email=f"do{i}@bench.vn", full_name=f"Người đo {i}", password="!")
        for i in range(max(40, members))
    )
    kinds, fields = list(DossierKind.objects.all()), list(Field.objects.all())
    now = timezone.now()
    made = Dossier.objects.bulk_create(
        (
            Dossier(
                campaign=campaign,
                unit=first[n - 1] if n <= len(first) else rng.choice(units),
                reference=f"DKST-{campaign.year}-{n:05d}",
                status=rng.choice(STATUSES),
                title=f"Sáng kiến cải tiến quy trình số {n} — ứng dụng chuyển đổi số ở cơ sở",
                kind=rng.choice(kinds),
                field=rng.choice(fields),
                summary="Đo tốc độ báo cáo tổng hợp.",
                created_by=users[0],
                submitted_at=now,
            )
            for n in range(1, dossiers + 1)
        ),
        batch_size=5000,
    )
    council = Council.objects.create(
        campaign=campaign,
        name="Hội đồng đo tốc độ",
        decision_number="1/QĐ",
        decision_date=dt.date(campaign.year, 3, 8),
        decision_signer="Chủ tịch",
    )
    rubric_create_default(campaign=campaign, actor=None)
    scorers = CouncilMember.objects.bulk_create(
        CouncilMember(council=council, user=user, role=MemberRole.MEMBER, home_unit=roots[1])
        for user in users[:members]
    )
    scored = [dossier for dossier in made if dossier.status in COUNCIL_STAGES][:entries]
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(council=council, dossier=dossier, member=member, assigned_by=users[-1])
            for dossier in scored
            for member in rng.sample(scorers, per_entry)
        ),
        batch_size=5000,
    )
    ScoreSheet.objects.bulk_create(
        (
            ScoreSheet(
                assignment=assignment,
                state=ScoreSheet.State.SUBMITTED,
                total=Decimal(rng.randint(40, 100)),
                submitted_at=now,
            )
            for assignment in assignments
        ),
        batch_size=5000,
    )
    return (heavy_units or [tree[0]]), len(assignments)


def _measure(kind, campaign, unit, label, dossiers, sheets):
    job = ReportJob.objects.create(kind=kind, campaign=campaign, unit=unit)
    if os.environ.get("DKST_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(services.report_html, job)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    html = services.report_html(job)  # built once, outside the measurements, for WeasyPrint alone
    html_to_pdf("<p>Khởi động</p>")  # fonts and styles loaded before either measurement
    with Peak() as weasy:
        pdf = html_to_pdf(html)
    with Peak() as whole:
        built = services.report_build(job_id=job.pk)
    assert built.status == JobStatus.DONE, built.error
    ratio = whole.seconds / weasy.seconds
    database = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    print(
        f"\n{label} ({database}): {dossiers} dossiers, {sheets} score sheets, "
        f"{len(html) // 1024} KB of HTML, {built.size // 1024} KB PDF\n"
        f"  whole job (read, build, render, store): {whole.seconds:.2f} s, peak {whole.mb:.0f} MB\n"
        f"  WeasyPrint alone on the same HTML:      {weasy.seconds:.2f} s, peak {weasy.mb:.0f} MB "
        f"({len(pdf) // 1024} KB)\n"
        f"  ratio {ratio:.2f}× (goal ≤ {GOAL_RATIO}×: {'met' if ratio <= GOAL_RATIO else 'NOT met'}); "
        f"memory goal < {GOAL_MB} MB: {'met' if whole.mb < GOAL_MB else 'NOT met'}"
    )
    assert whole.mb < GOAL_MB


def test_unit_summary_over_a_thousand_dossiers(campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (unit,), sheets = _province(campaign, 1000, random.Random(2026), one_tree=True)
    _measure(ReportKind.UNIT_SUMMARY, campaign, unit, "unit summary", 1000, sheets)


def test_province_summary_over_twenty_thousand_dossiers(campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _unit, sheets = _province(campaign, 20_000, random.Random(2026), one_tree=False)
    _measure(ReportKind.PROVINCE_SUMMARY, campaign, None, "province summary", 20_000, sheets)


def test_summaries_beside_a_province_scale_council(campaign, settings, tmp_path):
    """The council of a province (40 members, 2,000 entries scored five times: 10,000 assignments)
    beside a unit of 1,672 dossiers and units of about 500 — building a unit's summary reads the
    council's figures in one aggregate, not its 10,000 assignments — and the province summary."""
    settings.MEDIA_ROOT = tmp_path
    rng = random.Random(2026)
    units, sheets = _province(
        campaign, 20_000, rng, one_tree=False, members=40, per_entry=5, entries=2000, heavy=(1672, 500, 500)
    )
    for unit in units:
        count = Dossier.objects.filter(unit=unit).count()
        _measure(ReportKind.UNIT_SUMMARY, campaign, unit, "unit summary, province council", count, sheets)
    _measure(
        ReportKind.PROVINCE_SUMMARY, campaign, None, "province summary, province council", 20_000, sheets
    )
