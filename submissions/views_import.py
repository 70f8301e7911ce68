"""Excel import of a unit's backlog of dossiers: the template, the upload with its dry run, and the
confirmation that creates the drafts.

The uploaded file is kept server-side between the preview and the confirmation, under
MEDIA_ROOT/imports/<uuid>.<ext>; the confirm form carries only the uuid and the unit, and the session
records which user (and unit) each uuid belongs to, so nobody else can confirm it.
"""

import datetime as dt
import io
import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from dksangtao.access import requires
from submissions import imports
from submissions.permissions import may_prepare
from submissions.selectors import current_campaign, staff_units

SESSION_KEY = "dossier_imports"
STALE_AFTER = dt.timedelta(days=1)


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
        ) % {"rows": imports.MAX_ROWS, "size": imports.MAX_BYTES // (1024 * 1024)}
        if units is not None:
            # Only when the person prepares dossiers for several units does the form ask which.
            self.fields["unit"] = forms.ModelChoiceField(
                queryset=units, label=gettext_lazy("Nhập vào đơn vị"), empty_label=None
            )
            self.order_fields(["unit", "file"])


class ConfirmForm(forms.Form):
    upload = forms.UUIDField()
    unit = forms.IntegerField()


def _imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _kept_path(token: str, extension: str) -> Path:
    return _imports_dir() / f"{token}.{extension}"


def _sweep_stale_uploads() -> None:
    """Uploads previewed but never confirmed are removed after a day."""
    folder = _imports_dir()
    if not folder.is_dir():
        return
    cutoff = time.time() - STALE_AFTER.total_seconds()
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _keep_upload(request, upload, unit) -> str:
    _sweep_stale_uploads()
    token = str(uuid.uuid4())
    extension = upload.name.rsplit(".", 1)[-1].lower()
    folder = _imports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with _kept_path(token, extension).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    kept = request.session.get(SESSION_KEY, {})
    kept[token] = {"user": request.user.pk, "unit": unit.pk, "ext": extension, "name": upload.name}
    request.session[SESSION_KEY] = kept
    return token


def _forget_upload(request, token: str, extension: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept
    _kept_path(token, extension).unlink(missing_ok=True)


def _render_upload(request, form, campaign, status=200):
    context = {"form": form, "campaign": campaign, "max_authors": imports.MAX_AUTHORS}
    return render(request, "submissions/import.html", context, status=status)


def _render_preview(request, report, *, unit, campaign, token=None, name="", status=200):
    context = {
        "report": report,
        "unit": unit,
        "campaign": campaign,
        "token": token,
        "file_name": name,
    }
    return render(request, "submissions/import_preview.html", context, status=status)


@require_GET
@requires(may_prepare)
def import_template_view(request):
    return FileResponse(
        io.BytesIO(imports.template_workbook()),
        as_attachment=True,
        filename="mau-nhap-ho-so-sang-kien.xlsx",
        content_type=imports.XLSX_CONTENT_TYPE,
    )


@require_http_methods(["GET", "POST"])
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
        return _confirm(request, units, campaign)
    unit_choice = units if len(units) > 1 else None
    if request.method != "POST":
        return _render_upload(request, ImportForm(units=unit_choice), campaign)
    form = ImportForm(request.POST, request.FILES, units=unit_choice)
    if not form.is_valid():
        return _render_upload(request, form, campaign, status=400)
    unit = form.cleaned_data.get("unit") or units[0]
    upload = form.cleaned_data["file"]
    try:
        dataset = imports.read_upload(upload)
    except imports.ImportRefused as refused:
        form.add_error("file", str(refused))
        return _render_upload(request, form, campaign, status=400)
    report = imports.dossier_import(
        dataset=dataset, unit=unit, campaign=campaign, actor=request.user, commit=False
    )
    token = _keep_upload(request, upload, unit) if report.ok else None
    return _render_preview(request, report, unit=unit, campaign=campaign, token=token, name=upload.name)


def _confirm(request, units, campaign):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404
    token = str(form.cleaned_data["upload"])
    kept = request.session.get(SESSION_KEY, {}).get(token)
    if not kept or kept.get("user") != request.user.pk or kept.get("unit") != form.cleaned_data["unit"]:
        raise Http404
    unit = units.filter(pk=kept["unit"]).first()
    if unit is None:  # the person no longer prepares dossiers for that unit
        raise PermissionDenied
    # Claim the file by renaming it (atomic): a second click on «Nhập» finds it gone and imports nothing.
    path = _kept_path(token, kept["ext"])
    claimed = path.with_name(f"{path.name}.{uuid.uuid4().hex}.working")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        _forget_upload(request, token, kept["ext"])
        messages.error(request, _("Tệp đã tải lên không còn trên máy chủ; vui lòng tải lên lại."))
        return redirect("submissions:import")
    try:
        with claimed.open("rb") as handle:
            dataset = imports.read_upload(File(handle, name=kept["name"]))
        report = imports.dossier_import(
            dataset=dataset, unit=unit, campaign=campaign, actor=request.user, commit=True
        )
    except imports.ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect("submissions:import")
    finally:
        claimed.unlink(missing_ok=True)
        _forget_upload(request, token, kept["ext"])
    if not report.ok:
        # Something changed since the preview (e.g. a dossier with the same title was created):
        # nothing was imported; show what is wrong now.
        return _render_preview(request, report, unit=unit, campaign=campaign, name=kept["name"], status=409)
    messages.success(
        request,
        _(
            "Đã nhập %(count)s hồ sơ (bản nháp) vào đơn vị «%(unit)s». Hãy kiểm tra từng hồ sơ, "
            "đính kèm tài liệu rồi nộp."
        )
        % {"count": report.created, "unit": unit.name},
    )
    return redirect("submissions:list")
