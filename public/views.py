"""The public side of the creativity database: search with facets, one page per record (410 once
withdrawn), its printable view, the statistics; and the Front admin's mark and withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import UnitKind
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from dksangtao.search import excerpt, highlight
from public import services
from public.filters import SORTS, RecordFilter, clean_query
from public.forms import WithdrawForm
from public.permissions import may_manage_records, may_record_application
from public.search import similar
from public.selectors import (
    application_totals,
    confirmed_applications,
    record_by_reference,
    statistics,
    visible_records,
)
from submissions.models import Dossier

PAGE_SIZE = 20


@require_GET
def search_view(request):
    records = visible_records()
    filterset = RecordFilter(clean_query(request.GET), queryset=records)
    status = 200
    if filterset.is_valid():
        results, near = filterset.results(records)
        facets = filterset.facets(records)
    else:
        # An unknown facet value or a year out of range: the page says so, nothing is searched.
        results, near, facets, status = records.none(), False, {}, 400
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = filterset.query
    for row in page.object_list:
        row.title_marked = highlight(row.title, query)
        row.excerpt = excerpt(row.summary, query)
    context = {
        "filter": filterset,
        "page": page,
        "near": near,
        "facets": facets,
        "query": query,
        "sorts": SORTS,
        "chosen": {
            name: request.GET.get(name, "") for name in ("year", "field", "kind", "unit", "recognition")
        },
    }
    return render(request, "public/search.html", context, status=status)


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


@require_GET
def record_view(request, reference):
    record = record_by_reference(reference)
    if record.is_withdrawn:
        return render(request, "public/gone.html", {"record": record}, status=410)
    return render(request, "public/record.html", _record_context(request, record))


@require_GET
def record_print_view(request, reference):
    record = record_by_reference(reference)
    if record.is_withdrawn:
        return render(request, "public/gone.html", {"record": record}, status=410)
    return render(request, "public/record_print.html", _record_context(request, record))


@require_GET
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
@login_required
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
