"""Every write on campaigns and dossiers that is more than a form save.

Status changes all go through `_move`, the one place that checks the edge of the status machine
(TRANSITIONS), saves, and records who, when, from, to and why. The named actions around it
(`dossier_submit`, `dossier_return`, …) hold the row lock and add their own rules: deadlines,
completeness, the nomination quota, the reference number, the e-mails.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Unit
from dksangtao.errors import ActionRefused
from dksangtao.mail import queue_email
from dksangtao.roles import Role
from dksangtao.text import fold, nfc
from dksangtao.uploads import FileRefused, check_upload, save_with_file, sha256_of
from submissions.models import (
    Attachment,
    Author,
    Campaign,
    DeadlineExtension,
    Dossier,
    DossierEvent,
    ReferenceCounter,
    Status,
    UnitGrade,
)

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.RETURNED, S.RECOGNISED_AT_UNIT, S.NOMINATED, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.RECOGNISED_AT_UNIT: frozenset({S.NOMINATED, S.WITHDRAWN}),
    S.NOMINATED: frozenset({S.IN_APPRAISAL, S.INELIGIBLE, S.WITHDRAWN}),
    S.IN_APPRAISAL: frozenset({S.SCORED}),
    S.SCORED: frozenset({S.RANKED}),
    S.RANKED: frozenset({S.AWARDED, S.NOT_AWARDED}),
    S.INELIGIBLE: frozenset(),
    S.AWARDED: frozenset(),
    S.NOT_AWARDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Statuses that have used one of the unit's nominations.
NOMINATED_OR_LATER = frozenset(
    {S.NOMINATED, S.INELIGIBLE, S.IN_APPRAISAL, S.SCORED, S.RANKED, S.AWARDED, S.NOT_AWARDED}
)

TEXT_FIELDS = [
    "title",
    "summary",
    "owner",
    "collective_name",
    "current_situation",
    "solution_content",
    "novelty",
    "application_conditions",
    "application_scope",
    "benefits_by_author",
    "benefits_by_others",
    "trial_participants",
    "confidential_info",
]


def _date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _size(limit: int) -> str:
    megabytes, rest = divmod(limit, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else filesizeformat(limit)


def _ensure_edge(dossier: Dossier, to_status: str) -> None:
    if to_status not in TRANSITIONS[dossier.status]:
        raise ActionRefused(
            _("Không thể chuyển hồ sơ từ «%(from)s» sang «%(to)s».")
            % {"from": Status(dossier.status).label, "to": Status(to_status).label}
        )


def _move(dossier: Dossier, to_status: str, *, actor, reason: str = "", fields: tuple = ()) -> None:
    """Change status along an allowed edge and record it. Callers hold the row lock."""
    _ensure_edge(dossier, to_status)
    from_status = dossier.status
    dossier.status = to_status
    dossier.save(update_fields=["status", "updated_at", *fields])
    DossierEvent.objects.create(
        dossier=dossier, from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )


def _locked(dossier: Dossier) -> Dossier:
    # Lock the dossier row only (of=self): its campaign and unit are read, not locked, so work on
    # one dossier never queues behind work on another.
    return (
        Dossier.objects.select_for_update(of=("self",)).select_related("campaign", "unit").get(pk=dossier.pk)
    )


# Deadlines -------------------------------------------------------------------------------------


def submission_deadline(*, campaign: Campaign, unit: Unit) -> dt.date:
    """The unit's last day to submit: the campaign's, or a later one granted to that unit."""
    extension = DeadlineExtension.objects.filter(campaign=campaign, unit=unit).first()
    if extension and extension.submissions_close > campaign.submissions_close:
        return extension.submissions_close
    return campaign.submissions_close


def _check_submit_window(dossier: Dossier, today: dt.date) -> None:
    campaign = dossier.campaign
    deadline = submission_deadline(campaign=campaign, unit=dossier.unit)
    if today < campaign.submissions_open:
        raise ActionRefused(
            _("Đợt xét chọn chưa mở nhận hồ sơ; ngày bắt đầu nhận là %(date)s.")
            % {"date": _date(campaign.submissions_open)}
        )
    if dossier.status == S.RETURNED:
        # A returned dossier may come back while the unit can still review it.
        last_day = max(deadline, campaign.unit_review_deadline)
        if today > last_day:
            raise ActionRefused(
                _("Đã hết hạn nộp lại hồ sơ bị trả lại (ngày %(date)s).") % {"date": _date(last_day)}
            )
        return
    if today > deadline:
        raise ActionRefused(
            _("Đã hết hạn nộp hồ sơ (ngày %(date)s). Hồ sơ chưa được nộp.") % {"date": _date(deadline)}
        )


def _check_review_window(dossier: Dossier, today: dt.date) -> None:
    deadline = dossier.campaign.unit_review_deadline
    if today > deadline:
        raise ActionRefused(
            _("Đã hết hạn xét duyệt, đề cử của đơn vị (ngày %(date)s).") % {"date": _date(deadline)}
        )


# Drafts ----------------------------------------------------------------------------------------


def _apply(dossier: Dossier, data: dict) -> None:
    for name, value in data.items():
        setattr(dossier, name, nfc(value) if name in TEXT_FIELDS and isinstance(value, str) else value)
    if not dossier.is_collective:
        dossier.collective_name = ""
    dossier.search_text = fold(f"{dossier.title} {dossier.summary}")
    dossier.search_title = fold(dossier.title)


def _replace_authors(dossier: Dossier, authors: list[dict]) -> None:
    dossier.authors.all().delete()
    _add_authors(dossier, authors)


def _add_authors(dossier: Dossier, authors: list[dict]) -> None:
    Author.objects.bulk_create(
        Author(
            dossier=dossier,
            order=index,
            **{k: nfc(v) if isinstance(v, str) else v for k, v in author.items()},
        )
        for index, author in enumerate(authors)
    )


@transaction.atomic
def dossier_create(*, campaign: Campaign, unit: Unit, actor, data: dict, authors: list[dict]) -> Dossier:
    dossier = Dossier(campaign=campaign, unit=unit, created_by=actor, status=S.DRAFT)
    _apply(dossier, data)
    dossier.save()
    _add_authors(dossier, authors)
    DossierEvent.objects.create(dossier=dossier, from_status="", to_status=S.DRAFT, actor=actor)
    return dossier


@transaction.atomic
def dossier_update(*, dossier: Dossier, actor, data: dict, authors: list[dict]) -> Dossier:
    dossier = _locked(dossier)
    if dossier.status not in EDITABLE:
        raise ActionRefused(_("Hồ sơ đã nộp chỉ được xem, không được sửa."))
    _apply(dossier, data)
    dossier.save()
    _replace_authors(dossier, authors)
    return dossier


def dossier_missing_items(dossier: Dossier) -> list[str]:
    """What must be completed before submitting, in the person's words."""
    missing = []
    required = {
        "first_applied_on": _("ngày áp dụng lần đầu hoặc áp dụng thử"),
        "current_situation": _("tình trạng hiện tại"),
        "solution_content": _("nội dung, bản chất của giải pháp"),
        "novelty": _("tính mới, tính sáng tạo"),
        "application_scope": _("khả năng, phạm vi áp dụng"),
        "benefits_by_author": _("hiệu quả, lợi ích theo đánh giá của tác giả"),
    }
    for name, label in required.items():
        if not getattr(dossier, name):
            missing.append(_("Chưa điền mục «%(label)s».") % {"label": label})
    total = dossier.authors.aggregate(total=Sum("contribution_percent"))["total"]
    if total is None:
        missing.append(_("Chưa có tác giả nào."))
    elif total != 100:
        missing.append(
            _("Tổng tỷ lệ đóng góp của các tác giả là %(total)s%%, phải bằng 100%%.") % {"total": total}
        )
    if dossier.is_collective and not dossier.collective_name:
        missing.append(_("Chưa ghi tên tập thể tác giả."))
    return missing


