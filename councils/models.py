from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from submissions.models import Campaign, Field


class Council(models.Model):
    """Hội đồng thẩm định sáng tạo of one campaign, founded by a decision of the Chairman of the
    provincial Front Committee."""

    campaign = models.OneToOneField(Campaign, verbose_name=_("đợt xét chọn"), on_delete=models.PROTECT)
    name = models.CharField(_("tên hội đồng"), max_length=255)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=50)
    decision_date = models.DateField(_("ngày quyết định"))
    decision_signer = models.CharField(
        _("người ký quyết định"), max_length=150, help_text=_("Chủ tịch Ủy ban MTTQ Việt Nam cấp tỉnh.")
    )
    blind_mode = models.BooleanField(
        _("chấm ẩn danh"), default=False, help_text=_("Ẩn tác giả và đơn vị với thành viên chấm.")
    )
    members_per_entry = models.PositiveSmallIntegerField(
        _("số thành viên chấm mỗi hồ sơ"), default=3, validators=[MinValueValidator(1)]
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("số ngày nhận khiếu nại"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Tính từ ngày công bố kết quả chấm cho các đơn vị."),
    )
    results_announced_at = models.DateTimeField(_("thời điểm công bố kết quả"), null=True, blank=True)
    results_announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hội đồng thẩm định")
        verbose_name_plural = _("hội đồng thẩm định")
        ordering = ["-campaign__year"]

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch")
    SECRETARY = "secretary", _("Thư ký")
    MEMBER = "member", _("Ủy viên")


# Who scores: members and vice-chairs (the chair and the secretary run the council).
SCORING_ROLES = (MemberRole.VICE_CHAIR, MemberRole.MEMBER)


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người"), on_delete=models.PROTECT)
    role = models.CharField(_("vai trò trong hội đồng"), max_length=20, choices=MemberRole.choices)
    home_unit = models.ForeignKey(Unit, verbose_name=_("đơn vị công tác"), on_delete=models.PROTECT)
    expertise = models.ManyToManyField(Field, verbose_name=_("lĩnh vực chuyên môn"), blank=True)

    class Meta:
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        ordering = ["council", "role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="council_member_once")]

    def __str__(self):
        return f"{self.user.full_name} — {self.get_role_display()}"


class Rubric(models.Model):
    """Bộ tiêu chí chấm điểm of a campaign, optionally for one field, with the classification
    thresholds (SPEC §4)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("đợt xét chọn"), on_delete=models.PROTECT)
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống: bộ tiêu chí chung cho mọi lĩnh vực."),
    )
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    total_points = models.DecimalField(
        _("thang điểm"), max_digits=5, decimal_places=1, default=Decimal("100")
    )
    excellent_min = models.DecimalField(
        _("Xuất sắc từ"), max_digits=5, decimal_places=1, default=Decimal("90")
    )
    good_min = models.DecimalField(_("Tốt từ"), max_digits=5, decimal_places=1, default=Decimal("80"))
    fair_min = models.DecimalField(_("Khá từ"), max_digits=5, decimal_places=1, default=Decimal("65"))
    pass_min = models.DecimalField(_("Đạt từ"), max_digits=5, decimal_places=1, default=Decimal("50"))

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["-campaign__year", "field__order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "field"], name="rubric_one_per_campaign_field"),
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(field__isnull=True), name="rubric_one_general_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(excellent_min__lte=F("total_points")), name="rubric_excellent_within_scale"
            ),
            models.CheckConstraint(
                condition=Q(excellent_min__gt=F("good_min"))
                & Q(good_min__gt=F("fair_min"))
                & Q(fair_min__gt=F("pass_min"))
                & Q(pass_min__gt=0),
                name="rubric_thresholds_descending",
            ),
        ]

    def __str__(self):
        return self.name


class TieBreak(models.TextChoices):
    """SPEC §5: equal scores are ordered by the novelty score, then the effectiveness score."""

    NOVELTY = "novelty", _("Tính mới (phân định thứ hạng thứ nhất)")
    EFFECTIVENESS = "effectiveness", _("Hiệu quả (phân định thứ hạng thứ hai)")


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tiêu chí"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=1)
    tie_break = models.CharField(
        _("dùng phân định thứ hạng"),
        max_length=15,
        choices=TieBreak.choices,
        blank=True,
        help_text=_("Khi bằng điểm: so điểm tiêu chí tính mới, rồi tiêu chí hiệu quả, rồi ngày nộp sớm hơn."),
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
            models.UniqueConstraint(
                fields=["rubric", "tie_break"],
                condition=~Q(tie_break=""),
                name="one_tie_break_role_per_rubric",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.max_points})"


class Band(models.Model):
    """Guidance shown to the scorer, e.g. «Hoàn toàn mới: 27–30»."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("mức"), max_length=255)
    min_points = models.DecimalField(_("từ"), max_digits=5, decimal_places=1)
    max_points = models.DecimalField(_("đến"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("mức hướng dẫn")
        verbose_name_plural = _("mức hướng dẫn")
        ordering = ["-max_points"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_points__gte=0) & Q(max_points__gte=F("min_points")), name="band_range_valid"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.min_points}–{self.max_points}"


class Assignment(models.Model):
    """One council member asked to score one dossier. A declared conflict ends the assignment (it is
    kept, with its reason) and the secretary assigns someone else."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="assignments")
    dossier = models.ForeignKey("submissions.Dossier", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="assignments")
    is_active = models.BooleanField(_("đang phân công"), default=True)
    conflict_reason = models.TextField(_("lý do xung đột lợi ích"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("thời điểm phân công"), auto_now_add=True)

    class Meta:
        verbose_name = _("phân công chấm")
        verbose_name_plural = _("phân công chấm")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "member"], condition=Q(is_active=True), name="assignment_active_once"
            ),
        ]
        indexes = [
            # the member's queue and the secretary's per-member progress
            models.Index(fields=["member", "is_active"], name="assignment_member_idx"),
            models.Index(fields=["council", "dossier"], name="assignment_council_dossier_idx"),
            # the kept figures' fingerprint (councils.selectors.FINGERPRINT_SQL): the newest
            # assignment, and the number ended
            models.Index(fields=["assigned_at"], name="assignment_assigned_idx"),
            models.Index(fields=["id"], condition=Q(is_active=False), name="assignment_ended_idx"),
        ]

    def __str__(self):
        return f"{self.dossier.reference} — {self.member.user.full_name}"


class ScoreSheet(models.Model):
    """Phiếu chấm: one member's scores for one assigned dossier. A draft until submitted; a submitted
    sheet is locked and only the chair can reopen it (the audit trail keeps each step)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang chấm")
        SUBMITTED = "submitted", _("Đã nộp")

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="sheet")
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    overall_comment = models.TextField(_("nhận xét chung"), blank=True)
    total = models.DecimalField(_("tổng điểm"), max_digits=5, decimal_places=1, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiếu chấm")
        verbose_name_plural = _("phiếu chấm")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(total__isnull=False) & Q(submitted_at__isnull=False)),
                name="sheet_submitted_has_total",
            ),
        ]
        # the newest change of a sheet, for the kept figures' fingerprint (councils.selectors)
        indexes = [models.Index(fields=["updated_at"], name="sheet_updated_idx")]

    def __str__(self):
        return _("Phiếu chấm %(assignment)s") % {"assignment": self.assignment}


