"""Uploaded files, checked by content — the first bytes (and, for Office files, the zip's inner parts)
must match the extension — and stored under a random name beside their database row. Dossier
attachments take PDF, DOCX, XLSX, JPG and PNG; fund vouchers and portraits fewer."""

import hashlib
import zipfile

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "jpg": "jpg", "jpeg": "jpg", "png": "png"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


class FileRefused(Exception):
    pass


def _office_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def detect_type(upload) -> str | None:
    """The file's real type from its content, or None when it is none of the allowed ones."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    return None


def check_upload(upload, *, allowed: frozenset[str] | None = None, refusal: str = "") -> str:
    """Return the checked type, or raise FileRefused with a message in Vietnamese. `allowed` narrows
    the types (e.g. {"pdf", "jpg", "png"}); `refusal` is then the message for another extension, with
    %(name)s for the file's name."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = ALLOWED_EXTENSIONS.get(extension)
    if claimed is None or (allowed is not None and claimed not in allowed):
        message = refusal or _("Tệp «%(name)s» không được nhận: chỉ nhận PDF, DOCX, XLSX, JPG, PNG.")
        raise FileRefused(message % {"name": name})
    if not upload.size:
        raise FileRefused(_("Tệp «%(name)s» trống; vui lòng chọn lại.") % {"name": name})
    actual = detect_type(upload)
    if actual != claimed:
        raise FileRefused(
            _(
                "Nội dung tệp «%(name)s» không phải %(kind)s như phần mở rộng của tên tệp; "
                "tệp không được nhận."
            )
            % {"name": name, "kind": claimed.upper()}
        )
    if actual in ("jpg", "png"):
        _check_picture(upload, name)
    return actual


def _check_picture(upload, name: str) -> None:
    """The first bytes matched: the whole picture must also decode."""
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FileRefused(
            _("Ảnh «%(name)s» bị hỏng hoặc không đọc được; vui lòng chọn ảnh khác.") % {"name": name}
        ) from None
    finally:
        upload.seek(0)


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