# Status changes --------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    """DKST-YYYY-NNNNN, unique: the year's counter row is locked and incremented in the caller's
    transaction, so concurrent submits queue on it. A rollback gives the number back; a withdrawn
    dossier keeps its number (gaps are allowed, duplicates never)."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"DKST-{year}-{counter.last_number:05d}"


def dossier_submit(*, dossier: Dossier, actor, today: dt.date | None = None) -> Dossier:
    today = today or timezone.localdate()
    with transaction.atomic():
        dossier = _locked(dossier)
        if dossier.status not in EDITABLE:
            raise ActionRefused(_("Hồ sơ này không ở trạng thái có thể nộp."))
        _check_submit_window(dossier, today)
        missing = dossier_missing_items(dossier)
        if missing:
            raise ActionRefused(" ".join([_("Hồ sơ chưa đủ để nộp:"), *missing]))
        resubmission = dossier.status == S.RETURNED
        if dossier.reference is None:
            dossier.reference = _next_reference(dossier.campaign.year)
        dossier.submitted_at = timezone.now()
        _move(dossier, S.SUBMITTED, actor=actor, fields=("reference", "submitted_at"))
        _notify_reviewers(dossier, resubmission=resubmission)
    return dossier


def dossier_withdraw(*, dossier: Dossier, actor, reason: str = "") -> Dossier:
    with transaction.atomic():
        dossier = _locked(dossier)
        if dossier.status == S.WITHDRAWN:
            raise ActionRefused(_("Hồ sơ này đã được rút trước đó."))
        if S.WITHDRAWN not in TRANSITIONS[dossier.status]:
            raise ActionRefused(_("Hồ sơ đã qua bước thẩm tra của tỉnh, không thể rút."))
        _move(dossier, S.WITHDRAWN, actor=actor, reason=nfc(reason).strip())
    return dossier


