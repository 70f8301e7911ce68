"""Front admins run campaigns and grant deadline extensions in the admin; nobody else can."""

import datetime as dt

import pytest
from django.urls import reverse

from submissions.models import Campaign, DeadlineExtension

pytestmark = pytest.mark.django_db

DATES = {
    "submissions_open": "01/03/2027",
    "submissions_close": "31/05/2027",
    "unit_review_deadline": "20/06/2027",
    "screening_deadline": "30/06/2027",
    "scoring_start": "01/07/2027",
    "scoring_end": "31/07/2027",
}


def test_front_admin_creates_a_campaign_with_dd_mm_yyyy_dates_and_a_2_9_ceremony(client, front_admin):
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:submissions_campaign_add"),
        {
            "year": "2027",
            "name": "Đợt xét chọn năm 2027",
            "ceremony_date": "",
            "nomination_quota": "3",
            **DATES,
        },
    )
    assert response.status_code == 302, response.content.decode()
    campaign = Campaign.objects.get(year=2027)
    assert campaign.submissions_open == dt.date(2027, 3, 1)
    assert campaign.ceremony_date == dt.date(2027, 9, 2)


def test_phases_out_of_order_are_refused_in_vietnamese(client, front_admin):
    client.force_login(front_admin)
    bad = {**DATES, "submissions_close": "01/02/2027"}
    response = client.post(
        reverse("admin:submissions_campaign_add"),
        {"year": "2027", "name": "Đợt 2027", "ceremony_date": "", **bad},
    )
    assert response.status_code == 200
    assert "Ngày này phải sau hoặc bằng «Mở nhận hồ sơ»." in response.content.decode()
    assert not Campaign.objects.exists()


def test_an_extension_is_recorded_with_who_granted_it(client, front_admin, unit_a, campaign):
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:submissions_deadlineextension_add"),
        {
            "campaign": campaign.pk,
            "unit": unit_a.pk,
            "submissions_close": "10/07/2026",
            "reason": "Đơn vị bị ảnh hưởng bởi bão số 5, đề nghị lùi hạn.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    extension = DeadlineExtension.objects.get()
    assert (extension.unit, extension.granted_by, extension.submissions_close) == (
        unit_a,
        front_admin,
        dt.date(2026, 7, 10),
    )


def test_an_extension_past_the_review_deadline_is_refused(client, front_admin, unit_a, campaign):
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:submissions_deadlineextension_add"),
        {"campaign": campaign.pk, "unit": unit_a.pk, "submissions_close": "30/07/2026", "reason": "Lùi hạn."},
    )
    assert response.status_code == 200
    assert "Hạn mới không được sau hạn xét duyệt của đơn vị (15/07/2026)." in response.content.decode()
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize(("person", "status"), [("staff", 302), ("reviewer", 302), ("secretary", 403)])
def test_only_front_admins_manage_campaigns(client, request, person, status):
    # The secretary reaches the admin (council set-up) but not the campaigns: 403; others go to login.
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("admin:submissions_campaign_changelist"))
    assert response.status_code == status
    if status == 302:
        assert reverse("admin:login") in response["Location"]
