"""The portal's one audit trail (dksangtao.audit writes it; nothing else does)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What an audit event records; one name per kind of change, in every app, like dksangtao.roles."""

    ROLE_GRANTED = "role.granted", _("Giao vai trò")
    ROLE_REVOKED = "role.revoked", _("Thu hồi vai trò")
    POSITION_CHANGED = "role.position_changed", _("Đổi chức vụ")
    RECORD_ADDED = "admin.added", _("Thêm dữ liệu (trang quản trị)")
    RECORD_CHANGED = "admin.changed", _("Sửa dữ liệu (trang quản trị)")
    RECORD_DELETED = "admin.deleted", _("Xóa dữ liệu (trang quản trị)")

    DOSSIER_CREATED = "dossier.created", _("Lập hồ sơ")
    DOSSIER_EDITED = "dossier.edited", _("Sửa hồ sơ")
    DOSSIER_SUBMITTED = "dossier.submitted", _("Nộp hồ sơ")
    DOSSIER_RETURNED = "dossier.returned", _("Trả lại hồ sơ")
    DOSSIER_RECOGNISED = "dossier.recognised", _("Công nhận cấp đơn vị")
    DOSSIER_NOMINATED = "dossier.nominated", _("Đề cử lên tỉnh")
    DOSSIER_WITHDRAWN = "dossier.withdrawn", _("Rút hồ sơ")
    DOSSIER_ELIGIBLE = "dossier.eligible", _("Thẩm tra: đủ điều kiện")
    DOSSIER_INELIGIBLE = "dossier.ineligible", _("Thẩm tra: không đủ điều kiện")
    DOSSIER_SCORED = "dossier.scored", _("Có kết quả chấm của Hội đồng")
    DOSSIER_RANKED = "dossier.ranked", _("Được xếp hạng")
    DOSSIER_AWARDED = "dossier.awarded", _("Được tôn vinh")
    DOSSIER_NOT_AWARDED = "dossier.not_awarded", _("Không được tôn vinh")
    ATTACHMENT_ADDED = "dossier.attachment_added", _("Đính kèm tệp")
    ATTACHMENT_REMOVED = "dossier.attachment_removed", _("Xóa tệp đính kèm")
    DEADLINE_EXTENDED = "campaign.extended", _("Gia hạn nộp hồ sơ")

    RUBRIC_CREATED = "rubric.created", _("Tạo bộ tiêu chí")
    RUBRIC_COPIED = "rubric.copied", _("Sao chép bộ tiêu chí năm trước")
    COUNCIL_FOUNDED = "council.founded", _("Thành lập Hội đồng")
    COUNCIL_MEMBER_ADDED = "council.member_added", _("Thêm thành viên Hội đồng")
    COUNCIL_MEMBER_CHANGED = "council.member_changed", _("Đổi vai trò thành viên Hội đồng")
    COUNCIL_MEMBER_REMOVED = "council.member_removed", _("Bỏ thành viên Hội đồng")
    ASSIGNMENT_AUTO = "council.assigned_auto", _("Phân công chấm tự động")
    ASSIGNMENT_ADDED = "assignment.added", _("Phân công chấm")
    ASSIGNMENT_REMOVED = "assignment.removed", _("Bỏ phân công chấm")
    CONFLICT_DECLARED = "assignment.conflict", _("Khai báo xung đột lợi ích")
    SCORE_SAVED = "sheet.saved", _("Lưu nháp phiếu chấm")
    SCORE_SUBMITTED = "sheet.submitted", _("Nộp phiếu chấm")
    SCORE_REOPENED = "sheet.reopened", _("Mở lại phiếu chấm")
    REMINDERS_SENT = "council.reminded", _("Gửi thư nhắc chấm")
    RESULTS_ANNOUNCED = "council.announced", _("Công bố kết quả chấm")
    APPEAL_LODGED = "appeal.lodged", _("Gửi khiếu nại")
    APPEAL_ANSWERED = "appeal.answered", _("Trả lời khiếu nại")

    POLICY_CHANGED = "awards.policy_changed", _("Sửa chính sách tôn vinh")
    RANKING_STARTED = "ranking.started", _("Bắt đầu xếp hạng")
    RANKING_DONE = "ranking.done", _("Xếp hạng xong")
    RANKING_FAILED = "ranking.failed", _("Xếp hạng bị lỗi")
    LIST_DRAFTED = "award_list.drafted", _("Lập dự thảo")
    HONOUREE_ADDED = "award_list.added", _("Bổ sung")
    HONOUREE_CHANGED = "award_list.changed", _("Sửa")
    HONOUREE_REMOVED = "award_list.removed", _("Đưa ra khỏi danh sách")
    LIST_APPROVED = "award_list.approved", _("Phê duyệt")
    LIST_PUBLISHED = "award_list.published", _("Công bố")
    HONOUREE_AMENDED = "award_list.amended", _("Đính chính")
    PORTRAIT_SET = "award_list.portrait_set", _("Cập nhật ảnh chân dung")
    PORTRAIT_REMOVED = "award_list.portrait_removed", _("Xóa ảnh chân dung")
    UPWARD_MARKED = "upward.marked", _("Đề cử lên Trung ương")
    UPWARD_UNMARKED = "upward.unmarked", _("Bỏ đề cử lên Trung ương")
    UPWARD_EXPORTED = "upward.exported", _("Xuất hồ sơ đề cử")

    FUND_DRAFTED = "fund.drafted", _("Lập chứng từ")
    FUND_APPROVED = "fund.approved", _("Duyệt, ghi sổ chứng từ")
    FUND_REJECTED = "fund.rejected", _("Từ chối chứng từ")

    RECORD_PUBLISHED = "public.published", _("Đưa vào cơ sở dữ liệu sáng tạo")
    RECORD_REFRESHED = "public.refreshed", _("Cập nhật bản ghi công khai")
    RECORD_WITHDRAWN = "public.withdrawn", _("Gỡ khỏi cơ sở dữ liệu sáng tạo")
    APPLICATION_RECORDED = "application.recorded", _("Ghi nhận áp dụng nhân rộng")
    APPLICATION_CONFIRMED = "application.confirmed", _("Xác nhận áp dụng nhân rộng")
    APPLICATION_REJECTED = "application.rejected", _("Không xác nhận áp dụng nhân rộng")

    REPORT_REQUESTED = "report.requested", _("Yêu cầu tạo báo cáo")
    REPORT_RETRIED = "report.retried", _("Yêu cầu tạo lại báo cáo")
    REPORT_DONE = "report.done", _("Tạo xong báo cáo")
    REPORT_FAILED = "report.failed", _("Tạo báo cáo bị lỗi")
    RESULT_CORRECTED = "appeal.result_corrected", _("Sửa điểm theo kết luận khiếu nại")
    LOGIN_UNLOCKED = "login.unlocked", _("Mở khóa đăng nhập")
    ROLE_REQUESTED = "role.requested", _("Đề nghị giao, thu hồi vai trò")
    ROLE_REQUEST_APPROVED = "role.request_approved", _("Duyệt đề nghị giao, thu hồi vai trò")
    ROLE_REQUEST_REJECTED = "role.request_rejected", _("Từ chối đề nghị giao, thu hồi vai trò")
    ROLE_REQUEST_CANCELLED = "role.request_cancelled", _("Hủy đề nghị giao, thu hồi vai trò")
    ROLE_GRANTED_BY_SUPERUSER = "role.break_glass", _("Quản trị cấp cao giao, thu hồi vai trò trực tiếp")
    ACCOUNT_INVITED = "account.invited", _("Tạo tài khoản, gửi thư mời")
    INVITATION_RESENT = "account.invitation_resent", _("Gửi lại thư mời")
    PASSWORD_SET_BY_SUPERUSER = "account.password_set", _("Quản trị cấp cao đặt mật khẩu")
    IMPORT_REQUESTED = "import.requested", _("Tải lên tệp nhập hồ sơ từ Excel")
    IMPORT_DONE = "import.done", _("Nhập hồ sơ từ Excel xong")
    IMPORT_FAILED = "import.failed", _("Nhập hồ sơ từ Excel bị lỗi")
    JOB_RESENT = "job.resent", _("Gửi lại việc bị thất lạc vào hàng đợi")
    JOB_REQUEUED = "job.requeued", _("Chạy lại việc bị dừng giữa chừng")


