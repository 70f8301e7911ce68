# ruff: noqa: F811  (pytest fixtures imported from test_scoring are used as arguments)
"""The results page at province scale: counts over every entry first, then one page of entries with
their sheets, filtered by the disagreement flag, the class or the field — its cost does not grow with
the council — and the figures it counts from (entry_summaries) agree with the full results."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Assignment, ScoreSheet
from councils.selectors import council_results, entry_summaries
from councils.views_scoring import RESULTS_PER_PAGE
from submissions.models import Field, Status
from tests.councils.test_scoring import council, scorer, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def three(council):
    return [scorer(council, name, f"kq{n}@example.vn") for n, name in enumerate(["An", "Bình", "Chi"])]


def scored(council, dossier, members, totals, secretary):
    """The dossier assigned to the members, each having submitted one total (None: no sheet)."""
    for member, total in zip(members, totals, strict=True):
        assignment = Assignment.objects.create(
            council=council, dossier=dossier, member=member, assigned_by=secretary
        )
        if total is not None:
            ScoreSheet.objects.create(
                assignment=assignment,
                state=ScoreSheet.State.SUBMITTED,
                total=D(total),
                submitted_at=timezone.now(),
            )


def entries(n, council, three, secretary, make_dossier, unit_a, staff, campaign, totals=(85, 80, 75)):
    made = [make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=campaign) for _ in range(n)]
    for dossier in made:
        scored(council, dossier, three, totals, secretary)
    return made


def test_the_results_page_costs_the_same_for_1_and_50_entries(
    client,
    council,
    three,
    secretary,
    chair,
    make_dossier,
    unit_a,
    staff,
    scoring_campaign,
    django_assert_num_queries,
):
    entries(1, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign)
    client.force_login(chair)
    client.get(reverse("councils:results"))
    # session, user, the place on the current council, rubrics, the kept figures' fingerprint (for
    # the entries' aggregate), the page's assignments with dossiers, members and sheets, the
    # fingerprint again (for calibration's member sums), the page's sheets, the field filter's
    # choices (memberships and unit permissions: cached by the first request; the two aggregates:
    # kept by it; calibration's members: only for the calibration page, which lists them)
    with django_assert_num_queries(9) as one:
        page = client.get(reverse("councils:results")).content.decode()
    assert "1 hồ sơ được phân công chấm" in page
    entries(49, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign)
    # the new sheets move the fingerprint: the next request computes both aggregates again
    with django_assert_num_queries(len(one.captured_queries) + 2):
        assert "50 hồ sơ được phân công chấm" in client.get(reverse("councils:results")).content.decode()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("councils:results"))
    page = response.content.decode()
    assert "50 hồ sơ được phân công chấm" in page
    assert page.count('class="sheet-list"') == RESULTS_PER_PAGE  # one page of rows, not the council
    with django_assert_num_queries(len(one.captured_queries)):
        second = client.get(reverse("councils:results"), {"page": 2}).content.decode()
    assert second.count('class="sheet-list"') == 50 - RESULTS_PER_PAGE


def test_the_summaries_agree_with_the_full_results(
    council, three, secretary, make_dossier, unit_a, staff, scoring_campaign
):
    entries(
        1, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign, totals=(95, 91, 92.5)
    )
    entries(1, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign, totals=(100, 70, 60))
    entries(
        1, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign, totals=(80, None, None)
    )
    full = {
        r.dossier.pk: (r.assigned, r.submitted, r.valid, r.score, r.flagged, r.classification)
        for r in council_results(council)
    }
    summed = {
        s.dossier_id: (s.assigned, s.submitted, s.valid, s.score, s.flagged, s.classification)
        for s in entry_summaries(council)
    }
    assert summed == full
    assert sorted(v[3] for v in summed.values() if v[3] is not None) == [D("76.67"), D("92.83")]


def test_the_chair_filters_the_flagged_entries_a_class_and_a_field(
    client, council, three, secretary, chair, make_dossier, unit_a, staff, scoring_campaign
):
    (calm,) = entries(1, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign)
    (wide,) = entries(
        1, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign, totals=(100, 70, 60)
    )
    (top,) = entries(
        1, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign, totals=(95, 95, 95)
    )
    other_field = Field.objects.exclude(pk=calm.field_id).first()
    top.field = other_field
    top.save(update_fields=["field"])
    client.force_login(chair)
    url = reverse("councils:results")
    page = client.get(url).content.decode()
    assert "3 hồ sơ được phân công chấm" in page and "1 hồ sơ chênh lệch trên 20 điểm" in page

    flagged = client.get(url, {"flagged": "on"}).content.decode()
    assert wide.reference in flagged and calm.reference not in flagged and top.reference not in flagged

    excellent = client.get(url, {"grade": "excellent"}).content.decode()  # 95 ≥ 90
    assert top.reference in excellent and calm.reference not in excellent and wide.reference not in excellent

    by_field = client.get(url, {"field": other_field.pk}).content.decode()
    assert top.reference in by_field and calm.reference not in by_field

    nothing = client.get(url, {"grade": "fail"}).content.decode()
    assert "Không có hồ sơ nào phù hợp với bộ lọc" in nothing


def test_a_bad_filter_is_refused_in_vietnamese_and_the_list_stays(
    client, council, three, secretary, chair, make_dossier, unit_a, staff, scoring_campaign
):
    (dossier,) = entries(1, council, three, secretary, make_dossier, unit_a, staff, scoring_campaign)
    client.force_login(chair)
    response = client.get(reverse("councils:results"), {"grade": "tuyệt-vời", "field": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Không có xếp loại này." in page and "Không có lĩnh vực này." in page
    assert dossier.reference in page


@pytest.mark.parametrize("person", ["council_member", "staff", "front_admin"])
def test_the_results_are_for_the_secretary_and_the_chair(client, request, council, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("councils:results"), {"flagged": "on"}).status_code == 403
