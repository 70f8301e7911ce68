import datetime as dt
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from dksangtao.files import StoredFile
from dksangtao.jobs import Job, JobStatus
from dksangtao.models import Action


class Field(models.Model):
    """Lĩnh vực áp dụng: editable data, seeded with the eight fields of SPEC §3."""

    name = models.CharField(_("tên lĩnh vực"), max_length=200, unique=True)
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class DossierKind(models.Model):
    """Loại hồ sơ: sáng kiến, sáng chế, giải pháp, ý tưởng mới, công trình / đề tài."""

    name = models.CharField(_("tên loại"), max_length=200, unique=True)
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại hồ sơ")
        verbose_name_plural = _("loại hồ sơ")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# The largest yearly benefit the portal accepts, in đồng (a million billion): far above any real
# initiative and far below what the database column holds.
MAX_BENEFIT_VND = 10**15


def default_ceremony_date(year: int) -> dt.date:
    return dt.date(year, 9, 2)


class Campaign(models.Model):
    """Đợt xét chọn: one year of the movement, with its dated phases (SPEC §2)."""

    year = models.PositiveSmallIntegerField(
        _("năm"), unique=True, validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    name = models.CharField(_("tên đợt"), max_length=255)
    submissions_open = models.DateField(_("mở nhận hồ sơ"))
    submissions_close = models.DateField(_("hạn nộp hồ sơ"))
    unit_review_deadline = models.DateField(
        _("hạn xét duyệt, đề cử của đơn vị"),
        help_text=_(
            "Đến hết ngày này đơn vị còn trả lại, công nhận, đề cử và đơn vị còn nộp lại hồ sơ bị trả lại."
        ),
    )
    screening_deadline = models.DateField(_("hạn thẩm tra điều kiện"))
    scoring_start = models.DateField(_("bắt đầu chấm điểm"))
    scoring_end = models.DateField(_("kết thúc chấm điểm"))
    ceremony_date = models.DateField(_("ngày lễ tôn vinh"), help_text=_("Mặc định ngày 2/9 của năm."))
    nomination_quota = models.PositiveSmallIntegerField(
        _("số hồ sơ tối đa mỗi đơn vị được đề cử"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không giới hạn."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("đợt xét chọn")
        verbose_name_plural = _("đợt xét chọn")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submissions_open__lte=F("submissions_close"))
                & Q(submissions_close__lte=F("unit_review_deadline"))
                & Q(unit_review_deadline__lte=F("screening_deadline"))
                & Q(screening_deadline__lte=F("scoring_start"))
                & Q(scoring_start__lte=F("scoring_end"))
                & Q(scoring_end__lte=F("ceremony_date")),
                name="campaign_phases_in_order",
            ),
        ]

    def __str__(self):
        return self.name


