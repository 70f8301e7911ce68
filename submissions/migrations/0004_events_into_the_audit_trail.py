"""The dossier's timeline becomes a view over the one audit trail: each DossierEvent is copied into
dksangtao.AuditEvent (same time, actor, reason; from/to kept in its detail), then the table goes."""

from django.db import migrations

ACTIONS = {
    "draft": "dossier.created",
    "submitted": "dossier.submitted",
    "returned": "dossier.returned",
    "recognised_at_unit": "dossier.recognised",
    "nominated": "dossier.nominated",
    "withdrawn": "dossier.withdrawn",
    "in_appraisal": "dossier.eligible",
    "ineligible": "dossier.ineligible",
    "scored": "dossier.scored",
    "ranked": "dossier.ranked",
    "awarded": "dossier.awarded",
    "not_awarded": "dossier.not_awarded",
}


def copy_events(apps, schema_editor):
    DossierEvent = apps.get_model("submissions", "DossierEvent")
    AuditEvent = apps.get_model("dksangtao", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    events = DossierEvent.objects.select_related("dossier").order_by("id")
    if not events.exists():
        return
    dossier_type, _created = ContentType.objects.get_or_create(app_label="submissions", model="dossier")
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                created_at=event.created_at,
                actor_id=event.actor_id,
                action=ACTIONS[event.to_status],
                content_type=dossier_type,
                object_id=event.dossier_id,
                object_repr=f"{event.dossier.reference or '(chưa nộp)'} — {event.dossier.title}"[:300],
                reason=event.reason,
                detail={"from": event.from_status, "to": event.to_status},
            )
            for event in events.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0003_search_title"),
        ("dksangtao", "0002_audit_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="DossierEvent"),
    ]
