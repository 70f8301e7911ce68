"""Ranking runs (immutable snapshots), the award list «Người Việt Nam đoàn kết sáng tạo» with its
honourees and their portraits, the nominations upward, and the campaign's award policy (SPEC §5).
Every change made to a list is in the audit trail (dksangtao.audit)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dksangtao.files import StoredFile
from dksangtao.jobs import Job
from dksangtao.models import Action
from submissions.models import Campaign, Dossier, Field

MAX_VND = 10**15


class AwardPolicy(models.Model):
    """What a campaign honours and when its jobs run. Until a Front admin saves one, a campaign has
    the defaults (awards.selectors.policy_for gives them unsaved)."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("đợt xét chọn"), on_delete=models.CASCADE, related_name="award_policy"
    )
    rank_per_field = models.BooleanField(
        _("xếp hạng riêng từng lĩnh vực"),
        default=False,
        help_text=_("Nếu chọn, mỗi lĩnh vực có bảng xếp hạng và chỉ tiêu tôn vinh riêng."),
    )
    qualifies_excellent = models.BooleanField(_("tôn vinh hồ sơ xếp loại Xuất sắc"), default=True)
    qualifies_good = models.BooleanField(_("tôn vinh hồ sơ xếp loại Tốt"), default=True)
    qualifies_fair = models.BooleanField(_("tôn vinh hồ sơ xếp loại Khá"), default=False)
    prize_excellent = models.BigIntegerField(_("tiền thưởng loại Xuất sắc (đồng)"), default=10_000_000)
    prize_good = models.BigIntegerField(_("tiền thưởng loại Tốt (đồng)"), default=5_000_000)
    prize_fair = models.BigIntegerField(_("tiền thưởng loại Khá (đồng)"), default=2_000_000)
    quota_per_field = models.PositiveSmallIntegerField(
        _("số hồ sơ tôn vinh tối đa mỗi lĩnh vực"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không giới hạn."),
    )
    ranking_days_before = models.PositiveSmallIntegerField(
        _("tự động xếp hạng trước lễ (ngày)"), default=14, validators=[MinValueValidator(1)]
    )
    exports_days_before = models.PositiveSmallIntegerField(
        _("tự động xuất tài liệu trước lễ (ngày)"), default=7, validators=[MinValueValidator(1)]
    )
    booklet_title = models.CharField(
        _("tên ấn phẩm"), max_length=255, default="Gương người Việt đoàn kết sáng tạo"
    )

    class Meta:
        verbose_name = _("chính sách tôn vinh")
        verbose_name_plural = _("chính sách tôn vinh")
        constraints = [
            models.CheckConstraint(
                condition=Q(prize_excellent__gte=0, prize_excellent__lt=MAX_VND)
                & Q(prize_good__gte=0, prize_good__lt=MAX_VND)
                & Q(prize_fair__gte=0, prize_fair__lt=MAX_VND),
                name="award_prizes_in_range",
            ),
        ]

    def __str__(self):
        return str(self.campaign)


class RankingRun(Job):
    """One run of the ranking job: who started it, when, its progress, and once done the hash of the
    inputs it read and its results (RankedEntry). Never changed after it ends."""

    failed_action = Action.RANKING_FAILED
    task_name = "awards.tasks.run_ranking"

    campaign = models.ForeignKey(Campaign, verbose_name=_("đợt xét chọn"), on_delete=models.PROTECT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chạy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống khi lịch tự động chạy."),
    )
    per_field = models.BooleanField(_("xếp hạng từng lĩnh vực"), default=False)
    inputs_hash = models.CharField(_("mã băm dữ liệu đầu vào"), max_length=64, blank=True)
    entry_count = models.PositiveIntegerField(_("số hồ sơ được xếp hạng"), default=0)

    class Meta:
        verbose_name = _("lần xếp hạng")
        verbose_name_plural = _("lần xếp hạng")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The lock: at most one run waiting or running per campaign, kept by the database.
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_ranking_per_campaign",
            ),
        ]

    def __str__(self):
        return _("Lần xếp hạng #%(n)s — %(campaign)s") % {"n": self.pk, "campaign": self.campaign}