class DeadlineExtension(models.Model):
    """A later submission deadline for one unit, granted by a Front admin and recorded."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT)
    submissions_close = models.DateField(_("hạn nộp mới"))
    reason = models.TextField(_("lý do gia hạn"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gia hạn"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("thời điểm gia hạn"), auto_now_add=True)

    class Meta:
        verbose_name = _("gia hạn nộp hồ sơ")
        verbose_name_plural = _("gia hạn nộp hồ sơ")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="extension_one_per_unit")]

    def __str__(self):
        return f"{self.unit} → {self.submissions_close:%d/%m/%Y}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Bị trả lại")
    RECOGNISED_AT_UNIT = "recognised_at_unit", _("Công nhận cấp đơn vị")
    NOMINATED = "nominated", _("Đề cử lên tỉnh")
    INELIGIBLE = "ineligible", _("Không đủ điều kiện")
    IN_APPRAISAL = "in_appraisal", _("Đang thẩm định")
    SCORED = "scored", _("Đã chấm điểm")
    RANKED = "ranked", _("Đã xếp hạng")
    AWARDED = "awarded", _("Được tôn vinh")
    NOT_AWARDED = "not_awarded", _("Không được tôn vinh")
    WITHDRAWN = "withdrawn", _("Đã rút")


class UnitGrade(models.TextChoices):
    EXCELLENT = "xuat_sac", _("Xuất sắc")
    GOOD = "tot", _("Tốt")
    FAIR = "kha", _("Khá")
    PASS = "dat", _("Đạt")


class ReferenceCounter(models.Model):
    """The last reference number used in a year; incremented under a row lock by dossier_submit."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số hồ sơ")
        verbose_name_plural = _("bộ đếm số hồ sơ")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Dossier(models.Model):
    """Hồ sơ sáng kiến, following the national recognition form (Thông tư 18/2013/TT-BKHCN)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("đợt xét chọn"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị đề nghị"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("số hồ sơ"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    # 1. The initiative
    title = models.CharField(_("tên sáng kiến"), max_length=500)
    kind = models.ForeignKey(DossierKind, verbose_name=_("loại hồ sơ"), on_delete=models.PROTECT)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực áp dụng"), on_delete=models.PROTECT)
    summary = models.TextField(_("tóm tắt"), help_text=_("Năm đến mười dòng: vấn đề, giải pháp, kết quả."))
    # 2. Owner and authors (authors are Author rows)
    owner = models.CharField(
        _("chủ đầu tư tạo ra sáng kiến"),
        max_length=255,
        blank=True,
        help_text=_("Cơ quan, tổ chức, cá nhân đầu tư kinh phí, phương tiện để tạo ra sáng kiến (nếu có)."),
    )
    is_collective = models.BooleanField(_("tác giả là tập thể"), default=False)
    collective_name = models.CharField(_("tên tập thể tác giả"), max_length=255, blank=True)
    authors_consent = models.BooleanField(
        _("tác giả đồng ý công khai họ tên"),
        default=False,
        help_text=_(
            "Nếu hồ sơ được đưa vào cơ sở dữ liệu sáng tạo công khai, họ tên tác giả chỉ hiện khi "
            "tác giả đồng ý; nếu không, chỉ hiện tên tập thể hoặc đơn vị."
        ),
    )
    # 3. Application
    first_applied_on = models.DateField(_("ngày áp dụng lần đầu hoặc áp dụng thử"), null=True, blank=True)
    current_situation = models.TextField(_("tình trạng hiện tại, vấn đề cần giải quyết"), blank=True)
    solution_content = models.TextField(_("nội dung, bản chất của giải pháp"), blank=True)
    novelty = models.TextField(_("tính mới, tính sáng tạo"), blank=True)
    application_conditions = models.TextField(_("những điều kiện cần thiết để áp dụng"), blank=True)
    application_scope = models.TextField(_("khả năng, phạm vi áp dụng"), blank=True)
    # 4. Benefits
    economic_benefit_vnd = models.BigIntegerField(
        _("lợi ích kinh tế (đồng/năm)"),
        null=True,
        blank=True,
        help_text=_("Số tiền làm lợi hoặc tiết kiệm được mỗi năm, nếu tính được; số nguyên, đơn vị đồng."),
    )
    benefits_by_author = models.TextField(_("hiệu quả, lợi ích theo đánh giá của tác giả"), blank=True)
    benefits_by_others = models.TextField(
        _("hiệu quả, lợi ích theo đánh giá của tổ chức, cá nhân khác"), blank=True
    )
    trial_participants = models.TextField(
        _("những người tham gia áp dụng thử hoặc áp dụng lần đầu"), blank=True
    )
    # 5. Confidential: never shown publicly
    confidential_info = models.TextField(_("thông tin cần được bảo mật"), blank=True)

    unit_grade = models.CharField(
        _("xếp loại cấp đơn vị"), max_length=10, choices=UnitGrade.choices, blank=True
    )
    # fold(title + summary): diacritic- and case-insensitive search and the novelty check.
    search_text = models.TextField(editable=False, default="")
    # fold(title) alone: the novelty check also compares titles, so a long summary cannot hide a
    # near-identical title.
    search_title = models.TextField(editable=False, default="")
    # The words of search_text, for the lists' search (dksangtao.search.word_prefixes_condition):
    # on PostgreSQL written by a trigger on every insert and on every write of search_text (migration
    # 0009), whoever writes the row — a form, an import or a bulk insert; unused (NULL) on SQLite.
    search_words = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ sáng kiến")
        verbose_name_plural = _("hồ sơ sáng kiến")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(economic_benefit_vnd__isnull=True) | Q(economic_benefit_vnd__gte=0),
                name="dossier_benefit_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(reference__isnull=False) | Q(status__in=["draft", "withdrawn"]),
                name="dossier_submitted_has_reference",
            ),
        ]
        indexes = [
            # dossier lists: a unit's (or unit tree's) dossiers filtered by status, newest first
            models.Index(fields=["unit", "status", "-created_at"], name="dossier_unit_status_idx"),
            # the reviewer queue and campaign-wide counts
            models.Index(fields=["campaign", "status"], name="dossier_campaign_status_idx"),
            # the dossier list's sort orders, each ending with the id as SortFilter does: a page of 25
            # is read off the index instead of sorting the whole list (94k rows for a Front admin)
            models.Index(fields=["-created_at", "-id"], name="dossier_created_idx"),
            models.Index(fields=["-submitted_at", "-id"], name="dossier_submitted_idx"),
            models.Index(fields=["title", "-id"], name="dossier_title_idx"),
            # a unit's list (its staff, the unit filter), newest first
            models.Index(fields=["unit", "-created_at", "-id"], name="dossier_unit_created_idx"),
            # the status filter across every unit, newest first
            models.Index(fields=["status", "-created_at", "-id"], name="dossier_status_created_idx"),
            # On PostgreSQL also: pg_trgm GIN indexes on search_text and search_title (migrations 0002
            # and 0003) for the novelty check (the % operator), and a GIN index on search_words
            # (0009) for the lists' search.
        ]

    def __str__(self):
        return f"{self.reference or _('(chưa nộp)')} — {self.title}"


class Author(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="authors")
    order = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    workplace = models.CharField(_("nơi công tác"), max_length=255, blank=True)
    position = models.CharField(_("chức danh"), max_length=150, blank=True)
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=150, blank=True)
    contribution_percent = models.PositiveSmallIntegerField(
        _("tỷ lệ đóng góp (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contribution_percent__gte=1) & Q(contribution_percent__lte=100),
                name="author_percent_1_100",
            ),
        ]

    def __str__(self):
        return self.full_name


class Attachment(StoredFile):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]

    def folder(self) -> str:
        # Random names under MEDIA_ROOT (never served directly); the original name is kept in the row.
        return f"dossiers/{self.dossier_id}"


class ImportMode(models.TextChoices):
    CHECK = "check", _("Kiểm tra tệp")
    IMPORT = "import", _("Nhập hồ sơ")


def import_path(instance, filename):
    # Under MEDIA_ROOT, never served: the worker reads it, nobody downloads it.
    return f"imports/{filename}"


class ImportJob(Job):
    """One run of the Excel import over an uploaded file, by a Celery worker (submissions.services
    import_request, import_confirm, import_run): first a check (a dry run whose rows the person
    previews), then, once confirmed, the import proper of the same file, all or nothing. `token` is
    the id the pages show; `source` is the check that an import confirms (one import per check)."""

    failed_action = Action.IMPORT_FAILED
    task_name = "submissions.tasks.run_import"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mode = models.CharField(_("loại"), max_length=10, choices=ImportMode.choices, default=ImportMode.CHECK)
    source = models.OneToOneField(
        "self",
        verbose_name=_("lần kiểm tra được xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmation",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("đợt xét chọn"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=import_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    total = models.PositiveIntegerField(_("số dòng hồ sơ"), default=0)
    invalid_count = models.PositiveIntegerField(_("số dòng có lỗi"), default=0)
    created_count = models.PositiveIntegerField(_("số hồ sơ đã nhập"), default=0)
    row_errors = models.JSONField(_("lỗi"), default=list, blank=True)  # messages in Vietnamese
    preview = models.JSONField(_("các dòng hợp lệ"), default=list, blank=True)

    class Meta:
        verbose_name = _("lần nhập hồ sơ từ Excel")
        verbose_name_plural = _("lần nhập hồ sơ từ Excel")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_progress_0_100"),
            models.CheckConstraint(
                condition=(Q(mode="check") & Q(source__isnull=True))
                | (Q(mode="import") & Q(source__isnull=False)),
                name="import_confirms_a_check",
            ),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} «{self.original_name}» — {self.unit}"

    @property
    def ok(self) -> bool:
        """Done, with rows and not one error: a check that can be confirmed, an import that created."""
        return self.status == JobStatus.DONE and self.total > 0 and not self.row_errors
