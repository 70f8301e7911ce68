"""Rubrics: the SPEC's default, the rules they keep, copying last year's, the admin's refusals."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from councils.models import Council, Criterion, Rubric
from councils.services import (
    RubricCopyRefused,
    rubric_copy_previous,
    rubric_create_default,
    rubric_problems,
)
from tests.submissions.conftest import CampaignFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_default_rubric_is_the_spec_100_points_with_bands(campaign):
    rubric = rubric_create_default(campaign=campaign, actor=None)
    criteria = list(rubric.criteria.prefetch_related("bands"))
    assert [(c.name, c.max_points) for c in criteria] == [
        ("Tính mới, tính sáng tạo", D(30)),
        ("Khả năng áp dụng, nhân rộng", D(30)),
        ("Hiệu quả kinh tế, xã hội", D(30)),
        ("Phạm vi ảnh hưởng", D(10)),
    ]
    novelty_bands = [(b.label, b.min_points, b.max_points) for b in criteria[0].bands.all()]
    assert novelty_bands[0] == ("Hoàn toàn mới", D(27), D(30))
    assert novelty_bands[-1] == ("Không có tính mới", D(0), D(0))
    assert (rubric.excellent_min, rubric.good_min, rubric.fair_min, rubric.pass_min) == (
        D(90),
        D(80),
        D(65),
        D(50),
    )
    assert rubric_create_default(campaign=campaign, actor=None) == rubric  # idempotent
    assert Rubric.objects.count() == 1


def test_rubric_problems_names_each_rule_in_vietnamese(campaign):
    rubric = Rubric(
        campaign=campaign,
        name="Thử",
        total_points=D(100),
        excellent_min=D(80),
        good_min=D(85),
        fair_min=D(65),
        pass_min=D(50),
    )
    problems = rubric_problems(rubric=rubric, criteria=[(D(30), [(D(25), D(35))]), (D(0), [])])
    assert "Ngưỡng xếp loại phải giảm dần: Xuất sắc > Tốt > Khá > Đạt > 0." in problems
    assert "Tổng điểm tối đa của các tiêu chí là 30, phải bằng thang điểm 100." in problems
    assert "Tiêu chí 1: mức 25–35 nằm ngoài khoảng 0–30." in problems
    assert "Tiêu chí 2: điểm tối đa phải lớn hơn 0." in problems
    good = Rubric(
        campaign=campaign,
        name="Đúng",
        total_points=D(100),
        excellent_min=D(90),
        good_min=D(80),
        fair_min=D(65),
        pass_min=D(50),
    )
    assert rubric_problems(rubric=good, criteria=[(D(60), [(D(0), D(60))]), (D(40), [])]) == []


def test_the_database_refuses_thresholds_out_of_order_and_a_second_general_rubric(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rubric.objects.create(campaign=campaign, name="Sai", excellent_min=D(70), good_min=D(80))
    Rubric.objects.create(campaign=campaign, name="Chung")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rubric.objects.create(campaign=campaign, name="Chung lần hai")
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(rubric=Rubric.objects.get(), name="Không điểm", max_points=D(0))


def test_copying_last_years_rubric_in_one_action(campaign):
    rubric_create_default(campaign=campaign, actor=None)
    next_year = CampaignFactory(year=2027)
    copies = rubric_copy_previous(campaign=next_year, actor=None)
    assert [copy.name for copy in copies] == ["Bộ tiêu chí chung năm 2027"]
    copied = copies[0].criteria.prefetch_related("bands")
    assert [(c.name, c.max_points, c.bands.count()) for c in copied] == [
        ("Tính mới, tính sáng tạo", D(30), 5),
        ("Khả năng áp dụng, nhân rộng", D(30), 4),
        ("Hiệu quả kinh tế, xã hội", D(30), 4),
        ("Phạm vi ảnh hưởng", D(10), 3),
    ]
    with pytest.raises(RubricCopyRefused, match="đã có bộ tiêu chí"):
        rubric_copy_previous(campaign=next_year, actor=None)
    with pytest.raises(RubricCopyRefused, match="Chưa có đợt xét chọn nào trước năm 2026"):
        rubric_copy_previous(campaign=campaign, actor=None)


def test_the_admin_refuses_criteria_that_do_not_add_up_and_saves_nothing(client, secretary, campaign):
    client.force_login(secretary)
    data = {
        "campaign": campaign.pk,
        "field": "",
        "name": "Bộ tiêu chí thử",
        "total_points": "100",
        "excellent_min": "90",
        "good_min": "80",
        "fair_min": "65",
        "pass_min": "50",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-order": "1",
        "criteria-0-name": "Tính mới",
        "criteria-0-max_points": "30",
        "criteria-1-order": "2",
        "criteria-1-name": "Hiệu quả",
        "criteria-1-max_points": "30",
    }
    response = client.post(reverse("admin:councils_rubric_add"), data)
    assert response.status_code == 200
    assert "Tổng điểm tối đa của các tiêu chí là 60, phải bằng thang điểm 100." in response.content.decode()
    assert not Rubric.objects.exists()
    data["criteria-1-max_points"] = "70"
    response = client.post(reverse("admin:councils_rubric_add"), data)
    assert response.status_code == 302
    assert Rubric.objects.get().criteria.count() == 2


def test_the_council_admin_action_copies_last_years_rubric(client, front_admin, campaign):
    rubric_create_default(campaign=campaign, actor=None)
    next_year = CampaignFactory(year=2027)
    council = Council.objects.create(
        campaign=next_year,
        name="Hội đồng 2027",
        decision_number="12/QĐ",
        decision_date="2027-03-05",
        decision_signer="Chủ tịch UB MTTQ tỉnh",
    )
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:councils_council_changelist"),
        {"action": "copy_previous_rubrics", "_selected_action": [council.pk]},
        follow=True,
    )
    assert "Đã sao chép 1 bộ tiêu chí." in response.content.decode()
    assert Rubric.objects.filter(campaign=next_year).count() == 1


@pytest.mark.parametrize("person", ["staff", "reviewer", "council_member"])
def test_only_the_secretary_and_front_admins_set_up_councils(client, request, person):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("admin:councils_rubric_changelist"))
    assert response.status_code == 302


def test_a_secretary_sets_up_the_current_council_only_and_cannot_announce_in_the_admin(
    client, secretary, council, campaign
):
    past = CampaignFactory(year=campaign.year - 1)
    old_council = Council.objects.create(
        campaign=past,
        name="Hội đồng năm trước",
        decision_number="3/QĐ",
        decision_date="2025-03-05",
        decision_signer="Chủ tịch UB MTTQ tỉnh",
    )
    old_rubric = rubric_create_default(campaign=past, actor=None)
    rubric_create_default(campaign=campaign, actor=None)
    client.force_login(secretary)

    listed = client.get(reverse("admin:councils_council_changelist")).content.decode()
    assert council.name in listed and "Hội đồng năm trước" not in listed
    assert client.get(reverse("admin:councils_council_change", args=[old_council.pk])).status_code == 302
    assert client.get(reverse("admin:councils_rubric_change", args=[old_rubric.pk])).status_code == 302
    assert client.get(reverse("admin:councils_council_add")).status_code == 403  # the Front founds councils

    page = client.get(reverse("admin:councils_council_change", args=[council.pk])).content.decode()
    assert 'name="results_announced_at' not in page and 'name="campaign"' not in page
    form = client.get(reverse("admin:councils_rubric_add")).context["adminform"].form
    assert list(form.fields["campaign"].queryset) == [campaign]
