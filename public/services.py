"""Every change to the public database: a record made public (by a published list or by a Front
admin's mark), withdrawn with a reason, and the applications elsewhere recorded and confirmed. Each
records its audit event and, after the commit, asks for the open-data files to be rebuilt."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dksangtao.audit import Action, record, record_many
from dksangtao.errors import ActionRefused
from dksangtao.text import nfc, padded_words
from public.models import PublicRecord, Recognition, RecordApplication
from public.selectors import forget_public_figures
from public.tasks import open_data_refresh_later
from submissions.models import MAX_BENEFIT_VND, Dossier, Status

# What a Front admin may put in the database by hand: recognised at the unit or further on, and out
# of the council's hands (a dossier under appraisal waits for its result).
MARKABLE = {
    Status.RECOGNISED_AT_UNIT: Recognition.UNIT,
    Status.NOMINATED: Recognition.UNIT,
    Status.RANKED: Recognition.PROVINCE,
    Status.AWARDED: Recognition.HONOURED,
    Status.NOT_AWARDED: Recognition.PROVINCE,
}


def public_authors(dossier: Dossier) -> str:
    """The authors' names where they consented; otherwise the collective or the unit."""
    if dossier.authors_consent:
        names = [author.full_name for author in dossier.authors.all()]
        if names:
            return ", ".join(names)
    if dossier.is_collective and dossier.collective_name:
        return dossier.collective_name
    return _("Tập thể tác giả đơn vị %(unit)s") % {"unit": dossier.unit.name}


def _public_part(dossier: Dossier) -> dict:
    """Sections 1 to 4 of the form and the search words: never section 5, never an attachment."""
    copied = {
        "reference": dossier.reference,
        "year": dossier.campaign.year,
        "title": nfc(dossier.title),
        "kind_id": dossier.kind_id,
        "field_id": dossier.field_id,
        "unit_id": dossier.unit_id,
        "unit_name": dossier.unit.name,
        "authors": public_authors(dossier)[:1000],
        "summary": nfc(dossier.summary),
        "first_applied_on": dossier.first_applied_on,
        "current_situation": nfc(dossier.current_situation),
        "solution_content": nfc(dossier.solution_content),
        "novelty": nfc(dossier.novelty),
        "application_conditions": nfc(dossier.application_conditions),
        "application_scope": nfc(dossier.application_scope),
        "economic_benefit_vnd": dossier.economic_benefit_vnd,
        "benefits_by_author": nfc(dossier.benefits_by_author),
        "benefits_by_others": nfc(dossier.benefits_by_others),
    }
    copied["search_title"] = padded_words(dossier.title)
    copied["search_text"] = padded_words(
        dossier.title, dossier.summary, dossier.solution_content, dossier.unit.name
    )
    return copied


def _public_changed() -> None:
    """After the commit: the open-data files are rebuilt and the public pages' cached figures dropped."""
    open_data_refresh_later()
    transaction.on_commit(forget_public_figures)


def _dossiers(ids):
    return Dossier.objects.select_related("campaign", "unit").prefetch_related("authors").filter(pk__in=ids)


def records_publish_list(*, award_list, actor) -> int:
    """The honourees of a list being published become public records (or, already public by a mark,
    gain the honour). Called inside award_list_publish's transaction."""
    honourees = {h.dossier_id: h for h in award_list.honourees.all()}
    existing = {r.dossier_id: r for r in PublicRecord.objects.filter(dossier_id__in=honourees)}
    now = timezone.now()
    made, refreshed = [], []
    for dossier in _dossiers(honourees):
        honouree = honourees[dossier.pk]
        fields = {
            **_public_part(dossier),
            "recognition": Recognition.HONOURED,
            "honour": honouree.honour,
            "classification": honouree.classification,
            "score": honouree.score,
            "decision": award_list.decision,
        }
        if dossier.pk in existing:
            row = existing[dossier.pk]
            for name, value in fields.items():
                setattr(row, name, value)
            refreshed.append(row)
        else:
            made.append(
                PublicRecord(
                    dossier=dossier,
                    source=PublicRecord.Source.AWARD_LIST,
                    published_by=actor,
                    published_at=now,
                    **fields,
                )
            )
    PublicRecord.objects.bulk_create(made, batch_size=500)
    for row in refreshed:
        row.save()
    summary = _("Danh sách tôn vinh năm %(year)s được công bố") % {"year": award_list.campaign.year}
    record_many(actor=actor, action=Action.RECORD_PUBLISHED, objects=made, detail={"summary": summary})
    record_many(actor=actor, action=Action.RECORD_REFRESHED, objects=refreshed, detail={"summary": summary})
    _public_changed()
    return len(made)


