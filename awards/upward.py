"""Nomination upward (SPEC §5): a Front admin marks entries of a campaign for the central Front's
council and/or the «Sách vàng Sáng tạo Việt Nam» selection, and exports each marked entry as a ZIP —
the dossier as a PDF in the shape of the national recognition form (sections 1–4, never the
confidential section 5), its attachments under their original names, and the council's result
(score, classification, number of sheets; never the members' names)."""

import csv
import io
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardList, Honouree, RankedEntry, RankingRun, UpwardNomination
from councils.models import Council
from councils.selectors import CLASS_LABELS, council_results
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.formatting import format_date, format_points
from dksangtao.jobs import JobStatus
from dksangtao.lists import csv_text
from dksangtao.pdf import Issuer, render_pdf
from dksangtao.text import nfc
from submissions.models import Campaign, Dossier

Target = UpwardNomination.Target
NOTE_MAX = 2000


# Reads -----------------------------------------------------------------------------------------


def published_list(campaign: Campaign) -> AwardList | None:
    return AwardList.objects.filter(campaign=campaign, status=AwardList.Status.PUBLISHED).first()


def upward_run(campaign: Campaign) -> RankingRun | None:
    """The ranking the page shows: the published list's run, else the newest finished run."""
    award_list = published_list(campaign)
    if award_list is not None:
        return award_list.run
    return RankingRun.objects.filter(campaign=campaign, status=JobStatus.DONE).first()


@dataclass
class Candidate:
    entry: RankedEntry
    honour: Honouree | None
    marks: dict = field(default_factory=dict)  # target → UpwardNomination

    @property
    def unmarked_targets(self) -> list:
        return [(value, label) for value, label in Target.choices if value not in self.marks]


def upward_candidates(campaign: Campaign) -> list[Candidate]:
    """Every ranked entry of the run shown (honourees first, then by field and rank), with its honour on
    the published list and its marks — in five queries whatever the number of entries (the published
    list twice, the entries with dossier, unit and field, the honourees, the marks)."""
    run = upward_run(campaign)
    if run is None:
        return []
    award_list = published_list(campaign)
    honours = {h.dossier_id: h for h in award_list.honourees.all()} if award_list else {}
    marks: dict[int, dict] = {}
    for nomination in UpwardNomination.objects.filter(campaign=campaign):
        marks.setdefault(nomination.dossier_id, {})[nomination.target] = nomination
    entries = RankedEntry.objects.filter(run=run).select_related("dossier__unit", "dossier__field")
    candidates = [Candidate(e, honours.get(e.dossier_id), marks.get(e.dossier_id, {})) for e in entries]
    candidates.sort(key=lambda c: (c.honour is None, c.honour.position if c.honour else 0))
    return candidates


def nominations_by_target(campaign: Campaign) -> list[tuple[str, str, list[UpwardNomination]]]:
    """(target, label, marked entries) for each target, in the order they were marked."""
    nominations = UpwardNomination.objects.filter(campaign=campaign).select_related(
        "dossier__unit", "dossier__field", "marked_by"
    )
    grouped: dict[str, list] = {value: [] for value in Target.values}
    for nomination in nominations:
        grouped[nomination.target].append(nomination)
    return [(value, label, grouped[value]) for value, label in Target.choices]


def _eligible(campaign: Campaign, dossier_id: int) -> bool:
    """Honoured on the published list, or ranked in a finished run of the campaign."""
    if Honouree.objects.filter(
        award_list__campaign=campaign, award_list__status=AwardList.Status.PUBLISHED, dossier_id=dossier_id
    ).exists():
        return True
    return RankedEntry.objects.filter(
        run__campaign=campaign, run__status=JobStatus.DONE, dossier_id=dossier_id
    ).exists()


# Writes ----------------------------------------------------------------------------------------


def target_label(target: str) -> str:
    if target not in Target.values:
        raise ActionRefused(
            _(
                "Nơi đề cử không hợp lệ: chỉ đề cử lên Hội đồng của Ủy ban Trung ương MTTQ Việt Nam "
                "hoặc Sách vàng Sáng tạo Việt Nam."
            )
        )
    return str(Target(target).label)


