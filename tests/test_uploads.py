"""Content checks of every upload (dksangtao.uploads.check_upload, used by dossier attachments, fund
vouchers and portraits): PDFs parse, pictures decode under a pixel cap, Office files are clean OOXML
packages, and the optional ClamAV scan (a small clamd speaking INSTREAM on a Unix socket)."""

import io
import socket
import struct
import threading
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFile

from dksangtao.uploads import FileRefused, check_upload
from tests.samples import PDF

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def office(parts: dict[str, bytes | str], *, content_types: str | None = None) -> bytes:
    overrides = f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/>'
    types = content_types or (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", "<Relationships/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCUMENT = {"word/document.xml": "<document>Thuyết minh</document>"}


def png(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height (its pixel data is one tiny row: it is the header
    that a decoder trusts to allocate)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff" * 3 * min(width, 4))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(FileRefused) as refused:
        check_upload(SimpleUploadedFile(name, content))
    return str(refused.value)


def test_real_files_pass():
    assert check_upload(SimpleUploadedFile("a.pdf", PDF)) == "pdf"
    assert check_upload(SimpleUploadedFile("a.docx", office(DOCUMENT))) == "docx"


def test_pdf_that_does_not_parse_is_refused():
    assert "Tệp PDF «gia.pdf» bị hỏng" in refusal("gia.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100)


def test_picture_over_the_pixel_cap_is_refused_in_vietnamese_not_a_500(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 10_000_000
    message = refusal("anh.png", png(40_000, 40_000))  # 1.6 gigapixels, over Pillow's own bomb limit
    assert "vượt mức tối đa 10.000.000 điểm ảnh" in message
    message = refusal("anh-vua.png", png(5_000, 4_000))  # 20 megapixels, under Pillow's limit
    assert "20.000.000 điểm ảnh" in message


@pytest.mark.parametrize("truncated_allowed", [False, True], ids=["pillow-default", "after-weasyprint"])
def test_picture_that_does_not_decode_is_refused(truncated_allowed, monkeypatch):
    # WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process when it is imported
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", truncated_allowed)
    truncated = png(64, 64)  # the pixel data is one short row
    assert "bị hỏng hoặc không đọc được" in refusal("anh.png", truncated)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is truncated_allowed  # left as it was


@pytest.mark.parametrize(
    ("parts", "part"),
    [
        ({**DOCUMENT, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, "word/vbaProject.bin"),
        ({**DOCUMENT, "word/activeX/activeX1.bin": b"\x00"}, "word/activeX/activeX1.bin"),
        ({**DOCUMENT, "word/media/setup.exe": b"MZ"}, "word/media/setup.exe"),
        ({**DOCUMENT, "word/embeddings/run.ps1": b"Write-Host"}, "word/embeddings/run.ps1"),
        ({**DOCUMENT, "word/x.js": b"alert(1)"}, "word/x.js"),
    ],
    ids=["vba", "activex", "exe", "ps1", "js"],
)
def test_office_file_with_macro_or_program_is_refused(parts, part):
    message = refusal("thuyet-minh.docx", office(parts))
    assert "có chứa macro hoặc chương trình chạy được" in message and part in message


def test_macro_enabled_content_type_is_refused():
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    )
    assert "có chứa macro" in refusal("a.docx", office(DOCUMENT, content_types=types))


def test_office_package_without_main_part_or_with_broken_content_types_is_refused():
    no_main = office({"word/document.xml": "<d/>"}, content_types="<Types/>")
    assert "thiếu phần nội dung chính" in refusal("a.docx", no_main)
    broken = office(DOCUMENT, content_types="<Types><Override")
    assert "phần mô tả nội dung" in refusal("a.docx", broken)
    laughs = office(
        DOCUMENT,
        content_types='<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>',
    )
    assert "phần mô tả nội dung" in refusal("a.docx", laughs)


# ClamAV --------------------------------------------------------------------------------------------


class FakeClamd:
    """clamd's INSTREAM on a Unix socket: reads the chunks, answers `verdict`."""

    def __init__(self, path, verdict: bytes):
        self.received = b""
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(1)
        self.thread = threading.Thread(target=self.serve, args=(verdict,), daemon=True)
        self.thread.start()

    def serve(self, verdict):
        connection, _address = self.server.accept()
        with connection:
            data = b""
            while True:
                received = connection.recv(65536)
                if not received:
                    break
                data += received
                if data.endswith(b"\x00\x00\x00\x00"):
                    break
            self.received = data
            connection.sendall(verdict)
        self.server.close()


@pytest.fixture
def clamd_path(tmp_path, settings):
    path = tmp_path / "clamd.sock"
    settings.CLAMAV_SOCKET = str(path)
    return path


def test_clean_file_passes_the_scan(clamd_path):
    clamd = FakeClamd(clamd_path, b"stream: OK\x00")
    assert check_upload(SimpleUploadedFile("a.pdf", PDF)) == "pdf"
    clamd.thread.join(5)
    assert clamd.received.startswith(b"zINSTREAM\x00") and PDF in clamd.received


def test_infected_file_is_refused(clamd_path):
    FakeClamd(clamd_path, b"stream: Eicar-Test-Signature FOUND\x00")
    assert "có chứa mã độc (Eicar-Test-Signature)" in refusal("a.pdf", PDF)


def test_configured_but_unreachable_scanner_refuses_the_upload(clamd_path, caplog):
    message = refusal("a.pdf", PDF)  # nothing listens on the socket
    assert "hệ thống quét virus đang không hoạt động" in message
    assert "could not scan" in caplog.text


def test_without_a_scanner_the_upload_is_accepted(settings):
    settings.CLAMAV_SOCKET = settings.CLAMAV_HOST = ""
    assert check_upload(SimpleUploadedFile("a.pdf", PDF)) == "pdf"