def dossier_return(*, dossier: Dossier, actor, reason: str, today: dt.date | None = None) -> Dossier:
    reason = nfc(reason).strip()
    if not reason:
        raise ActionRefused(_("Vui lòng ghi lý do trả lại để đơn vị biết cần bổ sung gì."))
    with transaction.atomic():
        dossier = _locked(dossier)
        _ensure_edge(dossier, S.RETURNED)
        _check_review_window(dossier, today or timezone.localdate())
        _move(dossier, S.RETURNED, actor=actor, reason=reason)
        _notify_submitter(dossier, "returned", reason=reason)
    return dossier


def dossier_recognise(*, dossier: Dossier, actor, grade: str, reason: str = "", today=None) -> Dossier:
    if grade not in UnitGrade.values:
        raise ActionRefused(_("Vui lòng chọn mức xếp loại cấp đơn vị."))
    with transaction.atomic():
        dossier = _locked(dossier)
        _ensure_edge(dossier, S.RECOGNISED_AT_UNIT)
        _check_review_window(dossier, today or timezone.localdate())
        dossier.unit_grade = grade
        _move(dossier, S.RECOGNISED_AT_UNIT, actor=actor, reason=nfc(reason).strip(), fields=("unit_grade",))
    return dossier


def dossier_nominate(*, dossier: Dossier, actor, reason: str = "", today=None) -> Dossier:
    with transaction.atomic():
        dossier = _locked(dossier)
        _ensure_edge(dossier, S.NOMINATED)
        _check_review_window(dossier, today or timezone.localdate())
        # The campaign row lock serialises concurrent nominations, so the quota cannot be overrun.
        campaign = Campaign.objects.select_for_update().get(pk=dossier.campaign_id)
        if campaign.nomination_quota is not None:
            used = Dossier.objects.filter(
                campaign=campaign, unit=dossier.unit, status__in=NOMINATED_OR_LATER
            ).count()
            if used >= campaign.nomination_quota:
                raise ActionRefused(
                    _("Đơn vị «%(unit)s» đã đề cử đủ %(quota)s hồ sơ, là số tối đa của đợt này.")
                    % {"unit": dossier.unit.name, "quota": campaign.nomination_quota}
                )
        _move(dossier, S.NOMINATED, actor=actor, reason=nfc(reason).strip())
        _notify_submitter(dossier, "nominated")
    return dossier


