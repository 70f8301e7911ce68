"""Excel (and CSV) import of a unit's backlog of dossiers, through django-import-export.

The file format is the template made by `template_workbook()`: one dossier per row, Vietnamese
column headers (fixed: they are the file format, so they are not translated), up to five authors
per row. `read_upload()` turns an upload into a `tablib.Dataset` (or refuses the file with a message
in Vietnamese); `dossier_import()` runs `DossierImportResource` over it, as a dry run or for real.

All or nothing: the resource reports every row's errors as validation errors, and every row is
checked first, in Python, without writing (a dry run); only when no row has an error are the drafts
written, all of them in one transaction by `services.dossier_create_many` — the same columns as
`services.dossier_create` (normalised text, folded search columns, authors, the audit trail's
«created»), in a few bulk INSERTs, so a 10,000-row file is written in seconds, not in 70,000 queries.
The largest file accepted is settings.IMPORT_MAX_ROWS dossiers.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from dksangtao.lists import safe_cell
from dksangtao.text import fold, nfc
from dksangtao.uploads import FileRefused, check_office, detect_type, scan_for_viruses
from submissions.models import MAX_BENEFIT_VND, Dossier, DossierKind, Field, Status
from submissions.services import dossier_create_many

MAX_AUTHORS = 5
MAX_BYTES = 10 * 1024 * 1024
SHEET_NAME = "Hồ sơ"
GUIDE_SHEET_NAME = "Hướng dẫn"
LISTS_SHEET_NAME = "Danh mục"
ROW_COLUMN = "__excel_row__"  # the row's number in the file (header = row 1), kept for the messages
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (attribute, header, max length for text, guide text). The attribute is the Dossier field.
DOSSIER_COLUMNS = [
    ("title", "Tên sáng kiến", 500, "Bắt buộc. Không trùng tên hồ sơ khác của đơn vị trong đợt."),
    ("kind", "Loại hồ sơ", None, "Bắt buộc. Một trong các loại ở trang «Danh mục»."),
    ("field", "Lĩnh vực", None, "Bắt buộc. Một trong các lĩnh vực ở trang «Danh mục»."),
    ("summary", "Tóm tắt", None, "Bắt buộc. Năm đến mười dòng: vấn đề, giải pháp, kết quả."),
    ("owner", "Chủ đầu tư", 255, "Cơ quan, tổ chức, cá nhân đầu tư tạo ra sáng kiến (nếu có)."),
    ("first_applied_on", "Ngày áp dụng lần đầu", None, "Ngày dạng dd/mm/yyyy, ví dụ 01/10/2025."),
    ("current_situation", "Tình trạng hiện tại", None, "Tình trạng hiện tại, vấn đề cần giải quyết."),
    ("solution_content", "Nội dung giải pháp", None, "Nội dung, bản chất của giải pháp."),
    ("novelty", "Tính mới", None, "Tính mới, tính sáng tạo."),
    ("application_conditions", "Điều kiện áp dụng", None, "Những điều kiện cần thiết để áp dụng."),
    ("application_scope", "Phạm vi áp dụng", None, "Khả năng, phạm vi áp dụng."),
    (
        "economic_benefit_vnd",
        "Lợi ích kinh tế (đồng/năm)",
        None,
        "Số nguyên, đơn vị đồng, ví dụ 150000000 hoặc 150.000.000. Để trống nếu không tính được.",
    ),
    ("benefits_by_author", "Lợi ích theo tác giả", None, "Hiệu quả, lợi ích theo đánh giá của tác giả."),
    (
        "authors_consent",
        "Tác giả đồng ý công khai họ tên",
        None,
        "«Có» nếu các tác giả đồng ý hiện họ tên trên cơ sở dữ liệu sáng tạo công khai; "
        "để trống hoặc «Không» thì chỉ hiện tên tập thể hoặc đơn vị.",
    ),
]
# (attribute, header suffix, max length, guide text). The attribute is the Author field.
AUTHOR_COLUMNS = [
    ("full_name", "Họ và tên", 150, "Bắt buộc với mỗi tác giả được khai; tác giả 1 bắt buộc."),
    ("date_of_birth", "Ngày sinh", None, "Ngày dạng dd/mm/yyyy."),
    ("workplace", "Nơi công tác", 255, ""),
    ("position", "Chức danh", 150, ""),
    ("qualification", "Trình độ", 150, "Trình độ chuyên môn."),
    (
        "contribution_percent",
        "Tỷ lệ (%)",
        None,
        "Số nguyên từ 1 đến 100; tổng tỷ lệ các tác giả của một hồ sơ phải bằng đúng 100.",
    ),
]
REQUIRED_DOSSIER = ("title", "kind", "field", "summary")


def author_header(number: int, suffix: str) -> str:
    return f"Tác giả {number} – {suffix}"


def author_attribute(number: int, name: str) -> str:
    return f"author{number}_{name}"


HEADERS = [header for _a, header, _m, _g in DOSSIER_COLUMNS] + [
    author_header(n, suffix) for n in range(1, MAX_AUTHORS + 1) for _a, suffix, _m, _g in AUTHOR_COLUMNS
]
REQUIRED_HEADERS = ["Tên sáng kiến", "Loại hồ sơ", "Lĩnh vực", "Tóm tắt"] + [
    author_header(1, "Họ và tên"),
    author_header(1, "Tỷ lệ (%)"),
]


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message is for the person, in Vietnamese."""


