"""Every write on campaigns and dossiers that is more than a form save.

Status changes all go through `_move` (one dossier) or `_move_many` (a ranking run, a publication):
the one place that checks the edge of the status machine (TRANSITIONS), saves, and records who,
when, from, to and why in the audit trail. The named actions around it (`dossier_submit`,
`dossier_return`, …) hold the row lock and add their own rules: deadlines, completeness, the
nomination quota, the reference number, the e-mails. The council and the awards move dossiers
only through the named actions below (`dossier_screen`, `dossiers_scored`, `dossiers_ranked`,
`dossiers_conclude`).
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.selectors import emails_by_unit, emails_of
from dksangtao.audit import Action, record, record_many
from dksangtao.errors import ActionRefused
from dksangtao.files import size_text, store_upload
from dksangtao.formatting import format_date
from dksangtao.jobs import JobStatus, JobTakenOver
from dksangtao.mail import notify, site_url
from dksangtao.roles import Role
from dksangtao.text import fold, nfc
from submissions.models import (
    Attachment,
    Author,
    Campaign,
    DeadlineExtension,
    Dossier,
    ImportJob,
    ImportMode,
    ReferenceCounter,
    Status,
    UnitGrade,
)

logger = logging.getLogger(__name__)

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


# The audit action each status is reached by.
STATUS_ACTIONS = {
    S.DRAFT: Action.DOSSIER_CREATED,
    S.SUBMITTED: Action.DOSSIER_SUBMITTED,
    S.RETURNED: Action.DOSSIER_RETURNED,
    S.RECOGNISED_AT_UNIT: Action.DOSSIER_RECOGNISED,
    S.NOMINATED: Action.DOSSIER_NOMINATED,
    S.WITHDRAWN: Action.DOSSIER_WITHDRAWN,
    S.IN_APPRAISAL: Action.DOSSIER_ELIGIBLE,
    S.INELIGIBLE: Action.DOSSIER_INELIGIBLE,
    S.SCORED: Action.DOSSIER_SCORED,
    S.RANKED: Action.DOSSIER_RANKED,
    S.AWARDED: Action.DOSSIER_AWARDED,
    S.NOT_AWARDED: Action.DOSSIER_NOT_AWARDED,
}


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
    record(
        actor=actor,
        action=STATUS_ACTIONS[to_status],
        obj=dossier,
        reason=reason,
        detail={"from": from_status, "to": to_status},
    )


def _move_many(dossiers: QuerySet, *, from_status: str, to_status: str, actor, reason: str = "") -> int:
    """The same edge for many dossiers at once: those of `dossiers` still at `from_status` are locked,
    moved and recorded in a few statements, whatever their number. Callers hold the transaction."""
    if to_status not in TRANSITIONS[from_status]:
        raise ValueError(f"{from_status} → {to_status} is not an edge of the status machine")
    moving = list(
        dossiers.filter(status=from_status)
        .select_for_update(of=("self",))
        .only("id", "reference", "title", "status")
        .order_by("id")
    )
    Dossier.objects.filter(pk__in=[d.pk for d in moving]).update(status=to_status, updated_at=timezone.now())
    record_many(
        actor=actor,
        action=STATUS_ACTIONS[to_status],
        objects=moving,
        reason=reason,
        detail={"from": from_status, "to": to_status},
    )
    return len(moving)


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
            % {"date": format_date(campaign.submissions_open)}
        )
    if dossier.status == S.RETURNED:
        # A returned dossier may come back while the unit can still review it.
        last_day = max(deadline, campaign.unit_review_deadline)
        if today > last_day:
            raise ActionRefused(
                _("Đã hết hạn nộp lại hồ sơ bị trả lại (ngày %(date)s).") % {"date": format_date(last_day)}
            )
        return
    if today > deadline:
        raise ActionRefused(
            _("Đã hết hạn nộp hồ sơ (ngày %(date)s). Hồ sơ chưa được nộp.") % {"date": format_date(deadline)}
        )


def _check_review_window(dossier: Dossier, today: dt.date) -> None:
    deadline = dossier.campaign.unit_review_deadline
    if today > deadline:
        raise ActionRefused(
            _("Đã hết hạn xét duyệt, đề cử của đơn vị (ngày %(date)s).") % {"date": format_date(deadline)}
        )


# Drafts ----------------------------------------------------------------------------------------


def _apply(dossier: Dossier, data: dict) -> list[str]:
    """Set the form's values; the names of the fields whose value changed."""
    changed = []
    for name, value in data.items():
        value = nfc(value) if name in TEXT_FIELDS and isinstance(value, str) else value
        if getattr(dossier, name, None) != value:  # a new dossier has no kind or field yet
            changed.append(name)
        setattr(dossier, name, value)
    if not dossier.is_collective:
        dossier.collective_name = ""
    dossier.search_text = fold(f"{dossier.title} {dossier.summary}")
    dossier.search_title = fold(dossier.title)
    return changed


