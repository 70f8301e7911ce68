"""The columns of a dossier list's Excel and CSV export (dksangtao.lists): the rows are the ones the
person may see (the list's own queryset). Confidential content is never exported."""

from django.utils.translation import gettext_lazy as _

from dksangtao.lists import Column

DOSSIER_COLUMNS = [
    Column(_("Số hồ sơ"), lambda d: d.reference, width=18),
    Column(_("Tên sáng kiến"), lambda d: d.title, width=60),
    Column(_("Loại"), lambda d: d.kind.name),
    Column(_("Lĩnh vực"), lambda d: d.field.name, width=30),
    Column(_("Đơn vị"), lambda d: d.unit.name, width=36),
    Column(_("Năm"), lambda d: d.campaign.year, "number", width=8),
    Column(_("Trạng thái"), lambda d: d.get_status_display()),
    Column(_("Xếp loại cấp đơn vị"), lambda d: d.get_unit_grade_display()),
    Column(_("Số tác giả"), lambda d: d.author_count, "number", width=10),
    Column(_("Lợi ích kinh tế (đồng/năm)"), lambda d: d.economic_benefit_vnd, "money", width=22),
    Column(_("Ngày nộp"), lambda d: d.submitted_at, "date", width=12),
]
