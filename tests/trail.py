"""Reading the audit trail in tests, in the words the tests use: a dossier's status changes."""

from dataclasses import dataclass

from submissions.selectors import dossier_trail


@dataclass(frozen=True)
class StatusChange:
    from_status: str
    to_status: str
    actor: object
    reason: str


def status_changes(dossier) -> list[StatusChange]:
    """The dossier's status changes, oldest first (its creation as "" → draft)."""
    return [
        StatusChange(event.detail["from"], event.detail["to"], event.actor, event.reason)
        for event in dossier_trail(dossier)
        if "to" in event.detail
    ]
