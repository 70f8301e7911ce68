"""Vouchers are scans: PDF, JPG or PNG, recognised by their first bytes, not by their name."""

from django.utils.translation import gettext as _

ALLOWED = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


class FileRefused(Exception):
    pass


def _sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return None


def check_voucher(upload) -> str:
    """The checked type, or FileRefused with a message in Vietnamese."""
    name = upload.name or ""
    claimed = ALLOWED.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if claimed is None:
        raise FileRefused(
            _("Tệp «%(name)s» không được nhận: chứng từ kèm theo là PDF, JPG hoặc PNG.") % {"name": name}
        )
    if _sniff(upload) != claimed:
        raise FileRefused(
            _(
                "Nội dung tệp «%(name)s» không phải %(kind)s như phần mở rộng của tên tệp; "
                "tệp không được nhận."
            )
            % {"name": name, "kind": claimed.upper()}
        )
    return claimed