def _author_rows(authors: list[dict]) -> list[dict]:
    return [{k: nfc(v) if isinstance(v, str) else v for k, v in author.items()} for author in authors]


def _add_authors(dossier: Dossier, authors: list[dict]) -> None:
    Author.objects.bulk_create(
        Author(dossier=dossier, order=index, **author) for index, author in enumerate(_author_rows(authors))
    )


@transaction.atomic
def dossier_create(*, campaign: Campaign, unit: Unit, actor, data: dict, authors: list[dict]) -> Dossier:
    dossier = Dossier(campaign=campaign, unit=unit, created_by=actor, status=S.DRAFT)
    _apply(dossier, data)
    dossier.save()
    _add_authors(dossier, authors)
    record(actor=actor, action=Action.DOSSIER_CREATED, obj=dossier, detail={"from": "", "to": S.DRAFT})
    return dossier


BULK_BATCH = 1000  # rows per INSERT when many drafts are written at once


@transaction.atomic
def dossier_create_many(
    *, campaign: Campaign, unit: Unit, actor, rows: list[tuple[dict, list[dict]]]
) -> list[Dossier]:
    """dossier_create for many drafts at once (the Excel import): `rows` are (data, authors) pairs.
    The same rows as dossier_create writes — the values normalised by _apply (NFC, the folded search
    columns), the authors in their order, one «created» event each in the audit trail — in a few bulk
    INSERTs instead of seven statements a dossier. All or none."""
    dossiers = []
    for data, _authors in rows:
        dossier = Dossier(campaign=campaign, unit=unit, created_by=actor, status=S.DRAFT)
        _apply(dossier, data)
        dossiers.append(dossier)
    Dossier.objects.bulk_create(dossiers, batch_size=BULK_BATCH)  # their ids come back
    Author.objects.bulk_create(
        (
            Author(dossier=dossier, order=index, **author)
            for dossier, (_data, authors) in zip(dossiers, rows, strict=True)
            for index, author in enumerate(_author_rows(authors))
        ),
        batch_size=BULK_BATCH,
    )
    record_many(
        actor=actor, action=Action.DOSSIER_CREATED, objects=dossiers, detail={"from": "", "to": S.DRAFT}
    )
    return dossiers


@transaction.atomic
def dossier_update(*, dossier: Dossier, actor, data: dict, authors: list[dict]) -> Dossier:
    dossier = _locked(dossier)
    if dossier.status not in EDITABLE:
        raise ActionRefused(_("Hồ sơ đã nộp chỉ được xem, không được sửa."))
    changed = _apply(dossier, data)
    dossier.save()
    rows = _author_rows(authors)
    keys = list(rows[0]) if rows else []
    before = [
        {key: getattr(author, key) for key in keys} for author in dossier.authors.order_by("order", "id")
    ]
    if before != rows:
        changed.append("authors")
        dossier.authors.all().delete()
        _add_authors(dossier, authors)
    if changed:
        record(actor=actor, action=Action.DOSSIER_EDITED, obj=dossier, detail={"fields": changed})
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
                _("Đã hết hạn thẩm tra điều kiện (ngày %(date)s).") % {"date": format_date(deadline)}
            )
        _move(dossier, S.IN_APPRAISAL if eligible else S.INELIGIBLE, actor=actor, reason=reason)
        _notify_unit(dossier, "eligible" if eligible else "ineligible", reason=reason)
    return dossier


def dossiers_scored(*, dossiers: QuerySet, actor) -> int:
    """The council has announced its results: the dossiers in appraisal among `dossiers` (those with a
    valid result, chosen by the council) become «scored». The caller holds the transaction."""
    return _move_many(dossiers, from_status=S.IN_APPRAISAL, to_status=S.SCORED, actor=actor)


def dossiers_ranked(*, dossiers: QuerySet, actor=None) -> int:
    """A finished ranking run includes them: scored dossiers become «ranked» (already ranked ones by an
    earlier run stay). `actor`: who started the run; None for the schedule."""
    return _move_many(dossiers, from_status=S.SCORED, to_status=S.RANKED, actor=actor)


