"""The demo council at work (`manage.py demo_phase ranking`): the secretary screens every nominated
dossier of the demo campaign as eligible and assigns scorers automatically, and each member submits
a sheet — all through the real services, on the days the campaign's phases allow."""

from decimal import Decimal

from councils.assignment import assignment_auto
from councils.models import Assignment, Council, ScoreSheet
from councils.services import score_save_draft, score_submit, sheet_open
from submissions.models import Dossier, Status
from submissions.services import dossier_screen

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


def score_demo_campaign(campaign, secretary) -> int:
    """Returns the number of sheets submitted now (0 when the demo was scored before)."""
    council = Council.objects.get(campaign=campaign)
    for dossier in Dossier.objects.filter(campaign=campaign, status=Status.NOMINATED).order_by("pk"):
        dossier_screen(dossier=dossier, actor=secretary, eligible=True, today=campaign.screening_deadline)
    assignment_auto(council=council, actor=secretary)
    submitted = 0
    assignments = Assignment.objects.filter(council=council, is_active=True).select_related(
        "member__user", "dossier"
    )
    order = {pk: n for n, pk in enumerate(sorted({a.dossier_id for a in assignments}))}
    for n, assignment in enumerate(assignments.order_by("dossier__reference", "member_id")):
        sheet = sheet_open(assignment=assignment)
        if sheet.state == ScoreSheet.State.SUBMITTED:
            continue
        items = list(sheet.items.order_by("criterion__order"))
        pattern = list(PATTERNS[order[assignment.dossier_id] % len(PATTERNS)])
        pattern[0] = str(Decimal(pattern[0]) + Decimal(NUDGE[n % len(NUDGE)]))
        score_save_draft(
            assignment=assignment,
            actor=assignment.member.user,
            points={item.criterion_id: value for item, value in zip(items, pattern, strict=True)},
            comments={items[0].criterion_id: "Giải pháp có tính mới, đã áp dụng thực tế tại đơn vị."},
            overall_comment="Đề nghị Hội đồng xem xét tôn vinh.",
            today=campaign.scoring_start,
        )
        score_submit(assignment=assignment, actor=assignment.member.user, today=campaign.scoring_start)
        submitted += 1
    return submitted
