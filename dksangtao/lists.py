"""One way to show a list, for every list page: the filters and the sort order are a django-filter
FilterSet (its OrderingFilter named «sort»), a page of 25 rows with stable URLs (?page=N beside the
filters), a count, and the same rows as an Excel workbook or a CSV file with typed cells — numbers
as numbers, money in đồng, dates as dates — in which no cell can start a formula (OWASP «CSV
injection»: a cell beginning with = + - @ or a tab or carriage return is written as text with a
leading apostrophe).

    listing = Listing(request, queryset, filterset_class=DossierFilter)
    if listing.export_format:
        return listing.export(COLUMNS, filename="ho-so-sang-kien")
    return render(request, "…", {"listing": listing, …}, status=listing.status)

The template shows `{% include "includes/list_filters.html" %}`, the rows of `listing.page`, and
`{% include "includes/pagination.html" with page=listing.page query=listing.query %}`."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.constants import EMPTY_VALUES
from django_filters.filters import OrderingFilter
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dksangtao.formatting import format_date, format_datetime
from dksangtao.forms import bound_dates, cap_free_text, fast_selects

PAGE_SIZE = 25
# A list that opts in (Listing(count_limit=…)) counts at most this many rows and says «hơn 1.000»
# beyond: counting 100,000 rows to print one number costs more than the page itself, and counting
# 10,000 still cost a Front admin's dossier list 5 ms of its 17 (a sequential read of 3,600 pages);
# 40 pages of 25 rows is as far as anyone pages before narrowing with a filter.
COUNT_LIMIT = 1_000
EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# What a spreadsheet reads as the start of a formula (OWASP): such a cell is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {
    "money": '#,##0" đ"',
    "number": "#,##0",
    "points": "0.##",
    "date": "DD/MM/YYYY",
    "datetime": "DD/MM/YYYY HH:MM",
}


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading, how to read the cell from a row, and what kind of value
    it holds (text, number, money, points, date, datetime)."""

    label: str
    value: Callable
    kind: str = "text"
    width: int = 18


def safe_text(value) -> str:
    """Text that a spreadsheet will never evaluate."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def safe_cell(value):
    """The one way a value goes into any spreadsheet cell (XLSX, by openpyxl) outside the typed
    columns of export_response: numbers, dates and empty cells as they are (a negative amount stays
    a number), anything else as text that cannot start a formula."""
    if value is None or _is_number(value) or isinstance(value, dt.date | dt.datetime | dt.time):
        return value
    return safe_text(value)


def csv_text(value) -> str:
    """The one way a value goes into any CSV cell: numbers as they are written (-5 stays -5, a
    number), anything else as text that cannot start a formula."""
    if value is None:
        return ""
    if _is_number(value):
        return str(value)
    return safe_text(value)


def typed_value(value, kind: str):
    """The cell as Excel should hold it: numbers and dates typed, everything else safe text."""
    if value is None or value == "":
        return None
    if kind in ("number", "money") and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind in ("number", "money") and isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if kind == "points" and isinstance(value, Decimal | int | float):
        return float(value)
    if kind == "datetime" and isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if kind == "date" and isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    if kind == "date" and isinstance(value, dt.date):
        return value
    return safe_cell(value)


def _shown(value, kind: str) -> str:
    """The cell as text, for CSV: dates dd/mm/yyyy, whole numbers without grouping."""
    if value is None:
        return ""
    if kind == "date" and isinstance(value, dt.date):
        return format_date(value)
    if kind == "datetime" and isinstance(value, dt.datetime):
        return format_datetime(value)
    return csv_text(value)


def xlsx_cell(sheet, value, kind: str = "text", *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    if bold:
        cell.font = Font(bold=True)
    return cell


def export_response(rows, columns: list[Column], *, export_format: str, filename: str, title: str = ""):
    """The rows as an .xlsx workbook (typed cells, a bold heading row) or a UTF-8 CSV with a BOM (so
    that Excel reads the Vietnamese right), downloaded as `<filename>-<date-time>.<ext>`."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.{export_format}"
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=2000)  # a long list is read in chunks, not held at once
    if export_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([column.label for column in columns])
        for row in rows:
            writer.writerow([_shown(column.value(row), column.kind) for column in columns])
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    else:
        book = Workbook(write_only=True)  # streams rows out instead of keeping every cell object
        sheet = book.create_sheet((title or _("Danh sách"))[:31])
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        sheet.append([xlsx_cell(sheet, str(column.label), bold=True) for column in columns])
        for row in rows:
            sheet.append(
                [
                    xlsx_cell(sheet, typed_value(column.value(row), column.kind), column.kind)
                    for column in columns
                ]
            )
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=name, content_type=EXPORT_FORMATS[export_format]
    )


