"""The secretary screens nominated dossiers: eligible → in appraisal, ineligible with a reason."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from submissions.models import Campaign, Status
from tests.trail import status_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def screening_campaign(campaign):
    """The test campaign, with the screening deadline moved to today so the view may act."""
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        screening_deadline=today,
        scoring_start=today + dt.timedelta(days=1),
        scoring_end=today + dt.timedelta(days=20),
        ceremony_date=today + dt.timedelta(days=60),
    )
    campaign.refresh_from_db()
    return campaign


def test_the_secretary_sees_the_nominated_dossiers_and_marks_one_eligible(
    client,
    secretary,
    staff,
    reviewer,
    unit_a,
    make_dossier,
    screening_campaign,
    django_capture_on_commit_callbacks,
):
    nominated = make_dossier(unit_a, staff, Status.NOMINATED, campaign=screening_campaign)
    submitted = make_dossier(unit_a, staff, Status.SUBMITTED, campaign=screening_campaign)
    client.force_login(secretary)
    page = client.get(reverse("councils:screening_queue")).content.decode()
    assert nominated.title in page and submitted.title not in page
    assert client.get(reverse("submissions:detail", args=[nominated.pk])).status_code == 200
    assert client.get(reverse("submissions:detail", args=[submitted.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("councils:screening", args=[nominated.pk]), {"decision": "eligible"})
    assert response.status_code == 302
    nominated.refresh_from_db()
    assert nominated.status == Status.IN_APPRAISAL
    assert sorted(mail.outbox[0].to) == sorted([staff.email, reviewer.email])
    assert "đủ điều kiện" in mail.outbox[0].subject


def test_ineligible_needs_a_reason_and_without_one_nothing_changes(
    client, secretary, staff, unit_a, make_dossier, screening_campaign, django_capture_on_commit_callbacks
):
    dossier = make_dossier(unit_a, staff, Status.NOMINATED, campaign=screening_campaign)
    client.force_login(secretary)
    response = client.post(
        reverse("councils:screening", args=[dossier.pk]), {"decision": "ineligible", "reason": " "}
    )
    assert response.status_code == 400
    assert "Vui lòng ghi lý do hồ sơ không đủ điều kiện." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.NOMINATED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("councils:screening", args=[dossier.pk]),
            {"decision": "ineligible", "reason": "Giải pháp đã được công nhận năm 2024."},
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.INELIGIBLE
    assert status_changes(dossier)[-1].reason == "Giải pháp đã được công nhận năm 2024."
    assert "Giải pháp đã được công nhận năm 2024." in mail.outbox[0].body


def test_screening_after_its_deadline_is_refused(client, secretary, staff, unit_a, make_dossier, campaign):
    dossier = make_dossier(unit_a, staff, Status.NOMINATED)  # the 2026 campaign: screening ended 25/07/2026
    client.force_login(secretary)
    response = client.post(reverse("councils:screening", args=[dossier.pk]), {"decision": "eligible"})
    assert response.status_code == 409
    assert "Đã hết hạn thẩm tra điều kiện (ngày 25/07/2026)." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.NOMINATED


def test_a_dossier_not_nominated_cannot_be_screened(
    client, secretary, staff, unit_a, make_dossier, screening_campaign
):
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=screening_campaign)
    client.force_login(secretary)
    response = client.post(reverse("councils:screening", args=[dossier.pk]), {"decision": "eligible"})
    assert response.status_code == 409
    assert "Không thể chuyển hồ sơ từ «Đang thẩm định» sang «Đang thẩm định»." in response.content.decode()


@pytest.mark.parametrize("person", ["staff", "reviewer", "council_member", "chair", "front_admin"])
def test_only_the_secretary_screens(client, request, person, staff, unit_a, make_dossier, screening_campaign):
    dossier = make_dossier(unit_a, staff, Status.NOMINATED, campaign=screening_campaign)
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("councils:screening_queue")).status_code == 403
    assert (
        client.post(reverse("councils:screening", args=[dossier.pk]), {"decision": "eligible"}).status_code
        == 403
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.NOMINATED


def test_the_screening_queue_costs_the_same_for_1_and_30_dossiers(
    client, secretary, staff, unit_a, make_dossier, screening_campaign, django_assert_num_queries
):
    make_dossier(unit_a, staff, Status.NOMINATED, campaign=screening_campaign)
    client.force_login(secretary)
    client.get(reverse("councils:screening_queue"))
    # session, user (memberships: cached by the first request; unit permissions: read from them), the current
    # campaign, the count, the rows with unit, kind and field joined.
    with django_assert_num_queries(5) as few:
        client.get(reverse("councils:screening_queue"))
    for _ in range(29):
        make_dossier(unit_a, staff, Status.NOMINATED, campaign=screening_campaign)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("councils:screening_queue"))
