"""Excel import of a unit's backlog of dossiers: the template, the upload, its check and the
confirmation that creates the drafts — the check and the import run as Celery jobs (ImportJob), so
no request waits for a large file; the job's page polls its progress (htmx) and shows the result.

The upload is checked without being parsed (imports.check_file: name, size, the zip's parts, the
package) and kept in private media; the job row records who uploaded it for which unit, so only
that person can see its page or confirm it (anyone else: 404).
"""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from dksangtao.access import requires
from dksangtao.errors import ActionRefused
from submissions import imports, services
from submissions.models import ImportJob
from submissions.permissions import may_prepare
from submissions.selectors import current_campaign, staff_units


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx) hoặc CSV (UTF-8)"),
        allow_empty_file=True,  # read_upload says «Tệp … trống» with the file's name
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Dùng tệp mẫu; mỗi dòng là một hồ sơ. Tối đa %(rows)s hồ sơ, %(size)s MB mỗi tệp."
        ) % {
            "rows": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
            "size": imports.MAX_BYTES // (1024 * 1024),
        }
        if units is not None:
            # Only when the person prepares dossiers for several units does the form ask which.
            self.fields["unit"] = forms.ModelChoiceField(
                queryset=units, label=gettext_lazy("Nhập vào đơn vị"), empty_label=None
            )
            self.order_fields(["unit", "file"])


class ConfirmForm(forms.Form):
    upload = forms.UUIDField()
    unit = forms.IntegerField()


def _job_for_user(request, token) -> ImportJob:
    """The person's own import job, for a unit they still prepare dossiers for; 404 for anyone else."""
    job = (
        ImportJob.objects.select_related("unit", "campaign", "source")
        .filter(token=token, requested_by=request.user, unit__in=staff_units(request.user))
        .first()
    )
    if job is None:
        raise Http404
    return job


SHOWN_ERRORS = 200  # a file with more errors shows the first ones and the count of the rest


class JobReport:
    """The job's result as the preview template reads it: the rows kept for the preview (the first
    services.PREVIEW_ROWS) and the first SHOWN_ERRORS errors, with the counts of the rest, so that a
    20,000-row file's page stays small."""

    def __init__(self, job: ImportJob):
        self.total, self.invalid_count, self.created = job.total, job.invalid_count, job.created_count
        self.ok, self.rows = job.ok, list(job.preview)
        self.valid_count = max(job.total - job.invalid_count, 0)
        self.more_rows = max(self.valid_count - len(self.rows), 0) if job.mode == "check" else 0
        self.error_count = len(job.row_errors)
        self.errors = list(job.row_errors[:SHOWN_ERRORS])
        self.more_errors = self.error_count - len(self.errors)


def _render_upload(request, form, campaign, status=200):
    context = {"form": form, "campaign": campaign, "max_authors": imports.MAX_AUTHORS}
    return render(request, "submissions/import.html", context, status=status)


@require_safe
@requires(may_prepare)
def import_template_view(request):
    return FileResponse(
        io.BytesIO(imports.template_workbook()),
        as_attachment=True,
        filename="mau-nhap-ho-so-sang-kien.xlsx",
        content_type=imports.XLSX_CONTENT_TYPE,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@requires(may_prepare)
def import_view(request):
    units = staff_units(request.user)
    if not units:  # every unit this person prepares for has been closed
        raise PermissionDenied
    campaign = current_campaign()
    if campaign is None:
        messages.error(
            request, _("Chưa có đợt xét chọn nào; Ban Thường trực cần tạo đợt trước khi nhập hồ sơ.")
        )
        return redirect("submissions:list")
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, units)
    unit_choice = units if len(units) > 1 else None
    if request.method != "POST":
        return _render_upload(request, ImportForm(units=unit_choice), campaign)
    form = ImportForm(request.POST, request.FILES, units=unit_choice)
    if not form.is_valid():
        return _render_upload(request, form, campaign, status=400)
    unit = form.cleaned_data.get("unit") or units[0]
    upload = form.cleaned_data["file"]
    try:
        imports.check_file(upload)  # refused here, in the form, before anything is kept
    except imports.ImportRefused as refused:
        form.add_error("file", str(refused))
        return _render_upload(request, form, campaign, status=400)
    job = services.import_request(upload=upload, unit=unit, campaign=campaign, actor=request.user)
    return redirect("submissions:import_job", token=job.token)


def _confirm(request, units):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404
    check = _job_for_user(request, form.cleaned_data["upload"])
    if check.unit_id != form.cleaned_data["unit"]:
        raise Http404
    try:
        job = services.import_confirm(check=check, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("submissions:import_job", token=check.token)
    return redirect("submissions:import_job", token=job.token)


@require_safe
@requires(may_prepare)
def import_job_view(request, token):
    """The job's page: its progress while it waits or runs (the fragment is polled by htmx every
    2 seconds), then the preview of a check, or what an import created."""
    job = _job_for_user(
        request, token
    )  # a lost worker's job is failed by the sweep (dksangtao.jobs), not here
    context = {
        "job": job,
        "report": JobReport(job),
        "unit": job.unit,
        "campaign": job.campaign,
        "file_name": job.original_name,
        # the check can be confirmed: no error, and not confirmed yet
        "token": job.token if job.ok and job.mode == "check" and not hasattr(job, "confirmation") else None,
    }
    if request.htmx:
        return render(request, "submissions/_import_job.html", context)
    return render(request, "submissions/import_preview.html", context)
