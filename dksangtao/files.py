"""Uploaded files kept by the portal — dossier attachments, fund vouchers, honourees' portraits: one
abstract model (StoredFile) and one way in (`store_upload`), which checks the file by its content
(dksangtao.uploads), names it at random beside its row and never leaves a file without a row.
Files live under MEDIA_ROOT, which no URL serves; each kind is handed out by a view that checks
permission (FileResponse)."""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dksangtao.errors import ActionRefused
from dksangtao.text import nfc
from dksangtao.uploads import CONTENT_TYPES, FileRefused, check_upload, sha256_of, size_text


def stored_file_path(instance, filename):
    return f"{instance.folder()}/{instance.stored_name}"


class StoredFile(models.Model):
    file = models.FileField(upload_to=stored_file_path, max_length=255)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(gettext_lazy("tên tệp"), max_length=255)
    file_type = models.CharField(gettext_lazy("định dạng"), max_length=10)
    size = models.PositiveBigIntegerField(gettext_lazy("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(gettext_lazy("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def folder(self) -> str:
        """Where under MEDIA_ROOT this kind of file is kept."""
        raise NotImplementedError

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.file_type, "application/octet-stream")


def store_upload(row: StoredFile, upload, *, max_bytes: int, allowed=None, refusal: str = "") -> StoredFile:
    """Check `upload` (size, then type by content: `allowed` types, `refusal` the message for another
    one) and save it as `row`, an unsaved StoredFile with its owner and uploaded_by set. Refused with
    ActionRefused, in Vietnamese; if the row cannot be written, the file is not left behind."""
    if upload.size > max_bytes:
        raise ActionRefused(
            _("Tệp «%(name)s» lớn hơn %(limit)s, là mức tối đa cho mỗi tệp.")
            % {"name": upload.name, "limit": size_text(max_bytes)}
        )
    try:
        file_type = check_upload(upload, allowed=allowed, refusal=refusal)
    except FileRefused as refused:
        raise ActionRefused(str(refused)) from None
    row.stored_name = f"{uuid.uuid4().hex}.{file_type}"
    row.original_name = nfc(upload.name)[:255]
    row.file_type = file_type
    row.size = upload.size
    row.sha256 = sha256_of(upload)
    row.file.save(row.stored_name, upload, save=False)
    try:
        row.save()
    except Exception:
        row.file.delete(save=False)
        raise
    return row


def stored_file_response(row: StoredFile, *, inline: bool = False) -> FileResponse:
    """The file as a download (or shown in the browser, for a scan or a portrait); callers have
    checked that the person may see it. A file gone from the disk (or unreadable, or a row with no
    file name) is a 404, never a 500."""
    try:
        handle = row.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=not inline, filename=row.original_name, content_type=row.content_type
    )


def replace_stored(name: str, source: Path, *, storage=None) -> None:
    """Put the local file `source` at `name` in the storage (the default one: local disk or an S3
    bucket), replacing what is there so that a reader gets the old file or the new one, never half
    of one — on local disk a rename in the same folder, on an object store one PUT, which is
    atomic. For files rebuilt under a fixed name (the open data); uploads get random names."""
    storage = storage or default_storage
    try:
        target = Path(storage.path(name))
    except NotImplementedError:  # an object store: no local path, and its PUT replaces at once
        target = None
    if target is None:
        with source.open("rb") as handle:
            saved = storage.save(name, File(handle, name=source.name))
        if saved != name:
            raise RuntimeError(f"The storage kept {name!r} as {saved!r}: it must overwrite (file_overwrite).")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out, source.open("rb") as read:
            shutil.copyfileobj(read, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())  # on disk before it replaces the old file
        os.chmod(temp, 0o644)  # readable like the portal's other stored files
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
