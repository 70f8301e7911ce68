"""Numbers that are identifiers must never be localized: with USE_THOUSAND_SEPARATOR (needed to read
«1.234.567 đ» back from forms) Django renders the id 1596 as «1.596», which breaks form field names
(points-1.596), hidden inputs and element ids once a table passes a thousand rows."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BARE_ID = re.compile(r"\{\{ *[a-zA-Z_.]+(?:\.pk|_id|\.id) *\}\}|with [a-z]+=[a-zA-Z_.]+(?:\.pk|_id)[ %]")


def test_no_template_prints_a_bare_id():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:120]}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any("auto_id" not in match.group(0) for match in BARE_ID.finditer(line))
    ]
    assert offenders == [], 'add |stringformat:"d" to ids:\n' + "\n".join(offenders)


def test_an_id_over_a_thousand_renders_without_a_separator(settings):
    from django.template import Context, Template

    settings.USE_THOUSAND_SEPARATOR = True
    html = Template('{{ pk }} {{ pk|stringformat:"d" }}').render(Context({"pk": 1596}))
    assert html == "1.596 1596"
