"""The booklet «Gương người Việt đoàn kết sáng tạo» (SPEC §5; the title is the campaign's
AwardPolicy.booklet_title): a cover, a foreword, a page per honouree of the list — photo if uploaded,
name, unit, the initiative in brief and its benefits — and an index by field with page numbers.

Also the honourees' portraits: uploaded by a Front admin, checked by content (JPG or PNG, at most
5 MB), stored under MEDIA_ROOT with a random name, never served directly."""

import base64
import hashlib
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from awards.models import AwardList, Honouree
from awards.ranking import policy_for
from dksangtao.pdf import html_to_pdf, render_html
from dksangtao.uploads import FileRefused, check_upload
from submissions.models import Campaign
from submissions.services import ActionRefused

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
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
    if not honouree.photo:
        return None
    kind = honouree.photo.name.rsplit(".", 1)[-1].lower()
    if kind not in PHOTO_TYPES:
        return None
    try:
        with honouree.photo.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    return f"data:{PHOTO_TYPES[kind]};base64,{base64.b64encode(data).decode('ascii')}"


def booklet_html(award_list: AwardList) -> str:
    campaign = award_list.campaign
    honourees = list(award_list.honourees.select_related("dossier__field", "dossier__unit"))
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


def _checked_photo(upload) -> str:
    """The photo's type (jpg or png), or ActionRefused with the reason in Vietnamese."""
    if upload is None or not upload.size:
        raise ActionRefused(_("Vui lòng chọn một tệp ảnh JPG hoặc PNG (tệp đang trống)."))
    if upload.size > PHOTO_MAX_BYTES:
        raise ActionRefused(
            _("Ảnh «%(name)s» lớn hơn 5 MB, là mức tối đa cho ảnh chân dung.") % {"name": upload.name}
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in ("jpg", "jpeg", "png"):
        raise ActionRefused(
            _("Ảnh «%(name)s» không được nhận: chỉ nhận JPG hoặc PNG.") % {"name": upload.name}
        )
    try:
        kind = check_upload(upload)
    except FileRefused as refused:
        raise ActionRefused(str(refused)) from None
    try:  # the first bytes matched: the whole picture must also decode
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ActionRefused(
            _("Ảnh «%(name)s» bị hỏng hoặc không đọc được; vui lòng chọn ảnh khác.") % {"name": upload.name}
        ) from None
    finally:
        upload.seek(0)
    return kind


def honouree_photo_set(*, honouree: Honouree, upload, actor) -> Honouree:
    """Store a checked portrait for the honouree (replacing any earlier one) under a random name."""
    kind = _checked_photo(upload)
    storage = Honouree._meta.get_field("photo").storage
    with transaction.atomic():
        honouree = Honouree.objects.select_for_update().get(pk=honouree.pk)
        before = honouree.photo.name
        honouree.photo.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
        try:
            honouree.save(update_fields=["photo"])
        except Exception:
            honouree.photo.delete(save=False)
            raise
        if before:
            transaction.on_commit(lambda: storage.delete(before))
    return honouree


def honouree_photo_remove(*, honouree: Honouree, actor) -> Honouree:
    storage = Honouree._meta.get_field("photo").storage
    with transaction.atomic():
        honouree = Honouree.objects.select_for_update().get(pk=honouree.pk)
        before = honouree.photo.name
        if not before:
            raise ActionRefused(_("Người này chưa có ảnh chân dung."))
        honouree.photo = ""
        honouree.save(update_fields=["photo"])
        transaction.on_commit(lambda: storage.delete(before))
    return honouree


def photo_content_type(honouree: Honouree) -> str:
    return PHOTO_TYPES.get(honouree.photo.name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
