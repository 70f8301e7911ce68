"""Every interface string has an English translation, and the compiled catalogue is the one in use."""

import re
from pathlib import Path

from django.utils import translation

from dksangtao.roles import Role

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_english_catalogue_has_no_untranslated_string():
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]  # the first block is the header
    untranslated = [
        entry for entry in entries if re.search(r'^msgstr(\[\d\])? ""\n(?!")', entry + "\n", re.MULTILINE)
    ]
    assert untranslated == []


def test_the_english_catalogue_has_no_fuzzy_guess():
    """makemessages marks its guesses for changed strings «fuzzy»; compilemessages leaves them out, so
    the page would show the Vietnamese source."""
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]
    fuzzy = [entry for entry in entries if re.search(r"^#,.*\bfuzzy\b", entry, re.MULTILINE)]
    assert fuzzy == []


def test_the_compiled_catalogue_is_used():
    with translation.override("en"):
        assert str(Role.UNIT_REVIEWER.label) == "Unit reviewer"
    with translation.override("vi"):
        assert str(Role.UNIT_REVIEWER.label) == "Lãnh đạo / đầu mối thi đua đơn vị"
