"""The open data (dữ liệu mở): every public record as CSV, XLSX and JSON, with its data dictionary.

The files are built in the background (public.tasks.open_data_build → build_all), after any change to
the public database and every night, into open-data/ of the media storage (local disk or an S3
bucket: dksangtao.files) — private media that no URL serves;
/du-lieu-mo/ hands them out (public.views_opendata) with the ETag and Last-Modified read from the
small metadata.json written beside them, so a harvester re-fetches a file only when it changed.

Column names. CSV and JSON use the machine names (`reference`, `economic_benefit_vnd`…) as their
header and keys: ASCII, stable across languages and releases, safe as identifiers in every tool a
harvester uses — a translated or re-worded heading would silently break their scripts. The
Vietnamese names are for people: they are the XLSX heading row (the file people open in Excel), and
the data dictionary (COLUMNS; the /du-lieu-mo/ page and the XLSX's second sheet) maps each machine
name to its Vietnamese name, type and meaning. The CSV keeps a BOM so that Excel reads its UTF-8.

Values: dates ISO 8601 in CSV and JSON (moments in Vietnam's time, with their offset), real date
cells (dd/mm/yyyy) in XLSX; money in integer đồng; the score a decimal number. A text cell that a
spreadsheet would read as a formula is written as text in CSV and XLSX (dksangtao.lists.csv_text
and typed_value; numbers stay numbers); JSON keeps the text as it is.

Only PublicRecord's public fields are written, from public.selectors.visible_records(): never the
dossier, its confidential section, a withdrawn record, the reason of a withdrawal or who published.

A build streams the rows (one database pass, 2,000 rows at a time) into temporary files on the
worker's own disk and puts each into the storage in one step (dksangtao.files.replace_stored), the
metadata last; builds are serialised by a lock (PostgreSQL's advisory lock, so across machines; a
lock file on SQLite). It is idempotent: when the data have not changed, the files and their ETags stay
as they were."""

import csv
import datetime as dt
import fcntl
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import BigIntegerField, Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

# The export's cell typing (numbers and dates typed, formula-looking text made text), shared with
# every list's Excel export.
from dksangtao.files import replace_stored
from dksangtao.lists import EXPORT_FORMATS, NUMBER_FORMATS, csv_text, typed_value, xlsx_cell
from public.models import PublicRecord, RecordApplication
from public.selectors import visible_records

FOLDER = "open-data"
BASENAME = "co-so-du-lieu-sang-tao"
FORMATS = {
    "csv": EXPORT_FORMATS["csv"],
    "xlsx": EXPORT_FORMATS["xlsx"],
    "json": "application/json",
}
METADATA = "metadata.json"
SCHEMA_VERSION = 1  # raise when the columns change: the digest then differs and every file is rebuilt
CHUNK = 2000
XLSX_MAX_TEXT = 32767  # Excel's limit for one cell; CSV and JSON keep the whole text


@dataclass(frozen=True)
class OpenColumn:
    """One column of the open data, and its line in the data dictionary.

    `kind`: text, url, year, count (whole number), money (integer đồng), points (decimal), date,
    datetime."""

    name: str
    label: str
    kind: str
    description: str
    value: Callable[[PublicRecord], object]
    width: int = 18


TYPE_LABELS = {
    "text": _("Văn bản"),
    "url": _("Địa chỉ web (URL)"),
    "year": _("Số nguyên (năm)"),
    "count": _("Số nguyên"),
    "money": _("Số nguyên (đồng)"),
    "points": _("Số thập phân"),
    "date": _("Ngày (YYYY-MM-DD; trong Excel: dd/mm/yyyy)"),
    "datetime": _("Thời điểm (ISO 8601, giờ Việt Nam; trong Excel: dd/mm/yyyy hh:mm)"),
}
# How an XLSX cell of each kind is typed (dksangtao.lists kinds); a year is a number shown without
# a thousands separator, a count with one.
_XLSX_TYPING = {"year": "number", "count": "number", "url": "text"}
_XLSX_FORMAT = {"year": "general", "count": "number"}


def _attr(name: str) -> Callable[[PublicRecord], object]:
    return lambda record: getattr(record, name)


def _url(record: PublicRecord) -> str:
    return settings.SITE_URL + record.get_absolute_url()


