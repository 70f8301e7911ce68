"""The newest change of a submitted dossier, read before each use of the figures kept between
requests (councils.selectors.FINGERPRINT_SQL: MAX(updated_at) WHERE reference IS NOT NULL) — one
step down this partial index instead of a scan of 100,000 rows. Plain SQL that PostgreSQL and SQLite
both run; the model's Meta is left as it is (the index serves a reader outside this app)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0009_search_words_and_list_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX dossier_figures_idx ON submissions_dossier (updated_at)"
            " WHERE reference IS NOT NULL",
            reverse_sql="DROP INDEX dossier_figures_idx",
        ),
    ]
