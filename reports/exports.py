"""The statistics dashboard's tables as an Excel workbook (openpyxl): one sheet per table, the same
rows as the page."""

import io

import openpyxl
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from dksangtao.lists import safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def statistics_workbook(tables: list[tuple[str, str, object]], *, caption: str) -> bytes:
    """`tables`: (sheet name, first column heading, Tally)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet_name, heading, tally in tables:
        sheet = workbook.create_sheet(sheet_name[:31])
        sheet.append([safe_cell(caption)])
        sheet.append([heading, _("Số hồ sơ"), _("Đề cử lên tỉnh"), _("Được tôn vinh")])
        for row in tally.items:  # labels are names typed by people (units, fields): made safe
            sheet.append([safe_cell(row.label), row.total, row.nominated, row.awarded])
        sheet.append([_("Tổng cộng"), tally.total, tally.nominated_total, tally.awarded_total])
        for cell in (*sheet[2], *sheet[sheet.max_row]):
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
        for column in "BCD":
            sheet.column_dimensions[column].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statistics_response(tables, *, caption: str) -> FileResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        io.BytesIO(statistics_workbook(tables, caption=caption)),
        as_attachment=True,
        filename=f"thong-ke-sang-kien-{stamp}.xlsx",
        content_type=XLSX,
    )
