"""Text normalisation shared by search and the novelty check."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_ID = re.compile(r"[0-9]{1,18}")


def nfc(text: str) -> str:
    """Some Vietnamese keyboards send decomposed (NFD) text: store everything composed."""
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Lower-case, without diacritics, single-spaced: «Sáng kiến ĐỔI MỚI» → «sang kien doi moi»."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.lower()).strip()


def trigrams(text: str) -> set[str]:
    """The trigram set of pg_trgm: each word padded with two spaces in front and one behind."""
    grams: set[str] = set()
    for word in re.findall(r"[0-9a-z]+", fold(text)):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all distinct trigrams of both texts."""
    left, right = trigrams(a), trigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def parse_id(value) -> int | None:
    """An id from a query string or a form, or None: ASCII digits only («²» and «٣» pass
    str.isdigit() and then fail int()), short enough for a BIGINT."""
    return int(value) if isinstance(value, str) and _ID.fullmatch(value) else None
