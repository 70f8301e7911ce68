"""The download centre, the report jobs (request, progress, retry, download) and the statistics
dashboard. Each view: parse, check permission through reports.selectors, call one service, render."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Unit
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from dksangtao.jobs import JobStatus
from dksangtao.lists import Listing
from dksangtao.routers import reads_from_replica
from reports import exports, selectors, services
from reports.forms import CentreFilter, ReportRequestForm, StatisticsFilterForm
from reports.models import ReportKind
from reports.permissions import may_export_all, may_see_reports, report_scope
from submissions.selectors import current_campaign

UNITS_PER_PAGE = 30
UNITS_SHOWN = 30  # the statistics page's units (the most dossiers first); the Excel file has them all


def _with_current_year(query):
    """The query string, with the current campaign's year when none was chosen."""
    data = query.copy()
    if not data.get("year"):
        campaign = current_campaign()
        if campaign is not None:
            data["year"] = str(campaign.year)
    return data


def _row_for(job):
    rows = selectors.centre_rows(
        campaign=job.campaign, units=[job.unit] if job.unit else [], province=job.unit is None
    )
    return rows[0]


def _render_row(request, row, campaign, status=200):
    context = {
        "row": row,
        "campaign": campaign,
        "scope": report_scope(request.user),
        "request_url": reverse("reports:request"),
    }
    return render(request, "reports/_job_row.html", context, status=status)


@require_safe
@requires(may_see_reports)
def centre_view(request):
    return _centre(request)


def _centre(request, status=200):
    scope = report_scope(request.user)
    listing = Listing(
        request,
        selectors.visible_units(request.user),
        filterset_class=CentreFilter,
        page_size=UNITS_PER_PAGE,
        data=_with_current_year(request.GET),
    )
    campaign = listing.filterset.campaign or current_campaign()
    rows = []
    if campaign is not None:
        rows = selectors.centre_rows(
            campaign=campaign,
            units=list(listing.page.object_list),
            province=scope.front_admin and listing.page.number == 1,
        )
    context = {
        "listing": listing,
        "campaign": campaign,
        "page": listing.page,
        "rows": rows,
        "scope": scope,
        "request_url": reverse("reports:request"),  # every row's form: reversed once, not twice a row
    }
    return render(request, "reports/centre.html", context, status=status if listing.valid else 400)


@require_POST
@requires(may_see_reports)
def request_view(request):
    scope = report_scope(request.user)
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        if request.htmx:
            return render(request, "reports/_form_error.html", {"message": errors}, status=400)
        messages.error(request, errors)
        return _centre(request, status=400)
    kind, campaign = form.cleaned_data["kind"], form.cleaned_data["year"]
    unit = None
    if kind == ReportKind.UNIT_SUMMARY:
        unit = Unit.objects.filter(pk=form.cleaned_data["unit"]).first()
    if not scope.can_see(kind, unit.pk if unit else None) or (
        kind == ReportKind.UNIT_SUMMARY and unit is None
    ):
        raise Http404  # no hint whether that unit exists
    job, created = services.report_request(kind=kind, campaign=campaign, unit=unit, actor=request.user)
    if request.htmx:
        job.refresh_from_db()  # in-process (no broker) the job may already be built
        return _render_row(request, _row_for(job), campaign)
    job.refresh_from_db()  # a broker that is down has already marked it failed-retryable
    if job.is_retryable:
        messages.error(request, job.error)
    elif created:
        messages.success(request, _("Đã gửi yêu cầu tạo báo cáo; trang sẽ báo khi tệp sẵn sàng."))
    else:
        messages.info(request, _("Báo cáo này đang được tạo theo một yêu cầu trước; xin chờ trong giây lát."))
    return redirect(f"{reverse('reports:centre')}?year={campaign.year}")


@require_safe
@requires(may_see_reports)
def job_status_view(request, pk):
    """The row of one report, polled by htmx every 2 seconds while its job waits or runs."""
    job = selectors.report_job_for_user(request.user, pk)
    return _render_row(request, _row_for(job), job.campaign)


@require_POST
@requires(may_see_reports)
def retry_view(request, pk):
    job = selectors.report_job_for_user(request.user, pk)
    try:
        job = services.report_retry(job=job, actor=request.user)
    except ActionRefused as refused:
        if request.htmx:
            return render(request, "reports/_form_error.html", {"message": str(refused)}, status=409)
        messages.error(request, str(refused))
    else:
        if request.htmx:
            job.refresh_from_db()
            return _render_row(request, _row_for(job), job.campaign)
        messages.success(request, _("Đã gửi lại yêu cầu tạo báo cáo."))
    return redirect(f"{reverse('reports:centre')}?year={job.campaign.year}")


@require_safe
@requires(may_see_reports)
def download_view(request, pk):
    """The stored PDF, only for people who may see the report (404 for anyone else)."""
    job = selectors.report_job_for_user(request.user, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except (OSError, ValueError):  # gone from the disk or unreadable: a 404, never a 500
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=job.filename, content_type="application/pdf")
    response["X-Checksum-SHA256"] = job.checksum
    return response


@require_POST
@requires(may_export_all)
def export_all_view(request):
    """A Front admin runs the pre-ceremony export by hand: every summary of the current campaign."""
    campaign = current_campaign()
    if campaign is None:
        raise Http404
    jobs = services.exports_request(campaign=campaign, actor=request.user)
    messages.success(
        request, _("Đã gửi yêu cầu tạo %(n)s báo cáo của đợt xét chọn hiện tại.") % {"n": len(jobs)}
    )
    return redirect("reports:centre")


@require_safe
@requires(may_see_reports)
@reads_from_replica()
def statistics_view(request):
    filters = StatisticsFilterForm(
        _with_current_year(request.GET),
        units=selectors.visible_units(request.user),
        lookup_url=reverse("submissions:unit_lookup"),
    )
    valid = filters.is_valid()
    cleaned = filters.cleaned_data if valid else {}
    campaign = cleaned.get("year")
    stats = None
    exporting = request.GET.get("export") == "xlsx"
    if valid:
        stats = selectors.statistics(
            request.user,
            campaign=campaign,
            field=cleaned.get("field"),
            unit=cleaned.get("unit"),
            units_shown=None if exporting else UNITS_SHOWN,  # the Excel file has every unit
        )
    tables = (
        [
            (_("Theo năm"), _("Năm"), stats["by_year"]),
            (_("Theo lĩnh vực"), _("Lĩnh vực"), stats["by_field"]),
            (_("Theo đơn vị"), _("Đơn vị"), stats["by_unit"]),
            (_("Theo loại hồ sơ"), _("Loại hồ sơ"), stats["by_kind"]),
            (_("Theo xếp loại"), _("Xếp loại của Hội đồng"), stats["by_class"]),
        ]
        if stats
        else []
    )
    if valid and exporting:
        caption = _("Thống kê hồ sơ sáng kiến năm %(year)s") % {"year": campaign.year if campaign else "—"}
        return exports.statistics_response(tables, caption=caption)
    query = request.GET.copy()
    query.pop("export", None)
    context = {
        "filters": filters,
        "campaign": campaign,
        "tables": tables,
        "stats": stats,
        "query": query.urlencode(),
    }
    return render(request, "reports/statistics.html", context, status=200 if valid else 400)
