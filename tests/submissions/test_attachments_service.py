"""attachment_add / attachment_remove: content checked against the extension, sizes limited, nothing
stored on refusal, and no changes once the dossier is submitted."""

import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions import services
from submissions.models import Attachment, Status
from submissions.services import ActionRefused
from tests.submissions.conftest import SUBMIT_DAY

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n190\n%%EOF\n"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 200


def _png() -> bytes:
    """A real 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _office(main_part: str, content_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships/>')
        archive.writestr(
            main_part, '<?xml version="1.0" encoding="UTF-8"?><root>Bảng số liệu hiệu quả</root>'
        )
    return buffer.getvalue()


PNG = _png()
DOCX = _office(
    "word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
XLSX = _office(
    "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file())


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [
        ("Bien ban ap dung.pdf", PDF, "pdf"),
        ("Ảnh chụp màn hình.PNG", PNG, "png"),
        ("Thuyết minh sáng kiến.docx", DOCX, "docx"),
        ("Bảng tính hiệu quả.xlsx", XLSX, "xlsx"),
    ],
)
def test_accepts_real_files(make_dossier, unit_a, staff, media_root, name, content, file_type):
    dossier = make_dossier(unit_a, staff)
    attachment = services.attachment_add(dossier=dossier, upload=upload(name, content), actor=staff)
    attachment.refresh_from_db()
    assert attachment.dossier == dossier
    assert attachment.original_name == name
    assert attachment.file_type == file_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == staff
    assert attachment.stored_name.endswith(f".{file_type}")
    assert name not in attachment.file.name  # random names on disk
    files = stored_files(media_root)
    assert len(files) == 1
    assert files[0].read_bytes() == content
    assert files[0].parent.name == str(dossier.pk)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "chuong-trinh.pdf",
            ELF,
            "Nội dung tệp «chuong-trinh.pdf» không phải PDF như phần mở rộng của tên tệp",
        ),
        ("anh.pdf", PNG, "Nội dung tệp «anh.pdf» không phải PDF như phần mở rộng của tên tệp"),
        ("bang-tinh.docx", XLSX, "Nội dung tệp «bang-tinh.docx» không phải DOCX"),
        ("thuyet-minh.xlsx", DOCX, "Nội dung tệp «thuyet-minh.xlsx» không phải XLSX"),
        ("khong-phai-office.docx", b"PK\x03\x04broken" + b"\x00" * 40, "không phải DOCX"),
        ("caidat.exe", ELF, "Tệp «caidat.exe» không được nhận: chỉ nhận PDF, DOCX, XLSX, JPG, PNG."),
        ("tai-lieu.pdf.exe", PDF, "Tệp «tai-lieu.pdf.exe» không được nhận"),
        ("khong-duoi", PDF, "không được nhận: chỉ nhận PDF, DOCX, XLSX, JPG, PNG."),
    ],
    ids=[
        "elf-as-pdf",
        "png-as-pdf",
        "xlsx-as-docx",
        "docx-as-xlsx",
        "broken-zip",
        "exe",
        "double-ext",
        "no-ext",
    ],
)
def test_refuses_files_whose_content_or_extension_is_wrong(
    make_dossier, unit_a, staff, media_root, name, content, message
):
    dossier = make_dossier(unit_a, staff)
    with pytest.raises(ActionRefused) as refused:
        services.attachment_add(dossier=dossier, upload=upload(name, content), actor=staff)
    assert message in str(refused.value)
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_refuses_a_file_over_the_per_file_limit(make_dossier, unit_a, staff, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 2048
    dossier = make_dossier(unit_a, staff)
    services.attachment_add(dossier=dossier, upload=upload("vua.pdf", PDF.ljust(2048, b" ")), actor=staff)
    with pytest.raises(ActionRefused) as refused:
        services.attachment_add(
            dossier=dossier, upload=upload("qua-lon.pdf", PDF.ljust(2049, b" ")), actor=staff
        )
    assert "Tệp «qua-lon.pdf» lớn hơn" in str(refused.value)
    assert "là mức tối đa cho mỗi tệp" in str(refused.value)
    assert Attachment.objects.count() == 1
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize("limit", ["ATTACHMENT_MAX_BYTES", "DOSSIER_ATTACHMENTS_MAX_BYTES"])
def test_a_limit_under_one_megabyte_is_not_stated_as_zero(make_dossier, unit_a, staff, settings, limit):
    """The environment allows limits down to 1024 bytes; the refusal must not tell people «0 MB»."""
    settings.ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    settings.DOSSIER_ATTACHMENTS_MAX_BYTES = 100 * 1024 * 1024
    setattr(settings, limit, 2048)
    dossier = make_dossier(unit_a, staff)
    with pytest.raises(ActionRefused) as refused:
        services.attachment_add(
            dossier=dossier, upload=upload("qua-lon.pdf", PDF.ljust(4096, b" ")), actor=staff
        )
    message = str(refused.value)
    assert "lớn hơn" in message or "vượt" in message
    assert not re.search(r"(?<![\d.,])0\sMB", message), message


def test_the_default_per_file_limit_is_named_in_megabytes(make_dossier, unit_a, staff, settings):
    settings.ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    dossier = make_dossier(unit_a, staff)
    with pytest.raises(ActionRefused) as refused:
        services.attachment_add(
            dossier=dossier, upload=upload("ban-ve.pdf", PDF.ljust(20 * 1024 * 1024 + 1, b" ")), actor=staff
        )
    assert re.fullmatch(
        r"Tệp «ban-ve\.pdf» lớn hơn 20(,0)?\sMB, là mức tối đa cho mỗi tệp\.", str(refused.value)
    )


def test_refuses_going_over_the_per_dossier_total(make_dossier, unit_a, staff, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 2048
    settings.DOSSIER_ATTACHMENTS_MAX_BYTES = 5000
    dossier = make_dossier(unit_a, staff)
    other = make_dossier(unit_a, staff)
    services.attachment_add(dossier=dossier, upload=upload("mot.pdf", PDF.ljust(2000, b" ")), actor=staff)
    services.attachment_add(dossier=dossier, upload=upload("hai.pdf", PDF.ljust(2000, b" ")), actor=staff)
    with pytest.raises(ActionRefused) as refused:
        services.attachment_add(dossier=dossier, upload=upload("ba.pdf", PDF.ljust(1001, b" ")), actor=staff)
    assert "Tổng dung lượng tệp của hồ sơ sẽ vượt" in str(refused.value)
    assert Attachment.objects.filter(dossier=dossier).count() == 2
    assert len(stored_files(media_root)) == 2
    # exactly up to the total is fine, and the total is per dossier
    services.attachment_add(dossier=dossier, upload=upload("ba.pdf", PDF.ljust(1000, b" ")), actor=staff)
    services.attachment_add(dossier=other, upload=upload("khac.pdf", PDF.ljust(2000, b" ")), actor=staff)
    assert Attachment.objects.count() == 4


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.RECOGNISED_AT_UNIT, Status.NOMINATED, Status.WITHDRAWN]
)
def test_adding_after_submission_is_refused(make_dossier, unit_a, staff, reviewer, media_root, status):
    dossier = make_dossier(unit_a, staff, status=status)
    with pytest.raises(ActionRefused) as refused:
        services.attachment_add(dossier=dossier, upload=upload("muon.pdf", PDF), actor=staff)
    assert str(refused.value) == "Hồ sơ đã nộp: không thể thêm tệp đính kèm."
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_adding_to_a_returned_dossier_is_allowed(make_dossier, unit_a, staff, reviewer):
    dossier = make_dossier(unit_a, staff, status=Status.RETURNED)
    services.attachment_add(dossier=dossier, upload=upload("bo-sung.pdf", PDF), actor=staff)
    assert dossier.attachments.count() == 1


def test_remove_from_a_draft_deletes_row_and_file(
    make_dossier, unit_a, staff, media_root, django_capture_on_commit_callbacks
):
    dossier = make_dossier(unit_a, staff)
    keep = services.attachment_add(dossier=dossier, upload=upload("giu.png", PNG), actor=staff)
    drop = services.attachment_add(dossier=dossier, upload=upload("bo.pdf", PDF), actor=staff)
    assert len(stored_files(media_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=drop, actor=staff)
    assert list(dossier.attachments.all()) == [keep]
    files = stored_files(media_root)
    assert len(files) == 1
    assert files[0].read_bytes() == PNG


def test_remove_after_submission_is_refused(
    make_dossier, unit_a, staff, media_root, django_capture_on_commit_callbacks
):
    dossier = make_dossier(unit_a, staff)
    attachment = services.attachment_add(dossier=dossier, upload=upload("bien-ban.pdf", PDF), actor=staff)
    services.dossier_submit(dossier=dossier, actor=staff, today=SUBMIT_DAY)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionRefused) as refused:
        services.attachment_remove(attachment=attachment, actor=staff)
    assert str(refused.value) == "Hồ sơ đã nộp: không thể xóa tệp đính kèm."
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert len(stored_files(media_root)) == 1
