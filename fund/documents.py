"""The fund's documents: the donor's acknowledgement letter and the statement as PDFs in
administrative form (Decree 30/2020, templates/pdf/base.html), and the statement as an Excel workbook."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dksangtao.formatting import format_date
from dksangtao.lists import NUMBER_FORMATS, safe_cell
from dksangtao.pdf import Issuer, render_pdf
from fund.models import Transaction
from fund.selectors import Statement


def thank_you_pdf(*, donation: Transaction) -> bytes:
    context = {"issuer": Issuer.of_front(_("Ban Thường trực")), "donation": donation}
    return render_pdf("fund/thank_you_pdf.html", context)


def statement_pdf(*, statement: Statement, donations) -> bytes:
    context = {
        "issuer": Issuer.of_front(_("Quỹ «Người Việt Nam đoàn kết sáng tạo»")),
        "statement": statement,
        "donations": donations,
    }
    return render_pdf("fund/statement_pdf.html", context)


def statement_xlsx(*, statement: Statement) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Báo cáo thu chi")
    bold = Font(bold=True)
    sheet.append([_("QUỸ «NGƯỜI VIỆT NAM ĐOÀN KẾT SÁNG TẠO»")])
    sheet.append(
        [
            _("Báo cáo thu, chi từ ngày %(start)s đến ngày %(end)s")
            % {"start": format_date(statement.start), "end": format_date(statement.end)}
        ]
    )
    sheet["A1"].font = sheet["A2"].font = bold
    sheet.append([])
    sheet.append([_("Số hiệu"), _("Nội dung"), _("Số tiền (đồng)")])
    for cell in sheet[4]:
        cell.font = bold

    def row(code, label, amount, strong=False):
        sheet.append([safe_cell(code), safe_cell(label), amount])  # names typed by people: made safe
        current = sheet.max_row
        sheet.cell(current, 3).number_format = NUMBER_FORMATS["money"]
        if strong:
            for column in (1, 2, 3):
                sheet.cell(current, column).font = bold

    row("", _("I. Số dư đầu kỳ"), statement.opening, strong=True)
    for line in statement.money_opening:
        row(line.account.code, line.account.name, line.amount)
    row("", _("II. Thu trong kỳ"), statement.total_receipts, strong=True)
    for line in statement.receipts:
        row(line.account.code, line.account.name, line.amount)
    row("", _("III. Chi trong kỳ"), statement.total_payments, strong=True)
    for line in statement.payments:
        row(line.account.code, line.account.name, line.amount)
    row("", _("IV. Số dư cuối kỳ (I + II − III)"), statement.closing, strong=True)
    for line in statement.money_closing:
        row(line.account.code, line.account.name, line.amount)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 22
    for cells in sheet.iter_rows(min_row=5, min_col=3, max_col=3):
        cells[0].alignment = Alignment(horizontal="right")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