# Reading cells ---------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value) -> str:
    """A cell as the person typed it, for the messages."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


class TextWidget(widgets.Widget):
    def __init__(self, max_length=None):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return ""
        text = _shown(value)
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("dài %(length)s ký tự, tối đa %(limit)s ký tự.")
                % {"length": len(text), "limit": self.max_length}
            )
        return text


DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


class DateWidget(widgets.Widget):
    """dd/mm/yyyy text, or a real Excel date cell."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 10_000 <= value < 2_958_466:
            # a date cell whose format was lost: Excel's serial day number (10000 is 18/05/1927; a
            # smaller number, such as a year typed alone, is refused rather than misread)
            return from_excel(value).date()
        text = _shown(value)
        if re.fullmatch(r"\S+ 0?0:00(:00)?", text):  # «05/03/2025 00:00:00» from a CSV saved by Excel
            text = text.split(" ", 1)[0]
        for pattern in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(_("«%(value)s» không phải ngày hợp lệ (dd/mm/yyyy).") % {"value": text})


_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


class MoneyWidget(widgets.Widget):
    """Whole đồng: 150000000, 150.000.000, «150 000 000 đ»."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        error = ValueError(
            _("«%(value)s» không phải số tiền hợp lệ (số nguyên, đơn vị đồng, ví dụ 150.000.000).")
            % {"value": _shown(value)}
        )
        if isinstance(value, bool):
            raise error
        if isinstance(value, int | float | Decimal):
            if value != int(value):
                raise error
            amount = int(value)
        else:
            text = re.sub(r"\s*(đồng|đ|vnđ|vnd)$", "", _shown(value), flags=re.IGNORECASE).strip()
            text = text.replace("\u00a0", " ")
            if text.isdigit():
                amount = int(text)
            elif _GROUPED.match(text):
                amount = int(re.sub(r"[.,\s]", "", text))
            else:
                raise error
        if amount < 0:
            raise ValueError(_("số tiền không được âm."))
        if amount > MAX_BENEFIT_VND:
            raise ValueError(_("số tiền quá lớn (tối đa 1.000.000.000.000.000 đồng mỗi năm)."))
        return amount


class PercentWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = _shown(value)
        number = None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = int(value) if value == int(value) else None
        elif re.fullmatch(r"\d{1,3}\s*%?", text):
            number = int(text.rstrip("% "))
        if number is None or not 1 <= number <= 100:
            raise ValueError(_("«%(value)s» không phải số nguyên từ 1 đến 100.") % {"value": text})
        return number


class YesNoWidget(widgets.Widget):
    """«Có» / «Không» (also x, 1, 0, có dấu hay không); blank is no."""

    YES, NO = {"co", "x", "1", "dong y", "yes"}, {"khong", "0", "no"}

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return False
        if isinstance(value, bool):
            return value
        key = fold(_shown(value))
        if key in self.YES:
            return True
        if key in self.NO:
            return False
        raise ValueError(_("«%(value)s» không hợp lệ: ghi «Có» hoặc «Không».") % {"value": _shown(value)})


def _name_key(text) -> str:
    """Case, diacritics, spacing and the kind of dash do not matter: «Nông - lâm - ngư nghiệp»,
    «NONG – LAM – NGU NGHIEP» and «Nông – lâm – ngư nghiệp» are one name."""
    folded = re.sub(r"\s*[-–—]\s*", " - ", fold(str(text)))
    return re.sub(r"\s+", " ", folded).strip()


class ByNameWidget(widgets.Widget):
    """A kind or a field by its name, ignoring case, diacritics and spacing (or by its code).
    `choices` is filled by the resource before the import, with one query."""

    def __init__(self, unknown_message):
        super().__init__()
        self.unknown_message = unknown_message
        self.choices: dict[str, object] = {}
        self.names: list[str] = []

    def load(self, queryset):
        self.choices, self.names = {}, []
        for item in queryset:
            self.choices[_name_key(item.name)] = item
            self.choices[item.code] = item
            self.names.append(item.name)

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = _shown(value)
        item = self.choices.get(_name_key(text)) or self.choices.get(text.strip().lower())
        if item is None:
            raise ValueError(
                self.unknown_message % {"value": text, "names": "; ".join(f"«{n}»" for n in self.names)}
            )
        return item


# The resource ----------------------------------------------------------------------------------


@dataclass
class ImportedDossier:
    """One row: what it would create (the preview) and, after the commit, the dossier's id."""

    row: int = 0
    data: dict = dataclass_field(default_factory=dict)
    authors: list[dict] = dataclass_field(default_factory=list)
    pk: int | None = None

    def __str__(self):
        return self.data.get("title", "")


