from django.db import migrations, models

from dksangtao.text import fold


def backfill(apps, schema_editor):
    Dossier = apps.get_model("submissions", "Dossier")
    for dossier in Dossier.objects.only("pk", "title").iterator():
        Dossier.objects.filter(pk=dossier.pk).update(search_title=fold(dossier.title))


def trigram_index(apps, schema_editor):
    # PostgreSQL only, like 0002: the novelty check's `search_title % …`.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dossier_title_trgm ON submissions_dossier USING gin (search_title gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dossier_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("submissions", "0002_seed_fields_kinds_and_trigram_index")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_title",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