class ScoreItem(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm"), max_digits=4, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)

    class Meta:
        verbose_name = _("điểm theo tiêu chí")
        verbose_name_plural = _("điểm theo tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_item_once"),
            # steps of 0.5: twice the points is a whole number
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="score_item_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"


class ScoringReminder(models.Model):
    """An e-mail reminding a member of the sheets they still have to submit: sent by the secretary
    (sent_by) or by the daily task in the last days of the window (sent_by empty)."""

    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="reminders")
    pending = models.PositiveSmallIntegerField(_("số phiếu chưa nộp"))
    sent_on = models.DateField(_("ngày gửi"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhắc chấm điểm")
        verbose_name_plural = _("nhắc chấm điểm")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["member", "sent_on"])]

    def __str__(self):
        return f"{self.member} — {self.sent_on}"


class Appeal(models.Model):
    """Khiếu nại: a unit contests the council's result of one of its dossiers within the window after
    the results are announced (SPEC §4); the secretary records the council's answer."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Chấp nhận khiếu nại")
        PARTLY = "partly", _("Chấp nhận một phần")
        REJECTED = "rejected", _("Không chấp nhận khiếu nại")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="appeals")
    dossier = models.OneToOneField("submissions.Dossier", on_delete=models.PROTECT, related_name="appeal")
    text = models.TextField(_("nội dung khiếu nại"))
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lodged_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)
    answer = models.TextField(_("trả lời của Hội đồng"), blank=True)
    outcome = models.CharField(_("kết luận"), max_length=10, choices=Outcome.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)

    class Meta:
        verbose_name = _("khiếu nại")
        verbose_name_plural = _("khiếu nại")
        ordering = ["lodged_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(answered_at__isnull=True))
                | (~Q(outcome="") & Q(answered_at__isnull=False)),
                name="appeal_answer_has_outcome",
            ),
        ]

    def __str__(self):
        return _("Khiếu nại hồ sơ %(ref)s") % {"ref": self.dossier.reference}
