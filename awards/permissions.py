"""Who may do what with the award (SPEC §1, §5): the Front admins run the ranking, draft, approve
and publish the award list, nominate upward, prepare the «Gương» booklet and its portraits, and set
the campaign's award policy; a list is approved by an admin other than its drafter. Everyone reads
what is published."""

from accounts.selectors import has_role
from dksangtao.roles import Role


def may_run_awards(user) -> bool:
    return has_role(user, Role.FRONT_ADMIN)


def may_approve(user, award_list) -> bool:
    """Four eyes: a Front admin who did not draft the list (the service and a CHECK hold it too)."""
    return may_run_awards(user) and award_list.drafted_by_id != user.pk


def may_preview_unpublished(user) -> bool:
    """The booklet and certificates of a list not yet published: Front admins only."""
    return may_run_awards(user)