def dossier_screen(*, dossier: Dossier, actor, eligible: bool, reason: str = "", today=None) -> Dossier:
    """The secretary's eligibility screening of a nominated dossier: eligible → in appraisal;
    ineligible → with a reason, notified to the unit."""
    reason = nfc(reason).strip()
    if not eligible and not reason:
        raise ActionRefused(_("Vui lòng ghi lý do hồ sơ không đủ điều kiện."))
    with transaction.atomic():
        dossier = _locked(dossier)
        _ensure_edge(dossier, S.IN_APPRAISAL if eligible else S.INELIGIBLE)
        deadline = dossier.campaign.screening_deadline
        if (today or timezone.localdate()) > deadline:
            raise ActionRefused(
                _("Đã hết hạn thẩm tra điều kiện (ngày %(date)s).") % {"date": _date(deadline)}
            )
        _move(dossier, S.IN_APPRAISAL if eligible else S.INELIGIBLE, actor=actor, reason=reason)
        _notify_unit(dossier, "eligible" if eligible else "ineligible", reason=reason)
    return dossier


def dossier_conclude(*, dossier: Dossier, awarded: bool, actor, reason: str = "") -> Dossier:
    """Publishing the award list: a dossier the council ranked ends awarded or not awarded, walking
    the edges it has not walked yet (in appraisal → scored → ranked → awarded / not awarded), each
    recorded. The caller holds the transaction."""
    final = S.AWARDED if awarded else S.NOT_AWARDED
    dossier = _locked(dossier)
    path = {S.IN_APPRAISAL: [S.SCORED, S.RANKED], S.SCORED: [S.RANKED], S.RANKED: []}
    if dossier.status not in path:
        raise ActionRefused(
            _("Hồ sơ %(ref)s đang ở trạng thái «%(status)s», không thể kết luận tôn vinh.")
            % {"ref": dossier.reference, "status": dossier.get_status_display()}
        )
    for step in [*path[dossier.status], final]:
        _move(dossier, step, actor=actor, reason=reason if step == final else "")
    return dossier


# Extensions ------------------------------------------------------------------------------------


def extension_check(*, campaign: Campaign, until: dt.date, reason: str) -> None:
    """The rules of an extension: a reason, and a date after the campaign's close and no later than
    the unit review deadline (so the unit still has time to review)."""
    if not nfc(reason or "").strip():
        raise ActionRefused(_("Vui lòng ghi lý do gia hạn."))
    if until <= campaign.submissions_close:
        raise ActionRefused(
            _("Hạn mới phải sau hạn chung của đợt (%(date)s).") % {"date": _date(campaign.submissions_close)}
        )
    if until > campaign.unit_review_deadline:
        raise ActionRefused(
            _("Hạn mới không được sau hạn xét duyệt của đơn vị (%(date)s).")
            % {"date": _date(campaign.unit_review_deadline)}
        )


@transaction.atomic
def deadline_extend(
    *, campaign: Campaign, unit: Unit, until: dt.date, reason: str, actor
) -> DeadlineExtension:
    """Grant (or change) one unit's later submission deadline; recorded with who and when."""
    extension_check(campaign=campaign, until=until, reason=reason)
    reason = nfc(reason).strip()
    extension, _created = DeadlineExtension.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={"submissions_close": until, "reason": reason, "granted_by": actor},
    )
    return extension