def dossiers_conclude(*, awarded: QuerySet, not_awarded: QuerySet, actor, reason: str = "") -> None:
    """Publishing the award list: the ranked dossiers of its run end awarded or not awarded, each
    recorded. Refused if one of them is not «ranked» (nothing is moved then). The caller holds the
    transaction."""
    for dossiers, final in ((awarded, S.AWARDED), (not_awarded, S.NOT_AWARDED)):
        stray = dossiers.exclude(status=S.RANKED).order_by("reference").first()
        if stray is not None:
            raise ActionRefused(
                _("Hồ sơ %(ref)s đang ở trạng thái «%(status)s», không thể kết luận tôn vinh.")
                % {"ref": stray.reference, "status": stray.get_status_display()}
            )
        _move_many(dossiers, from_status=S.RANKED, to_status=final, actor=actor, reason=reason)


# Extensions ------------------------------------------------------------------------------------


def extension_check(*, campaign: Campaign, until: dt.date, reason: str) -> None:
    """The rules of an extension: a reason, and a date after the campaign's close and no later than
    the unit review deadline (so the unit still has time to review)."""
    if not nfc(reason or "").strip():
        raise ActionRefused(_("Vui lòng ghi lý do gia hạn."))
    if until <= campaign.submissions_close:
        raise ActionRefused(
            _("Hạn mới phải sau hạn chung của đợt (%(date)s).")
            % {"date": format_date(campaign.submissions_close)}
        )
    if until > campaign.unit_review_deadline:
        raise ActionRefused(
            _("Hạn mới không được sau hạn xét duyệt của đơn vị (%(date)s).")
            % {"date": format_date(campaign.unit_review_deadline)}
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
    record(
        actor=actor,
        action=Action.DEADLINE_EXTENDED,
        obj=campaign,
        reason=reason,
        detail={"unit": unit.pk, "until": until.isoformat(), "summary": f"{unit.name}: {format_date(until)}"},
    )
    return extension


# Attachments -----------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, dossier: Dossier, upload, actor) -> Attachment:
    dossier = _locked(dossier)
    if dossier.status not in EDITABLE:
        raise ActionRefused(_("Hồ sơ đã nộp: không thể thêm tệp đính kèm."))
    used = dossier.attachments.aggregate(total=Sum("size"))["total"] or 0
    if used + upload.size > settings.DOSSIER_ATTACHMENTS_MAX_BYTES:
        raise ActionRefused(
            _("Tổng dung lượng tệp của hồ sơ sẽ vượt %(limit)s; hãy bớt tệp hoặc nén lại.")
            % {"limit": size_text(settings.DOSSIER_ATTACHMENTS_MAX_BYTES)}
        )
    attachment = store_upload(
        Attachment(dossier=dossier, uploaded_by=actor), upload, max_bytes=settings.ATTACHMENT_MAX_BYTES
    )
    record(
        actor=actor,
        action=Action.ATTACHMENT_ADDED,
        obj=dossier,
        detail={
            "file": attachment.original_name,
            "sha256": attachment.sha256,
            "summary": attachment.original_name,
        },
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    dossier = _locked(attachment.dossier)
    if dossier.status not in EDITABLE:
        raise ActionRefused(_("Hồ sơ đã nộp: không thể xóa tệp đính kèm."))
    stored = attachment.file.name
    attachment.delete()
    record(
        actor=actor,
        action=Action.ATTACHMENT_REMOVED,
        obj=dossier,
        detail={"file": attachment.original_name, "summary": attachment.original_name},
    )
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(stored))


# E-mail ----------------------------------------------------------------------------------------


def _unit_and_above(unit: Unit) -> list[int]:
    ids = []
    while unit is not None:
        ids.append(unit.pk)
        unit = unit.parent
    return ids


def recipients_by_dossier(dossiers) -> dict[int, set[str]]:
    """Who hears about each dossier: whoever prepared it and the leaders (reviewers) of its unit —
    two queries however many dossiers (an announcement, a publication)."""
    dossiers = list(dossiers)
    reviewers = emails_by_unit(Role.UNIT_REVIEWER, {d.unit_id for d in dossiers})
    creators = dict(
        User.objects.filter(pk__in={d.created_by_id for d in dossiers}, is_active=True).values_list(
            "pk", "email"
        )
    )
    return {
        d.pk: reviewers.get(d.unit_id, set())
        | ({creators[d.created_by_id]} if d.created_by_id in creators else set())
        for d in dossiers
    }


def _notify(dossier: Dossier, event: str, to, **context) -> None:
    context = {"dossier": dossier, "url": site_url("submissions:detail", dossier.pk), **context}
    notify(template=f"submissions/email/{event}", context=context, to=to)


def _notify_reviewers(dossier: Dossier, *, resubmission: bool) -> None:
    """Submitted → the reviewers of the submitting unit and of the units above it."""
    _notify(
        dossier,
        "submitted",
        emails_of(Role.UNIT_REVIEWER, _unit_and_above(dossier.unit)),
        resubmission=resubmission,
    )


def _notify_unit(dossier: Dossier, event: str, *, reason: str = "") -> None:
    """Screening results → the person who prepared the dossier and the unit's reviewers."""
    _notify(dossier, event, recipients_by_dossier([dossier])[dossier.pk], reason=reason)


def _notify_submitter(dossier: Dossier, event: str, *, reason: str = "") -> None:
    """Returned and nominated → the person who prepared the dossier."""
    creator = dossier.created_by
    _notify(
        dossier, event, [creator.email] if creator.is_active else [], reason=reason, name=creator.full_name
    )


# The Excel import, run by a worker (submissions.tasks.run_import) ----------------------------------
#
# The web request checks the file without parsing it (imports.check_file) and keeps it; a worker
# checks every row (a dry run: the preview), and once the person confirms, imports the same file all
# or nothing. A job is claimed once from «queued» (dksangtao.jobs), and an import writes its
# dossiers and its «done» in one transaction: a task delivered twice, or run again after its worker
# died, never imports twice.

IMPORT_KEPT_FOR = dt.timedelta(days=1)  # a checked file nobody confirms is removed after a day


def _queue_import(job: ImportJob) -> None:
    job.enqueue()  # after the commit; a broker that is down leaves it failed-retryable (dksangtao.jobs)


def _remove_import_file(name: str) -> None:
    if name:
        default_storage.delete(name)


def _sweep_import_files() -> None:
    """Files of checks older than a day that were never confirmed (and of finished imports)."""
    cutoff = timezone.now() - IMPORT_KEPT_FOR
    stale = (
        ImportJob.objects.filter(mode=ImportMode.CHECK, created_at__lt=cutoff)
        .exclude(file="")
        .exclude(confirmation__status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    )
    for job in stale[:200]:
        _remove_import_file(job.file.name)
        ImportJob.objects.filter(file=job.file.name).update(file="")


def import_expire_stale(*, jobs) -> int:
    """Jobs of `jobs` waiting or running past the task time limit have lost their worker: failed
    (dksangtao.jobs), so that their page stops waiting and the person can upload again."""
    return ImportJob.expire_stale(jobs)


def import_request(*, upload, unit: Unit, campaign: Campaign, actor: User) -> ImportJob:
    """Keep the upload (private media, a random name) and queue its check. The caller has checked the
    file (imports.check_file) and that `actor` prepares dossiers for `unit`."""
    _sweep_import_files()
    import_expire_stale(jobs=ImportJob.objects.filter(requested_by=actor))
    extension = upload.name.rsplit(".", 1)[-1].lower()
    job = ImportJob(unit=unit, campaign=campaign, requested_by=actor, original_name=nfc(upload.name)[:255])
    upload.seek(0)
    job.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            record(
                actor=actor,
                action=Action.IMPORT_REQUESTED,
                obj=job,
                detail={"file": job.original_name, "unit": unit.name},
            )
            _queue_import(job)
    except Exception:
        _remove_import_file(job.file.name)
        raise
    return job


def import_confirm(*, check: ImportJob, actor: User) -> ImportJob:
    """Queue the import proper of a check that found no error; once per check."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().select_related("unit", "campaign").get(pk=check.pk)
        if locked.mode != ImportMode.CHECK or not locked.ok:
            raise ActionRefused(_("Chỉ nhập được tệp đã kiểm tra xong và không có lỗi."))
        if ImportJob.objects.filter(source=locked).exists():
            raise ActionRefused(_("Tệp này đã được xác nhận nhập; không nhập lại lần nữa."))
        if not locked.file or not default_storage.exists(locked.file.name):
            raise ActionRefused(_("Tệp đã tải lên không còn trên máy chủ; vui lòng tải lên lại."))
        job = ImportJob.objects.create(
            mode=ImportMode.IMPORT,
            source=locked,
            unit=locked.unit,
            campaign=locked.campaign,
            requested_by=actor,
            file=locked.file.name,
            original_name=locked.original_name,
            total=locked.total,
        )
        record(actor=actor, action=Action.IMPORT_REQUESTED, obj=job, detail={"file": job.original_name})
        _queue_import(job)
    return job


PREVIEW_ROWS = 200  # rows of a check's preview kept and shown


def _preview_row(row) -> dict:
    data = row.data
    first_applied_on = data.get("first_applied_on")
    return {
        "row": row.row,
        "title": data.get("title", ""),
        "kind": data["kind"].name if data.get("kind") else "",
        "field": data["field"].name if data.get("field") else "",
        "first_applied_on": format_date(first_applied_on) if first_applied_on else "",
        "economic_benefit_vnd": data.get("economic_benefit_vnd"),
        "authors": [[a["full_name"], a["contribution_percent"]] for a in row.authors],
    }


def _row_progress(job_id: int, total: int, *, start: int = 20, end: int = 95):
    """Progress from `start` % (the file read) to `end` % (every row checked), written when it moves."""
    shown = {"percent": start}

    def on_row(done: int) -> None:
        percent = start + ((end - start) * done) // max(total, 1)
        if percent >= shown["percent"] + 5:
            shown["percent"] = percent
            ImportJob.report_progress(job_id, percent)

    return on_row


def _import_finished(job: ImportJob, report) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
        total=report.total,
        invalid_count=report.invalid_count,
        created_count=report.created,
        row_errors=report.errors,
        # a sample of what will be imported: the page shows the count of the rest (a 10,000-row file's
        # preview would make a page of megabytes)
        preview=[_preview_row(row) for row in report.rows[:PREVIEW_ROWS]]
        if job.mode == ImportMode.CHECK
        else [],
    )
    record(
        actor=None,
        action=Action.IMPORT_DONE,
        obj=job,
        detail={
            "mode": job.mode,
            "rows": report.total,
            "created": report.created,
            "errors": len(report.errors),
        },
    )


def import_run(*, job_id: int) -> ImportJob | None:
    """Check (dry run) or import the file of a queued job; the job ends «done» with its rows or errors,
    or «failed» with the reason the file was refused. Called by submissions.tasks.run_import."""
    from submissions import imports  # imports uses this module's dossier_create

    job = ImportJob.claim(job_id, "unit", "campaign", "requested_by")
    if job is None:
        return ImportJob.objects.filter(pk=job_id).first()
    commit = job.mode == ImportMode.IMPORT
    try:
        with job.file.open("rb") as handle:
            dataset = imports.read_upload(File(handle, name=job.original_name))
            ImportJob.report_progress(job.pk, 20)
            options = {"unit": job.unit, "campaign": job.campaign, "actor": job.requested_by}
            # Every row is checked first (outside the transaction, so the page sees the progress:
            # to 95 % for a check, to 80 % before an import writes), then written in bulk.
            on_row = _row_progress(job.pk, len(dataset), end=80 if commit else 95)
            report = imports.dossier_import(dataset=dataset, commit=False, on_row=on_row, **options)
            write = commit and report.ok
            if write:
                ImportJob.report_progress(job.pk, 85)
            with transaction.atomic():  # the dossiers and the job's «done» together, or neither
                ImportJob.hold(job)  # a worker given up for dead must not import a second time
                if write:
                    imports.dossier_import_write(report=report, **options)
                _import_finished(job, report)
    except JobTakenOver:  # the job was requeued after this worker's heartbeat went stale
        logger.warning("import job %s was taken over; this worker's result is dropped", job_id)
        return ImportJob.objects.get(pk=job_id)
    except imports.ImportRefused as refused:
        error = str(refused)
    except (FileNotFoundError, ValueError):  # ValueError: the row's file name was cleared by the sweep
        error = _("Tệp đã tải lên không còn trên máy chủ; vui lòng tải lên lại.")
    except Exception:
        logger.exception("import job %s failed", job_id)
        error = _("Lỗi hệ thống khi đọc tệp; chưa hồ sơ nào được nhập. Hãy thử lại sau hoặc báo quản trị.")
    else:
        error = ""
    if error:
        if not ImportJob.fail(job.pk, error, claimed=job):
            return ImportJob.objects.get(pk=job_id)
        record(actor=None, action=Action.IMPORT_FAILED, obj=job, detail={"error": error[:500]})
    finished = ImportJob.objects.get(pk=job.pk)
    if commit or not finished.ok:  # nothing more will read it
        _remove_import_file(finished.file.name)
    return finished
