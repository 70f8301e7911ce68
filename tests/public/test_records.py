# ruff: noqa: F811  (pytest fixtures imported from other test modules are used as arguments)
"""What becomes public and how: a published award list, a Front admin's mark; the withdrawal (410);
the record page, its printable view, the statistics; the authors' consent."""

import pytest
from django.urls import reverse

from awards import services as award_services
from dksangtao.audit import Action, trail_for
from dksangtao.errors import ActionRefused
from public import services
from public.models import PublicRecord, Recognition
from submissions.models import Dossier, Status
from tests.awards.test_award_list import DECISION, draft, run, second_admin, with_bank_details  # noqa: F401
from tests.awards.test_ranking import scored_entries  # noqa: F401
from tests.councils.test_progress import three  # noqa: F401
from tests.councils.test_scoring import council, scoring_campaign  # noqa: F401
from tests.public.conftest import CONFIDENTIAL

pytestmark = pytest.mark.django_db


# Publication ------------------------------------------------------------------------------------


def test_publishing_a_list_makes_its_honourees_public(draft, second_admin, scored_entries):
    with_bank_details(draft)
    award_services.award_list_approve(award_list=draft, actor=second_admin)
    award_services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    honoured = {h.dossier_id: h for h in draft.honourees.all()}
    records = {r.dossier_id: r for r in PublicRecord.objects.all()}
    assert set(records) == set(honoured)  # B, ranked but not honoured, stays private
    for dossier_id, record in records.items():
        honouree = honoured[dossier_id]
        assert record.recognition == Recognition.HONOURED
        assert (record.honour, record.score, record.decision) == (honouree.honour, honouree.score, DECISION)
        assert record.source == PublicRecord.Source.AWARD_LIST
        assert [e.action for e in trail_for(record)] == [Action.RECORD_PUBLISHED]


def test_an_unpublished_list_makes_nothing_public(draft, second_admin):
    with_bank_details(draft)
    award_services.award_list_approve(award_list=draft, actor=second_admin)
    assert not PublicRecord.objects.exists()


def test_a_marked_record_gains_the_honour_when_its_list_is_published(
    draft, second_admin, front_admin, scored_entries
):
    dossier = Dossier.objects.get(pk=draft.honourees.first().dossier_id)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.NOT_AWARDED)  # marked while out of hand
    marked = services.record_mark(dossier=dossier, actor=front_admin)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RANKED)
    with_bank_details(draft)
    award_services.award_list_approve(award_list=draft, actor=second_admin)
    award_services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    marked.refresh_from_db()
    assert marked.recognition == Recognition.HONOURED and marked.decision == DECISION
    assert [e.action for e in trail_for(marked)] == [Action.RECORD_PUBLISHED, Action.RECORD_REFRESHED]


# The public part and the consent -------------------------------------------------------------------


def test_only_the_public_part_is_copied(make_record):
    record = make_record(title="Ủ phân hữu cơ", economic_benefit_vnd=80_000_000)
    values = " ".join(str(getattr(record, f.attname)) for f in PublicRecord._meta.concrete_fields)
    assert CONFIDENTIAL not in values
    assert record.economic_benefit_vnd == 80_000_000
    assert record.search_title == " u phan huu co "


def test_authors_are_named_only_with_their_consent(make_record, unit_a):
    without = make_record()
    assert without.authors == f"Tập thể tác giả đơn vị {unit_a.name}"
    assert "Nguyễn Văn Bình" not in without.authors
    collective = make_record(is_collective=True, collective_name="Tập thể Phòng Quản lý công nghệ")
    assert collective.authors == "Tập thể Phòng Quản lý công nghệ"
    consenting = make_record(authors_consent=True)
    assert consenting.authors == "Nguyễn Văn Bình, Trần Thị Ngọc Ánh"


# The Front admin's mark -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.IN_APPRAISAL])
def test_only_recognised_dossiers_can_be_marked(make_dossier, unit_a, staff, front_admin, status):
    dossier = make_dossier(unit_a, staff, status=status)
    with pytest.raises(ActionRefused, match="đã được công nhận"):
        services.record_mark(dossier=dossier, actor=front_admin)
    assert not PublicRecord.objects.exists()


def test_mark_twice_is_refused_and_a_withdrawn_record_can_come_back(make_record, front_admin):
    record = make_record()
    with pytest.raises(ActionRefused, match="đã có trong"):
        services.record_mark(dossier=record.dossier, actor=front_admin)
    services.record_withdraw(public_record=record, actor=front_admin, reason="Đơn vị đề nghị gỡ.")
    again = services.record_mark(dossier=record.dossier, actor=front_admin)
    assert again.pk == record.pk and not again.is_withdrawn and again.withdrawn_reason == ""
    assert [e.action for e in trail_for(again)] == [
        Action.RECORD_PUBLISHED,
        Action.RECORD_WITHDRAWN,
        Action.RECORD_PUBLISHED,
    ]


def test_the_mark_view(client, make_dossier, unit_a, staff, front_admin, outsider):
    dossier = make_dossier(unit_a, staff, status=Status.RECOGNISED_AT_UNIT)
    url = reverse("public:mark", args=[dossier.pk])
    assert client.post(url).status_code == 302 and not PublicRecord.objects.exists()  # to the login page
    for person in (staff, outsider):
        client.force_login(person)
        assert client.post(url).status_code == 403
    client.force_login(front_admin)
    assert client.get(url).status_code == 405
    assert client.post(reverse("public:mark", args=[999999])).status_code == 404
    response = client.post(url)
    record = PublicRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()


