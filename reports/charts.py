"""Bar charts drawn as SVG on the server: no JavaScript, no chart library, the same markup in the
web page and in the PDF (WeasyPrint draws inline SVG)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = "Liberation Serif, Times New Roman, DejaVu Serif, serif"
LABEL_CHARS = 38  # longer labels are shortened with «…»; the table beside the chart has them in full


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(rows, *, title: str, width: int = 480, bar: int = 16, gap: int = 6) -> SafeString:
    """Horizontal bars, one per (label, value) row, each with its value at the end of the bar.

    `rows` are (label, number) pairs; the chart has a <title> for screen readers."""
    rows = [(str(label), int(value or 0)) for label, value in rows]
    label_width = int(width * 0.42)
    value_width = 44
    area = width - label_width - value_width
    top = 4
    height = top + max(len(rows), 1) * (bar + gap) + 2
    largest = max((value for _label, value in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    if not rows:
        parts.append(f'<text x="0" y="{top + bar - 3}" fill="#555">{escape(_("Chưa có số liệu"))}</text>')
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar + gap)
        length = round(area * value / largest, 1)
        text_y = y + bar - 4
        parts.append(
            f'<text x="{label_width - 6}" y="{text_y}" text-anchor="end" fill="#222">'
            f"<title>{escape(label)}</title>{escape(_short(label))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max(length, 0.8)}" height="{bar}" fill="#b3261e"/>'
        )
        parts.append(f'<text x="{label_width + length + 4}" y="{text_y}" fill="#222">{value}</text>')
    parts.append(f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" stroke="#444"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every label and the title are escaped above
