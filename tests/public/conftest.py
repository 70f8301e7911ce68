"""Public records for the public-database tests, made through the real services: a dossier walked to
its status (tests/submissions/conftest.make_dossier), then put in the database by a Front admin."""

import pytest

from public import services
from submissions.models import Status
from tests.submissions.conftest import field, kind, make_dossier  # noqa: F401  (fixtures)

CONFIDENTIAL = "BÍ MẬT: công thức phối trộn chưa được bảo hộ"


@pytest.fixture
def make_record(make_dossier, staff, unit_a, front_admin):  # noqa: F811
    """make_record(status=RECOGNISED_AT_UNIT, unit=unit_a, creator=staff, **dossier fields) → PublicRecord.
    Every dossier carries a confidential section (CONFIDENTIAL) that must never show publicly."""

    def make(status=Status.RECOGNISED_AT_UNIT, unit=None, creator=None, **fields):
        fields.setdefault("confidential_info", CONFIDENTIAL)
        dossier = make_dossier(unit or unit_a, creator or staff, status=status, **fields)
        return services.record_mark(dossier=dossier, actor=front_admin)

    return make
