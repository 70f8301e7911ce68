"""Nhân rộng: a unit's staff record that their unit applies a public record; the unit's reviewer (or
that of a parent unit) confirms it or says why not; the staff follow their unit's applications.
Each view parses, checks permission, calls one service of public.services and renders. The lists are
guarded by `@requires`; one application by its loader, `application_to_decide` (404 to whoever may
not confirm it, so a guessed id tells nothing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Unit
from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from dksangtao.lists import Column, Listing
from public import services
from public.forms_applications import ApplicationFilter, ApplicationForm, RejectForm
from public.models import RecordApplication
from public.permissions import (
    application_units,
    confirming_units,
    may_confirm,
    may_confirm_applications,
    may_record_application,
)
from public.selectors import record_by_reference

Status = RecordApplication.Status

COLUMNS = [
    Column(gettext_lazy("Số hồ sơ"), lambda a: a.record.reference, width=16),
    Column(gettext_lazy("Tên sáng kiến, giải pháp"), lambda a: a.record.title, width=48),
    Column(gettext_lazy("Đơn vị áp dụng"), lambda a: a.unit.name, width=32),
    Column(gettext_lazy("Ngày bắt đầu áp dụng"), lambda a: a.applied_on, "date", width=14),
    Column(gettext_lazy("Phạm vi áp dụng"), lambda a: a.scope, width=48),
    Column(gettext_lazy("Lợi ích đo được (đồng/năm)"), lambda a: a.benefit_vnd, "money", width=20),
    Column(gettext_lazy("Người liên hệ"), lambda a: a.contact, width=28),
    Column(gettext_lazy("Trạng thái"), lambda a: a.get_status_display(), width=16),
    Column(gettext_lazy("Lý do không xác nhận"), lambda a: a.reason, width=40),
]


def _applications(unit_ids):
    """The applications of these units, those waiting first, then the latest applied."""
    waiting_first = Case(
        When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        RecordApplication.objects.filter(unit_id__in=unit_ids)
        .select_related("record", "unit")
        .order_by(waiting_first, "-applied_on", "-id")
    )


def _recording_units(user):
    """The active units this person may record an application for, by name."""
    return Unit.objects.filter(pk__in=application_units(user), is_active=True).order_by("name")


def application_to_decide(user, pk: int) -> RecordApplication:
    """The application with its record and unit, or 404 for anyone who does not confirm its unit's."""
    application = get_object_or_404(RecordApplication.objects.select_related("record", "unit"), pk=pk)
    if not may_confirm(user, application):
        raise Http404
    return application


# Recording -----------------------------------------------------------------------------------------


@requires(may_record_application)
def record_view(request, reference):
    public_record = record_by_reference(reference)
    if public_record.is_withdrawn and request.method != "POST":
        context = {"record": public_record, "refusal": _("Bản ghi này đã được gỡ khỏi cơ sở dữ liệu.")}
        return render(request, "public/applications/withdrawn.html", context, status=410)
    units = _recording_units(request.user)
    if not units.exists():  # every unit this person records for has been closed
        raise PermissionDenied
    if request.method != "POST":
        return _render_form(request, public_record, ApplicationForm(units=units))
    form = ApplicationForm(request.POST, units=units)
    if not form.is_valid():
        return _render_form(request, public_record, form, status=400)
    unit = form.cleaned_data["unit"]
    try:
        services.application_record(
            public_record=public_record, unit=unit, actor=request.user, data=form.data_for_service()
        )
    except ActionRefused as refused:
        form.add_error(None, str(refused))
        return _render_form(request, public_record, form, status=400)
    messages.success(
        request,
        _("Đã ghi nhận việc %(unit)s áp dụng «%(title)s»; bản ghi chờ lãnh đạo đơn vị xác nhận.")
        % {"unit": unit.name, "title": public_record.title},
    )
    return redirect(public_record.get_absolute_url())


def _render_form(request, public_record, form, status=200):
    context = {"record": public_record, "form": form}
    return render(request, "public/applications/record.html", context, status=status)


# The lists -----------------------------------------------------------------------------------------


def _with_pending(query: QueryDict) -> QueryDict:
    """The query string, opening on the applications waiting when no status was chosen («Tất cả» is
    an empty status, which is a choice)."""
    data = query.copy()
    if "status" not in data:
        data["status"] = Status.PENDING
    return data


@require_safe
@requires(may_confirm_applications)
def queue_view(request):
    listing = Listing(
        request,
        _applications(confirming_units(request.user)),
        filterset_class=ApplicationFilter,
        data=_with_pending(request.GET),
    )
    if listing.export_format:
        return listing.export(COLUMNS, filename="xac-nhan-nhan-rong", title=_("Xác nhận nhân rộng"))
    context = {"listing": listing, "reject_form": RejectForm(), "here": listing.query}
    return render(request, "public/applications/queue.html", context, status=listing.status)


@require_safe
@requires(may_record_application)
def mine_view(request):
    listing = Listing(
        request, _applications(application_units(request.user)), filterset_class=ApplicationFilter
    )
    if listing.export_format:
        return listing.export(COLUMNS, filename="nhan-rong-cua-don-vi", title=_("Nhân rộng của đơn vị"))
    return render(request, "public/applications/mine.html", {"listing": listing}, status=listing.status)


# Deciding ------------------------------------------------------------------------------------------


def _back_to_queue(request):
    """The queue as the reviewer left it: its filters and page, read back from the form (a query
    string re-encoded, never a URL taken from the request)."""
    query = QueryDict(request.POST.get("back", "")[:1000]).urlencode()
    return redirect(reverse("applications:queue") + (f"?{query}" if query else ""))


@require_POST
@login_required
def confirm_view(request, pk):
    application = application_to_decide(request.user, pk)
    try:
        services.application_confirm(application=application, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Đã xác nhận: %(unit)s áp dụng «%(title)s».")
            % {"unit": application.unit.name, "title": application.record.title},
        )
    return _back_to_queue(request)


@require_POST
@login_required
def reject_view(request, pk):
    application = application_to_decide(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        for error in form.errors["reason"]:
            messages.error(request, error)
        return _back_to_queue(request)
    try:
        services.application_reject(
            application=application, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("Đã ghi không xác nhận việc %(unit)s áp dụng «%(title)s», kèm lý do.")
            % {"unit": application.unit.name, "title": application.record.title},
        )
    return _back_to_queue(request)
