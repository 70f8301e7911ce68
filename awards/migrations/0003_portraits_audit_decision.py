"""The award list's changes move into the one audit trail; the honourees' portraits become stored
files like attachments and vouchers (their own rows, with type, size and SHA-256); a published list
names the decision that publishes it (lists published before get a note saying it was not recorded).

The data steps run between the new tables and the removal of the old columns."""

import hashlib
from pathlib import PurePosixPath

import django.db.models.deletion
import dksangtao.files
from django.conf import settings
from django.db import migrations, models

ACTIONS = {
    "drafted": "award_list.drafted",
    "added": "award_list.added",
    "removed": "award_list.removed",
    "changed": "award_list.changed",
    "approved": "award_list.approved",
    "published": "award_list.published",
    "amended": "award_list.amended",
}
NO_DECISION = "(quyết định công bố chưa được ghi trên cổng)"


def copy_changes(apps, schema_editor):
    AwardChange = apps.get_model("awards", "AwardChange")
    AuditEvent = apps.get_model("dksangtao", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    changes = AwardChange.objects.select_related("award_list", "dossier").order_by("id")
    if not changes.exists():
        return
    list_type, _created = ContentType.objects.get_or_create(app_label="awards", model="awardlist")
    events = []
    for change in changes.iterator(chunk_size=2000):
        detail = {"summary": change.detail} if change.detail else {}
        if change.dossier_id:
            detail |= {"dossier": change.dossier_id, "reference": change.dossier.reference}
        events.append(
            AuditEvent(
                created_at=change.created_at,
                actor_id=change.actor_id,
                action=ACTIONS[change.action],
                content_type=list_type,
                object_id=change.award_list_id,
                object_repr=change.award_list.title[:300],
                reason=change.reason,
                detail=detail,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=2000)


def copy_photos(apps, schema_editor):
    """Each uploaded photo becomes a Portrait row pointing at the same file."""
    from django.core.files.storage import default_storage

    Honouree = apps.get_model("awards", "Honouree")
    Portrait = apps.get_model("awards", "Portrait")
    for honouree in Honouree.objects.exclude(photo="").select_related("award_list"):
        name = honouree.photo.name
        digest, size = "", 0
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            digest, size = hashlib.sha256(data).hexdigest(), len(data)
        extension = PurePosixPath(name).suffix.lower().lstrip(".")
        Portrait.objects.create(
            honouree=honouree,
            file=name,
            stored_name=PurePosixPath(name).name[:80],
            original_name=PurePosixPath(name).name[:255],
            file_type="jpg" if extension in ("jpg", "jpeg") else extension,
            size=size,
            sha256=digest,
            uploaded_by_id=honouree.award_list.drafted_by_id,
        )


def note_missing_decisions(apps, schema_editor):
    AwardList = apps.get_model("awards", "AwardList")
    AwardList.objects.filter(status="published", decision="").update(decision=NO_DECISION)


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0002_upward_exported'),
        ('submissions', '0004_events_into_the_audit_trail'),
        ('dksangtao', '0002_audit_append_only'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Portrait',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=255, upload_to=dksangtao.files.stored_file_path)),
                ('stored_name', models.CharField(editable=False, max_length=80)),
                ('original_name', models.CharField(max_length=255, verbose_name='tên tệp')),
                ('file_type', models.CharField(max_length=10, verbose_name='định dạng')),
                ('size', models.PositiveBigIntegerField(verbose_name='dung lượng (byte)')),
                ('sha256', models.CharField(max_length=64)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='thời điểm tải lên')),
            ],
            options={
                'verbose_name': 'ảnh chân dung',
                'verbose_name_plural': 'ảnh chân dung',
            },
        ),
        migrations.AddField(
            model_name='portrait',
            name='honouree',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='portrait', to='awards.honouree'),
        ),
        migrations.AddField(
            model_name='portrait',
            name='uploaded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(copy_changes, migrations.RunPython.noop),
        migrations.RunPython(copy_photos, migrations.RunPython.noop),
        migrations.RunPython(note_missing_decisions, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='awardchange',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='awardchange',
            name='award_list',
        ),
        migrations.RemoveField(
            model_name='awardchange',
            name='dossier',
        ),
        migrations.RemoveField(
            model_name='honouree',
            name='photo',
        ),
        migrations.AlterField(
            model_name='rankingrun',
            name='status',
            field=models.CharField(choices=[('queued', 'Đang chờ'), ('running', 'Đang chạy'), ('done', 'Đã xong'), ('failed', 'Bị lỗi')], default='queued', max_length=10, verbose_name='trạng thái'),
        ),
        migrations.AlterField(
            model_name='scheduledjob',
            name='kind',
            field=models.CharField(choices=[('ranking', 'Xếp hạng')], max_length=10),
        ),
        migrations.AddConstraint(
            model_name='awardlist',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), _negated=True), models.Q(('decision', ''), _negated=True), _connector='OR'), name='published_list_has_decision'),
        ),
        migrations.DeleteModel(
            name='AwardChange',
        ),
    ]
