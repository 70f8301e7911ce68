"""The public side of the creativity database: search with facets, one page per record (410 once
withdrawn), its printable view, the statistics; and the Front admin's mark and withdrawal."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import UnitKind
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from dksangtao.routers import reads_from_replica
from dksangtao.search import excerpt, highlight
from public import services
from public.filters import FACETS, SORTS, RecordFilter, clean_query
from public.forms import WithdrawForm
from public.permissions import may_manage_records, may_record_application
from public.search import similar
from public.selectors import (
    application_totals,
    confirmed_applications,
    public_version,
    record_by_reference,
    statistics,
    visible_records,
)
from submissions.models import Dossier

PAGE_SIZE = 20


@require_safe
@reads_from_replica()
def search_view(request):
    records = visible_records()
    filterset = RecordFilter(clean_query(request.GET), queryset=records)
    status = 200
    total = None
    if filterset.is_valid():
        counts = filterset.facet_counts(records)
        results, corrected = filterset.results(records, counts)
        if corrected:
            counts = filterset.facet_counts(records)  # of the corrected words
        total = filterset.total(counts)
    else:
        # An unknown facet value or a year out of range: the page says so, nothing is searched.
        results, corrected, counts, status = records.none(), "", None, 400
    paginator = Paginator(results, PAGE_SIZE)
    if total is not None:
        paginator.count = total  # known from the year facet: no COUNT(*) over the records
    page = paginator.get_page(request.GET.get("page"))
    query = filterset.query
    for row in page.object_list:
        row.title_marked = highlight(row.title, query)
        row.excerpt = excerpt(row.summary, query)
    params = _kept_params(filterset) if status == 200 else QueryDict(mutable=True)

    # Built only if the template's cached copy of the facets is missing: a province's unit tree
    # makes hundreds of links (75 ms of a browsing page's 80 before the cache).
    facet_groups = SimpleLazyObject(
        lambda: _facet_links(filterset.facets(records, counts), params) if counts is not None else []
    )

    context = {
        "filter": filterset,
        "page": page,
        "corrected": corrected,
        "facet_groups": facet_groups,
        # Browsing (no words typed) shows the same facets to everyone until the database changes.
        "facets_key": f"{public_version()}:{params.urlencode()}" if status == 200 and not query else "",
        "search_words": query,
        "page_query": params.urlencode(),
        "listing": {"query": params.urlencode()},  # what includes/pagination.html reads
        "kept_filters": [
            (name, value) for name, value in params.items() if name != "q"
        ],  # a new search keeps them
        "sort_links": _sort_links(params, query),
    }
    return render(request, "public/search.html", context, status=status)


FACET_LABELS = {
    "year": _lazy("Năm"),
    "field": _lazy("Lĩnh vực"),
    "kind": _lazy("Loại"),
    "recognition": _lazy("Hình thức ghi nhận"),
    "unit": _lazy("Đơn vị"),
}


def _kept_params(filterset) -> QueryDict:
    """The valid, non-empty parameters in a fixed order: one URL per search, stable across pages."""
    params = QueryDict(mutable=True)
    for name in ("q", *FACETS, "sort"):
        value = filterset.form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        params[name] = str(value.pk if hasattr(value, "pk") else value)
    return params


def _link(params: QueryDict, **changes) -> str:
    changed = dict(params.items())  # one value a name (_kept_params)
    for name, value in changes.items():
        if value is None:
            changed.pop(name, None)
        else:
            changed[name] = str(value)
    return f"?{urlencode(changed)}" if changed else "?"


def _facet_links(facets: dict, params: QueryDict) -> list[dict]:
    """Each facet with its values: label, count, whether chosen, the link that chooses (or drops) it."""
    groups = []
    for name in FACETS:
        values = []
        for entry in facets.get(name, []):
            value, label, count = entry[:3]
            chosen = params.get(name) == str(value)
            values.append(
                {
                    "label": label,
                    "count": count,
                    "chosen": chosen,
                    "depth": entry[3] if len(entry) > 3 else 0,
                    "href": _link(params, **{name: None if chosen else value}),
                }
            )
        if values:
            groups.append({"name": name, "label": FACET_LABELS[name], "values": values})
    return groups


def _sort_links(params: QueryDict, query: str) -> list[dict]:
    current = params.get("sort") or ("relevance" if query else "-year")
    return [
        {"label": label, "chosen": key == current, "href": _link(params, sort=key)}
        for key, label in SORTS.items()
        if key != "relevance" or query
    ]


def _record_context(request, record):
    return {
        "record": record,
        "applications": confirmed_applications(record),
        "totals": application_totals(record),
        "related": similar(record),
        "may_manage": may_manage_records(request.user),
        "may_apply": may_record_application(request.user),
        "withdraw_form": WithdrawForm(),
    }


@require_safe
def record_view(request, reference):
    record = record_by_reference(reference)
    if record.is_withdrawn:
        return render(request, "public/gone.html", {"record": record}, status=410)
    return render(request, "public/record.html", _record_context(request, record))


@require_safe
def record_print_view(request, reference):
    record = record_by_reference(reference)
    if record.is_withdrawn:
        return render(request, "public/gone.html", {"record": record}, status=410)
    return render(request, "public/record_print.html", _record_context(request, record))


@require_safe
@reads_from_replica()
def statistics_view(request):
    figures = statistics()
    kinds = dict(UnitKind.choices)
    for row in figures["by_unit_kind"]:
        row["label"] = kinds.get(row["unit__kind"], row["unit__kind"])
    for key in ("by_year", "by_field", "by_unit_kind"):
        largest = max((row["n"] for row in figures[key]), default=0) or 1
        for row in figures[key]:
            row["percent"] = round(100 * row["n"] / largest)
    return render(request, "public/statistics.html", {"figures": figures})


@require_POST
@requires(may_manage_records)
def withdraw_view(request, reference):
    record = record_by_reference(reference)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.record_withdraw(
                public_record=record, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("Đã gỡ bản ghi %(ref)s khỏi cơ sở dữ liệu.") % {"ref": record.reference}
            )
            return redirect("public:search")
    context = _record_context(request, record)
    context["withdraw_form"] = form
    return render(request, "public/record.html", context, status=400)


@require_POST
@requires(may_manage_records)
def mark_view(request, dossier_id):
    dossier = get_object_or_404(Dossier, pk=dossier_id)
    try:
        record = services.record_mark(dossier=dossier, actor=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("submissions:detail", dossier.pk)
    messages.success(request, _("Đã đưa hồ sơ vào cơ sở dữ liệu sáng tạo."))
    return redirect(record)
