"""Searching the public database. Both databases find the same rows: those holding every word of the
query as a whole folded word. PostgreSQL finds them through the GIN-indexed tsvector (migration 0002)
with websearch_to_tsquery and ranks them with ts_rank, the title weighing more; when nothing matches
and a word of the query is in no record, the word is corrected to the nearest one the records hold
(pg_trgm over the word list of migration 0003), so a typo still finds something. SQLite matches the
padded words (dksangtao.search.all_words) and ranks title matches first."""

from django.db import connection
from django.db.models import BooleanField, Case, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from dksangtao.search import all_words
from dksangtao.text import query_words

TSQUERY = "websearch_to_tsquery('simple', %s)"


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


def search_words_refresh() -> None:
    """Rebuild the word list the typo correction reads (PostgreSQL; nothing elsewhere)."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY public_search_word")


def _edits(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (a swap of two letters is one edit: «thia» → «thai»)."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def corrected(query: str) -> str | None:
    """On PostgreSQL, the query with each word no visible record holds replaced by the nearest word
    one does (fewest edits, then the same length, then the most common), or dropped when none is
    near; None when nothing needs correcting, or on SQLite. Reads only the word list (migration
    0003): a few index look-ups, whatever the number of records."""
    found = query_words(query)
    if not found or not _postgres():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM public_search_word WHERE word = ANY(%s)", [found])
        known = {word for (word,) in cursor.fetchall()}
        if len(known) == len(found):
            return None
        better = []
        for word in found:
            if word not in known:
                # The nearest words by trigram distance (a GiST index scan), then the fewest edits.
                cursor.execute(
                    "SELECT word, ndoc FROM public_search_word ORDER BY word <-> %s LIMIT 12", [word]
                )
                allowed = min(2, max(1, len(word) // 3))
                near = [row for row in cursor.fetchall() if _edits(word, row[0]) <= allowed]
                if not near:
                    continue
                word = min(
                    near, key=lambda row: (_edits(word, row[0]), abs(len(row[0]) - len(word)), -row[1])
                )[0]
            better.append(word)
    return " ".join(better) if better and better != found else None


def similar(record, *, limit: int = 5) -> list:
    """Related records: the most alike by trigram similarity of their titles (PostgreSQL: the GiST
    index's nearest-neighbour order `<->`, which stops after `limit` rows; the `%` threshold alone
    matched 15,600 of 41,000 generated titles and ranked them all, 1.3 s a page), or sharing the most
    title words (SQLite). The same for every visitor: kept until the public database next changes."""
    from public.selectors import public_cached

    return public_cached(f"similar:{record.pk}:{limit}", lambda: _similar(record, limit))


def _similar(record, limit: int) -> list:
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
        distance = RawSQL("public_publicrecord.search_title <-> %s", [title], output_field=FloatField())
        nearest = others.filter(near).annotate(likeness=similarity).order_by(distance)
        found = list(nearest.select_related("field")[:limit])
        return sorted(found, key=lambda row: (-row.likeness, -row.year))
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
