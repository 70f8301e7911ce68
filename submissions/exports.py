"""Excel and CSV exports of dossier lists (django-import-export), limited to the rows the person
may see: the caller passes the already-scoped queryset. Confidential content is never exported."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}


class DossierExportResource(resources.Resource):
    reference = fields.Field(attribute="reference", column_name=_("Số hồ sơ"))
    title = fields.Field(attribute="title", column_name=_("Tên sáng kiến"))
    kind = fields.Field(attribute="kind__name", column_name=_("Loại"))
    field = fields.Field(attribute="field__name", column_name=_("Lĩnh vực"))
    unit = fields.Field(attribute="unit__name", column_name=_("Đơn vị"))
    year = fields.Field(attribute="campaign__year", column_name=_("Năm"))
    status = fields.Field(column_name=_("Trạng thái"))
    unit_grade = fields.Field(column_name=_("Xếp loại cấp đơn vị"))
    author_count = fields.Field(attribute="author_count", column_name=_("Số tác giả"))
    economic_benefit_vnd = fields.Field(
        attribute="economic_benefit_vnd", column_name=_("Lợi ích kinh tế (đồng/năm)")
    )
    submitted_at = fields.Field(column_name=_("Ngày nộp"))

    def dehydrate_status(self, dossier):
        return dossier.get_status_display()

    def dehydrate_unit_grade(self, dossier):
        return dossier.get_unit_grade_display()

    def dehydrate_submitted_at(self, dossier):
        if dossier.submitted_at is None:
            return ""
        return timezone.localtime(dossier.submitted_at).strftime("%d/%m/%Y")


def dossier_export_response(queryset, export_format: str) -> HttpResponse:
    content_type, extension = FORMATS[export_format]
    dataset = DossierExportResource().export(queryset=queryset)
    body = dataset.export(export_format)
    if export_format == "csv":
        body = "\ufeff" + body  # a BOM, so that Excel opens the Vietnamese text as UTF-8
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="ho-so-sang-kien-{stamp}.{extension}"'
    return response