def test_the_mark_view_refuses_an_unrecognised_dossier_with_a_message(
    client, make_dossier, unit_a, staff, front_admin
):
    dossier = make_dossier(unit_a, staff, status=Status.SUBMITTED)
    client.force_login(front_admin)
    response = client.post(reverse("public:mark", args=[dossier.pk]), follow=True)
    assert "Chỉ đưa vào cơ sở dữ liệu hồ sơ đã được công nhận" in response.content.decode()
    assert not PublicRecord.objects.exists()


def test_the_dossier_page_offers_the_mark_to_front_admins_only(
    client, make_dossier, unit_a, staff, front_admin
):
    dossier = make_dossier(unit_a, staff, status=Status.RECOGNISED_AT_UNIT)
    page = reverse("submissions:detail", args=[dossier.pk])
    client.force_login(front_admin)
    assert "Đưa vào cơ sở dữ liệu sáng tạo" in client.get(page).content.decode()
    client.force_login(staff)
    assert "Đưa vào cơ sở dữ liệu sáng tạo" not in client.get(page).content.decode()
    record = services.record_mark(dossier=dossier, actor=front_admin)
    assert record.get_absolute_url() in client.get(page).content.decode()


# Withdrawal ---------------------------------------------------------------------------------------


def test_withdrawal_needs_a_reason_and_then_the_page_is_gone(client, make_record, front_admin, staff):
    record = make_record(title="Giải pháp bị gỡ")
    url = reverse("public:withdraw", args=[record.reference])
    client.force_login(staff)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(front_admin)
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert "Vui lòng ghi lý do gỡ bản ghi khỏi cơ sở dữ liệu." in response.content.decode()
    record.refresh_from_db()
    assert not record.is_withdrawn
    response = client.post(url, {"reason": "Trùng nội dung với bản ghi DKST-2025-00003."})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_by == front_admin and record.withdrawn_reason.startswith("Trùng")
    client.logout()
    gone = client.get(record.get_absolute_url())
    assert gone.status_code == 410
    assert "đã được gỡ" in gone.content.decode() and "Trùng nội dung" not in gone.content.decode()
    assert client.get(reverse("public:print", args=[record.reference])).status_code == 410
    (event,) = trail_for(record, actions=[Action.RECORD_WITHDRAWN])
    assert event.reason.startswith("Trùng") and event.actor == front_admin


def test_withdrawing_twice_is_refused(make_record, front_admin):
    record = make_record()
    services.record_withdraw(public_record=record, actor=front_admin, reason="Lý do")
    with pytest.raises(ActionRefused):
        services.record_withdraw(public_record=record, actor=front_admin, reason="Lý do khác")


# The pages ----------------------------------------------------------------------------------------


def test_the_record_page(client, make_record):
    record = make_record(title="Tưới tiết kiệm cho thanh trà", summary="Tưới nhỏ giọt bằng điện thoại.")
    make_record(title="Tưới tiết kiệm cho vườn bưởi thanh trà", summary="Tưới phun sương.")
    response = client.get(record.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta property="og:title" content="Tưới tiết kiệm cho thanh trà">' in html
    assert f'<link rel="canonical" href="http://testserver{record.get_absolute_url()}">' in html or (
        'rel="canonical"' in html and record.get_absolute_url() in html
    )
    assert CONFIDENTIAL not in html and "Nguyễn Văn Bình" not in html
    assert "vườn bưởi" in html  # a related record
    assert "Gỡ bản ghi" not in html  # the withdrawal form is for Front admins


def test_the_printable_view(client, make_record):
    record = make_record()
    response = client.get(reverse("public:print", args=[record.reference]))
    assert response.status_code == 200
    assert record.title in response.content.decode() and "main-nav" not in response.content.decode()


@pytest.mark.parametrize("reference", ["DKST-1999-00001", "x" * 300])
def test_unknown_references_are_404(client, reference):
    response = client.get(f"/co-so-du-lieu/{reference}/")
    assert response.status_code == 404


@pytest.mark.parametrize("reference", ["%00", "DKST\x00"])
def test_a_reference_with_a_nul_is_400(client, reference):
    """Refused before the view by dksangtao.middleware.HostileInputMiddleware (issue #15)."""
    assert client.get(f"/co-so-du-lieu/{reference}/").status_code == 400


def test_the_statistics_page(client, make_record):
    make_record(economic_benefit_vnd=100_000_000)
    make_record(economic_benefit_vnd=50_000_000)
    response = client.get(reverse("public:statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "150.000.000 đ" in html
    assert response.context["figures"]["total"] == 2


def test_the_public_award_page_links_into_the_database(client, draft, second_admin):
    with_bank_details(draft)
    award_services.award_list_approve(award_list=draft, actor=second_admin)
    award_services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    html = client.get(reverse("awards_public:year", args=[draft.campaign.year])).content.decode()
    for record in PublicRecord.objects.all():
        assert f'href="{record.get_absolute_url()}"' in html
