"""What waits for unit staff and unit reviewers, for the dashboard."""

from django.utils import timezone

from accounts.selectors import user_memberships
from submissions.permissions import dossier_scope
from submissions.selectors import current_campaign, dossier_counts_by_status, review_queue
from submissions.services import submission_deadline


def _days_left(day) -> int:
    return (day - timezone.localdate()).days


def unit_panel(user):
    scope = dossier_scope(user)
    if not scope.staff_units:
        return None
    campaign = current_campaign()
    context = {"campaign": campaign, "counts": dossier_counts_by_status(scope.staff_units)}
    if campaign is not None:
        # The first of the person's units by name, from the memberships the request already holds.
        unit = min(
            (m.unit for m in user_memberships(user) if m.unit_id in scope.staff_units), key=lambda u: u.name
        )
        deadline = submission_deadline(campaign=campaign, unit=unit)
        context.update(deadline=deadline, days_left=_days_left(deadline))
    return context


def review_panel(user):
    scope = dossier_scope(user)
    if not scope.review_units:
        return None
    campaign = current_campaign()
    context = {"waiting": review_queue(user).count(), "campaign": campaign}
    if campaign is not None:
        context.update(
            deadline=campaign.unit_review_deadline, days_left=_days_left(campaign.unit_review_deadline)
        )
    return context