class AppendOnly(models.QuerySet):
    """An audit row is never changed or removed; on PostgreSQL a trigger refuses it too (migration 0002)."""

    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """What happened: who (empty for the scheduled jobs), when, which action on which object, why, and
    the facts of the change (`detail`: before/after values, names, amounts)."""

    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("việc"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(_("đối tượng"), max_length=300)
    reason = models.TextField(_("lý do"), blank=True)
    detail = models.JSONField(_("nội dung"), default=dict, blank=True)

    objects = AppendOnly.as_manager()

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["-created_at", "-id"]
        indexes = [
            # an object's trail on its page: WHERE content_type_id = … AND object_id = … ORDER BY created_at
            models.Index(fields=["content_type", "object_id", "created_at"], name="audit_object_idx"),
            # the audit page, newest first, filtered by actor or action
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
            models.Index(fields=["-created_at", "-id"], name="audit_time_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")

    @property
    def label(self) -> str:
        try:
            return Action(self.action).label  # a dictionary look-up; Action.values builds a list
        except ValueError:
            return self.action


class OutboxEmail(models.Model):
    """An e-mail waiting to be sent, written in the transaction of the change it tells about: a broker
    or mail server that is down delays it, never loses it (dksangtao.mail)."""

    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    subject = models.CharField(_("tiêu đề"), max_length=998)
    body = models.TextField(_("nội dung"))
    html_body = models.TextField(_("nội dung HTML"), blank=True)
    to = models.JSONField(_("người nhận"), default=list)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    last_error = models.TextField(_("lỗi lần gửi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thư chờ gửi")
        verbose_name_plural = _("thư chờ gửi")
        ordering = ["created_at", "id"]
        indexes = [
            # the sweep: WHERE sent_at IS NULL AND attempts < … ORDER BY created_at
            models.Index(
                fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent_idx"
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.subject}"