COLUMNS: list[OpenColumn] = [
    OpenColumn(
        "reference",
        _("Số hồ sơ"),
        "text",
        _("Số hồ sơ của sáng kiến: duy nhất và không đổi, là khóa của bản ghi."),
        _attr("reference"),
        14,
    ),
    OpenColumn("url", _("Địa chỉ trang"), "url", _("Trang của bản ghi trên Cổng."), _url, 30),
    OpenColumn("year", _("Năm"), "year", _("Năm của đợt xét chọn."), _attr("year"), 8),
    OpenColumn("title", _("Tên sáng kiến"), "text", _("Tên công trình, sáng kiến."), _attr("title"), 50),
    OpenColumn(
        "kind",
        _("Loại"),
        "text",
        _("Loại công trình: sáng kiến, giải pháp, mô hình…"),
        lambda record: record.kind.name,
    ),
    OpenColumn(
        "field", _("Lĩnh vực"), "text", _("Lĩnh vực của sáng kiến."), lambda record: record.field.name, 30
    ),
    OpenColumn("unit_name", _("Đơn vị"), "text", _("Đơn vị đề xuất hồ sơ."), _attr("unit_name"), 30),
    OpenColumn(
        "authors",
        _("Tác giả"),
        "text",
        _("Họ tên tác giả nếu tác giả đồng ý công khai; nếu không, tên tập thể hoặc đơn vị."),
        _attr("authors"),
        30,
    ),
    OpenColumn("summary", _("Tóm tắt"), "text", _("Tóm tắt nội dung sáng kiến."), _attr("summary"), 60),
    OpenColumn(
        "first_applied_on",
        _("Ngày áp dụng lần đầu"),
        "date",
        _("Ngày sáng kiến được áp dụng lần đầu; để trống nếu hồ sơ không ghi."),
        _attr("first_applied_on"),
        12,
    ),
    OpenColumn(
        "current_situation",
        _("Tình trạng, vấn đề cần giải quyết"),
        "text",
        _("Tình trạng trước khi có sáng kiến và vấn đề cần giải quyết."),
        _attr("current_situation"),
        40,
    ),
    OpenColumn(
        "solution_content",
        _("Nội dung giải pháp"),
        "text",
        _("Nội dung, bản chất của giải pháp."),
        _attr("solution_content"),
        60,
    ),
    OpenColumn(
        "novelty", _("Tính mới, tính sáng tạo"), "text", _("Điểm mới, sáng tạo."), _attr("novelty"), 40
    ),
    OpenColumn(
        "application_conditions",
        _("Điều kiện áp dụng"),
        "text",
        _("Điều kiện cần có để áp dụng."),
        _attr("application_conditions"),
        30,
    ),
    OpenColumn(
        "application_scope",
        _("Phạm vi áp dụng"),
        "text",
        _("Nơi, đối tượng có thể áp dụng."),
        _attr("application_scope"),
        30,
    ),
    OpenColumn(
        "economic_benefit_vnd",
        _("Lợi ích kinh tế (đồng/năm)"),
        "money",
        _("Số tiền làm lợi hoặc tiết kiệm mỗi năm theo hồ sơ, đơn vị đồng; để trống nếu không tính được."),
        _attr("economic_benefit_vnd"),
        18,
    ),
    OpenColumn(
        "benefits_by_author",
        _("Hiệu quả theo đánh giá của tác giả"),
        "text",
        _("Hiệu quả kinh tế, xã hội theo đánh giá của tác giả."),
        _attr("benefits_by_author"),
        40,
    ),
    OpenColumn(
        "benefits_by_others",
        _("Hiệu quả theo đánh giá của tổ chức, cá nhân khác"),
        "text",
        _("Hiệu quả theo đánh giá của tổ chức, cá nhân đã áp dụng."),
        _attr("benefits_by_others"),
        40,
    ),
    OpenColumn(
        "recognition",
        _("Hình thức ghi nhận"),
        "text",
        _(
            "Danh hiệu tôn vinh nếu có; nếu không, hình thức công nhận "
            "(được Hội đồng cấp tỉnh xét chọn, hoặc công nhận cấp đơn vị)."
        ),
        _attr("recognition_label"),
        30,
    ),
    OpenColumn(
        "classification",
        _("Xếp loại"),
        "text",
        _("Xếp loại trong danh sách tôn vinh đã công bố; để trống nếu không có."),
        _attr("classification"),
        10,
    ),
    OpenColumn(
        "honour",
        _("Danh hiệu tôn vinh"),
        "text",
        _("Danh hiệu trong danh sách tôn vinh đã công bố; để trống nếu không có."),
        _attr("honour"),
        30,
    ),
    OpenColumn(
        "score",
        _("Điểm"),
        "points",
        _("Điểm của Hội đồng trong danh sách tôn vinh đã công bố; để trống nếu không có."),
        _attr("score"),
        8,
    ),
    OpenColumn(
        "decision",
        _("Quyết định tôn vinh"),
        "text",
        _("Số, ngày quyết định công bố danh sách tôn vinh; để trống nếu không có."),
        _attr("decision"),
        30,
    ),
    OpenColumn(
        "published_at",
        _("Ngày công khai"),
        "datetime",
        _("Thời điểm bản ghi được đưa vào cơ sở dữ liệu sáng tạo."),
        _attr("published_at"),
        17,
    ),
    OpenColumn(
        "applications_count",
        _("Số đơn vị áp dụng"),
        "count",
        _("Số đơn vị khác đã áp dụng sáng kiến (nhân rộng), được xác nhận."),
        _attr("applications_count"),
        10,
    ),
    OpenColumn(
        "applications_benefit_vnd",
        _("Lợi ích từ nhân rộng (đồng/năm)"),
        "money",
        _("Tổng lợi ích mỗi năm mà các đơn vị áp dụng đã ghi và được xác nhận, đơn vị đồng."),
        _attr("applications_benefit_vnd"),
        18,
    ),
]


