from django.db import migrations

# PostgreSQL only (SQLite scans the padded words): a tsvector generated from the folded words, the
# title weighing more, with a GIN index for websearch_to_tsquery (public.search.matching); pg_trgm
# GIN indexes for the typo fallback (<% on search_text) and related records (% on search_title).
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE public_publicrecord ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_text), 'B')
    ) STORED""",
    "CREATE INDEX public_search_vector ON public_publicrecord USING gin (search_vector)",
    "CREATE INDEX public_search_text_trgm ON public_publicrecord USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX public_search_title_trgm ON public_publicrecord USING gin (search_title gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS public_search_title_trgm",
    "DROP INDEX IF EXISTS public_search_text_trgm",
    "DROP INDEX IF EXISTS public_search_vector",
    "ALTER TABLE public_publicrecord DROP COLUMN IF EXISTS search_vector",
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
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
