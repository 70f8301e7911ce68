"""Who may do what with the public database. Everyone reads what is public. Front admins put
recognised dossiers in and withdraw records. A unit's staff record that their unit applies a record;
the unit's reviewers (and those of its parent units) confirm it."""

from accounts.selectors import has_role, unit_ids_with_perm
from dksangtao.roles import PREPARE_DOSSIERS, REVIEW_DOSSIERS, Role


def may_manage_records(user) -> bool:
    return has_role(user, Role.FRONT_ADMIN)


def application_units(user) -> set[int]:
    """The units for which this person may record an application: their own, as staff."""
    return unit_ids_with_perm(user, PREPARE_DOSSIERS) if user.is_authenticated else set()


def confirming_units(user) -> set[int]:
    """The units whose applications this person confirms: those they review, children included."""
    return unit_ids_with_perm(user, REVIEW_DOSSIERS) if user.is_authenticated else set()


def may_record_application(user) -> bool:
    return bool(application_units(user))


def may_confirm_applications(user) -> bool:
    return bool(confirming_units(user))


def may_confirm(user, application) -> bool:
    return application.unit_id in confirming_units(user)
