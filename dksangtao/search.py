"""Search as people type it: any word order, with or without diacritics, any case, NFC or NFD.

Every searchable table keeps folded copies of its text (dksangtao.text.fold); a query is cut into
folded words (query_words) and a row matches when it holds every word. The staff lists match words
that begin with what was typed (word_prefixes_condition): on PostgreSQL through a GIN index on a
tsvector of the words, because a trigram index does not narrow folded Vietnamese — a syllable's
trigrams are in nearly every long text, so LIKE '%word%' rechecks the whole table; on SQLite by
LIKE '%word%'. The public database matches whole words (padded_words) and, on PostgreSQL, ranks with
full text search (public.search)."""

import functools
import html
import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.safestring import mark_safe

from dksangtao.text import fold, query_words

_TOKEN = re.compile(r"\w+", re.UNICODE)
# A page highlights some thousands of words, nearly all repeats: fold each distinct one once.
_fold_word = functools.lru_cache(maxsize=65_536)(fold)


def words_condition(field: str, query: str, *, whole_words: bool = False) -> Q:
    """`field` (folded text) holds every word of the query, in any order."""
    condition = Q()
    for word in query_words(query):
        condition &= Q(**{f"{field}__contains": f" {word} " if whole_words else word})
    return condition


# A word of fewer letters matches whole words only: «su» as a prefix is every «sua», «suc», «sung»…,
# a third of the vocabulary, which the index would merge for nothing (3× the time of «su» alone).
PREFIX_MIN = 3


def word_prefixes_condition(query: str, *, words: str, text: str) -> Q:
    """For every word of the query, a word beginning with it (equal to it, for a word shorter than
    PREFIX_MIN), in any order («tom su» finds «nuôi tôm sú», «nuoi» finds «nuôi», «xu ly rac» finds
    «xử lý rác thải»). PostgreSQL reads `words`, a tsvector of the folded text's
    [0-9a-z]+ words ('simple' configuration) with a GIN index (see submissions migration 0009);
    elsewhere `text`, the folded text, by LIKE '%word%' (which finds a superset)."""
    found = query_words(query)
    if not found:
        return Q()
    if connection.vendor != "postgresql":
        return words_condition(text, query)
    # Words are [0-9a-z]+ (query_words), so they need no quoting in to_tsquery's syntax.
    terms = " & ".join(f"{word}:*" if len(word) >= PREFIX_MIN else word for word in found)
    return Q(**{f"{words}__exact": SearchQuery(terms, search_type="raw", config="simple")})


def all_words(queryset: QuerySet, field: str, query: str, *, whole_words: bool = False) -> QuerySet:
    return queryset.filter(words_condition(field, query, whole_words=whole_words))


def highlight(text: str, query: str) -> str:
    """The text, escaped, with each word of the query marked (<mark>), whatever its diacritics."""
    wanted = set(query_words(query))
    text = text or ""
    if not wanted:
        return html.escape(text)
    parts, last = [], 0
    for match in _TOKEN.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        token = match.group()
        parts.append(
            f"<mark>{html.escape(token)}</mark>" if _fold_word(token) in wanted else html.escape(token)
        )
        last = match.end()
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 — every piece above is escaped


def excerpt(text: str, query: str, *, length: int = 260) -> str:
    """A window of the text around the first matched word (the start when none), highlighted."""
    text = " ".join((text or "").split())
    wanted = set(query_words(query))
    start = 0
    for match in _TOKEN.finditer(text):
        if _fold_word(match.group()) in wanted:
            start = max(0, match.start() - 60)
            break
    piece = text[start : start + length]
    if start > 0:
        piece = "… " + piece.split(" ", 1)[-1]
    if start + length < len(text):
        piece = piece.rsplit(" ", 1)[0] + " …"
    return highlight(piece, query)
