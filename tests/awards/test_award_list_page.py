# ruff: noqa: F811  (pytest fixtures imported from other test modules are used as arguments)
"""The award list page at province scale: a page of honourees at a time, the head of the ranking
beside it, the count and the prize total over the whole list — its cost does not grow with the list,
and a row's refused change is shown on that row's page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from awards import services
from awards.models import Honouree
from awards.views import HONOUREES_PER_PAGE
from submissions.models import Status
from tests.awards.test_award_list import DECISION, draft, run, second_admin, with_bank_details  # noqa: F401
from tests.awards.test_ranking import run_now, scored_entries  # noqa: F401
from tests.councils.test_progress import three  # noqa: F401
from tests.councils.test_scoring import council, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db


def grow(draft, n, make_dossier, unit_a, staff, campaign):
    """n more honourees on the draft, after those already on it."""
    start = draft.honourees.count()
    Honouree.objects.bulk_create(
        Honouree(
            award_list=draft,
            dossier=make_dossier(unit_a, staff, Status.RANKED, campaign=campaign),
            position=start + i + 1,
            kind=Honouree.Kind.INDIVIDUAL,
            name=f"Tác giả số {start + i + 1}",
            unit_name=unit_a.name,
            honour="Bằng khen",
            classification="good",
            score=Decimal("85"),
            prize_amount=1_000_000,
        )
        for i in range(n)
    )


def test_the_award_list_page_costs_the_same_for_1_and_50_honourees(
    client, draft, front_admin, make_dossier, unit_a, staff, scoring_campaign, django_assert_num_queries
):
    draft.honourees.exclude(pk=draft.honourees.first().pk).delete()
    client.force_login(front_admin)
    url = reverse("awards:list", args=[draft.pk])
    client.get(url)
    # session, user, the list, the page's count and honourees, the list's count and prize total, the
    # dossiers on it, the head of the ranking, the add form's choices, the list's trail (memberships
    # and unit permissions: cached by the first request)
    with django_assert_num_queries(10) as one:
        page = client.get(url).content.decode()
    assert "1 hồ sơ được tôn vinh" in page
    grow(draft, 49, make_dossier, unit_a, staff, scoring_campaign)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert "50 hồ sơ được tôn vinh" in page
    assert page.count('class="panel honouree"') == HONOUREES_PER_PAGE
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="panel honouree"') == 50 - HONOUREES_PER_PAGE
    assert "Tác giả số 50" in second and "Tác giả số 50" not in page


def test_a_refused_change_is_shown_on_its_rows_page(
    client, draft, front_admin, make_dossier, unit_a, staff, scoring_campaign
):
    grow(draft, 40, make_dossier, unit_a, staff, scoring_campaign)
    last = draft.honourees.order_by("-position").first()
    client.force_login(front_admin)
    response = client.post(
        reverse("awards:honouree_change", args=[last.pk]),
        {f"h{last.pk}-name": "", f"h{last.pk}-honour": "Bằng khen", f"h{last.pk}-prize_amount": "1000000"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="tv-{last.pk}"' in page and "Vui lòng ghi tên." in page
    last.refresh_from_db()
    assert last.name.startswith("Tác giả số")  # nothing changed


def published_with(draft, n, make_dossier, unit_a, staff, campaign, second_admin):
    grow(draft, n, make_dossier, unit_a, staff, campaign)
    with_bank_details(draft)
    services.award_list_approve(award_list=draft, actor=second_admin)
    services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    return draft


def test_a_published_list_page_names_only_its_pages_honourees_for_an_amendment(
    client,
    draft,
    front_admin,
    second_admin,
    make_dossier,
    unit_a,
    staff,
    scoring_campaign,
    django_assert_num_queries,
):
    published = published_with(draft, 40, make_dossier, unit_a, staff, scoring_campaign, second_admin)
    client.force_login(front_admin)
    url = reverse("awards:list", args=[published.pk])
    client.get(url)
    # session, user, the list, the page's count and honourees, the list's count and prize total, the
    # head of the ranking and which of it is on the list, the list's trail (the menu's council places:
    # cached by the first request): no query per honouree, none for the amendment's choices (the
    # page's honourees).
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()
    last = published.honourees.order_by("-position").first()
    first = published.honourees.order_by("position").first()
    choices = re.search(r'<select name="honouree".*?</select>', page, re.S).group(0)
    assert choices.count("<option") == HONOUREES_PER_PAGE  # the amendment's choices: this page
    assert f'<option value="{first.pk}"' in page and f'<option value="{last.pk}"' not in page
    assert 'class="honouree-form"' not in page  # no edit forms once published
    # A refused amendment of an honouree on the last page is shown on that page, chosen.
    response = client.post(
        reverse("awards:honouree_amend", args=[published.pk]),
        {"honouree": last.pk, "field": "name", "value": "Tên mới", "reason": ""},
    )
    assert response.status_code == 400
    refused = response.content.decode()
    assert "Vui lòng ghi lý do thay đổi." in refused and f'id="tv-{last.pk}"' in refused
    assert f'<option value="{last.pk}" selected' in refused


def test_the_public_year_page_summarises_then_pages_searches_and_filters(
    client, draft, second_admin, make_dossier, unit_a, staff, scoring_campaign, django_assert_num_queries
):
    from awards.views_public import YEAR_PAGE

    published = published_with(
        draft, YEAR_PAGE + 10, make_dossier, unit_a, staff, scoring_campaign, second_admin
    )
    published.honourees.filter(position=YEAR_PAGE + 5).update(name="Nguyễn Thị Ánh Dương")
    total = published.honourees.count()
    url = reverse("awards_public:year", args=[published.campaign.year])

    def rows(**params):
        response = client.get(url, params)
        return response, response.content.decode().count('<tr><td class="num">')

    response, shown = rows()
    page = response.content.decode()
    assert shown == YEAR_PAGE and f"{total} cá nhân, tập thể được tôn vinh" in page
    assert "Theo xếp loại" in page and "Theo lĩnh vực" in page and "Trang 1/2" in page
    assert rows(page="2")[1] == total - YEAR_PAGE
    # Whatever the case and the diacritics typed, on any page of the list.
    response, shown = rows(q="nguyen thi anh DUONG")
    assert shown == 1 and "Nguyễn Thị Ánh Dương" in response.content.decode()
    excellent = published.honourees.filter(classification="excellent").count()
    assert rows(classification="excellent")[1] == excellent < YEAR_PAGE
    field = published.honourees.first().dossier.field
    assert rows(field=str(field.pk), page="2")[1] == total - YEAR_PAGE  # every grown dossier shares the field
    for bad in ({"field": "999999"}, {"classification": "gold"}, {"field": "２"}, {"q": "x" * 1000}):
        response = client.get(url, bad)
        assert response.status_code == 400 and "<tr><td" not in response.content.decode()
    # Browsing reads the summary and the rows from the cache: the same queries for any page.
    rows(page="2")
    with django_assert_num_queries(3):
        client.get(url, {"page": "2"})
