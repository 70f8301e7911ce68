"""Searching the public database. Both databases find the same rows: those holding every word of the
query as a whole folded word. PostgreSQL finds them through the GIN-indexed tsvector (migration 0002)
with websearch_to_tsquery and ranks them with ts_rank, the title weighing more; when nothing matches
it falls back to pg_trgm's word similarity, so a typo still finds something. SQLite matches the
padded words (dksangtao.search.all_words) and ranks title matches first."""

from django.db import connection
from django.db.models import BooleanField, Case, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from dksangtao.search import all_words
from dksangtao.text import query_words

TSQUERY = "websearch_to_tsquery('simple', %s)"
# The typo fallback: pg_trgm's word_similarity above this (its own default for <%) counts.
TYPO_THRESHOLD = 0.5


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """Records holding every word of the query, with a `relevance` to order by."""
    found = query_words(query)
    if not found:
        return queryset.annotate(relevance=Value(0.0, output_field=FloatField()))
    if _postgres():
        text = " ".join(found)
        return queryset.filter(
            RawSQL(f"public_publicrecord.search_vector @@ {TSQUERY}", [text], output_field=BooleanField())
        ).annotate(
            relevance=RawSQL(
                f"ts_rank(public_publicrecord.search_vector, {TSQUERY})", [text], output_field=FloatField()
            )
        )
    in_title = sum(
        (Case(When(search_title__contains=f" {word} ", then=1), default=0) for word in found),
        start=Value(0, output_field=IntegerField()),
    )
    return all_words(queryset, "search_text", query, whole_words=True).annotate(
        relevance=in_title * Value(1.0, output_field=FloatField())
    )


def near_misses(queryset: QuerySet, query: str, *, limit: int = 50) -> QuerySet | None:
    """On PostgreSQL, records close to the query despite a typo («xu ly rac thia»), best first; None
    elsewhere. Bounded: only the indexed <% operator selects rows, and at most `limit` of them."""
    found = query_words(query)
    if not found or not _postgres():
        return None
    text = " ".join(found)
    similarity = RawSQL(
        "word_similarity(%s, public_publicrecord.search_text)", [text], output_field=FloatField()
    )
    near = RawSQL("%s <%% public_publicrecord.search_text", [text], output_field=BooleanField())
    ids = list(
        queryset.filter(near)
        .annotate(relevance=similarity)
        .filter(relevance__gte=TYPO_THRESHOLD)
        .order_by("-relevance", "reference")
        .values_list("pk", flat=True)[:limit]
    )
    return queryset.filter(pk__in=ids).annotate(relevance=similarity)


def similar(record, *, limit: int = 5) -> list:
    """Related records: the most alike by trigram similarity of their titles (PostgreSQL, index-backed %
    operator), or sharing the most title words (SQLite)."""
    from public.models import PublicRecord

    others = PublicRecord.objects.filter(withdrawn_at__isnull=True).exclude(pk=record.pk)
    title = record.search_title.strip()
    if not title:
        return []
    if _postgres():
        similarity = RawSQL(
            "similarity(public_publicrecord.search_title, %s)", [title], output_field=FloatField()
        )
        near = RawSQL("public_publicrecord.search_title %% %s", [title], output_field=BooleanField())
        return list(
            others.filter(near)
            .annotate(likeness=similarity)
            .order_by("-likeness", "-year")
            .select_related("field")[:limit]
        )
    words = set(title.split())
    shared = sum(
        (Case(When(search_title__contains=f" {w} ", then=1), default=0) for w in words),
        start=Value(0, output_field=IntegerField()),
    )
    return list(
        others.filter(Q(*[Q(search_title__contains=f" {w} ") for w in words], _connector=Q.OR))
        .annotate(likeness=shared)
        .filter(likeness__gte=max(2, len(words) // 3))
        .order_by("-likeness", "-year")
        .select_related("field")[:limit]
    )
