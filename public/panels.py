"""The public database's section of a dossier's page: whether the dossier is public, and for a Front
admin the button that puts a recognised dossier in."""

from public.models import PublicRecord
from public.permissions import may_manage_records
from public.services import MARKABLE


def dossier_panel(dossier, user):
    record = PublicRecord.objects.filter(dossier=dossier).first()
    manager = may_manage_records(user)
    if record is None and not (manager and dossier.status in MARKABLE):
        return None
    return {
        "public_record": record,
        "may_mark": manager and dossier.status in MARKABLE and (record is None or record.is_withdrawn),
    }
