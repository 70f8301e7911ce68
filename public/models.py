"""The public creativity database (cơ sở dữ liệu sáng tạo): what the province has already solved.

A PublicRecord is a copy of the public part of a dossier — sections 1 to 4 of the form, never the
confidential section, never the authors' names without their consent — made when its award list is
published or when a Front admin marks a recognised dossier. The public pages, the open data and the
API read only these rows, so nothing they show can come from a draft or an unpublished score.
A RecordApplication is one unit's use of a record elsewhere (nhân rộng), confirmed by its reviewer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from submissions.models import MAX_BENEFIT_VND, Dossier, DossierKind, Field


class Recognition(models.TextChoices):
    """How the record was recognised, from the highest: the facet «Hình thức ghi nhận»."""

    HONOURED = "honoured", _("Được tôn vinh cấp tỉnh")
    PROVINCE = "province", _("Được Hội đồng cấp tỉnh xét chọn")
    UNIT = "unit", _("Công nhận cấp đơn vị")


class PublicRecord(models.Model):
    class Source(models.TextChoices):
        AWARD_LIST = "award_list", _("Danh sách tôn vinh được công bố")
        MARKED = "marked", _("Ban Thường trực đưa vào cơ sở dữ liệu")

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="public_record")
    reference = models.CharField(_("số hồ sơ"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên sáng kiến"), max_length=500)
    kind = models.ForeignKey(DossierKind, verbose_name=_("loại"), on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("tên đơn vị"), max_length=255)
    authors = models.CharField(
        _("tác giả"),
        max_length=1000,
        help_text=_("Họ tên tác giả nếu tác giả đồng ý công khai; nếu không, tên tập thể hoặc đơn vị."),
    )
    summary = models.TextField(_("tóm tắt"))
    first_applied_on = models.DateField(_("ngày áp dụng lần đầu"), null=True, blank=True)
    current_situation = models.TextField(_("tình trạng, vấn đề cần giải quyết"), blank=True)
    solution_content = models.TextField(_("nội dung giải pháp"), blank=True)
    novelty = models.TextField(_("tính mới, tính sáng tạo"), blank=True)
    application_conditions = models.TextField(_("điều kiện áp dụng"), blank=True)
    application_scope = models.TextField(_("phạm vi áp dụng"), blank=True)
    economic_benefit_vnd = models.BigIntegerField(_("lợi ích kinh tế (đồng/năm)"), null=True, blank=True)
    benefits_by_author = models.TextField(_("hiệu quả theo đánh giá của tác giả"), blank=True)
    benefits_by_others = models.TextField(_("hiệu quả theo đánh giá của tổ chức, cá nhân khác"), blank=True)
    recognition = models.CharField(_("hình thức ghi nhận"), max_length=10, choices=Recognition.choices)
    classification = models.CharField(_("xếp loại"), max_length=10, blank=True)
    honour = models.CharField(_("danh hiệu tôn vinh"), max_length=255, blank=True)
    # Only a published list's score: a council's score is never copied before publication.
    score = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2, null=True, blank=True)
    decision = models.CharField(_("quyết định tôn vinh"), max_length=150, blank=True)

    source = models.CharField(_("nguồn"), max_length=12, choices=Source.choices)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("ngày công khai"))
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("ngày gỡ"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(_("lý do gỡ"), blank=True)

    # Folded words, space-padded (« xu ly rac thai »): the same whole-word search on every database;
    # on PostgreSQL a generated tsvector over them has a GIN index (migration 0002).
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("bản ghi cơ sở dữ liệu sáng tạo")
        verbose_name_plural = _("cơ sở dữ liệu sáng tạo")
        ordering = ["-year", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="public_withdrawal_has_reason",
            ),
        ]
        indexes = [
            # The public list: visible records by year (the default order) and by score.
            models.Index(
                fields=["-year", "reference"], condition=Q(withdrawn_at__isnull=True), name="public_year_idx"
            ),
            models.Index(
                fields=["-score", "reference"],
                condition=Q(withdrawn_at__isnull=True),
                name="public_score_idx",
            ),
            # The facets' counts: index-only scans over the visible records.
            models.Index(
                fields=["year", "field", "kind", "recognition", "unit"],
                condition=Q(withdrawn_at__isnull=True),
                name="public_facets_idx",
            ),
            # The facets and filters.
            models.Index(fields=["field", "year"], name="public_field_idx"),
            models.Index(fields=["kind", "year"], name="public_kind_idx"),
            models.Index(fields=["unit", "year"], name="public_unit_idx"),
            models.Index(fields=["recognition", "year"], name="public_recognition_idx"),
            models.Index(fields=["published_at"], name="public_published_idx"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self):
        return reverse("public:record", args=[self.reference])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def classification_label(self) -> str:
        from councils.selectors import CLASS_LABELS

        return str(CLASS_LABELS.get(self.classification, self.classification))

    @property
    def recognition_label(self) -> str:
        return self.honour or self.get_recognition_display()


class RecordApplication(models.Model):
    """Nhân rộng: a unit applied a public record; its reviewer confirms what the unit's staff wrote."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        REJECTED = "rejected", _("Không xác nhận")

    record = models.ForeignKey(PublicRecord, on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị áp dụng"), on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField(_("ngày bắt đầu áp dụng"))
    scope = models.TextField(_("phạm vi áp dụng"), help_text=_("Áp dụng ở đâu, cho ai, quy mô thế nào."))
    benefit_vnd = models.BigIntegerField(
        _("lợi ích đo được (đồng/năm)"),
        null=True,
        blank=True,
        help_text=_("Số tiền làm lợi hoặc tiết kiệm được mỗi năm, nếu tính được; số nguyên, đơn vị đồng."),
    )
    contact = models.CharField(
        _("người liên hệ"), max_length=255, help_text=_("Họ tên, điện thoại hoặc thư.")
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("ngày ghi nhận"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("ngày xác nhận"), null=True, blank=True)
    reason = models.TextField(_("lý do không xác nhận"), blank=True)

    class Meta:
        verbose_name = _("áp dụng nhân rộng")
        verbose_name_plural = _("áp dụng nhân rộng")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit_vnd__isnull=True)
                | Q(benefit_vnd__gte=0, benefit_vnd__lte=MAX_BENEFIT_VND),
                name="application_benefit_in_range",
            ),
            # One live application per unit and record: a rejected one may be recorded again.
            models.UniqueConstraint(
                fields=["record", "unit"], condition=~Q(status="rejected"), name="one_application_per_unit"
            ),
        ]
        indexes = [
            # The record page (confirmed applications) and the reviewer's queue (pending, by unit).
            models.Index(fields=["record", "status"], name="application_record_idx"),
            models.Index(fields=["unit", "status"], name="application_unit_idx"),
        ]

    def __str__(self):
        return f"{self.record.reference} — {self.unit}"
