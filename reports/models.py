from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from dksangtao.jobs import ACTIVE, Job
from dksangtao.models import Action
from submissions.models import Campaign


class ReportKind(models.TextChoices):
    UNIT_SUMMARY = "unit_summary", _("Báo cáo tổng hợp năm của đơn vị")
    PROVINCE_SUMMARY = "province_summary", _("Báo cáo tổng hợp năm toàn tỉnh")


def report_path(instance, filename):
    # Under MEDIA_ROOT, never served directly: only reports.views.download_view hands the file out.
    return f"reports/{instance.campaign.year}/{filename}"


class ReportJob(Job):
    """One generation of one report (kind × campaign × unit, the unit empty for the province-wide
    summary), run by a Celery worker. Files are kept; a new request makes a new job."""

    failed_action = Action.REPORT_FAILED
    task_name = "reports.tasks.build_report"

    kind = models.CharField(_("loại báo cáo"), max_length=30, choices=ReportKind.choices)
    campaign = models.ForeignKey(Campaign, verbose_name=_("đợt xét chọn"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,  # empty: requested by the scheduled export
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(upload_to=report_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    checksum = models.CharField(_("mã kiểm tra SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_0_100"),
            models.CheckConstraint(
                condition=(Q(kind="unit_summary") & Q(unit__isnull=False))
                | (Q(kind="province_summary") & Q(unit__isnull=True)),
                name="report_unit_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & ~Q(checksum="")),
                name="report_done_has_file",
            ),
            # The same report asked for twice while one is waiting or running is generated once
            # (reports.services.report_request). Two partial indexes because NULL units are distinct
            # in a plain unique index.
            models.UniqueConstraint(
                fields=["kind", "campaign", "unit"],
                condition=Q(status__in=ACTIVE) & Q(unit__isnull=False),
                name="report_one_active_per_unit",
            ),
            models.UniqueConstraint(
                fields=["kind", "campaign"],
                condition=Q(status__in=ACTIVE) & Q(unit__isnull=True),
                name="report_one_active_province",
            ),
        ]
        indexes = [
            # the download centre: the jobs of a campaign for the units on the page, newest first
            models.Index(fields=["campaign", "kind", "unit", "-created_at"], name="report_centre_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.campaign.year} — {self.unit or _('toàn tỉnh')}"

    @property
    def filename(self) -> str:
        code = self.unit.code if self.unit_id else "toan-tinh"
        return f"bao-cao-tong-hop-{self.campaign.year}-{code}.pdf"
