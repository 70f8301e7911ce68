"""The demo's councils, all through the services: each demo campaign's council with its members and
the default rubric; the last campaign's council at work — it screened, assigned and scored the
nominated dossiers and announced its results (the awards demo ranks and publishes them) — and, for
`manage.py demo_phase ranking`, the current council doing the same on the days its phases allow."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import Unit, User
from councils.appeals import results_announce
from councils.assignment import assignment_auto
from councils.models import Assignment, Council, MemberRole, Rubric, ScoreSheet
from councils.services import (
    council_found,
    council_member_add,
    rubric_create_default,
    score_save_draft,
    score_submit,
)
from submissions.demo import DOMAIN, demo_campaigns
from submissions.models import Dossier, Field, Status
from submissions.services import dossier_screen

MEMBERS = [
    ("chutich.hoidong", MemberRole.CHAIR, "mttq-tinh", []),
    ("thuky.hoidong", MemberRole.SECRETARY, "mttq-tinh", []),
    ("uyvien.hoidong", MemberRole.MEMBER, "lhh-khkt", ["khcn-cds", "cn-xd-gt"]),
    ("uyvien2.hoidong", MemberRole.MEMBER, "tt-ung-dung-khcn", ["nong-lam-ngu", "khcn-cds"]),
    ("uyvien3.hoidong", MemberRole.MEMBER, "dai-hoc-hue", ["giao-duc", "y-te", "vh-xh-dl"]),
]

# Points per criterion (novelty /30, applicability /30, effectiveness /30, reach /10) per dossier, in
# turn, so the demo has every class; each member moves the first criterion by half a point or so.
PATTERNS = [
    ["28", "27", "27", "9"],  # about 91: Xuất sắc
    ["26", "25", "24", "8"],  # about 83: Tốt
    ["22", "21", "20", "7"],  # about 70: Khá
    ["27", "26", "25", "9"],  # about 87: Tốt
    ["18", "17", "16", "5"],  # about 56: Đạt
]
NUDGE = ["0", "0.5", "-0.5", "1", "-1"]


def _person(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


def demo_council(campaign) -> Council:
    """The campaign's council with the demo members and the default rubric (idempotent)."""
    council = council_found(
        campaign=campaign,
        name=f"Hội đồng thẩm định sáng tạo năm {campaign.year}",
        decision_number=f"125/QĐ-MTTQ-BTT/{campaign.year - 1}",
        decision_date=min(campaign.submissions_open + dt.timedelta(days=7), campaign.submissions_close),
        signer="Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
        actor=None,
    )
    fields = {field.code: field for field in Field.objects.all()}
    for local, role, unit_code, expertise in MEMBERS:
        council_member_add(
            council=council,
            user=_person(local),
            role=role,
            home_unit=Unit.objects.get(code=unit_code),
            expertise=[fields[code] for code in expertise],
            actor=None,
        )
    rubric_create_default(campaign=campaign, actor=None)
    return council


def score_demo_campaign(campaign, *, patterns=PATTERNS, today: dt.date | None = None) -> int:
    """The council screens every nominated dossier of the campaign as eligible, assigns scorers
    automatically, each member submits a sheet, and — once its window has closed (`today`) — the
    secretary announces the results. Returns the number of sheets submitted now (0 when scored
    before)."""
    council = Council.objects.select_related("campaign").get(campaign=campaign)
    secretary = _person("thuky.hoidong")
    for dossier in Dossier.objects.filter(campaign=campaign, status=Status.NOMINATED).order_by("pk"):
        dossier_screen(dossier=dossier, actor=secretary, eligible=True, today=campaign.screening_deadline)
    assignment_auto(council=council, actor=secretary)
    submitted = 0
    assignments = Assignment.objects.filter(council=council, is_active=True).select_related(
        "council__campaign", "member__user", "dossier"
    )
    order = {pk: n for n, pk in enumerate(sorted({a.dossier_id for a in assignments}))}
    rubric = Rubric.objects.get(campaign=campaign, field=None)
    criteria = list(rubric.criteria.order_by("order").values_list("pk", flat=True))
    for n, assignment in enumerate(assignments.order_by("dossier__reference", "member_id")):
        if ScoreSheet.objects.filter(assignment=assignment, state=ScoreSheet.State.SUBMITTED).exists():
            continue
        pattern = list(patterns[order[assignment.dossier_id] % len(patterns)])
        pattern[0] = str(Decimal(pattern[0]) + Decimal(NUDGE[n % len(NUDGE)]))
        score_save_draft(
            assignment=assignment,
            actor=assignment.member.user,
            points=dict(zip(criteria, pattern, strict=True)),
            comments={criteria[0]: "Giải pháp có tính mới, đã áp dụng thực tế tại đơn vị."},
            overall_comment="Đề nghị Hội đồng xem xét tôn vinh.",
            today=campaign.scoring_start,
        )
        score_submit(assignment=assignment, actor=assignment.member.user, today=campaign.scoring_start)
        submitted += 1
    today = today or timezone.localdate()
    council.refresh_from_db()
    if council.results_announced_at is None and today > campaign.scoring_end:
        results_announce(council=council, actor=secretary, today=today)
    return submitted


def seed(stdout) -> None:
    """Both demo campaigns' councils; the last campaign's council has scored and announced (its first
    nominated dossier about 91 points, «Xuất sắc»; its second about 70, «Khá», which the default
    policy does not honour)."""
    current, previous = demo_campaigns(timezone.localdate())
    council = demo_council(current)
    demo_council(previous)
    sheets = score_demo_campaign(previous, patterns=[PATTERNS[0], PATTERNS[2]])
    stdout.write(
        f"Hội đồng: {council.name}, {council.members.count()} thành viên; bộ tiêu chí mặc định; "
        f"hội đồng năm {previous.year} đã chấm ({sheets} phiếu mới) và công bố kết quả."
    )
