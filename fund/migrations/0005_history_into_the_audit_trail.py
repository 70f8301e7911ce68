"""The «Kiểm soát» panel of a transaction is read from the audit trail: write the trail of the
transactions recorded before it existed — drafted, approved and posted, or rejected with its reason —
from the transaction's own columns (who and when). Transactions that already have events are left
alone, so running it twice adds nothing."""

from django.db import migrations
from django.db.models import Sum

RECEIPTS = {"budget", "donation", "interest"}


def number(txn) -> str:  # fund.models.Transaction.number, which a migration cannot call
    prefix = "PT" if txn.kind in RECEIPTS else "PC" if txn.kind != "reversal" else "BTĐ"
    return f"{prefix}-{txn.date:%Y}-{txn.pk:05d}"


def copy_history(apps, schema_editor):
    Transaction = apps.get_model("fund", "Transaction")
    AuditEvent = apps.get_model("dksangtao", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Transaction.objects.exists():
        return
    txn_type, _created = ContentType.objects.get_or_create(app_label="fund", model="transaction")
    recorded = set(AuditEvent.objects.filter(content_type=txn_type).values_list("object_id", flat=True))
    events = []
    for txn in (
        Transaction.objects.annotate(total=Sum("entries__debit")).order_by("id").iterator(chunk_size=2000)
    ):
        if txn.pk in recorded:
            continue
        about = {
            "content_type": txn_type,
            "object_id": txn.pk,
            "object_repr": f"{number(txn)} – {txn.description}"[:300],
        }
        events.append(
            AuditEvent(
                created_at=txn.drafted_at,
                actor_id=txn.drafted_by_id,
                action="fund.drafted",
                detail={"kind": txn.kind, "amount": txn.total or 0, "summary": txn.description},
                **about,
            )
        )
        if txn.approved_at:
            events.append(
                AuditEvent(
                    created_at=txn.approved_at,
                    actor_id=txn.approved_by_id,
                    action="fund.approved",
                    detail={},
                    **about,
                )
            )
        if txn.rejected_at:
            events.append(
                AuditEvent(
                    created_at=txn.rejected_at,
                    actor_id=txn.rejected_by_id,
                    action="fund.rejected",
                    reason=txn.rejection_reason,
                    detail={},
                    **about,
                )
            )
    AuditEvent.objects.bulk_create(events, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("fund", "0004_stored_file"),
        ("dksangtao", "0002_audit_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_history, migrations.RunPython.noop)]
