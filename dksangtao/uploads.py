"""Uploaded files, checked by content — the first bytes (and, for Office files, the zip's inner parts)
must match the extension — and stored under a random name beside their database row. Dossier
attachments take PDF, DOCX, XLSX, JPG and PNG; fund vouchers and portraits fewer.

Hostile files are refused before anything parses them (settings, «Hardening: hostile files»):
- an Office file is a zip: its parts are counted and measured from the zip's directory (total and
  per-part uncompressed size, compression ratio) before openpyxl or anything else opens it — Python's
  zipfile never yields more than a part's declared size, so the declared sizes bound the reading;
- it must be a well-formed OOXML package ([Content_Types].xml parses, its main part is there) with
  no macro, ActiveX or executable part;
- a PDF must parse (pypdf); a picture must decode, and is refused by its pixel count before decoding;
- when clamd is configured (CLAMAV_SOCKET or CLAMAV_HOST) the file is scanned; unreachable, the
  upload is refused (fail closed)."""

import contextlib
import hashlib
import logging
import posixpath
import socket
import struct
import threading
import warnings
import zipfile
from xml.etree import ElementTree

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

logger = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "jpg": "jpg", "jpeg": "jpg", "png": "png"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


def size_text(limit: int) -> str:
    """A size for a message: «50 MB» for a whole number of megabytes, else «64,9 MB»."""
    megabytes, rest = divmod(limit, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else filesizeformat(limit)


class FileRefused(Exception):
    pass


class BrokenArchive(FileRefused):
    """The file starts like a zip but is none."""


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
    upload.seek(0)
    if upload.read(4) == b"PK\x03\x04":
        # measured before anything reads the parts; a file that is no zip at all is refused below,
        # as a file whose content does not match its name
        with contextlib.suppress(BrokenArchive):
            check_archive(upload, name)
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
    elif actual == "pdf":
        _check_pdf(upload, name)
    else:
        check_office(upload, name, actual)
    scan_for_viruses(upload, name)
    return actual


def _refused(message: str, name: str, **values) -> FileRefused:
    return FileRefused(message % {"name": name, **values})


_TRUNCATED_SWITCH = threading.Lock()


def _load_whole(image) -> None:
    """Decode every pixel, refusing a truncated file. WeasyPrint, once imported, sets Pillow's
    process-wide LOAD_TRUNCATED_IMAGES, which pads a truncated picture silently: it is switched off
    for the time of the decoding."""
    with _TRUNCATED_SWITCH:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _check_picture(upload, name: str) -> None:
    """The first bytes matched: the picture must not be larger than the pixel cap (read from its
    header, before decoding) and must decode whole."""
    broken = _("Ảnh «%(name)s» bị hỏng hoặc không đọc được; vui lòng chọn ảnh khác.")
    limit = settings.UPLOAD_IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > limit:
                    raise _refused(
                        _(
                            "Ảnh «%(name)s» có %(pixels)s điểm ảnh (%(width)s × %(height)s), vượt mức "
                            "tối đa %(limit)s điểm ảnh; hãy thu nhỏ ảnh rồi tải lên lại."
                        ),
                        name,
                        pixels=f"{width * height:,}".replace(",", "."),
                        width=width,
                        height=height,
                        limit=f"{limit:,}".replace(",", "."),
                    )
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:  # verify() leaves the image unusable: decode it anew
                _load_whole(image)
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard (over twice its limit) fired on the header, before ours could read it
        raise _refused(
            _("Ảnh «%(name)s» quá lớn, vượt mức tối đa %(limit)s điểm ảnh; hãy thu nhỏ ảnh rồi tải lên lại."),
            name,
            limit=f"{limit:,}".replace(",", "."),
        ) from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise _refused(broken, name) from None
    finally:
        upload.seek(0)


def _check_pdf(upload, name: str) -> None:
    """The first bytes matched: the document must also parse — its cross-reference table, its
    catalogue and its page tree (pypdf, which mends a slightly wrong cross-reference table)."""
    from pypdf import PdfReader  # imported here: only PDF uploads need it
    from pypdf.errors import PyPdfError

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(upload, strict=False)  # scanners write slightly off tables
            if reader.is_encrypted:
                raise _refused(
                    _("Tệp PDF «%(name)s» có đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại."), name
                )
            pages = len(reader.pages)
    except FileRefused:
        raise
    except (
        PyPdfError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
    ):
        pages = 0
    finally:
        upload.seek(0)
    if not pages:
        raise _refused(_("Tệp PDF «%(name)s» bị hỏng hoặc không đọc được; vui lòng chọn tệp khác."), name)


# Office files (OOXML) ---------------------------------------------------------------------------

RATIO_FLOOR = 1024 * 1024  # parts smaller than this open are not checked for their ratio
MAIN_CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# Parts that run code: macros (VBA), ActiveX controls, and programs or scripts of any name.
EXECUTABLE_EXTENSIONS = {
    "exe",
    "dll",
    "js",
    "jse",
    "vbs",
    "vbe",
    "ps1",
    "bat",
    "cmd",
    "com",
    "scr",
    "msi",
    "jar",
    "hta",
    "wsf",
    "wsh",
    "lnk",
    "cpl",
    "sh",
}
MACRO_MARKERS = ("macroenabled", "vbaproject", "activex", "ms-office.vba", "vbaproject.bin")
CONTENT_TYPES_MAX_BYTES = 1024 * 1024


def _declared_part_count(upload) -> int | None:
    """The number of parts the zip's end record declares, read from the file's last bytes before
    zipfile builds one object per part (a zip of a million empty parts is a bomb of another kind);
    None when there is no end record (zipfile then says the file is broken)."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - 65_557))  # the end record (22 bytes) and its longest comment
    tail = upload.read()
    upload.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def check_archive(upload, name: str) -> list[zipfile.ZipInfo]:
    """Measure the zip from its directory, before anything opens a part: the number of parts, each
    part's size and compression ratio, the total size (settings UPLOAD_ZIP_*). Returns the parts."""
    declared = _declared_part_count(upload)
    if declared is not None and declared > settings.UPLOAD_ZIP_MAX_PARTS:
        raise _refused(
            _(
                "Tệp «%(name)s» chứa %(count)s phần nén bên trong, vượt mức tối đa %(limit)s phần; "
                "tệp không được nhận."
            ),
            name,
            count=declared,
            limit=settings.UPLOAD_ZIP_MAX_PARTS,
        )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise BrokenArchive(
            _("Tệp «%(name)s» bị hỏng hoặc không đọc được; vui lòng chọn tệp khác.") % {"name": name}
        ) from None
    finally:
        upload.seek(0)
    if len(parts) > settings.UPLOAD_ZIP_MAX_PARTS:
        raise _refused(
            _(
                "Tệp «%(name)s» chứa %(count)s phần nén bên trong, vượt mức tối đa %(limit)s phần; "
                "tệp không được nhận."
            ),
            name,
            count=len(parts),
            limit=settings.UPLOAD_ZIP_MAX_PARTS,
        )
    names = [part.filename for part in parts]
    if len(set(names)) != len(names):
        raise _refused(_("Tệp «%(name)s» có hai phần nén trùng tên; tệp không được nhận."), name)
    total = 0
    for part in parts:
        if part.file_size > settings.UPLOAD_ZIP_MAX_PART_BYTES:
            raise _refused(
                _(
                    "Tệp «%(name)s» có phần «%(part)s» khi giải nén lớn %(size)s, vượt mức tối đa %(limit)s "
                    "cho mỗi phần; tệp không được nhận."
                ),
                name,
                part=part.filename[:80],
                size=filesizeformat(part.file_size),
                limit=size_text(settings.UPLOAD_ZIP_MAX_PART_BYTES),
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > settings.UPLOAD_ZIP_MAX_RATIO:
            raise _refused(
                _(
                    "Tệp «%(name)s» có phần «%(part)s» nén nhỏ bất thường (giải nén to gấp %(ratio)s lần, "
                    "mức tối đa là %(limit)s lần): có thể là tệp độc hại; tệp không được nhận."
                ),
                name,
                part=part.filename[:80],
                ratio=int(ratio),
                limit=settings.UPLOAD_ZIP_MAX_RATIO,
            )
        total += part.file_size
    if total > settings.UPLOAD_ZIP_MAX_TOTAL_BYTES:
        raise _refused(
            _("Tệp «%(name)s» khi giải nén lớn %(size)s, vượt mức tối đa %(limit)s; tệp không được nhận."),
            name,
            size=filesizeformat(total),
            limit=size_text(settings.UPLOAD_ZIP_MAX_TOTAL_BYTES),
        )
    return parts


def _content_types(archive: zipfile.ZipFile, name: str) -> tuple[dict[str, str], dict[str, str]]:
    """[Content_Types].xml as (defaults by extension, overrides by part name), or FileRefused."""
    broken = _refused(
        _(
            "Tệp «%(name)s» không phải tệp Office hợp lệ (thiếu hoặc hỏng phần mô tả nội dung); "
            "tệp không được nhận."
        ),
        name,
    )
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise broken from None
    if info.file_size > CONTENT_TYPES_MAX_BYTES:
        raise broken
    try:
        data = archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise broken from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # OOXML never declares a DTD
        raise broken
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise broken from None
    defaults, overrides = {}, {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        content_type = (element.get("ContentType") or "").lower()
        if tag == "Default":
            defaults[(element.get("Extension") or "").lower()] = content_type
        elif tag == "Override":
            overrides[(element.get("PartName") or "").lstrip("/")] = content_type
    return defaults, overrides


def check_office(upload, name: str, kind: str) -> None:
    """A DOCX or XLSX: the zip's sizes (check_archive), then a well-formed OOXML package — its
    [Content_Types].xml parses and names the main part, which is there — with no macro, ActiveX or
    executable part."""
    parts = check_archive(upload, name)
    names = {part.filename for part in parts}
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            defaults, overrides = _content_types(archive, name)
    except zipfile.BadZipFile:
        raise _refused(
            _("Tệp «%(name)s» bị hỏng hoặc không đọc được; vui lòng chọn tệp khác."), name
        ) from None
    finally:
        upload.seek(0)

    def dangerous(part: str) -> FileRefused:
        return _refused(
            _(
                "Tệp «%(name)s» có chứa macro hoặc chương trình chạy được (phần «%(part)s»); cổng chỉ "
                "nhận tệp Office không có macro. Hãy lưu lại dưới dạng .docx/.xlsx thường rồi tải lên lại."
            ),
            name,
            part=part[:80],
        )

    for part in sorted(names):
        lowered = part.lower()
        extension = posixpath.splitext(lowered)[1].lstrip(".")
        content_type = overrides.get(part, defaults.get(extension, ""))
        if (
            extension in EXECUTABLE_EXTENSIONS
            or any(marker in lowered for marker in ("vbaproject", "vbadata", "activex"))
            or any(marker in content_type for marker in MACRO_MARKERS)
        ):
            raise dangerous(part)
    for content_type in [*defaults.values(), *overrides.values()]:
        if any(marker in content_type for marker in MACRO_MARKERS):
            raise dangerous("[Content_Types].xml")
    main = [part for part, content_type in overrides.items() if content_type == MAIN_CONTENT_TYPES[kind]]
    if len(main) != 1 or main[0] not in names:
        raise _refused(
            _(
                "Tệp «%(name)s» không phải tệp %(kind)s hợp lệ (thiếu phần nội dung chính); "
                "tệp không được nhận."
            ),
            name,
            kind=kind.upper(),
        )


# Virus scan (clamd's INSTREAM) ------------------------------------------------------------------

CLAMAV_CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    pass


def _clamd_connection() -> socket.socket | None:
    if settings.CLAMAV_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(settings.CLAMAV_TIMEOUT)
        connection.connect(settings.CLAMAV_SOCKET)
        return connection
    if settings.CLAMAV_HOST:
        return socket.create_connection(
            (settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout=settings.CLAMAV_TIMEOUT
        )
    return None


def clamd_scan(upload) -> str | None:
    """Send the file to clamd (INSTREAM: length-prefixed chunks, then a zero length) and return the
    name of what it found, or None when clean. Raises ScannerUnavailable when clamd cannot be reached
    or answers something else; returns None without scanning when no clamd is configured."""
    try:
        connection = _clamd_connection()
    except OSError as error:
        raise ScannerUnavailable(str(error)) from None
    if connection is None:
        return None
    upload.seek(0)
    try:
        with connection:
            connection.sendall(b"zINSTREAM\0")
            while chunk := upload.read(CLAMAV_CHUNK):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as error:
        raise ScannerUnavailable(str(error)) from None
    finally:
        upload.seek(0)
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    # «stream: OK», «stream: Eicar-Test-Signature FOUND», «INSTREAM size limit exceeded. ERROR»
    if text.endswith(" OK"):
        return None
    if text.endswith(" FOUND"):
        return text.removeprefix("stream:").removesuffix("FOUND").strip()
    raise ScannerUnavailable(text or "no answer")


def scan_for_viruses(upload, name: str) -> None:
    """Refuse an infected file; skip (logged) when no clamd is configured; refuse when the configured
    clamd cannot scan (fail closed: an unscanned file is not let in)."""
    if not (settings.CLAMAV_SOCKET or settings.CLAMAV_HOST):
        logger.debug("upload %r not scanned: no CLAMAV_SOCKET or CLAMAV_HOST configured", name)
        return
    try:
        found = clamd_scan(upload)
    except ScannerUnavailable as error:
        logger.error("upload %r refused: the virus scanner could not scan it (%s)", name, error)
        raise _refused(
            _(
                "Chưa kiểm tra được virus cho tệp «%(name)s» vì hệ thống quét virus đang không hoạt động; "
                "tệp chưa được nhận. Vui lòng thử lại sau ít phút."
            ),
            name,
        ) from None
    if found:
        logger.warning("upload %r refused: clamd found %s", name, found)
        raise _refused(
            _("Tệp «%(name)s» có chứa mã độc (%(found)s); tệp không được nhận."), name, found=found[:100]
        )


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
