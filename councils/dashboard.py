"""The secretary's dashboard panel and the council's result on the dossier page."""

from django.utils import timezone

from councils.models import Appeal, Council
from councils.permissions import council_of, may_screen
from submissions.selectors import screening_queue


def screening_panel(user):
    if not may_screen(user):
        return None
    campaign = council_of(user).campaign
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
    from submissions.permissions import may_appeal
    from submissions.services import NOMINATED_OR_LATER

    if dossier.status not in NOMINATED_OR_LATER:  # never before the council: no result to look for
        return None
    council = Council.objects.filter(campaign_id=dossier.campaign_id).first()
    if council is None or council.results_announced_at is None:
        return None
    results = council_results(council, dossier=dossier)
    if not results:
        return None
    appeal = Appeal.objects.filter(dossier=dossier).select_related("answered_by").first()
    appealable = appeal is None and appeals_open(council) and may_appeal(user, dossier)
    return {
        "council": council,
        "result": results[0],
        "appeal": appeal,
        "deadline": appeal_deadline(council),
        "form": AppealForm() if appealable else None,
    }