def upward_mark(*, campaign: Campaign, dossier_id: int, target: str, note: str, actor) -> UpwardNomination:
    """Mark a ranked or honoured entry of the campaign for one target, with a note."""
    label = target_label(target)
    note = nfc(note or "").strip()
    if len(note) > NOTE_MAX:
        raise ActionRefused(_("Ghi chú dài quá %(n)s ký tự.") % {"n": NOTE_MAX})
    dossier = Dossier.objects.filter(pk=dossier_id, campaign=campaign).first()
    if dossier is None or not _eligible(campaign, dossier.pk):
        raise ActionRefused(_("Chỉ đề cử hồ sơ đã được xếp hạng hoặc được tôn vinh trong đợt này."))
    try:
        with transaction.atomic():
            nomination = UpwardNomination.objects.create(
                campaign=campaign, dossier=dossier, target=target, note=note, marked_by=actor
            )
            _record(nomination, Action.UPWARD_MARKED, actor, reason=note)
            return nomination
    except IntegrityError:
        raise ActionRefused(
            _("Hồ sơ %(ref)s đã được đề cử lên %(target)s.") % {"ref": dossier.reference, "target": label}
        ) from None


def _record(nomination: UpwardNomination, action: str, actor, *, reason: str = "") -> None:
    """Marks are recorded on the dossier: its page tells the unit that it went further."""
    record(
        actor=actor,
        action=action,
        obj=nomination.dossier,
        reason=reason,
        detail={"target": nomination.target, "summary": str(nomination.get_target_display())},
    )


def upward_unmark(*, nomination: UpwardNomination, actor) -> None:
    """Take a mark back — only before the entry's dossier has been exported (it may have been sent on)."""
    with transaction.atomic():
        nomination = (
            UpwardNomination.objects.select_for_update(of=("self",))
            .select_related("dossier")
            .get(pk=nomination.pk)
        )
        if nomination.exported_at is not None:
            raise ActionRefused(
                _("Hồ sơ đã được xuất để gửi lên ngày %(date)s; không thể bỏ đề cử.")
                % {"date": format_date(nomination.exported_at)}
            )
        nomination.delete()
        _record(nomination, Action.UPWARD_UNMARKED, actor)


def upward_exported(*, nominations, actor) -> None:
    """Record the first export of each entry: from then on its mark stays."""
    with transaction.atomic():
        first = list(
            UpwardNomination.objects.select_for_update(of=("self",))
            .filter(pk__in=[n.pk for n in nominations], exported_at__isnull=True)
            .select_related("dossier")
        )
        UpwardNomination.objects.filter(pk__in=[n.pk for n in first]).update(
            exported_at=timezone.now(), exported_by=actor
        )
        for nomination in first:
            _record(nomination, Action.UPWARD_EXPORTED, actor)


# The dossier PDF and the council result -------------------------------------------------------


def dossier_pdf(dossier: Dossier) -> bytes:
    """The dossier as the national recognition form presents it: sections 1–4, the authors, the list
    of attachments. The confidential section 5 is never read into the template."""
    context = {
        # Issued by the dossier's unit, under its parent unit if it has one — a department has no line
        # above it (it is not under the Front).
        "issuer": Issuer.of_unit(dossier.unit),
        "dossier": dossier,
        "authors": list(dossier.authors.all()),
        "attachments": list(dossier.attachments.all()),
    }
    return render_pdf("awards/dossier_pdf.html", context)


@dataclass
class CouncilResult:
    score: str
    classification: str
    sheets: int
    assigned: int
    rank: int | None


