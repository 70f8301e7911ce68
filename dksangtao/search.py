"""Search as people type it: any word order, with or without diacritics, any case, NFC or NFD.

Every searchable table keeps folded copies of its text (dksangtao.text.fold); a query is cut into
folded words (query_words) and a row matches when it holds every word. The staff lists match a word
anywhere (the trigram GIN index serves LIKE '%word%'); the public database matches whole words
(padded_words) and, on PostgreSQL, ranks with full text search (public.search)."""

import functools
import html
import re

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