# --- where the files are -------------------------------------------------------------------------


def filename(fmt: str) -> str:
    return f"{BASENAME}.{fmt}"


def stored_name(fmt: str) -> str:
    """The file's name in the media storage."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown open-data format {fmt!r}.")
    return f"{FOLDER}/{filename(fmt)}"


def open_file(fmt: str):
    """The built file, open for reading (FileNotFoundError before the first build)."""
    return default_storage.open(stored_name(fmt), "rb")


def metadata() -> dict | None:
    """What the last build wrote: count, built_at, digest and, per format, name, size, sha256 and
    built_at; None before the first build (or if the file is unreadable)."""
    try:
        with default_storage.open(f"{FOLDER}/{METADATA}", "rb") as handle:
            meta = json.loads(handle.read().decode("utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if not isinstance(meta, dict) or set(meta.get("files", {})) != set(FORMATS):
        return None
    return meta


def parse_moment(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- the rows ------------------------------------------------------------------------------------


def records():
    """The visible records with what the columns read, in a stable order (year, newest first, then
    reference: the partial index public_year_idx); confirmed applications counted per record."""
    confirmed = (
        RecordApplication.objects.filter(record=OuterRef("pk"), status=RecordApplication.Status.CONFIRMED)
        .order_by()
        .values("record")
    )
    return (
        visible_records()
        .select_related("kind", "field")
        .defer("search_title", "search_text", "withdrawn_reason")
        .annotate(
            applications_count=Coalesce(
                Subquery(confirmed.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
            ),
            applications_benefit_vnd=Coalesce(
                Subquery(
                    confirmed.annotate(total=Sum("benefit_vnd")).values("total"),
                    output_field=BigIntegerField(),
                ),
                0,
            ),
        )
        .order_by("-year", "reference")
    )


def plain(value, kind: str):
    """The value as CSV and JSON carry it: ISO dates, integers, the score as a number."""
    if value is None:
        return None
    if kind == "datetime" and isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if kind == "points" and isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _csv_text(value) -> str:
    return csv_text(value)


def _xlsx_value(value, kind: str):
    typed = typed_value(value, _XLSX_TYPING.get(kind, kind))
    if isinstance(typed, str):
        typed = ILLEGAL_CHARACTERS_RE.sub("", typed)[:XLSX_MAX_TEXT]
    return typed


def _xlsx_row(sheet, values: list) -> list:
    """Plain values where no number format is needed (openpyxl then reuses one cell for them: a
    styled cell per value would double the time of a 30,000-row build)."""
    row = []
    for value, column in zip(values, COLUMNS, strict=True):
        typed = _xlsx_value(value, column.kind)
        number_format = _XLSX_FORMAT.get(column.kind, column.kind)
        formatted = typed is not None and number_format in NUMBER_FORMATS
        row.append(xlsx_cell(sheet, typed, number_format) if formatted else typed)
    return row


# --- the build -----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _dictionary_sheet(book: Workbook, licence: str, licence_url: str) -> None:
    sheet = book.create_sheet(str(_("Từ điển dữ liệu")))
    for index, width in enumerate((34, 26, 30, 80), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    headings = (_("Tên cột"), _("Tên máy (CSV, JSON)"), _("Kiểu"), _("Mô tả"))
    sheet.append([xlsx_cell(sheet, str(text), bold=True) for text in headings])
    for column in COLUMNS:
        sheet.append([str(column.label), column.name, str(TYPE_LABELS[column.kind]), str(column.description)])
    sheet.append([])
    sheet.append([str(_("Giấy phép")), licence, licence_url])
    sheet.append([str(_("Nguồn")), settings.SITE_URL + "/du-lieu-mo/"])


def _write(temps: dict[str, Path], part: Path, licence: str, licence_url: str) -> int:
    """One pass over the rows into the CSV, the XLSX and the JSON's records; returns the count."""
    count = 0
    book = Workbook(write_only=True)  # streams rows to a temporary file instead of keeping cells
    sheet = book.create_sheet(str(_("Cơ sở dữ liệu sáng tạo")))
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_cell(sheet, str(column.label), bold=True) for column in COLUMNS])
    with ExitStack() as stack:
        csv_file = stack.enter_context(open(temps["csv"], "w", encoding="utf-8", newline=""))
        json_part = stack.enter_context(open(part, "w", encoding="utf-8"))
        csv_file.write("\ufeff")  # so that Excel reads UTF-8
        writer = csv.writer(csv_file)
        writer.writerow([column.name for column in COLUMNS])
        for record in records().iterator(chunk_size=CHUNK):
            values = [column.value(record) for column in COLUMNS]
            plains = [plain(value, column.kind) for value, column in zip(values, COLUMNS, strict=True)]
            writer.writerow([_csv_text(value) for value in plains])
            sheet.append(_xlsx_row(sheet, values))
            item = {column.name: value for column, value in zip(COLUMNS, plains, strict=True)}
            json_part.write(("," if count else "") + "\n" + json.dumps(item, ensure_ascii=False))
            count += 1
    _dictionary_sheet(book, licence, licence_url)
    book.save(temps["xlsx"])
    head = {
        "licence": licence,
        "licence_url": licence_url,
        "source": settings.SITE_URL + "/du-lieu-mo/",
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "count": count,
    }
    with open(temps["json"], "w", encoding="utf-8") as out, open(part, encoding="utf-8") as records_part:
        # The head's object left open («…, "count": 3»), then the records copied in: the count comes
        # first although it is known only once every row is written.
        out.write(json.dumps(head, ensure_ascii=False).removesuffix("}") + ', "records": [')
        shutil.copyfileobj(records_part, out)
        out.write("\n]}\n")
    return count