class CappedPaginator(Paginator):
    """Counts at most `limit` + 1 rows (SELECT COUNT(*) FROM (… LIMIT limit + 1)), so the count stops
    early on a long list; beyond `limit` the page says «hơn 1.000» (`more_than_limit`) and offers
    the first `limit` rows' pages — a filter or the search narrows the rest."""

    def __init__(
        self, object_list, per_page, *, limit: int = COUNT_LIMIT, count_with_rows: bool = False, **kwargs
    ):
        """`count_with_rows`: the page's query reads every matching row anyway (a word search through
        its index sorts them all), so the rows carry the count (COUNT(*) OVER ()) — one query where
        a separate count read the matches a second time."""
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        self.count_with_rows = count_with_rows

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # no ordering and only the id: the count's subquery reads an index, not whole rows
            return rows.order_by().values("pk")[: self.limit + 1].count()
        return min(len(rows), self.limit + 1)

    @property
    def more_than_limit(self) -> bool:
        return self.count > self.limit

    @cached_property
    def num_pages(self) -> int:
        if self.more_than_limit:
            return self.pages_at_most
        return super().num_pages

    @property
    def pages_at_most(self) -> int:
        return max(1, -(-self.limit // self.per_page))  # the pages holding the first `limit` rows

    def get_page(self, number):
        if not self.count_with_rows or not isinstance(self.object_list, QuerySet):
            return super().get_page(number)
        try:
            wanted = 1 if number is None else int(number)
        except (TypeError, ValueError):
            wanted = 1
        if not 1 <= wanted <= self.pages_at_most:
            return super().get_page(number)  # Django's answer: the last page, after a count
        bottom = (wanted - 1) * self.per_page
        counted = self.object_list.annotate(listed_total=Window(Count("pk")))
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows and wanted > 1:
            return super().get_page(number)  # past the last page: as Django does
        self.__dict__["count"] = min(rows[0].listed_total, self.limit + 1) if rows else 0
        return self._get_page(rows, wanted, self)


class Listing:
    """A list page's rows: filtered and sorted by the FilterSet (when there is one), one page of
    them, the query string that keeps the filters across pages, and the export format asked for."""

    def __init__(
        self,
        request,
        queryset,
        *,
        filterset_class=None,
        filterset_kwargs=None,
        page_size=PAGE_SIZE,
        data=None,
        count_limit: int | None = None,
    ):
        """`data`: the query to read instead of request.GET (a page that fills in a default).
        `count_limit`: count at most this many rows (CappedPaginator); the template shows
        «hơn N» when `listing.page.paginator.more_than_limit`."""
        data = request.GET if data is None else data
        self.filterset = None
        self.valid = True
        if filterset_class is not None:
            self.filterset = filterset_class(data or None, queryset=queryset, **(filterset_kwargs or {}))
            # A search box of 100,000 characters makes SQLite's LIKE fail and PostgreSQL's crawl;
            # a day in year 1 overflows the time-zone conversion: every list's filters are bounded.
            cap_free_text(self.filterset.form.fields)
            bound_dates(self.filterset.form.fields)
            fast_selects(self.filterset.form.fields)
            self.valid = not self.filterset.is_bound or self.filterset.is_valid()
            # A bad filter is shown with its error (400); the list keeps the filters that were valid.
            queryset = self.filterset.qs
        self.queryset = queryset
        if count_limit is None:
            paginator = Paginator(queryset, page_size)
        else:
            paginator = CappedPaginator(
                queryset,
                page_size,
                limit=count_limit,
                count_with_rows=bool(self.valid and getattr(self.filterset, "rows_carry_count", False)),
            )
        self.page = paginator.get_page(data.get("page"))
        query = data.copy()
        for key in ("page", "export"):
            query.pop(key, None)
        self.query = query.urlencode()
        export = data.get("export")
        self.export_format = export if export in EXPORT_FORMATS and self.valid else None

    @property
    def status(self) -> int:
        return 200 if self.valid else 400

    def export(self, columns: list[Column], *, filename: str, title: str = "") -> FileResponse:
        return export_response(
            self.queryset, columns, export_format=self.export_format, filename=filename, title=title
        )


class SortFilter(OrderingFilter):
    """The «sort» of a list: one of the offered orders (labels in the page's language), then the id,
    so that rows with equal values keep their place from page to page."""

    def __init__(self, *, choices, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Sắp xếp"))
        kwargs.setdefault("empty_label", None)
        super().__init__(choices=choices, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param not in EMPTY_VALUES]
        return qs.order_by(*ordering, "-pk")
