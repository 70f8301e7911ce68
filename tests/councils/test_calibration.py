# ruff: noqa: F811  (pytest fixtures imported from test_scoring are used as arguments)
"""Calibration (SPEC §4): members' means and spreads against the council's, and the normalised
result beside the raw one, against hand-worked figures."""

from decimal import Decimal

import pytest
from django.urls import reverse

from councils.selectors import calibration, council_results
from councils.services import score_submit, sheet_open
from submissions.models import Status
from tests.councils.test_scoring import assign, council, entry, scorer, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def submit(assignment, total):
    sheet = sheet_open(assignment=assignment)
    sheet.items.update(points=total / 4)
    score_submit(assignment=assignment, actor=assignment.member.user)


def test_a_generous_and_a_strict_member_give_the_same_order_once_normalised(
    client,
    council,
    secretary,
    chair,
    make_dossier,
    unit_a,
    staff,
    scoring_campaign,  # noqa: F811
):
    first = make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=scoring_campaign)
    second = make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=scoring_campaign)
    generous = scorer(council, "Người chấm rộng tay", "rong@example.vn")
    strict = scorer(council, "Người chấm chặt tay", "chat@example.vn")
    submit(assign(council, first, generous, secretary), D(90))
    submit(assign(council, second, generous, secretary), D(80))
    submit(assign(council, first, strict, secretary), D(70))
    submit(assign(council, second, strict, secretary), D(60))
    result = calibration(council)
    # council: 90, 80, 70, 60 → mean 75, population sd √125 = 11.18
    assert (result.council_mean, result.council_spread) == (D("75.00"), D("11.18"))
    rows = {
        row.member.user.full_name: (row.count, row.mean, row.spread, row.offset) for row in result.members
    }
    assert rows == {
        "Người chấm rộng tay": (2, D("85.00"), D("5.00"), D("10.00")),
        "Người chấm chặt tay": (2, D("65.00"), D("5.00"), D("-10.00")),
    }
    # each member's higher total is z = +1 → 75 + 11.18; the lower one z = −1 → 75 − 11.18
    assert result.normalised == {first.pk: D("86.18"), second.pk: D("63.82")}
    raw = {r.dossier.pk: r.score for r in council_results(council)}
    assert raw == {first.pk: D("80.00"), second.pk: D("70.00")}  # the official result is unchanged

    client.force_login(chair)
    page = client.get(reverse("councils:calibration")).content.decode()
    assert "Người chấm rộng tay" in page and "+10" in page
    assert "86,18" in client.get(reverse("councils:results")).content.decode()


@pytest.mark.parametrize("person", ["council_member", "staff", "front_admin"])
def test_calibration_is_for_the_secretary_and_the_chair(client, request, council, person):  # noqa: F811
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("councils:calibration")).status_code == 403


def test_no_sheet_yet_says_so(client, council, secretary):  # noqa: F811
    client.force_login(secretary)
    assert "Chưa có phiếu chấm nào được nộp" in client.get(reverse("councils:calibration")).content.decode()
