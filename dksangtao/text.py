"""Text normalisation shared by search and the novelty check."""

import re
import unicodedata

# Free text: at most this many characters — a long text (a summary, a reason, a comment) or one line
# (a name, a title, a search); a password at most Django's column, 128 (dksangtao.forms.cap_free_text).
LONG_TEXT_MAX = 10_000
LINE_TEXT_MAX = 255
PASSWORD_MAX = 128

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


_WORD = re.compile(r"[0-9a-z]+")
# A search box takes at most this many words (and its text at most SEARCH_MAX_CHARS characters).
SEARCH_MAX_WORDS = 12
SEARCH_MAX_CHARS = 200


def words(text: str) -> list[str]:
    """The folded words of a text, in order: «Xử lý RÁC-thải» → ["xu", "ly", "rac", "thai"]."""
    return _WORD.findall(fold(text))


def padded_words(*texts: str) -> str:
    """Folded words with a space on each side («  xu ly rac thai »), so that « rac » matches the
    whole word on every database."""
    found = [w for text in texts for w in words(text)]
    return f" {' '.join(found)} " if found else ""


def query_words(query: str) -> list[str]:
    """The distinct words of what someone typed in a search box, bounded."""
    seen: dict[str, None] = {}
    for word in words((query or "")[:SEARCH_MAX_CHARS]):
        seen.setdefault(word, None)
    return list(seen)[:SEARCH_MAX_WORDS]


# Characters that show nothing on their own: controls, format characters (zero-width space and
# joiners, the BOM, bidi marks), every kind of space (NBSP included), combining marks with no letter
# to sit on, and a few blank letters (Hangul fillers, the blank Braille pattern).
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs", "Zs", "Zl", "Zp", "Mn", "Mc", "Me"}
_BLANK_LETTERS = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}


def is_blank(text: str) -> bool:
    """Whether a text shows nothing: empty, or made only of invisible characters («\u200b», « »)."""
    return all(unicodedata.category(ch) in _INVISIBLE_CATEGORIES or ch in _BLANK_LETTERS for ch in text or "")
