"""The booklet «Gương người Việt đoàn kết sáng tạo» (SPEC §5; the title is the campaign's
AwardPolicy.booklet_title): a cover, a foreword, a page per honouree of the list — photo if uploaded,
name, unit, the initiative in brief and its benefits — and an index by field with page numbers.

Also the honourees' portraits: uploaded by a Front admin, checked by content (JPG or PNG, at most
5 MB; dksangtao.files), stored under MEDIA_ROOT with a random name, never served directly."""

import base64
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardList, Honouree, Portrait
from awards.selectors import policy_for
from dksangtao.audit import Action, record
from dksangtao.errors import ActionRefused
from dksangtao.files import store_upload
from dksangtao.pdf import html_to_pdf, render_html
from submissions.models import Campaign

PORTRAIT_MAX_BYTES = 5 * 1024 * 1024
PORTRAIT_TYPES = frozenset({"jpg", "png"})
PORTRAIT_REFUSAL = gettext_lazy("Ảnh «%(name)s» không được nhận: chỉ nhận JPG hoặc PNG.")
PDF_CACHE_SECONDS = 24 * 60 * 60


# Which list --------------------------------------------------------------------------------------


def booklet_list(campaign: Campaign, *, preview: bool) -> AwardList | None:
    """The published list of the campaign; with `preview` (Front admins), before publication, the
    newest list not yet published."""
    published = AwardList.objects.filter(campaign=campaign, status=AwardList.Status.PUBLISHED).first()
    if published is not None or not preview:
        return published
    return AwardList.objects.filter(campaign=campaign).first()


# The PDF -----------------------------------------------------------------------------------------


@dataclass
class BookletPage:
    honouree: Honouree
    anchor: str
    photo: str | None  # a data: URI, so the renderer reads no file and no URL


def _photo_uri(honouree: Honouree) -> str | None:
    portrait = getattr(honouree, "portrait", None)
    if portrait is None:
        return None
    try:
        with portrait.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    return f"data:{portrait.content_type};base64,{base64.b64encode(data).decode('ascii')}"


def booklet_html(award_list: AwardList) -> str:
    campaign = award_list.campaign
    honourees = list(award_list.honourees.select_related("dossier__field", "dossier__unit", "portrait"))
    pages = [BookletPage(h, f"h{h.pk}", _photo_uri(h)) for h in honourees]
    by_field: dict[int, tuple] = {}
    for page in pages:
        field = page.honouree.dossier.field
        by_field.setdefault(field.pk, (field, []))[1].append(page)
    index = sorted(by_field.values(), key=lambda group: (group[0].order, group[0].name))
    context = {
        "award_list": award_list,
        "campaign": campaign,
        "title": policy_for(campaign).booklet_title,
        "pages": pages,
        "index": index,
        "preview": award_list.status != AwardList.Status.PUBLISHED,
    }
    return render_html("awards/booklet.html", context)


def booklet_pdf(award_list: AwardList) -> bytes:
    """The booklet as PDF bytes. The rendering is kept in the cache under the hash of its HTML, so
    the public download costs one render per change of the list, not one per visitor."""
    html = booklet_html(award_list)
    key = "awards:booklet:" + hashlib.sha256(html.encode("utf-8")).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def booklet_filename(award_list: AwardList) -> str:
    return f"guong-nguoi-viet-doan-ket-sang-tao-{award_list.campaign.year}.pdf"


# Portraits ---------------------------------------------------------------------------------------


def honouree_portrait_set(*, honouree: Honouree, upload, actor) -> Portrait:
    """Store a checked portrait for the honouree (replacing any earlier one)."""
    with transaction.atomic():
        honouree = Honouree.objects.select_for_update().select_related("award_list").get(pk=honouree.pk)
        replaced = Portrait.objects.filter(honouree=honouree).first()
        if replaced is not None:
            _forget(replaced)
        portrait = store_upload(
            Portrait(honouree=honouree, uploaded_by=actor),
            upload,
            max_bytes=PORTRAIT_MAX_BYTES,
            allowed=PORTRAIT_TYPES,
            refusal=str(PORTRAIT_REFUSAL),
        )
        record(
            actor=actor,
            action=Action.PORTRAIT_SET,
            obj=honouree.award_list,
            detail={"honouree": honouree.pk, "summary": honouree.name},
        )
    return portrait


def honouree_portrait_remove(*, honouree: Honouree, actor) -> None:
    with transaction.atomic():
        honouree = Honouree.objects.select_for_update().select_related("award_list").get(pk=honouree.pk)
        portrait = Portrait.objects.filter(honouree=honouree).first()
        if portrait is None:
            raise ActionRefused(_("Người này chưa có ảnh chân dung."))
        _forget(portrait)
        record(
            actor=actor,
            action=Action.PORTRAIT_REMOVED,
            obj=honouree.award_list,
            detail={"honouree": honouree.pk, "summary": honouree.name},
        )


def _forget(portrait: Portrait) -> None:
    """The row now, the file once the transaction commits."""
    stored, storage = portrait.file.name, portrait.file.storage
    portrait.delete()
    transaction.on_commit(lambda: storage.delete(stored))
