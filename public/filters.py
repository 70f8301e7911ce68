"""The public search's filters and facets (django-filter). A facet's counts are those of the other
filters, so choosing a year still shows how many records the other years hold."""

import unicodedata

import django_filters
from django import forms
from django.db import connections
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.selectors import unit_tree_ids
from dksangtao.forms import WholeNumberField
from dksangtao.text import SEARCH_MAX_CHARS
from public.models import PublicRecord, Recognition
from public.search import corrected, matching
from public.selectors import public_cached
from submissions.models import DossierKind, Field

SORTS = {
    "relevance": _("Phù hợp nhất"),
    "-year": _("Năm mới nhất"),
    "year": _("Năm cũ nhất"),
    "-score": _("Điểm cao nhất"),
}
FACETS = ("year", "field", "kind", "unit", "recognition")
RESULT_COLUMNS = (
    "reference",
    "year",
    "title",
    "summary",
    "unit_name",
    "honour",
    "recognition",
    "score",
    "field",
)


def printable(value: str) -> str:
    """What someone typed, without control characters (NUL, tabs…), at most SEARCH_MAX_CHARS long."""
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return unicodedata.normalize("NFC", cleaned)[:SEARCH_MAX_CHARS]


def clean_query(querydict):
    """The query string with the search text made printable, before any form sees it."""
    data = querydict.copy()
    if "q" in data:
        data["q"] = printable(data.get("q", ""))
    return data


class YearFilter(django_filters.NumberFilter):
    field_class = WholeNumberField  # ASCII digits only: «２０２６» is refused, not read as 2026


class RecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm sáng kiến, giải pháp"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ: xử lý rác thải hữu cơ")}),
    )
    year = YearFilter(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Năm phải viết bằng chữ số, ví dụ 2026."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )
    field = django_filters.ModelChoiceFilter(label=_("Lĩnh vực"), queryset=Field.objects.all())
    kind = django_filters.ModelChoiceFilter(label=_("Loại"), queryset=DossierKind.objects.all())
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị (kể cả đơn vị trực thuộc)"), queryset=Unit.objects.all(), method="in_unit"
    )
    recognition = django_filters.ChoiceFilter(label=_("Hình thức ghi nhận"), choices=Recognition.choices)
    sort = django_filters.ChoiceFilter(
        label=_("Sắp xếp"), choices=list(SORTS.items()), method="keep", empty_label=None
    )

    class Meta:
        model = PublicRecord
        fields: list = []

    def search(self, queryset, name, value):
        return matching(queryset, value)

    def in_unit(self, queryset, name, unit):
        # The tree is read once per page, though every facet's count filters by it.
        trees = self.__dict__.setdefault("_unit_trees", {})
        if unit.pk not in trees:
            trees[unit.pk] = unit_tree_ids([unit.pk])
        return queryset.filter(unit_id__in=trees[unit.pk])

    def keep(self, queryset, name, value):
        return queryset  # ordering happens in results(), after the search gave relevance

    @property
    def query(self) -> str:
        """What the search uses: what was typed, or its correction when nothing matched it."""
        if not self.is_valid():
            return ""
        return self.__dict__.get("_corrected") or self.form.cleaned_data.get("q") or ""

    def filtered(self, queryset, *, without: str = ""):
        """The queryset with every chosen filter applied except `without` (for that facet's counts)."""
        for name, value in self.form.cleaned_data.items():
            if name in ("q", "sort", without) or value in (None, ""):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def results(self, base, counts=None):
        """(records in order, the corrected query when what was typed matched nothing, or ""). With
        the facets' `counts` of what was typed, whether it matched is known without a query."""
        queryset = self.filtered(matching(base, self.query))
        sort = self.form.cleaned_data.get("sort") or ("relevance" if self.query else "-year")
        better = ""
        nothing = (self.total(counts) == 0) if counts is not None else not queryset.exists()
        if self.query and nothing:
            better = corrected(self.query) or ""
            if better:
                self._corrected = better  # the facets and the highlighting follow the correction
                queryset = self.filtered(matching(base, better))
        order = {
            "relevance": ["-relevance", "-year", "reference"],
            "-year": ["-year", "reference"],
            "year": ["year", "reference"],
            "-score": [F("score").desc(nulls_last=True), "reference"],
        }[sort if (sort != "relevance" or self.query) else "-year"]
        # Only what a result shows: not the record's long sections (detoasted for nothing).
        shown = queryset.select_related("field").only(*RESULT_COLUMNS, "field__name")
        return shown.order_by(*order), better

    def facet_counts(self, base) -> dict[str, dict]:
        """{facet: {value: count}} for the records the other filters leave, in one statement: the
        facets nobody chose share one set of records (every filter), each chosen facet has its own
        (every filter but its own). Browsing without search words is the same for everyone, so those
        counts are kept until the public database changes; with words, not."""

        def count():
            searched = matching(base, self.query) if self.query else base
            chosen = {f for f in FACETS if self.form.cleaned_data.get(f) not in (None, "")}
            sets = {"": self.filtered(searched)}
            sets.update({f: self.filtered(searched, without=f) for f in chosen})
            return facet_totals(sets, {f: f if f in chosen else "" for f in FACETS})

        if self.query:
            return count()
        chosen = self.form.cleaned_data
        key = ":".join(str(getattr(chosen.get(f), "pk", chosen.get(f)) or "") for f in FACETS)
        return public_cached(f"facets:{key}", count)

    def total(self, counts) -> int:
        """How many records the page lists, read from the year facet's counts (every record has a
        year, and the year filter is an equality): no COUNT(*) of its own, with or without words."""
        year = self.form.cleaned_data.get("year")
        return counts["year"].get(year, 0) if year else sum(counts["year"].values())

    def facets(self, base, counts=None) -> dict:
        """{facet: [(value, label, count)]} for the records the other filters leave."""
        counts = counts if counts is not None else self.facet_counts(base)
        names = facet_names()
        return {
            "year": [(y, str(y), counts["year"][y]) for y in sorted(counts["year"], reverse=True)],
            "field": [
                (pk, name, counts["field"][pk]) for pk, name in names["field"] if pk in counts["field"]
            ],
            "kind": [(pk, name, counts["kind"][pk]) for pk, name in names["kind"] if pk in counts["kind"]],
            "recognition": [
                (value, label, counts["recognition"][value])
                for value, label in Recognition.choices
                if value in counts["recognition"]
            ],
            "unit": unit_tree(counts["unit"], names["unit"], chosen=self.form.cleaned_data.get("unit")),
        }


