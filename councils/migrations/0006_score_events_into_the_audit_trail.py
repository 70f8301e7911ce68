"""The score sheets' events (submitted, reopened) are copied into the one audit trail
(dksangtao.AuditEvent), then their table goes."""

from django.db import migrations

ACTIONS = {"submitted": "sheet.submitted", "reopened": "sheet.reopened"}


def _points(total) -> str:
    return "—" if total is None else format(total.normalize(), "f").replace(".", ",")


def copy_events(apps, schema_editor):
    ScoreEvent = apps.get_model("councils", "ScoreEvent")
    AuditEvent = apps.get_model("dksangtao", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    events = ScoreEvent.objects.select_related(
        "sheet__assignment__dossier", "sheet__assignment__member__user"
    ).order_by("id")
    if not events.exists():
        return
    sheet_type, _created = ContentType.objects.get_or_create(app_label="councils", model="scoresheet")
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                created_at=event.created_at,
                actor_id=event.actor_id,
                action=ACTIONS[event.kind],
                content_type=sheet_type,
                object_id=event.sheet_id,
                object_repr=(
                    f"Phiếu chấm {event.sheet.assignment.dossier.reference} — "
                    f"{event.sheet.assignment.member.user.full_name}"
                )[:300],
                reason=event.reason,
                detail={
                    "total": None if event.total is None else str(event.total),
                    "summary": _points(event.total),
                },
            )
            for event in events.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0005_criterion_tie_break"),
        ("dksangtao", "0002_audit_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="ScoreEvent"),
    ]