def council_result(dossier: Dossier, entry: RankedEntry | None) -> CouncilResult:
    """The council's result of one dossier — counts only, never who scored what."""
    council = Council.objects.filter(campaign_id=dossier.campaign_id).first()
    results = council_results(council, dossier=dossier) if council else []
    if results and results[0].score is not None:
        result = results[0]
        return CouncilResult(
            score=format_points(result.score),
            classification=result.classification,
            sheets=result.submitted,
            assigned=result.assigned,
            rank=entry.rank if entry else None,
        )
    if entry is not None:  # the council's rows are gone or incomplete: the ranking's snapshot holds them
        return CouncilResult(
            score=format_points(entry.score),
            classification=str(CLASS_LABELS.get(entry.classification, entry.classification)),
            sheets=entry.sheets,
            assigned=results[0].assigned if results else entry.sheets,
            rank=entry.rank,
        )
    return CouncilResult(score="—", classification="—", sheets=0, assigned=0, rank=None)


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[csv_text(cell) for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8


def council_result_csv(dossier: Dossier, result: CouncilResult, honour: Honouree | None) -> bytes:
    return _csv(
        [
            [
                _("Số hồ sơ"),
                _("Tên sáng kiến"),
                _("Đơn vị đề nghị"),
                _("Lĩnh vực"),
                _("Điểm"),
                _("Xếp loại"),
                _("Số phiếu chấm đã nộp"),
                _("Số thành viên được phân công"),
                _("Thứ hạng"),
                _("Hình thức tôn vinh"),
            ],
            [
                dossier.reference,
                dossier.title,
                dossier.unit.name,
                dossier.field.name,
                result.score,
                result.classification,
                result.sheets,
                result.assigned,
                result.rank or "",
                honour.honour if honour else "",
            ],
        ]
    )


# ZIPs ------------------------------------------------------------------------------------------

DOSSIER_PDF_NAME = "Hồ sơ sáng kiến.pdf"
RESULT_NAME = "Kết quả thẩm định của Hội đồng.csv"
ATTACHMENTS_DIR = "Tệp đính kèm"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def safe_name(name: str, fallback: str = "tep") -> str:
    """A file name fit for a ZIP entry: the last path part only (no «../»), no control or reserved
    characters, composed Unicode."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip().strip(".")
    return name[:200] or fallback


def unique_name(name: str, used: set[str]) -> str:
    """«a.pdf», then «a (2).pdf», «a (3).pdf»… — compared without case, as Windows does."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    candidate, n = name, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{stem} ({n}).{extension}" if extension else f"{stem} ({n})"
    used.add(candidate.casefold())
    return candidate


def _dossier_for_export(dossier_id: int) -> Dossier:
    return Dossier.objects.select_related("campaign", "unit", "field", "kind").get(pk=dossier_id)


def _write_entry(archive: zipfile.ZipFile, folder: str, dossier: Dossier) -> None:
    campaign = dossier.campaign
    run = upward_run(campaign)
    entry = RankedEntry.objects.filter(run=run, dossier=dossier).first() if run else None
    if entry is None:
        entry = (
            RankedEntry.objects.filter(run__campaign=campaign, run__status=JobStatus.DONE, dossier=dossier)
            .order_by("-run__created_at")
            .first()
        )
    award_list = published_list(campaign)
    honour = award_list.honourees.filter(dossier=dossier).first() if award_list else None
    archive.writestr(f"{folder}/{DOSSIER_PDF_NAME}", dossier_pdf(dossier))
    result = council_result(dossier, entry)
    archive.writestr(f"{folder}/{RESULT_NAME}", council_result_csv(dossier, result, honour))
    used: set[str] = set()
    missing = []
    for attachment in dossier.attachments.all():
        name = unique_name(safe_name(attachment.original_name), used)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            missing.append(attachment.original_name)
            continue
        with handle, archive.open(f"{folder}/{ATTACHMENTS_DIR}/{name}", "w") as target:
            shutil.copyfileobj(handle, target, 1024 * 1024)
    if missing:
        archive.writestr(
            f"{folder}/{ATTACHMENTS_DIR}/KHÔNG TÌM THẤY.txt",
            _("Các tệp sau không còn trên máy chủ:") + "\n" + "\n".join(missing) + "\n",
        )


def entry_folder(dossier: Dossier) -> str:
    return safe_name(dossier.reference or f"ho-so-{dossier.pk}")


def nomination_zip_name(nomination: UpwardNomination) -> str:
    return f"de-cu-{nomination.target}-{entry_folder(nomination.dossier)}.zip"


def target_zip_name(campaign: Campaign, target: str) -> str:
    return f"de-cu-{target}-{campaign.year}.zip"


def nomination_zip(nomination: UpwardNomination, out) -> None:
    """Write one marked entry's ZIP into the file object `out`: a folder named after the dossier's
    reference holding the dossier PDF, the council result and the attachments."""
    dossier = _dossier_for_export(nomination.dossier_id)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_entry(archive, entry_folder(dossier), dossier)


def target_nominations(campaign: Campaign, target: str) -> list[UpwardNomination]:
    """The entries marked for `target`, in the order they were marked; refused when none is."""
    label = target_label(target)
    nominations = list(
        UpwardNomination.objects.filter(campaign=campaign, target=target).select_related("dossier")
    )
    if not nominations:
        raise ActionRefused(_("Chưa có hồ sơ nào được đề cử lên %(target)s.") % {"target": label})
    return nominations


def target_zip(nominations: list[UpwardNomination], out) -> None:
    """Write one ZIP with every given entry: a folder per entry, and a list of them."""
    rows = [[_("TT"), _("Số hồ sơ"), _("Tên sáng kiến"), _("Đơn vị đề nghị"), _("Thư mục")]]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        used: set[str] = set()
        for n, nomination in enumerate(nominations, start=1):
            dossier = _dossier_for_export(nomination.dossier_id)
            folder = unique_name(entry_folder(dossier), used)
            _write_entry(archive, folder, dossier)
            rows.append([n, dossier.reference, dossier.title, dossier.unit.name, folder])
        archive.writestr(_("Danh sách hồ sơ đề cử.csv"), _csv(rows))
