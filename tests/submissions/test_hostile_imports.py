# ruff: noqa: F811  (pytest fixtures imported from test_import_export are used as arguments)
"""Hostile spreadsheets at the Excel import: a zip bomb and oversized sheets are refused before they
are parsed, with a message naming the cap, and nothing is imported. Every file is generated here."""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from submissions.imports import ImportRefused, read_upload
from submissions.models import Dossier
from tests.submissions.test_import_export import (  # noqa: F401 (fixtures)
    IMPORT_URL,
    campaign,
    media_root,
    row,
    staff_client,
    upload,
    xlsx,
)

pytestmark = pytest.mark.django_db

BOMB_PART_BYTES = 64 * 1024 * 1024  # over the default cap of 50 MB for one part


SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def zip_bomb_xlsx() -> bytes:
    """A real workbook with the template's headers plus a shared-strings part of 64 MB of text:
    about 65 kB on disk. openpyxl reads the whole shared-strings part when it opens a workbook, even
    in read-only mode, so today's import held it all in memory."""
    plain = xlsx([row(1)])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            bomb.writestr(info, data)
        string = ("<si><t>" + "A" * 1000 + "</t></si>") * 1000
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            written = 0
            while written < BOMB_PART_BYTES:
                part.write(string.encode())
                written += len(string)
            part.write(b"</sst>")
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_parsing_with_little_memory():
    content = zip_bomb_xlsx()
    assert len(content) < 200 * 1024  # small on disk …
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sum(info.file_size for info in archive.infolist()) > BOMB_PART_BYTES  # … huge open
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused) as refused:
            read_upload(upload(content))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(refused.value)
    assert "xl/sharedStrings.xml" in message
    assert "vượt mức tối đa 50 MB cho mỗi phần" in message  # the cap, named
    # Refused from the zip's directory: today's code parsed the 64 MB part (hundreds of MB in Python).
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_zip_bomb_at_the_import_page_is_a_form_error_and_imports_nothing(staff_client, media_root):
    response = staff_client.post(IMPORT_URL, {"file": upload(zip_bomb_xlsx())})
    assert response.status_code == 400
    html = response.content.decode()
    assert "khi giải nén lớn" in html and "tệp không được nhận" in html
    assert Dossier.objects.count() == 0
    assert not (media_root / "imports").exists() or not any((media_root / "imports").iterdir())


def test_high_compression_ratio_is_refused(settings):
    settings.UPLOAD_ZIP_MAX_RATIO = 50
    plain = xlsx([row(1)])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            out.writestr(info, source.read(info))
        out.writestr("docProps/padding.xml", b"<a>" + b" " * (4 * 1024 * 1024) + b"</a>")
    with pytest.raises(ImportRefused) as refused:
        read_upload(upload(buffer.getvalue()))
    assert "mức tối đa là 50 lần" in str(refused.value)


def test_too_many_parts_is_refused_from_the_end_record(settings):
    settings.UPLOAD_ZIP_MAX_PARTS = 100
    plain = xlsx([row(1)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        for number in range(200):
            out.writestr(f"customXml/item{number}.xml", b"")
    with pytest.raises(ImportRefused) as refused:
        read_upload(upload(buffer.getvalue()))
    assert "chứa 2" in str(refused.value) and "vượt mức tối đa 100 phần" in str(refused.value)


def test_sheet_declaring_too_many_rows_is_refused(settings):
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx([row(1)])))
    workbook.active.cell(row=settings.IMPORT_XLSX_MAX_ROWS + 5, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRefused) as refused:
        read_upload(upload(buffer.getvalue()))
    assert f"có hơn {settings.IMPORT_XLSX_MAX_ROWS} dòng" in str(refused.value)


def _without_dimension(content: bytes) -> bytes:
    """The same workbook with the sheet's declared size removed (a file need not declare it)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                text = data.decode()
                start = text.index("<dimension")
                data = (text[:start] + text[text.index("/>", start) + 2 :]).encode()
            out.writestr(info, data)
    return buffer.getvalue()


def test_rows_beyond_the_cap_are_refused_while_streaming(settings):
    settings.IMPORT_XLSX_MAX_ROWS = 100
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx([row(1)])))
    workbook.active.cell(row=5000, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRefused) as refused:
        read_upload(upload(_without_dimension(buffer.getvalue())))
    assert "có hơn 100 dòng" in str(refused.value)


def test_sheet_with_too_many_columns_is_refused(settings):
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx([row(1)])))
    workbook.active.cell(row=2, column=settings.IMPORT_XLSX_MAX_COLUMNS + 10, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    for content in (buffer.getvalue(), _without_dimension(buffer.getvalue())):
        with pytest.raises(ImportRefused) as refused:
            read_upload(upload(content))
        assert f"có hơn {settings.IMPORT_XLSX_MAX_COLUMNS} cột" in str(refused.value)


def test_macro_workbook_renamed_xlsx_is_refused():
    plain = xlsx([row(1)])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            out.writestr(info, source.read(info))
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(ImportRefused) as refused:
        read_upload(upload(buffer.getvalue()))
    assert "có chứa macro" in str(refused.value) and "xl/vbaProject.bin" in str(refused.value)


def test_a_normal_workbook_still_imports():
    dataset = read_upload(upload(xlsx([row(1), row(2)])))
    assert len(dataset) == 2
