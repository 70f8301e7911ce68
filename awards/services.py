"""The award list «Người Việt Nam đoàn kết sáng tạo» (SPEC §5): drafted from a ranking run, edited with
a reason per change, approved by a second Front admin, published once — one transaction for all that
publishing does — and corrected afterwards only by recorded amendments."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import money_approval_refusal
from awards.models import AwardList, AwardPolicy, Honouree, RankedEntry, RankingRun
from awards.selectors import policy_for
from awards.signals import award_list_published
from councils.selectors import CLASS_LABELS
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.formatting import format_vnd
from dksangtao.jobs import JobStatus
from dksangtao.mail import notify, site_url
from dksangtao.roles import Role
from dksangtao.text import nfc
from submissions.models import Dossier
from submissions.services import dossiers_conclude, recipients_by_dossier

QUALIFYING = ("excellent", "good", "fair")


def _qualifying(policy) -> dict[str, int]:
    """class key → prize (đồng) for the classes the campaign honours."""
    return {key: getattr(policy, f"prize_{key}") for key in QUALIFYING if getattr(policy, f"qualifies_{key}")}


def honour_label(classification: str) -> str:
    return _("Tôn vinh «Người Việt Nam đoàn kết sáng tạo» — loại %(class)s") % {
        "class": CLASS_LABELS[classification]
    }


def _who(dossier) -> tuple[str, str]:
    """(kind, name): the author, or the collective of the authors."""
    names = [a.full_name for a in dossier.authors.all()]
    if len(names) == 1:
        return Honouree.Kind.INDIVIDUAL, names[0]
    return Honouree.Kind.COLLECTIVE, _("Tập thể tác giả: %(names)s") % {"names": ", ".join(names)}


def _honouree(award_list, entry: RankedEntry, position: int, prize: int) -> Honouree:
    kind, name = _who(entry.dossier)
    return Honouree(
        award_list=award_list,
        dossier=entry.dossier,
        position=position,
        kind=kind,
        name=name[:500],
        unit_name=entry.dossier.unit.name,
        honour=honour_label(entry.classification),
        classification=entry.classification,
        score=entry.score,
        prize_amount=prize,
    )


def _log(award_list, action, actor, *, dossier=None, detail="", reason=""):
    """One change of the list in the audit trail, named by its dossier when it concerns one (the list's
    page and, for amendments, the public page show them)."""
    facts = {"summary": detail} if detail else {}
    if dossier is not None:
        facts |= {"dossier": dossier.pk, "reference": dossier.reference}
    record(actor=actor, action=action, obj=award_list, reason=reason, detail=facts)


def _reason(reason: str) -> str:
    reason = nfc(reason or "").strip()
    if not reason:
        raise ActionRefused(_("Vui lòng ghi lý do thay đổi."))
    return reason


def award_list_draft(*, run: RankingRun, actor) -> AwardList:
    """The draft list from a finished run: the entries whose class the campaign honours, in ranking
    order, at most `quota_per_field` per field, each with the prize of its class."""
    if run.status != JobStatus.DONE:
        raise ActionRefused(_("Chỉ lập danh sách từ một lần xếp hạng đã hoàn thành."))
    campaign = run.campaign
    if AwardList.objects.filter(campaign=campaign, status=AwardList.Status.PUBLISHED).exists():
        raise ActionRefused(_("Danh sách tôn vinh của đợt này đã công bố; chỉ có thể đính chính."))
    policy = policy_for(campaign)
    prizes = _qualifying(policy)
    entries = (
        RankedEntry.objects.filter(run=run, classification__in=list(prizes))
        .select_related("dossier__unit", "dossier__field")
        .prefetch_related("dossier__authors")
        .order_by("field_id", "rank")  # one group (no field) unless the run ranked per field
    )
    per_field: dict[int, int] = {}
    chosen = []
    for entry in entries:
        taken = per_field.get(entry.dossier.field_id, 0)
        if policy.quota_per_field is not None and taken >= policy.quota_per_field:
            continue
        per_field[entry.dossier.field_id] = taken + 1
        chosen.append(entry)
    with transaction.atomic():
        award_list = AwardList.objects.create(
            campaign=campaign,
            run=run,
            title=_("Danh sách tôn vinh «Người Việt Nam đoàn kết sáng tạo» năm %(year)s")
            % {"year": campaign.year},
            drafted_by=actor,
        )
        Honouree.objects.bulk_create(
            _honouree(award_list, entry, n, prizes[entry.classification])
            for n, entry in enumerate(chosen, start=1)
        )
        _log(
            award_list,
            Action.LIST_DRAFTED,
            actor,
            detail=_("Từ lần xếp hạng #%(run)s: %(n)s hồ sơ.") % {"run": run.pk, "n": len(chosen)},
        )
    return award_list


def _draft_locked(award_list: AwardList) -> AwardList:
    award_list = AwardList.objects.select_for_update().get(pk=award_list.pk)
    if award_list.status != AwardList.Status.DRAFT:
        raise ActionRefused(_("Danh sách đã phê duyệt hoặc đã công bố, không sửa được nữa."))
    return award_list


EDITABLE = {
    "name": gettext_lazy("Tên cá nhân, tập thể"),
    "honour": gettext_lazy("Hình thức tôn vinh"),
    "prize_amount": gettext_lazy("Tiền thưởng"),
    "bank_account": gettext_lazy("Số tài khoản"),
    "bank_name": gettext_lazy("Ngân hàng"),
}


def _shown(field: str, value) -> str:
    """A value as the trail shows it to people: money in đồng, yes/no, «—» for nothing."""
    if field.startswith("prize"):
        return format_vnd(value)
    if isinstance(value, bool):
        return "có" if value else "không"  # the trail is kept in the language of the record
    return "—" if value is None or value == "" else str(value)


def honouree_change(*, honouree: Honouree, actor, reason: str, **values) -> Honouree:
    """Change an honouree of a draft list; every changed value is recorded with the reason."""
    reason = _reason(reason)
    with transaction.atomic():
        _draft_locked(honouree.award_list)
        honouree = Honouree.objects.select_for_update().get(pk=honouree.pk)
        changes = []
        for field, value in values.items():
            if field not in EDITABLE:
                raise ValueError(field)
            value = value if field == "prize_amount" else nfc(value or "").strip()
            if field == "prize_amount" and (value is None or value < 0):
                raise ActionRefused(_("Tiền thưởng phải là số đồng không âm."))
            if field in ("name", "honour") and not value:
                raise ActionRefused(_("«%(field)s» không được để trống.") % {"field": EDITABLE[field]})
            before = getattr(honouree, field)
            if before != value:
                changes.append(f"{EDITABLE[field]}: {_shown(field, before)} → {_shown(field, value)}")
                setattr(honouree, field, value)
        if not changes:
            raise ActionRefused(_("Không có thay đổi nào để ghi."))
        honouree.save()
        _log(
            honouree.award_list,
            Action.HONOUREE_CHANGED,
            actor,
            dossier=honouree.dossier,
            detail="; ".join(changes),
            reason=reason,
        )
    return honouree


def honouree_remove(*, honouree: Honouree, actor, reason: str) -> None:
    reason = _reason(reason)
    with transaction.atomic():
        award_list = _draft_locked(honouree.award_list)
        _log(
            award_list,
            Action.HONOUREE_REMOVED,
            actor,
            dossier=honouree.dossier,
            detail=f"{honouree.dossier.reference} — {honouree.name}",
            reason=reason,
        )
        honouree.delete()


def honouree_add(*, award_list: AwardList, dossier_id: int, actor, reason: str) -> Honouree:
    """Add a ranked entry of the list's run that is not on the list (with the prize of its class, 0
    when its class is not one the campaign honours)."""
    reason = _reason(reason)
    with transaction.atomic():
        award_list = _draft_locked(award_list)
        entry = (
            RankedEntry.objects.select_related("dossier__unit")
            .prefetch_related("dossier__authors")
            .filter(run_id=award_list.run_id, dossier_id=dossier_id)
            .first()
        )
        if entry is None:
            raise ActionRefused(_("Chỉ bổ sung hồ sơ có trong lần xếp hạng của danh sách."))
        if award_list.honourees.filter(dossier_id=dossier_id).exists():
            raise ActionRefused(_("Hồ sơ này đã có trong danh sách."))
        prize = _qualifying(policy_for(award_list.campaign)).get(entry.classification, 0)
        last = award_list.honourees.order_by("-position").values_list("position", flat=True).first()
        position = (last or 0) + 1
        honouree = _honouree(award_list, entry, position, prize)
        honouree.save()
        _log(
            award_list,
            Action.HONOUREE_ADDED,
            actor,
            dossier=entry.dossier,
            detail=f"{entry.dossier.reference} — {honouree.name}",
            reason=reason,
        )
    return honouree


def award_list_approve(*, award_list: AwardList, actor) -> AwardList:
    """A second Front admin approves the draft; whoever drafted it cannot (a database constraint
    keeps that too)."""
    with transaction.atomic():
        award_list = _draft_locked(award_list)
        if award_list.drafted_by_id == actor.pk:
            raise ActionRefused(
                _("Người lập dự thảo không được tự phê duyệt; cần một cán bộ khác phê duyệt.")
            )
        # The list fixes the prizes: an admin account made or promoted days ago cannot approve it.
        cooling = money_approval_refusal(actor, {Role.FRONT_ADMIN})
        if cooling:
            raise ActionRefused(cooling)
        if not award_list.honourees.exists():
            raise ActionRefused(_("Danh sách chưa có ai được tôn vinh."))
        award_list.status = AwardList.Status.APPROVED
        award_list.approved_by, award_list.approved_at = actor, timezone.now()
        award_list.save(update_fields=["status", "approved_by", "approved_at"])
        _log(award_list, Action.LIST_APPROVED, actor)
    return award_list


def certificate_number(position: int, year: int) -> str:
    return f"{position:03d}/GCN-ĐKST-{year}"


def _payables_hand_over(award_list: AwardList, honourees: list[Honouree], actor) -> None:
    """The prizes go to the fund as one batch to approve (fund/payables.py)."""
    from fund.payables import PrizePayable
    from fund.services import prize_batch_draft

    payables = [
        PrizePayable(
            name=h.name,
            amount=h.prize_amount,
            bank_account=h.bank_account,
            bank_name=h.bank_name,
            reference=h.dossier.reference,
        )
        for h in honourees
        if h.prize_amount > 0
    ]
    if payables:
        label = award_list.decision or award_list.title
        prize_batch_draft(award_list_label=label, payables=payables, drafted_by=actor)


def award_list_publish(*, award_list: AwardList, actor, decision: str) -> AwardList:
    """Everything publishing does, in one transaction — the public page (the status), the decision
    that publishes it, numbered certificates, every ranked dossier of the run awarded or not awarded,
    the prize batch handed to the fund, e-mails to the units after the commit. Any failure leaves
    nothing published."""
    decision = nfc(decision or "").strip()
    if not decision:
        raise ActionRefused(
            _("Vui lòng ghi số, ngày quyết định công bố danh sách tôn vinh (in trên giấy chứng nhận).")
        )
    with transaction.atomic():
        award_list = AwardList.objects.select_for_update().select_related("campaign").get(pk=award_list.pk)
        if award_list.status != AwardList.Status.APPROVED:
            raise ActionRefused(_("Chỉ công bố danh sách đã được phê duyệt."))
        honourees = list(award_list.honourees.select_related("dossier__unit", "dossier__created_by"))
        missing = [h.name for h in honourees if h.prize_amount > 0 and not (h.bank_account and h.bank_name)]
        if missing:
            raise ActionRefused(
                _("Chưa có số tài khoản, ngân hàng nhận thưởng của: %(names)s.")
                % {"names": "; ".join(missing)}
            )
        award_list.status = AwardList.Status.PUBLISHED
        award_list.decision = decision[:150]
        award_list.published_by, award_list.published_at = actor, timezone.now()
        try:
            with transaction.atomic():
                award_list.save(update_fields=["status", "decision", "published_by", "published_at"])
        except IntegrityError:
            raise ActionRefused(_("Đợt này đã có danh sách tôn vinh được công bố.")) from None
        year = award_list.campaign.year
        for honouree in honourees:
            honouree.certificate_number = certificate_number(honouree.position, year)
        Honouree.objects.bulk_update(honourees, ["certificate_number"])
        in_run = Dossier.objects.filter(
            pk__in=RankedEntry.objects.filter(run_id=award_list.run_id).values("dossier")
        )
        honoured = award_list.honourees.values("dossier")
        dossiers_conclude(
            awarded=in_run.filter(pk__in=honoured), not_awarded=in_run.exclude(pk__in=honoured), actor=actor
        )
        _payables_hand_over(award_list, honourees, actor)
        _log(award_list, Action.LIST_PUBLISHED, actor, detail=award_list.decision)
        # The public database copies the honoured dossiers, in this transaction (public.receivers).
        award_list_published.send(sender=AwardList, award_list=award_list, actor=actor)
        _notify_units(award_list)
    return award_list


def _notify_units(award_list: AwardList) -> None:
    """Each unit with a ranked dossier learns its outcome (after the commit)."""
    honours = {h.dossier_id: h for h in award_list.honourees.all()}
    entries = RankedEntry.objects.filter(run_id=award_list.run_id).select_related(
        "dossier__created_by", "dossier__unit"
    )
    page = site_url("awards_public:year", award_list.campaign.year)
    recipients = recipients_by_dossier(entry.dossier for entry in entries)
    for entry in entries:
        context = {
            "dossier": entry.dossier,
            "honour": honours.get(entry.dossier_id),
            "award_list": award_list,
            "url": page,
        }
        notify(template="awards/email/published", context=context, to=recipients[entry.dossier_id])


AMENDABLE = {"name": EDITABLE["name"], "honour": EDITABLE["honour"], "unit_name": gettext_lazy("Đơn vị")}


def honouree_amend(*, honouree: Honouree, actor, field: str, value: str, reason: str) -> Honouree:
    """A correction to a published list (a misspelt name, …), recorded and shown on the public page.
    Prize amounts are not amended here: money is corrected in the fund, by a reversal."""
    reason = _reason(reason)
    if field not in AMENDABLE:
        raise ActionRefused(_("Chỉ đính chính tên, hình thức tôn vinh hoặc đơn vị."))
    value = nfc(value or "").strip()
    if not value:
        raise ActionRefused(_("Vui lòng ghi nội dung đính chính."))
    with transaction.atomic():
        award_list = AwardList.objects.select_for_update().get(pk=honouree.award_list_id)
        if award_list.status != AwardList.Status.PUBLISHED:
            raise ActionRefused(_("Chỉ đính chính danh sách đã công bố; dự thảo thì sửa trực tiếp."))
        honouree = Honouree.objects.select_for_update().get(pk=honouree.pk)
        before = getattr(honouree, field)
        if before == value:
            raise ActionRefused(_("Không có thay đổi nào để ghi."))
        setattr(honouree, field, value)
        honouree.save(update_fields=[field])
        _log(
            award_list,
            Action.HONOUREE_AMENDED,
            actor,
            dossier=honouree.dossier,
            detail=f"{AMENDABLE[field]}: {before} → {value}",
            reason=reason,
        )
    return honouree


# The campaign's award policy -------------------------------------------------------------------

POLICY_FIELDS = [
    "rank_per_field",
    "qualifies_excellent",
    "qualifies_good",
    "qualifies_fair",
    "prize_excellent",
    "prize_good",
    "prize_fair",
    "quota_per_field",
    "ranking_days_before",
    "exports_days_before",
    "booklet_title",
]


def policy_update(*, campaign, actor, **values) -> AwardPolicy:
    """Save the campaign's award policy (made from the defaults the first time); the changed values are
    recorded. Refused once the campaign's list is published: the honours it set are history."""
    with transaction.atomic():
        if AwardList.objects.filter(campaign=campaign, status=AwardList.Status.PUBLISHED).exists():
            raise ActionRefused(
                _("Danh sách tôn vinh của đợt này đã công bố; không sửa chính sách được nữa.")
            )
        policy = AwardPolicy.objects.select_for_update().filter(campaign=campaign).first()
        policy = policy or AwardPolicy(campaign=campaign)
        changes = []
        for field in POLICY_FIELDS:
            if field in values and getattr(policy, field) != values[field]:
                label = AwardPolicy._meta.get_field(field).verbose_name
                changes.append(
                    f"{label}: {_shown(field, getattr(policy, field))} → {_shown(field, values[field])}"
                )
                setattr(policy, field, values[field])
        policy.save()
        if changes:
            record(
                actor=actor,
                action=Action.POLICY_CHANGED,
                obj=campaign,
                detail={"summary": "; ".join(changes)},
            )
    return policy
