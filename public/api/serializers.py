"""What the API shows: the public record's own columns (sections 1 to 4 of the form, copied when it
was made public), a published award list as its public page shows it, and the statistics. Nothing
here reads a Dossier: no confidential section, no creator, no bank details, no withdrawal reason."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import UnitKind
from councils.selectors import CLASS_LABELS
from public.models import PublicRecord, RecordApplication
from public.selectors import application_totals, confirmed_applications, visible_records


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Thông báo lỗi bằng tiếng Việt."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Với lỗi 400: thông báo của từng tham số không hợp lệ."),
    )


class ClassificationLabelField(serializers.CharField):
    """«excellent» → «Xuất sắc»; empty stays empty."""

    def to_representation(self, value):
        return str(CLASS_LABELS.get(value, value)) if value else ""


class RecordSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Trang của bản ghi trên cổng thông tin."))
    kind = serializers.CharField(source="kind.name", help_text=_("Loại hồ sơ."))
    field = serializers.CharField(source="field.name", help_text=_("Lĩnh vực."))
    recognition_label = serializers.CharField(
        help_text=_("Danh hiệu tôn vinh, hoặc tên hình thức ghi nhận khi không có danh hiệu.")
    )
    classification_label = ClassificationLabelField(
        source="classification", help_text=_("Tên xếp loại, ví dụ «Xuất sắc».")
    )
    score = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text=_("Điểm trong danh sách tôn vinh đã công bố; trống nếu không có."),
    )

    class Meta:
        model = PublicRecord
        fields = [
            "reference",
            "url",
            "year",
            "title",
            "kind",
            "field",
            "unit_name",
            "authors",
            "summary",
            "first_applied_on",
            "current_situation",
            "solution_content",
            "novelty",
            "application_conditions",
            "application_scope",
            "economic_benefit_vnd",
            "benefits_by_author",
            "benefits_by_others",
            "recognition",
            "recognition_label",
            "classification",
            "classification_label",
            "honour",
            "score",
            "decision",
            "published_at",
        ]
        read_only_fields = fields

    def get_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(record.get_absolute_url())


class ApplicationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", help_text=_("Đơn vị áp dụng."))

    class Meta:
        model = RecordApplication
        fields = ["unit", "applied_on", "scope", "benefit_vnd", "contact"]
        read_only_fields = fields


class ApplicationTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Số đơn vị áp dụng đã được xác nhận."))
    benefit = serializers.IntegerField(
        allow_null=True, help_text=_("Tổng lợi ích đo được (đồng/năm) của các đơn vị áp dụng.")
    )


class RecordDetailSerializer(RecordSerializer):
    applications = serializers.SerializerMethodField(
        help_text=_("Các đơn vị đã áp dụng (nhân rộng), chỉ những lượt đã được xác nhận.")
    )
    totals = serializers.SerializerMethodField()

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "applications", "totals"]
        read_only_fields = fields

    @extend_schema_field(ApplicationSerializer(many=True))
    def get_applications(self, record):
        return ApplicationSerializer(confirmed_applications(record), many=True).data

    @extend_schema_field(ApplicationTotalsSerializer)
    def get_totals(self, record):
        return ApplicationTotalsSerializer(application_totals(record)).data


class HonouredWorkSerializer(serializers.Serializer):
    """The honoured work as the public database holds it (absent once its record is withdrawn)."""

    reference = serializers.CharField()
    title = serializers.CharField()
    field = serializers.CharField(source="field.name")
    url = serializers.SerializerMethodField()

    def get_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(record.get_absolute_url())


class HonoureeSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text=_("Số thứ tự."))
    name = serializers.CharField(help_text=_("Tên cá nhân, tập thể."))
    kind = serializers.CharField(help_text=_("individual (cá nhân) hoặc collective (tập thể)."))
    kind_label = serializers.CharField(source="get_kind_display")
    unit_name = serializers.CharField()
    honour = serializers.CharField(help_text=_("Hình thức tôn vinh."))
    classification = serializers.CharField()
    classification_label = ClassificationLabelField(source="classification")
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    certificate_number = serializers.CharField(help_text=_("Số giấy chứng nhận."))
    record = HonouredWorkSerializer(
        source="visible_record",
        allow_null=True,
        help_text=_("Công trình, sáng kiến trong cơ sở dữ liệu sáng tạo; trống nếu bản ghi đã bị gỡ."),
    )


class AwardListSerializer(serializers.Serializer):
    """A published list with one page of its honourees (a province's list holds hundreds: 580 kB in
    one answer), paged as /records/ is: ?page= and ?page_size= (default 20, at most 100)."""

    year = serializers.IntegerField(source="award_list.campaign.year")
    title = serializers.CharField(source="award_list.title")
    decision = serializers.CharField(
        source="award_list.decision", help_text=_("Số, ngày quyết định tôn vinh.")
    )
    published_at = serializers.DateTimeField(source="award_list.published_at")
    count = serializers.IntegerField(help_text=_("Số cá nhân, tập thể trong cả danh sách."))
    next = serializers.URLField(allow_null=True, help_text=_("Trang sau; trống ở trang cuối."))
    previous = serializers.URLField(allow_null=True, help_text=_("Trang trước; trống ở trang đầu."))
    honourees = HonoureeSerializer(
        many=True, help_text=_("Các cá nhân, tập thể của trang này, theo số thứ tự.")
    )


def with_visible_records(honourees) -> list:
    """The honourees, each with its work if the public database still shows it (one query)."""
    honourees = list(honourees)
    records = visible_records().filter(dossier_id__in=[h.dossier_id for h in honourees])
    by_dossier = {
        record.dossier_id: record
        for record in records.select_related("field").only("dossier_id", "reference", "title", "field__name")
    }
    for honouree in honourees:
        honouree.visible_record = by_dossier.get(honouree.dossier_id)
    return honourees


class YearRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    n = serializers.IntegerField(help_text=_("Số bản ghi."))
    benefit = serializers.IntegerField(allow_null=True, help_text=_("Tổng lợi ích kinh tế (đồng/năm)."))


class FieldRowSerializer(serializers.Serializer):
    field = serializers.CharField(source="field__name")
    n = serializers.IntegerField()
    benefit = serializers.IntegerField(allow_null=True)


class UnitKindRowSerializer(serializers.Serializer):
    unit_kind = serializers.CharField(source="unit__kind", help_text=_("Loại đơn vị (mã)."))
    unit_kind_label = serializers.SerializerMethodField()
    n = serializers.IntegerField()

    def get_unit_kind_label(self, row) -> str:
        return str(dict(UnitKind.choices).get(row["unit__kind"], row["unit__kind"]))


class ApplicationStatisticsSerializer(serializers.Serializer):
    n = serializers.IntegerField(help_text=_("Số lượt áp dụng đã được xác nhận."))
    benefit = serializers.IntegerField(allow_null=True)
    records = serializers.IntegerField(help_text=_("Số bản ghi được áp dụng."))


class StatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("Số bản ghi công khai."))
    benefit = serializers.IntegerField(help_text=_("Tổng lợi ích kinh tế (đồng/năm)."))
    honoured = serializers.IntegerField(help_text=_("Số bản ghi được tôn vinh cấp tỉnh."))
    by_year = YearRowSerializer(many=True)
    by_field = FieldRowSerializer(many=True)
    by_unit_kind = UnitKindRowSerializer(many=True)
    applications = ApplicationStatisticsSerializer()