# Attachments -----------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, dossier: Dossier, upload, actor) -> Attachment:
    dossier = _locked(dossier)
    if dossier.status not in EDITABLE:
        raise ActionRefused(_("Hồ sơ đã nộp: không thể thêm tệp đính kèm."))
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ActionRefused(
            _("Tệp «%(name)s» lớn hơn %(limit)s, là mức tối đa cho mỗi tệp.")
            % {"name": upload.name, "limit": _size(settings.ATTACHMENT_MAX_BYTES)}
        )
    used = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > settings.DOSSIER_ATTACHMENTS_MAX_BYTES:
        raise ActionRefused(
            _("Tổng dung lượng tệp của hồ sơ sẽ vượt %(limit)s; hãy bớt tệp hoặc nén lại.")
            % {"limit": _size(settings.DOSSIER_ATTACHMENTS_MAX_BYTES)}
        )
    try:
        file_type = check_upload(upload)
    except FileRefused as refused:
        raise ActionRefused(str(refused)) from None
    attachment = Attachment(
        dossier=dossier,
        stored_name=f"{uuid.uuid4().hex}.{file_type}",
        original_name=nfc(upload.name)[:255],
        file_type=file_type,
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=actor,
    )
    save_with_file(attachment, upload)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    dossier = _locked(attachment.dossier)
    if dossier.status not in EDITABLE:
        raise ActionRefused(_("Hồ sơ đã nộp: không thể xóa tệp đính kèm."))
    stored = attachment.file.name
    attachment.delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(stored))


# E-mail ----------------------------------------------------------------------------------------


def _dossier_url(dossier: Dossier) -> str:
    from django.urls import reverse

    return f"{settings.SITE_URL}{reverse('submissions:detail', args=[dossier.pk])}"


def _notify_reviewers(dossier: Dossier, *, resubmission: bool) -> None:
    """Submitted → the reviewers of the submitting unit and of the units above it."""
    unit_ids, unit = [], dossier.unit
    while unit is not None:
        unit_ids.append(unit.pk)
        unit = unit.parent
    emails = sorted(
        set(
            Membership.objects.filter(
                role=Role.UNIT_REVIEWER, unit_id__in=unit_ids, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    if not emails:
        return
    context = {"dossier": dossier, "url": _dossier_url(dossier), "resubmission": resubmission}
    queue_email(
        subject=render_to_string("submissions/email/submitted_subject.txt", context),
        body=render_to_string("submissions/email/submitted.txt", context),
        to=emails,
    )


def _unit_reviewer_emails(dossier: Dossier) -> list[str]:
    return list(
        Membership.objects.filter(
            role=Role.UNIT_REVIEWER, unit=dossier.unit, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _notify_unit(dossier: Dossier, event: str, *, reason: str = "") -> None:
    """Screening results → the person who prepared the dossier and the unit's reviewers."""
    recipients = set(_unit_reviewer_emails(dossier))
    if dossier.created_by.is_active:
        recipients.add(dossier.created_by.email)
    if not recipients:
        return
    context = {"dossier": dossier, "url": _dossier_url(dossier), "reason": reason}
    queue_email(
        subject=render_to_string(f"submissions/email/{event}_subject.txt", context),
        body=render_to_string(f"submissions/email/{event}.txt", context),
        to=sorted(recipients),
    )


def _notify_submitter(dossier: Dossier, event: str, *, reason: str = "") -> None:
    """Returned and nominated → the person who prepared the dossier."""
    creator = dossier.created_by
    if not creator.is_active:
        return
    context = {"dossier": dossier, "url": _dossier_url(dossier), "reason": reason, "name": creator.full_name}
    queue_email(
        subject=render_to_string(f"submissions/email/{event}_subject.txt", context),
        body=render_to_string(f"submissions/email/{event}.txt", context),
        to=[creator.email],
    )