class RankedEntry(models.Model):
    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="entries")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey(Field, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("thứ hạng"))
    score = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    novelty = models.DecimalField(_("điểm tính mới"), max_digits=6, decimal_places=2, null=True)
    effectiveness = models.DecimalField(_("điểm hiệu quả"), max_digits=6, decimal_places=2, null=True)
    submitted_at = models.DateTimeField(_("ngày nộp"))
    classification = models.CharField(_("xếp loại"), max_length=10)
    sheets = models.PositiveSmallIntegerField(_("số phiếu"))
    tie_note = models.CharField(_("phân định khi bằng điểm"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("hồ sơ trong bảng xếp hạng")
        verbose_name_plural = _("hồ sơ trong bảng xếp hạng")
        ordering = ["field_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "dossier"], name="one_rank_per_dossier_per_run"),
        ]
        indexes = [
            # A run's entries in their order (awards.views.run_view's pages, the head of the ranking
            # beside an award list): an index range, not a sort of the run's thousands of entries.
            models.Index(fields=["run", "field", "rank"], name="awards_entry_run_order_idx"),
        ]

    def __str__(self):
        return f"{self.rank}: {self.dossier_id}"


class AwardList(models.Model):
    """Danh sách tôn vinh: drafted from a ranking run, approved by a second Front admin, published once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã phê duyệt")
        PUBLISHED = "published", _("Đã công bố")

    campaign = models.ForeignKey(Campaign, verbose_name=_("đợt xét chọn"), on_delete=models.PROTECT)
    run = models.ForeignKey(RankingRun, verbose_name=_("lần xếp hạng"), on_delete=models.PROTECT)
    title = models.CharField(_("tiêu đề"), max_length=255)
    decision = models.CharField(
        _("số, ngày quyết định tôn vinh"),
        max_length=150,
        blank=True,
        help_text=_("Ví dụ: Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/2027."),
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("danh sách tôn vinh")
        verbose_name_plural = _("danh sách tôn vinh")
        ordering = ["-drafted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(status="published"), name="one_published_list_per_campaign"
            ),
            # Four eyes, kept by the database too: whoever drafted the list cannot approve it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("drafted_by")),
                name="award_list_approver_is_not_drafter",
            ),
            # A published list names the decision that publishes it (certificates and the booklet cite it).
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(decision=""), name="published_list_has_decision"
            ),
        ]

    def __str__(self):
        return self.title


class Honouree(models.Model):
    """One honoured dossier on a list: the person or the collective, the honour and the prize."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Cá nhân")
        COLLECTIVE = "collective", _("Tập thể")

    award_list = models.ForeignKey(AwardList, on_delete=models.CASCADE, related_name="honourees")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="honours")
    position = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("cá nhân / tập thể"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("tên cá nhân, tập thể"), max_length=500)
    unit_name = models.CharField(_("đơn vị"), max_length=255)
    honour = models.CharField(_("hình thức tôn vinh"), max_length=255)
    classification = models.CharField(_("xếp loại"), max_length=10)
    score = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    prize_amount = models.BigIntegerField(_("tiền thưởng (đồng)"), default=0)
    bank_account = models.CharField(_("số tài khoản nhận thưởng"), max_length=40, blank=True)
    bank_name = models.CharField(_("ngân hàng"), max_length=150, blank=True)
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("người được tôn vinh")
        verbose_name_plural = _("người được tôn vinh")
        ordering = ["position", "id"]
        indexes = [
            # A list's honourees in order, a page at a time (the staff list page, the public API).
            models.Index(fields=["award_list", "position", "id"], name="awards_honouree_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["award_list", "dossier"], name="one_honour_per_dossier_per_list"),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="certificate_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(prize_amount__gte=0, prize_amount__lt=MAX_VND), name="honouree_prize_in_range"
            ),
        ]

    def __str__(self):
        return self.name


class Portrait(StoredFile):
    """An honouree's portrait for the «Gương» booklet (JPG or PNG), uploaded by a Front admin."""

    honouree = models.OneToOneField(Honouree, on_delete=models.CASCADE, related_name="portrait")

    class Meta:
        verbose_name = _("ảnh chân dung")
        verbose_name_plural = _("ảnh chân dung")

    def folder(self) -> str:
        return "awards/portraits"


class ScheduledJob(models.Model):
    """That the schedule has started a campaign's ranking: it happens once per campaign, however often
    the beat fires. (The exports before the ceremony are the reports app's own:
    reports.tasks.scheduled_exports.)"""

    class Kind(models.TextChoices):
        RANKING = "ranking", _("Xếp hạng")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("việc theo lịch")
        verbose_name_plural = _("việc theo lịch")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="one_scheduled_job_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.campaign_id}"


class UpwardNomination(models.Model):
    """An entry put forward beyond the province (SPEC §5): to the central Front's council, or to the
    «Sách vàng Sáng tạo Việt Nam» selection."""

    class Target(models.TextChoices):
        CENTRAL = "central", _("Hội đồng của Ủy ban Trung ương MTTQ Việt Nam")
        GOLDEN_BOOK = "golden_book", _("Sách vàng Sáng tạo Việt Nam")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="upward_nominations")
    target = models.CharField(_("đề cử lên"), max_length=15, choices=Target.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)
    exported_at = models.DateTimeField(_("xuất hồ sơ lần đầu lúc"), null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("đề cử lên Trung ương")
        verbose_name_plural = _("đề cử lên Trung ương")
        ordering = ["target", "marked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "target"], name="one_upward_nomination_per_target"),
        ]

    def __str__(self):
        return f"{self.get_target_display()} — {self.dossier_id}"