def record_mark(*, dossier: Dossier, actor) -> PublicRecord:
    """A Front admin puts a recognised dossier in the public database (again, if it was withdrawn)."""
    with transaction.atomic():
        dossier = _dossiers([dossier.pk]).select_for_update(of=("self",)).get()
        recognition = MARKABLE.get(dossier.status)
        if recognition is None:
            raise ActionRefused(
                _("Chỉ đưa vào cơ sở dữ liệu hồ sơ đã được công nhận (cấp đơn vị hoặc cấp tỉnh).")
            )
        row = PublicRecord.objects.select_for_update().filter(dossier=dossier).first()
        if row is not None and not row.is_withdrawn:
            raise ActionRefused(_("Hồ sơ này đã có trong cơ sở dữ liệu sáng tạo."))
        fields = _public_part(dossier)
        if row is None:
            row = PublicRecord(
                dossier=dossier,
                source=PublicRecord.Source.MARKED,
                recognition=recognition,
                published_by=actor,
                published_at=timezone.now(),
                **fields,
            )
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = None, None, ""
        row.save()
        record(
            actor=actor,
            action=Action.RECORD_PUBLISHED,
            obj=row,
            detail={"summary": row.get_recognition_display()},
        )
        _public_changed()
    return row


def record_withdraw(*, public_record: PublicRecord, actor, reason: str) -> PublicRecord:
    """Off public view, with the reason; the record's page then answers 410 Gone."""
    reason = nfc(reason or "").strip()
    if not reason:
        raise ActionRefused(_("Vui lòng ghi lý do gỡ bản ghi khỏi cơ sở dữ liệu."))
    with transaction.atomic():
        row = PublicRecord.objects.select_for_update().get(pk=public_record.pk)
        if row.is_withdrawn:
            raise ActionRefused(_("Bản ghi này đã được gỡ trước đó."))
        row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = timezone.now(), actor, reason
        row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"])
        record(actor=actor, action=Action.RECORD_WITHDRAWN, obj=row, reason=reason)
        _public_changed()
    return row


def application_record(*, public_record: PublicRecord, unit, actor, data: dict) -> RecordApplication:
    """A unit's staff write down that their unit applies the record; it waits for their reviewer."""
    if public_record.is_withdrawn:
        raise ActionRefused(_("Bản ghi này đã được gỡ khỏi cơ sở dữ liệu."))
    benefit = data.get("benefit_vnd")
    if benefit is not None and not 0 <= benefit <= MAX_BENEFIT_VND:
        raise ActionRefused(_("Lợi ích phải từ 0 đến 1.000.000.000.000.000 đồng."))
    if data["applied_on"] > timezone.localdate():
        raise ActionRefused(_("Ngày bắt đầu áp dụng không được sau hôm nay."))
    if any("\x00" in str(data.get(name) or "") for name in ("scope", "contact")):
        raise ActionRefused(_("Nội dung có ký tự không hợp lệ."))
    application = RecordApplication(
        record=public_record,
        unit=unit,
        applied_on=data["applied_on"],
        scope=nfc(data["scope"]).strip(),
        benefit_vnd=benefit,
        contact=nfc(data["contact"]).strip(),
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            application.save()
            record(
                actor=actor,
                action=Action.APPLICATION_RECORDED,
                obj=application,
                detail={"summary": _("Đơn vị %(unit)s áp dụng") % {"unit": unit.name}},
            )
    except IntegrityError:
        raise ActionRefused(_("Đơn vị đã ghi nhận áp dụng bản ghi này.")) from None
    return application


def _decide(application, actor, *, confirm: bool, reason: str = "") -> RecordApplication:
    with transaction.atomic():
        row = RecordApplication.objects.select_for_update().get(pk=application.pk)
        if row.status != RecordApplication.Status.PENDING:
            raise ActionRefused(_("Việc áp dụng này đã được xem xét."))
        row.status = RecordApplication.Status.CONFIRMED if confirm else RecordApplication.Status.REJECTED
        row.decided_by, row.decided_at, row.reason = actor, timezone.now(), reason
        row.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        action = Action.APPLICATION_CONFIRMED if confirm else Action.APPLICATION_REJECTED
        record(actor=actor, action=action, obj=row, reason=reason)
        if confirm:
            _public_changed()
    return row


def application_confirm(*, application: RecordApplication, actor) -> RecordApplication:
    return _decide(application, actor, confirm=True)


def application_reject(*, application: RecordApplication, actor, reason: str) -> RecordApplication:
    reason = nfc(reason or "").strip()
    if not reason:
        raise ActionRefused(_("Vui lòng ghi lý do không xác nhận."))
    return _decide(application, actor, confirm=False, reason=reason)
