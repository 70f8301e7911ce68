"""The secretary's dashboard panel, menu entry and the demo council."""

import datetime as dt

from django.utils import timezone

from accounts.models import Unit, User
from accounts.selectors import user_roles
from councils.models import Appeal, Council, CouncilMember, MemberRole
from councils.services import rubric_create_default
from dksangtao.roles import Role
from submissions.models import Field
from submissions.selectors import current_campaign, screening_queue


def screens(user) -> bool:
    return Role.COUNCIL_SECRETARY in user_roles(user)


def scores(user) -> bool:
    return Role.COUNCIL_MEMBER in user_roles(user)


def sees_results(user) -> bool:
    return bool({Role.COUNCIL_SECRETARY, Role.COUNCIL_CHAIR} & user_roles(user))


def screening_panel(user):
    if not screens(user):
        return None
    campaign = current_campaign()
    if campaign is None:
        return {"campaign": None}
    deadline = campaign.screening_deadline
    return {
        "campaign": campaign,
        "waiting": screening_queue(campaign).count(),
        "deadline": deadline,
        "days_left": (deadline - timezone.localdate()).days,
    }


def dossier_result_panel(dossier, user):
    """On the dossier page, once the results are announced: the council's result (the aggregate, never
    a member's own score), the appeal and its answer, and the appeal form for the unit's leaders
    while the window is open. The page itself has already checked that the person may see it."""
    from councils.appeals import appeal_deadline, appeals_open
    from councils.forms import AppealForm
    from councils.selectors import council_results
    from submissions.selectors import dossier_scope

    council = Council.objects.filter(campaign_id=dossier.campaign_id).first()
    if council is None or council.results_announced_at is None:
        return None
    results = council_results(council, dossier=dossier)
    if not results:
        return None
    appeal = Appeal.objects.filter(dossier=dossier).select_related("answered_by").first()
    may_appeal = (
        appeal is None and appeals_open(council) and dossier.unit_id in dossier_scope(user).review_units
    )
    return {
        "council": council,
        "result": results[0],
        "appeal": appeal,
        "deadline": appeal_deadline(council),
        "form": AppealForm() if may_appeal else None,
    }


DOMAIN = "demo.dksangtao.vn"
MEMBERS = [
    ("chutich.hoidong", MemberRole.CHAIR, "mttq-tinh", []),
    ("thuky.hoidong", MemberRole.SECRETARY, "mttq-tinh", []),
    ("uyvien.hoidong", MemberRole.MEMBER, "lhh-khkt", ["khcn-cds", "cn-xd-gt"]),
    ("uyvien2.hoidong", MemberRole.MEMBER, "tt-ung-dung-khcn", ["nong-lam-ngu", "khcn-cds"]),
    ("uyvien3.hoidong", MemberRole.MEMBER, "dai-hoc-hue", ["giao-duc", "y-te", "vh-xh-dl"]),
]


def seed_demo(stdout) -> None:
    """The current campaign's council (members with their expertise) and its default rubric."""
    campaign = current_campaign()
    if campaign is None:
        return
    council, _created = Council.objects.get_or_create(
        campaign=campaign,
        defaults={
            "name": f"Hội đồng thẩm định sáng tạo năm {campaign.year}",
            "decision_number": f"125/QĐ-MTTQ-BTT/{campaign.year - 1}",
            "decision_date": min(
                campaign.submissions_open + dt.timedelta(days=7), campaign.submissions_close
            ),
            "decision_signer": "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
        },
    )
    fields = {field.code: field for field in Field.objects.all()}
    for local, role, unit_code, expertise in MEMBERS:
        member, _created = CouncilMember.objects.get_or_create(
            council=council,
            user=User.objects.get(email=f"{local}@{DOMAIN}"),
            defaults={"role": role, "home_unit": Unit.objects.get(code=unit_code)},
        )
        member.expertise.set([fields[code] for code in expertise])
    rubric_create_default(campaign=campaign)
    stdout.write(f"Hội đồng: {council.name}, {council.members.count()} thành viên; bộ tiêu chí mặc định.")
