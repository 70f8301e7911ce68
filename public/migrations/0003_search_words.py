from django.db import migrations

# PostgreSQL only: the words of the visible records (ts_stat over their tsvectors, some thousands of
# short words) with a trigram GiST index, so that a misspelt query word is corrected to the nearest
# word the records hold (public.search.corrected) without scanning the records' texts. Refreshed by
# public.tasks.search_words_refresh after every change to the public database, and nightly.
FORWARD = [
    """CREATE MATERIALIZED VIEW public_search_word AS
       SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM public_publicrecord WHERE withdrawn_at IS NULL')""",
    "CREATE UNIQUE INDEX public_search_word_key ON public_search_word (word)",
    "CREATE INDEX public_search_word_trgm ON public_search_word USING gist (word gist_trgm_ops)",
    "DROP INDEX IF EXISTS public_search_text_trgm",  # the old typo fallback's, no longer used
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS public_search_text_trgm ON public_publicrecord USING gin (search_text gin_trgm_ops)",
    "DROP MATERIALIZED VIEW IF EXISTS public_search_word",
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
    dependencies = [("public", "0002_search_indexes")]

    operations = [migrations.RunPython(forward, backward)]