def _digest(csv_path: Path, licence: str, licence_url: str) -> str:
    """What the files say: the CSV holds every value; the licence is in the JSON and the XLSX."""
    return hashlib.sha256(
        f"{SCHEMA_VERSION}\n{licence}\n{licence_url}\n{_sha256(csv_path)}".encode()
    ).hexdigest()


def _unchanged(previous: dict | None, digest: str) -> bool:
    return (
        previous is not None
        and previous.get("digest") == digest
        and all(
            default_storage.exists(stored_name(fmt))
            and default_storage.size(stored_name(fmt)) == previous["files"][fmt]["size"]
            for fmt in FORMATS
        )
    )


LOCK_KEY = 16_0501  # PostgreSQL advisory lock of the open-data build (any number no other lock uses)


@contextmanager
def _build_lock():
    """One build at a time, on every machine (the next one reads the newer data)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
            try:
                yield
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    else:  # SQLite: one machine
        with open(Path(tempfile.gettempdir()) / "dkst-open-data.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield


def build_all() -> dict:
    """Write the three files and their metadata (see the module's docstring); returns the metadata."""
    licence, licence_url = settings.OPEN_DATA_LICENCE, settings.OPEN_DATA_LICENCE_URL
    with (
        _build_lock(),
        tempfile.TemporaryDirectory(prefix="dkst-open-data-") as scratch,
        translation.override(settings.LANGUAGE_CODE),
    ):
        directory = Path(scratch)
        temps = {fmt: directory / filename(fmt) for fmt in FORMATS}
        count = _write(temps, directory / "records.part", licence, licence_url)
        digest = _digest(temps["csv"], licence, licence_url)
        previous = metadata()
        if _unchanged(previous, digest):
            return previous
        built_at = timezone.localtime().isoformat(timespec="seconds")
        files = {
            fmt: {
                "name": filename(fmt),
                "size": temp.stat().st_size,
                "sha256": _sha256(temp),
                "built_at": built_at,
            }
            for fmt, temp in temps.items()
        }
        meta = {
            "version": SCHEMA_VERSION,
            "count": count,
            "built_at": built_at,
            "digest": digest,
            "licence": licence,
            "licence_url": licence_url,
            "files": files,
        }
        meta_temp = directory / METADATA
        meta_temp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        # The files first, the metadata last: a reader never gets an ETag for a file not yet there.
        for fmt, temp in temps.items():
            replace_stored(stored_name(fmt), temp)
        replace_stored(f"{FOLDER}/{METADATA}", meta_temp)
        return meta
