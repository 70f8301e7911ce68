"""The audit trail: every service that changes state calls `record` once per change, inside its
transaction, so the record and the change commit or roll back together. The vocabulary of actions is
kept here, like the roles in dksangtao.roles, so the audit page can filter and name them.

`detail` holds the facts of the change as JSON: codes for machines («from»/«to» statuses, ids) and,
under «summary», one line in Vietnamese for people («Tiền thưởng: 5.000.000 đ → 10.000.000 đ») —
the trail is a record, kept in the language of the record like the documents. The vocabulary of
actions (Action) lives beside the table, in dksangtao/models.py."""

import json
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from dksangtao.models import Action, AuditEvent

__all__ = ["Action", "record", "record_many", "trail_for"]


def _check(action: str) -> None:
    # once a call, not once an event: Action.values builds its list anew each time it is read
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to dksangtao.audit.Action.")


def _event(*, actor, action: str, obj, reason: str, detail: dict | None, at) -> AuditEvent:
    return AuditEvent(
        created_at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        reason=reason or "",
        detail=detail or {},
    )


def record(*, actor, action: str, obj, reason: str = "", detail: dict | None = None) -> AuditEvent:
    """One event: `actor` None for the scheduled jobs; `obj` the object whose page shows it."""
    _check(action)
    event = _event(actor=actor, action=action, obj=obj, reason=reason, detail=detail, at=timezone.now())
    event.save()
    return event


COPIED = (
    "created_at",
    "actor_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "reason",
    "detail",
)


def record_many(*, actor, action: str, objects: Iterable, reason: str = "", detail=None) -> int:
    """The same action on many objects at once (a ranking run, a publication, an import): one
    statement. `detail` is a dict, or a function of the object giving its dict."""
    _check(action)
    now = timezone.now()
    if connection.vendor == "postgresql":
        # COPY of plain rows: ten thousand events (a ranking run's dossiers, an import's) in a fraction
        # of the time of building model instances for INSERTs whose values Django quotes one by one.
        # The rows are made first: their content types and details may query, which a COPY forbids.
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        rows = [
            (
                now,
                actor_id,
                action,
                ContentType.objects.get_for_model(obj).pk,
                obj.pk,
                str(obj)[:300],
                reason or "",
                json.dumps((detail(obj) if callable(detail) else detail) or {}),
            )
            for obj in objects
        ]
        if rows:
            statement = f"COPY {AuditEvent._meta.db_table} ({', '.join(COPIED)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    events = [
        _event(
            actor=actor,
            action=action,
            obj=obj,
            reason=reason,
            detail=detail(obj) if callable(detail) else detail,
            at=now,
        )
        for obj in objects
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def trail_for(obj, *, actions: Iterable[str] | None = None):
    """The object's events, oldest first, with who did them."""
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
    if actions is not None:
        events = events.filter(action__in=list(actions))
    return events.order_by("created_at", "id")
