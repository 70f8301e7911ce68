"""Who may do what with the fund (SPEC §6): a fund maker drafts; a fund checker or a Front admin who
did not draft it approves or rejects; both and the Front admins read the ledger (with the payees'
bank details); the Department of Finance's viewers read the statements only. A published award
list's prize batch may also be drafted by the Front admin who publishes it."""

from accounts.permissions import money_approval_refusal
from accounts.selectors import has_role, user_memberships
from dksangtao.roles import MONEY_APPROVER_ROLES, Role

# The Department of Finance reads the fund's statements (SPEC §6) through its department viewers.
FINANCE_UNIT_CODE = "so-tc"


def may_draft(user) -> bool:
    return has_role(user, Role.FUND_MAKER)


def may_draft_prize_batch(user) -> bool:
    return has_role(user, Role.FUND_MAKER, Role.FRONT_ADMIN)


def may_approve(user) -> bool:
    """Approving drafts at all; a draft of one's own never (the service and a CHECK hold that)."""
    return has_role(user, Role.FUND_CHECKER, Role.FRONT_ADMIN)


def approval_wait(user) -> str:
    """Why the person may not approve yet ('' when they may): an account created, or granted an
    approving role, within settings.MONEY_ROLE_COOLING_DAYS (the sentence names the date)."""
    return money_approval_refusal(user, MONEY_APPROVER_ROLES)


def may_decide(user, txn) -> bool:
    """Approve or reject this transaction now: a checker who did not draft it, while it is a draft."""
    return may_approve(user) and txn.status == "draft" and txn.drafted_by_id != user.pk


def may_read_ledger(user) -> bool:
    """Transactions, ledgers, vouchers, payees' bank details: fund officers and Front admins."""
    return may_draft(user) or may_approve(user)


def may_read_statements(user) -> bool:
    """The statements also for the Department of Finance's viewers (no payee bank details)."""
    if may_read_ledger(user):
        return True
    return any(
        m.role == Role.DEPARTMENT_VIEWER and m.unit.code == FINANCE_UNIT_CODE for m in user_memberships(user)
    )
