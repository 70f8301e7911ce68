from django.db import migrations

# PostgreSQL only: related records (public.search.similar) ask for the nearest titles with `<->` and a
# LIMIT, which a GiST trigram index answers in order and stops early; the GIN index on the title
# served the `%` filter alone, which at province scale matched a third of the table (all ranked).
FORWARD = [
    "CREATE INDEX IF NOT EXISTS public_search_title_gist ON public_publicrecord "
    "USING gist (search_title gist_trgm_ops)",
    "DROP INDEX IF EXISTS public_search_title_trgm",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS public_search_title_trgm ON public_publicrecord "
    "USING gin (search_title gin_trgm_ops)",
    "DROP INDEX IF EXISTS public_search_title_gist",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("public", "0004_facets_index")]

    operations = [migrations.RunPython(forward, backward)]