class _NoLoader(BaseInstanceLoader):
    """Every row is a new dossier: nothing is looked up."""

    def get_instance(self, row):
        return None


def _title_key(title: str) -> str:
    return " ".join(nfc(title).casefold().split())


class DossierImportResource(resources.Resource):
    """Rows → drafts of `unit` in `campaign`, created by `actor`. Every error of a row is reported
    as one validation error message naming the row (header = row 1) and the column."""

    class Meta:
        force_init_instance = True
        instance_loader_class = _NoLoader
        skip_diff = True
        store_instance = True
        # no savepoint around each row: the rows are only checked here, never written one by one
        # (dossier_create_many writes them all at once)
        use_bulk = True

    def __init__(self, *, unit, campaign, actor):
        super().__init__()
        self.unit, self.campaign, self.actor = unit, campaign, actor
        for attribute, header, max_length, _guide in DOSSIER_COLUMNS:
            self.fields[attribute] = fields.Field(
                attribute=attribute, column_name=header, widget=self._widget(attribute, max_length)
            )
        for number in range(1, MAX_AUTHORS + 1):
            for name, suffix, max_length, _guide in AUTHOR_COLUMNS:
                attribute = author_attribute(number, name)
                self.fields[attribute] = fields.Field(
                    attribute=attribute,
                    column_name=author_header(number, suffix),
                    widget=self._widget(name, max_length),
                )
        self.existing_titles: set[str] = set()
        self.seen_titles: dict[str, int] = {}
        self.on_row = None  # called with the number of rows done so far (the job's progress)
        self.rows_done = 0

    def after_import_row(self, row, row_result, **kwargs):
        self.rows_done += 1
        if self.on_row is not None:
            self.on_row(self.rows_done)

    @staticmethod
    def _widget(name, max_length):
        if name == "kind":
            return ByNameWidget(_("không có loại hồ sơ «%(value)s». Các loại được nhận: %(names)s."))
        if name == "field":
            return ByNameWidget(_("không có lĩnh vực «%(value)s». Các lĩnh vực được nhận: %(names)s."))
        if name in ("first_applied_on", "date_of_birth"):
            return DateWidget()
        if name == "economic_benefit_vnd":
            return MoneyWidget()
        if name == "contribution_percent":
            return PercentWidget()
        if name == "authors_consent":
            return YesNoWidget()
        return TextWidget(max_length)

    def get_import_order(self):
        return tuple(self.fields)

    def get_export_order(self):
        return tuple(self.fields)

    def before_import(self, dataset, **kwargs):
        self.fields["kind"].widget.load(DossierKind.objects.filter(is_active=True))
        self.fields["field"].widget.load(Field.objects.filter(is_active=True))
        # A withdrawn dossier does not block its title: the unit may bring the initiative back.
        titles = (
            Dossier.objects.filter(unit=self.unit, campaign=self.campaign)
            .exclude(status=Status.WITHDRAWN)
            .values_list("title", flat=True)
        )
        self.existing_titles = {_title_key(title) for title in titles}
        self.seen_titles = {}

    def init_instance(self, row=None):
        return ImportedDossier(row=row[ROW_COLUMN])

    def import_instance(self, instance, row, **kwargs):
        cell_errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            cell_errors = {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
        problems: list[tuple[list[str], str]] = []  # (attributes naming the columns, message)
        for attribute, messages in cell_errors.items():
            problems.extend(([attribute], message) for message in messages)
        self._check_dossier(instance, cell_errors, problems)
        self._check_authors(instance, cell_errors, problems)
        if problems:
            raise ValidationError([self._message(instance.row, attrs, text) for attrs, text in problems])

    def _message(self, row_number, attributes, text) -> str:
        columns = ", ".join(f"«{self.fields[a].column_name}»" for a in attributes)
        return _("Dòng %(row)s, cột %(columns)s: %(problem)s") % {
            "row": row_number,
            "columns": columns,
            "problem": text,
        }

    def _check_dossier(self, instance, cell_errors, problems):
        instance.data = {
            attribute: getattr(instance, attribute, None)
            for attribute, _h, _m, _g in DOSSIER_COLUMNS
            if attribute not in cell_errors
        }
        for attribute in REQUIRED_DOSSIER:
            if attribute not in cell_errors and not instance.data.get(attribute):
                problems.append(([attribute], _("chưa điền; đây là cột bắt buộc.")))
        title = instance.data.get("title")
        if title:
            key = _title_key(title)
            if key in self.seen_titles:
                problems.append(
                    (
                        ["title"],
                        _("trùng tên sáng kiến với dòng %(row)s trong tệp.") % {"row": self.seen_titles[key]},
                    )
                )
            else:
                self.seen_titles[key] = instance.row
            if key in self.existing_titles:
                problems.append(
                    (
                        ["title"],
                        _("đơn vị «%(unit)s» đã có hồ sơ «%(title)s» trong «%(campaign)s».")
                        % {"unit": self.unit.name, "title": title, "campaign": self.campaign.name},
                    )
                )

    def _check_authors(self, instance, cell_errors, problems):
        """The rules of the author formset: at least one, no name twice, percentages total 100."""
        authors, percent_attributes, complete = [], [], True
        for number in range(1, MAX_AUTHORS + 1):
            attrs = {name: author_attribute(number, name) for name, _s, _m, _g in AUTHOR_COLUMNS}
            values = {name: getattr(instance, attr, None) for name, attr in attrs.items()}
            failed = {name for name, attr in attrs.items() if attr in cell_errors}
            if failed:
                complete = False
            filled = failed or {name for name, value in values.items() if value not in (None, "")}
            if not filled:
                continue
            if not values["full_name"] and "full_name" not in failed:
                complete = False
                problems.append(
                    (
                        [attrs["full_name"]],
                        _("có thông tin của tác giả %(n)s nhưng chưa ghi họ và tên.") % {"n": number},
                    )
                )
                continue
            if values["contribution_percent"] is None and "contribution_percent" not in failed:
                complete = False
                problems.append(
                    (
                        [attrs["contribution_percent"]],
                        _("tác giả «%(name)s» chưa có tỷ lệ đóng góp.") % {"name": values["full_name"]},
                    )
                )
            percent_attributes.append(attrs["contribution_percent"])
            if not failed:
                authors.append({name: values[name] for name in attrs})
        instance.authors = authors
        if not authors and complete:
            problems.append(
                (
                    [author_attribute(1, "full_name")],
                    _("chưa có tác giả nào; mỗi hồ sơ cần ít nhất một tác giả."),
                )
            )
            return
        names = [author["full_name"].casefold() for author in authors]
        for name in sorted({n for n in names if names.count(n) > 1}):
            shown = next(a["full_name"] for a in authors if a["full_name"].casefold() == name)
            attrs = [
                author_attribute(i + 1, "full_name")
                for i in range(MAX_AUTHORS)
                if (getattr(instance, author_attribute(i + 1, "full_name"), "") or "").casefold() == name
            ]
            problems.append((attrs, _("tác giả «%(name)s» được khai hai lần.") % {"name": shown}))
        if complete:
            total = sum(author["contribution_percent"] for author in authors)
            if total != 100:
                problems.append(
                    (
                        percent_attributes,
                        _("tổng tỷ lệ đóng góp của các tác giả là %(total)s%%, phải bằng đúng 100%%.")
                        % {"total": total},
                    )
                )

    def save_instance(self, instance, is_create, row, **kwargs):
        pass  # the rows are checked here and written together by dossier_import

    def save_m2m(self, instance, row, **kwargs):
        pass


# Running an import -----------------------------------------------------------------------------


@dataclass
class ImportReport:
    total: int = 0  # data rows in the file
    rows: list[ImportedDossier] = dataclass_field(default_factory=list)  # the rows without errors
    errors: list[str] = dataclass_field(default_factory=list)
    invalid_count: int = 0  # rows with at least one error
    created: int = 0

    @property
    def ok(self) -> bool:
        return self.total > 0 and not self.errors


def dossier_import(
    *, dataset: tablib.Dataset, unit, campaign, actor, commit: bool = False, on_row=None
) -> ImportReport:
    """Check every row, writing nothing; with commit=True and no row in error, then create every
    row as a draft (dossier_import_write). `on_row(n)` is called after each row checked (n rows
    done), for the job's progress."""
    resource = DossierImportResource(unit=unit, campaign=campaign, actor=actor)
    resource.on_row = on_row
    result = resource.import_data(dataset, dry_run=True, rollback_on_validation_errors=True)
    report = _report(result, dataset, created=0)
    if commit and report.ok:
        dossier_import_write(report=report, unit=unit, campaign=campaign, actor=actor)
    return report


def dossier_import_write(*, report: ImportReport, unit, campaign, actor) -> ImportReport:
    """Create the drafts of a check without errors, all in one transaction (a failure anywhere
    writes nothing): `report.created` and each row's `pk` are set."""
    if not report.ok:
        raise ValueError("Only a check without errors is written.")
    dossiers = dossier_create_many(
        campaign=campaign, unit=unit, actor=actor, rows=[(row.data, row.authors) for row in report.rows]
    )
    for row, dossier in zip(report.rows, dossiers, strict=True):
        row.pk = dossier.pk
    report.created = len(dossiers)
    return report


def _report(result, dataset, *, created: int) -> ImportReport:
    excel_rows = dataset[ROW_COLUMN] if len(dataset) else []
    errors: list[tuple[int, str]] = []
    invalid = set()
    for invalid_row in result.invalid_rows:
        number = excel_rows[invalid_row.number - 1]
        invalid.add(number)
        errors.extend((number, str(message)) for message in invalid_row.error.messages)
    for number, row_errors in result.row_errors():
        excel_row = excel_rows[number - 1]
        invalid.add(excel_row)
        errors.extend(
            (
                excel_row,
                _("Dòng %(row)s: không ghi được hồ sơ (%(error)s).") % {"row": excel_row, "error": e.error},
            )
            for e in row_errors
        )
    messages = [_("Không nhập được tệp: %(error)s") % {"error": e.error} for e in result.base_errors] + [
        message for _n, message in sorted(errors, key=lambda item: item[0])
    ]
    rows = [
        row.instance
        for row in result.rows
        if row.instance is not None and row.validation_error is None and not row.errors
    ]
    return ImportReport(
        total=len(dataset), rows=rows, errors=messages, invalid_count=len(invalid), created=created
    )


# Reading the upload ----------------------------------------------------------------------------


HEADER_KEYS = {_name_key(header): header for header in HEADERS}


def read_upload(upload) -> tablib.Dataset:
    """The upload's rows in a Dataset with the template's headers (plus ROW_COLUMN), or
    ImportRefused. Accepts .xlsx and UTF-8 .csv; the content is checked, not only the name."""
    extension = check_file(upload)
    name = getattr(upload, "name", "") or ""
    rows = _xlsx_rows(upload, name) if extension == "xlsx" else _csv_rows(upload, name)
    return _dataset(rows)


def check_file(upload) -> str:
    """What the web request checks before the file is kept for the worker, without parsing it:
    the name, the size and the content (for an .xlsx, the zip's parts and the package; for a CSV,
    UTF-8 text). Returns «xlsx» or «csv», or raises ImportRefused."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ("xlsx", "csv"):
        if extension in ("xls", "xlsm", "ods"):
            raise ImportRefused(
                _("Tệp «%(name)s» không được nhận: hãy lưu lại dưới dạng Excel Workbook (.xlsx).")
                % {"name": name}
            )
        raise ImportRefused(
            _("Tệp «%(name)s» không được nhận: chỉ nhận tệp Excel (.xlsx) hoặc CSV (UTF-8).") % {"name": name}
        )
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    if size == 0:
        raise ImportRefused(_("Tệp «%(name)s» trống.") % {"name": name})
    if size > MAX_BYTES:
        raise ImportRefused(
            _("Tệp «%(name)s» lớn hơn %(limit)s MB; hãy chia thành nhiều tệp.")
            % {"name": name, "limit": MAX_BYTES // (1024 * 1024)}
        )
    if extension == "xlsx":
        _check_xlsx(upload, name)
    else:
        _csv_text(upload, name)
    return extension


def _check_xlsx(upload, name) -> None:
    if detect_type(upload) != "xlsx":
        raise ImportRefused(
            _("Nội dung tệp «%(name)s» không phải tệp Excel (.xlsx); tệp không được nhận.") % {"name": name}
        )
    try:
        # The zip's parts are measured, and the package checked, before openpyxl opens anything.
        check_office(upload, name, "xlsx")
        scan_for_viruses(upload, name)
    except FileRefused as refused:
        raise ImportRefused(str(refused)) from None


def _xlsx_rows(upload, name):
    try:
        # read_only: the sheet is streamed row by row, never held whole
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise ImportRefused(
            _("Không đọc được tệp Excel «%(name)s»; tệp có thể bị hỏng.") % {"name": name}
        ) from None
    try:
        sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        yield from _capped_rows(sheet, name)
    finally:
        workbook.close()


def _capped_rows(sheet, name):
    """The sheet's rows, refused as soon as the sheet is larger than the caps (settings
    IMPORT_XLSX_MAX_ROWS and _COLUMNS): first by the size the sheet declares (its dimension), then
    row by row as it streams, since a file can declare a size it does not keep."""
    max_rows, max_columns = settings.IMPORT_XLSX_MAX_ROWS, settings.IMPORT_XLSX_MAX_COLUMNS
    too_many_rows = ImportRefused(
        _("Trang tính của tệp «%(name)s» có hơn %(limit)s dòng, vượt mức tối đa; hãy chia thành nhiều tệp.")
        % {"name": name, "limit": max_rows}
    )
    too_many_columns = ImportRefused(
        _("Trang tính của tệp «%(name)s» có hơn %(limit)s cột, vượt mức tối đa; hãy dùng tệp mẫu.")
        % {"name": name, "limit": max_columns}
    )
    try:
        declared_rows, declared_columns = sheet.max_row, sheet.max_column
    except Exception:  # a damaged dimension: the streaming count below still holds
        declared_rows = declared_columns = None
    if declared_rows and declared_rows > max_rows:
        raise too_many_rows
    if declared_columns and declared_columns > max_columns:
        raise too_many_columns
    sheet.reset_dimensions()  # read every row the file has, whatever it declared
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):  # each as long as it is
        if number > max_rows:
            raise too_many_rows
        row = tuple(row)
        if len(row) > max_columns and not all(_blank(cell) for cell in row[max_columns:]):
            raise too_many_columns
        yield row[:max_columns]


def _csv_rows(upload, name):
    text = _csv_text(upload, name)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _csv_text(upload, name) -> str:
    raw = upload.read()
    upload.seek(0)
    if b"\x00" in raw:
        raise ImportRefused(
            _("Nội dung tệp «%(name)s» không phải văn bản CSV; tệp không được nhận.") % {"name": name}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("Tệp CSV «%(name)s» không ở bảng mã UTF-8; khi lưu từ Excel hãy chọn «CSV UTF-8».")
            % {"name": name}
        ) from None
    return text


def _dataset(rows) -> tablib.Dataset:
    rows = iter(rows)
    header_row = next(rows, None)
    if header_row is None or all(_blank(cell) for cell in header_row):
        raise ImportRefused(_("Dòng 1 của tệp phải là dòng tiêu đề của tệp mẫu; tệp không có dòng tiêu đề."))
    positions: dict[str, int] = {}
    unknown, repeated, unnamed = [], [], []
    for index, cell in enumerate(header_row):
        if _blank(cell):
            unnamed.append(index)
            continue
        header = HEADER_KEYS.get(_name_key(cell))
        if header is None:
            unknown.append(_shown(cell))
        elif header in positions:
            repeated.append(header)
        else:
            positions[header] = index
    problems = []
    missing = [header for header in REQUIRED_HEADERS if header not in positions]
    if missing:
        problems.append(
            _("Tệp thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(f"«{h}»" for h in missing)}
        )
    if unknown:
        problems.append(
            _("Tệp có cột không nhận ra: %(columns)s.") % {"columns": ", ".join(f"«{h}»" for h in unknown)}
        )
    if repeated:
        problems.append(
            _("Cột %(columns)s xuất hiện hai lần.") % {"columns": ", ".join(f"«{h}»" for h in repeated)}
        )
    if problems:
        problems.append(_("Hãy tải tệp mẫu và giữ nguyên dòng tiêu đề (dòng 1) của tệp mẫu."))
        raise ImportRefused(" ".join(problems))
    dataset = tablib.Dataset(headers=[*HEADERS, ROW_COLUMN])
    for number, values in enumerate(rows, start=2):
        if all(_blank(cell) for cell in values):
            continue
        stray = [i + 1 for i in unnamed if i < len(values) and not _blank(values[i])]
        if stray:
            raise ImportRefused(
                _("Dòng %(row)s có dữ liệu ở cột thứ %(column)s nhưng cột đó không có tiêu đề.")
                % {"row": number, "column": stray[0]}
            )
        if len(dataset) >= settings.IMPORT_MAX_ROWS:
            raise ImportRefused(
                _("Tệp có hơn %(limit)s hồ sơ; hãy chia thành nhiều tệp.")
                % {"limit": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True)}
            )
        cells = [
            values[positions[h]] if h in positions and positions[h] < len(values) else None for h in HEADERS
        ]
        dataset.append([*cells, number])
    if not len(dataset):
        raise ImportRefused(_("Tệp không có dòng hồ sơ nào dưới dòng tiêu đề."))
    return dataset


# The template ----------------------------------------------------------------------------------

EXAMPLE_ROW = {
    "Tên sáng kiến": "Số hóa quy trình tiếp nhận hồ sơ một cửa tại Sở",
    "Tóm tắt": "Chuyển việc tiếp nhận hồ sơ từ giấy sang phần mềm, rút ngắn thời gian xử lý từ 5 ngày "
    "xuống 2 ngày.",
    "Chủ đầu tư": "Sở Khoa học và Công nghệ",
    "Ngày áp dụng lần đầu": dt.date(2025, 10, 1),
    "Tình trạng hiện tại": "Hồ sơ nộp bằng giấy, mất nhiều ngày để tổng hợp và dễ thất lạc.",
    "Nội dung giải pháp": "Xây dựng biểu mẫu trực tuyến, tự động đánh số và theo dõi trạng thái hồ sơ.",
    "Tính mới": "Lần đầu áp dụng tại tỉnh; tích hợp chữ ký số của cán bộ tiếp nhận.",
    "Điều kiện áp dụng": "Máy tính nối mạng nội bộ.",
    "Phạm vi áp dụng": "Mọi sở, ban, ngành và Ủy ban nhân dân cấp huyện.",
    "Lợi ích kinh tế (đồng/năm)": 150_000_000,
    "Lợi ích theo tác giả": "Giảm 60% thời gian xử lý, tiết kiệm giấy in.",
    "Tác giả đồng ý công khai họ tên": "Có",
    author_header(1, "Họ và tên"): "Nguyễn Văn Bình",
    author_header(1, "Ngày sinh"): dt.date(1980, 4, 12),
    author_header(1, "Nơi công tác"): "Sở Khoa học và Công nghệ",
    author_header(1, "Chức danh"): "Phó Trưởng phòng",
    author_header(1, "Trình độ"): "Thạc sĩ Công nghệ thông tin",
    author_header(1, "Tỷ lệ (%)"): 60,
    author_header(2, "Họ và tên"): "Trần Thị Ngọc Ánh",
    author_header(2, "Ngày sinh"): dt.date(1988, 11, 3),
    author_header(2, "Nơi công tác"): "Sở Khoa học và Công nghệ",
    author_header(2, "Chức danh"): "Chuyên viên",
    author_header(2, "Trình độ"): "Kỹ sư phần mềm",
    author_header(2, "Tỷ lệ (%)"): 40,
}


def template_workbook() -> bytes:
    """The .xlsx to fill in: sheet «Hồ sơ» (bold headers, one example row, drop-down lists for the
    kind and the field), sheet «Hướng dẫn» (what goes in each column) and sheet «Danh mục» (the
    accepted kinds and fields)."""
    kinds = list(DossierKind.objects.filter(is_active=True).values_list("name", flat=True))
    field_names = list(Field.objects.filter(is_active=True).values_list("name", flat=True))
    example = {
        **EXAMPLE_ROW,
        "Loại hồ sơ": kinds[0] if kinds else "",
        "Lĩnh vực": field_names[0] if field_names else "",
    }
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F0D9DC")
    wrap = Alignment(wrap_text=True, vertical="top")

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(HEADERS)
    sheet.append([example.get(header) for header in HEADERS])
    for index, header in enumerate(HEADERS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        value = sheet.cell(row=2, column=index)
        value.alignment = wrap
        if isinstance(value.value, dt.date):
            value.number_format = "DD/MM/YYYY"
        elif isinstance(value.value, int):
            value.number_format = "#,##0"
        width = 40 if header in ("Tên sáng kiến", "Tóm tắt") or "Nội dung" in header else 22
        sheet.column_dimensions[letter].width = width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"
    sheet["A2"].comment = Comment(
        "Dòng ví dụ: hãy sửa thành hồ sơ thật của đơn vị hoặc xóa dòng này trước khi nhập. "
        "Mỗi dòng là một hồ sơ; xem trang «Hướng dẫn».",
        "Cổng Đoàn kết sáng tạo",
        width=300,
        height=90,
    )

    lists = workbook.create_sheet(LISTS_SHEET_NAME)
    lists.append(["Loại hồ sơ", "Lĩnh vực"])
    for index in range(max(len(kinds), len(field_names))):
        lists.append(  # names typed by an admin: never a formula
            [
                safe_cell(kinds[index]) if index < len(kinds) else None,
                safe_cell(field_names[index]) if index < len(field_names) else None,
            ]
        )
    lists["A1"].font = lists["B1"].font = bold
    lists.column_dimensions["A"].width = 30
    lists.column_dimensions["B"].width = 45
    for header, column, count in (("Loại hồ sơ", "A", len(kinds)), ("Lĩnh vực", "B", len(field_names))):
        if not count:
            continue
        letter = get_column_letter(HEADERS.index(header) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET_NAME}'!${column}$2:${column}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error="Hãy chọn một giá trị trong danh sách.",
        )
        validation.add(f"{letter}2:{letter}{settings.IMPORT_MAX_ROWS + 1}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(GUIDE_SHEET_NAME)
    guide.append(["Cột", "Bắt buộc", "Cách điền"])
    for _attribute, header, _max, text in DOSSIER_COLUMNS:
        guide.append([header, "Có" if header in REQUIRED_HEADERS else "", text])
    for _attribute, suffix, _max, text in AUTHOR_COLUMNS:
        required = "Với tác giả 1" if suffix in ("Họ và tên", "Tỷ lệ (%)") else ""
        guide.append([author_header(1, suffix).replace("1", "1…5", 1), required, text])
    guide.append([])
    for line in (
        "Mỗi dòng của trang «Hồ sơ» là một hồ sơ; dòng 1 là tiêu đề, giữ nguyên không sửa.",
        f"Mỗi hồ sơ khai từ 1 đến {MAX_AUTHORS} tác giả, tổng tỷ lệ đóng góp bằng đúng 100%.",
        "Ngày ghi dạng dd/mm/yyyy (ví dụ 01/10/2025) hoặc dùng ô kiểu ngày của Excel.",
        "Hệ thống kiểm tra toàn bộ tệp trước: nếu còn một dòng có lỗi thì chưa hồ sơ nào được nhập.",
        "Các hồ sơ được nhập thành bản nháp của đơn vị; đơn vị kiểm tra, đính kèm tài liệu rồi nộp.",
    ):
        guide.append([line])
    for cell in guide[1]:
        cell.font = bold
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["B"].width = 14
    guide.column_dimensions["C"].width = 90
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