def facet_names() -> dict:
    """The names the facets show — fields and kinds in their order, every unit with its parent —
    read once per change of the public database (three queries a page before; a unit renamed in the
    meantime shows its new name within PUBLIC_CACHE_SECONDS, as the cached facets of browsing do)."""

    def build():
        return {
            "field": list(Field.objects.values_list("pk", "name")),
            "kind": list(DossierKind.objects.values_list("pk", "name")),
            "unit": {
                pk: (name, parent) for pk, name, parent in Unit.objects.values_list("pk", "name", "parent_id")
            },
        }

    return public_cached("facet_names", build)


FACET_COLUMNS = {
    "year": "year",
    "field": "field_id",
    "kind": "kind_id",
    "unit": "unit_id",
    "recognition": "recognition",
}


def facet_totals(sets: dict[str, QuerySet], source: dict[str, str]) -> dict[str, dict]:
    """{facet: {value: count}}, each facet counted over `sets[source[facet]]`, in one statement:
    one CTE per set of records (read once), one GROUP BY per facet, joined by UNION ALL (five
    aggregates scanned the matching records five times: 6 of a searching page's 11 queries)."""
    columns = list(FACET_COLUMNS.values())
    db = next(iter(sets.values())).db
    ctes, parts, params = [], [], []
    names = {name: f"facet_set_{i}" for i, name in enumerate(sets)}
    for name, queryset in sets.items():
        sql, cte_params = queryset.order_by().values(*columns).query.sql_with_params()
        ctes.append(f"{names[name]} AS ({sql})")
        params.extend(cte_params)
    for facet, column in FACET_COLUMNS.items():
        table = names[source[facet]]
        parts.append(f"SELECT '{facet}', CAST({column} AS TEXT), COUNT(*) FROM {table} GROUP BY {column}")
    counts: dict[str, dict] = {facet: {} for facet in FACET_COLUMNS}
    with connections[db].cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} {' UNION ALL '.join(parts)}", params)
        for facet, value, n in cursor.fetchall():
            counts[facet][value if facet == "recognition" else int(value)] = n
    return counts


def unit_tree(direct: dict[int, int], units: dict, chosen=None) -> list[tuple[int, str, int, int]]:
    """(unit id, name, records of the unit and its children, depth), parents before their children;
    only units with records under them. A province has hundreds of units: the facet shows the top
    level, and opens the branch down to the chosen unit with its children (the top two levels were
    780 links on a browsing page, 100 on a searching one: a third of its rendering)."""
    if not direct:
        return []
    totals: dict[int, int] = {}
    for pk, n in direct.items():
        seen = set()
        while pk is not None and pk in units and pk not in seen:
            seen.add(pk)
            totals[pk] = totals.get(pk, 0) + n
            pk = units[pk][1]
    children: dict[int | None, list[int]] = {}
    for pk in totals:
        parent = units[pk][1]
        children.setdefault(parent if parent in totals else None, []).append(pk)
    shown: list[tuple[int, str, int, int]] = []

    opened: set[int] = set()
    pk = chosen.pk if chosen is not None else None
    while pk is not None and pk in units and pk not in opened:
        opened.add(pk)
        pk = units[pk][1]

    def walk(parent, depth):
        for pk in sorted(children.get(parent, []), key=lambda p: units[p][0]):
            shown.append((pk, units[pk][0], totals[pk], depth))
            if pk in opened:
                walk(pk, depth + 1)

    walk(None, 0)
    return shown
