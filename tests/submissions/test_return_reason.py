"""A returned dossier's page says why it came back: the reason of the last return, found in the trail
the page has already read (no query of its own)."""

import pytest
from django.urls import reverse

from submissions import services
from submissions.models import Status
from submissions.selectors import return_reason
from tests.submissions.conftest import REVIEW_DAY, SUBMIT_DAY

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_last_return_reason(client, staff, reviewer, unit_a, make_dossier):
    dossier = make_dossier(unit_a, staff, Status.RETURNED, reviewer=reviewer)
    services.dossier_submit(dossier=dossier, actor=staff, today=SUBMIT_DAY)
    services.dossier_return(
        dossier=dossier, actor=reviewer, reason="Thiếu ảnh chụp hiện trường.", today=REVIEW_DAY
    )
    assert return_reason(dossier) == "Thiếu ảnh chụp hiện trường."

    client.force_login(staff)
    page = client.get(reverse("submissions:detail", args=[dossier.pk])).content.decode()
    note = page[page.index("Lý do trả lại:") :].split("</div>", 1)[0]
    assert "Thiếu ảnh chụp hiện trường." in note
    assert "Bổ sung số liệu hiệu quả kinh tế." not in note  # the first return's reason, superseded
