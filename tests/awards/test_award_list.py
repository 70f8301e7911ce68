# ruff: noqa: F811  (pytest fixtures imported from other test modules are used as arguments)
"""The award list: drafted from a run by the campaign's policy, edited with a reason per change, approved
by a second Front admin, published once in one transaction, corrected only by amendments; the public
page shows nothing before publication."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from awards import services
from awards.models import AwardList
from awards.ranking import policy_for
from dksangtao.audit import Action, trail_for
from dksangtao.models import AuditEvent
from dksangtao.roles import Role
from fund.models import Kind as FundKind
from fund.models import Transaction as FundTransaction
from submissions.models import Dossier, Status
from submissions.services import ActionRefused
from tests.awards.test_ranking import run_now, scored_entries  # noqa: F401
from tests.councils.test_progress import three  # noqa: F401
from tests.councils.test_scoring import council, scoring_campaign  # noqa: F401
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db
D = Decimal
DECISION = "Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/2026"


@pytest.fixture
def second_admin(front_unit):
    return person_with_role(
        Role.FRONT_ADMIN, front_unit, full_name="Hồ Thị Minh Nguyệt", email="nguyet@example.vn"
    )


@pytest.fixture
def run(scored_entries, scoring_campaign, front_admin, django_capture_on_commit_callbacks):
    return run_now(scoring_campaign, front_admin, django_capture_on_commit_callbacks)


@pytest.fixture
def draft(run, front_admin):
    return services.award_list_draft(run=run, actor=front_admin)


def with_bank_details(award_list):
    award_list.honourees.update(bank_account="0123456789", bank_name="Vietcombank Huế")


def test_the_draft_takes_the_honoured_classes_with_their_prizes(draft, scored_entries):
    rows = list(draft.honourees.values_list("dossier", "classification", "prize_amount", "position", "kind"))
    assert rows == [
        (scored_entries["C"].pk, "excellent", 10_000_000, 1, "collective"),
        (scored_entries["A"].pk, "good", 5_000_000, 2, "collective"),
    ]  # B is «Khá», not honoured by the default policy
    assert draft.honourees.get(position=1).name == "Tập thể tác giả: Nguyễn Văn Bình, Trần Thị Ngọc Ánh"
    assert [event.action for event in trail_for(draft)] == [Action.LIST_DRAFTED]


def test_the_policy_chooses_classes_prizes_and_a_quota_per_field(
    run, front_admin, scoring_campaign, scored_entries
):
    policy = policy_for(scoring_campaign)
    policy.qualifies_fair, policy.prize_fair, policy.quota_per_field = True, 1_500_000, 2
    policy.save()
    award_list = services.award_list_draft(run=run, actor=front_admin)
    assert list(award_list.honourees.values_list("dossier", "prize_amount")) == [
        (scored_entries["C"].pk, 10_000_000),
        (scored_entries["A"].pk, 5_000_000),
    ]  # all three share one field: the quota of 2 stops at the third


def test_a_change_needs_a_reason_and_is_recorded(client, draft, front_admin):
    honouree = draft.honourees.get(position=2)
    client.force_login(front_admin)
    data = {
        f"h{honouree.pk}-name": honouree.name,
        f"h{honouree.pk}-honour": honouree.honour,
        f"h{honouree.pk}-prize_amount": "7.000.000",
        f"h{honouree.pk}-bank_account": "0123456789",
        f"h{honouree.pk}-bank_name": "Agribank Huế",
        f"h{honouree.pk}-reason": "",
    }
    response = client.post(reverse("awards:honouree_change", args=[honouree.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Vui lòng ghi lý do thay đổi." in page and 'value="7.000.000"' in page and "Agribank Huế" in page
    honouree.refresh_from_db()
    assert honouree.prize_amount == 5_000_000

    data[f"h{honouree.pk}-reason"] = "Nâng mức thưởng theo Quyết định 12/QĐ-MTTQ"
    client.post(reverse("awards:honouree_change", args=[honouree.pk]), data)
    honouree.refresh_from_db()
    assert (honouree.prize_amount, honouree.bank_name) == (7_000_000, "Agribank Huế")
    (change,) = trail_for(draft, actions=[Action.HONOUREE_CHANGED])
    assert "Tiền thưởng: 5.000.000 đ → 7.000.000 đ" in change.detail["summary"]
    assert change.reason == "Nâng mức thưởng theo Quyết định 12/QĐ-MTTQ" and change.actor == front_admin


def test_bad_money_is_refused_in_vietnamese_and_nothing_changes(client, draft, front_admin):
    honouree = draft.honourees.get(position=1)
    client.force_login(front_admin)
    response = client.post(
        reverse("awards:honouree_change", args=[honouree.pk]),
        {
            f"h{honouree.pk}-name": honouree.name,
            f"h{honouree.pk}-honour": honouree.honour,
            f"h{honouree.pk}-prize_amount": "mười triệu",
            f"h{honouree.pk}-reason": "Sửa",
        },
    )
    assert response.status_code == 400
    assert "Tiền thưởng là số nguyên đồng, ví dụ 5.000.000." in response.content.decode()
    honouree.refresh_from_db()
    assert (
        honouree.prize_amount == 10_000_000
        and not trail_for(honouree.award_list, actions=[Action.HONOUREE_CHANGED]).exists()
    )


def test_remove_and_add_back_from_the_ranking_with_reasons(client, draft, front_admin, scored_entries):
    client.force_login(front_admin)
    honouree = draft.honourees.get(dossier=scored_entries["A"])
    client.post(
        reverse("awards:honouree_remove", args=[honouree.pk]), {f"r{honouree.pk}-reason": "Trùng đề tài"}
    )
    assert not draft.honourees.filter(dossier=scored_entries["A"]).exists()
    page = client.get(reverse("awards:list", args=[draft.pk])).content.decode()
    assert "Trùng đề tài" in page and 'id="ranking-beside"' in page  # the ranking stays beside the list

    client.post(
        reverse("awards:honouree_add", args=[draft.pk]),
        {"dossier": scored_entries["B"].pk, "reason": "Hội đồng đề nghị bổ sung"},
    )
    added = draft.honourees.get(dossier=scored_entries["B"])
    assert (added.classification, added.prize_amount, added.position) == ("fair", 0, 2)
    assert [event.action for event in trail_for(draft)] == [
        Action.LIST_DRAFTED,
        Action.HONOUREE_REMOVED,
        Action.HONOUREE_ADDED,
    ]


def test_a_dossier_outside_the_ranking_cannot_be_added(
    client, draft, front_admin, make_dossier, unit_b, staff
):
    stranger = make_dossier(unit_b, staff, Status.NOMINATED)
    client.force_login(front_admin)
    response = client.post(
        reverse("awards:honouree_add", args=[draft.pk]), {"dossier": stranger.pk, "reason": "Thêm"}
    )
    assert response.status_code == 400
    assert not draft.honourees.filter(dossier=stranger).exists()


def test_the_drafter_cannot_approve_by_page_service_or_database(client, draft, front_admin, second_admin):
    client.force_login(front_admin)
    assert "không tự phê duyệt được" in client.get(reverse("awards:list", args=[draft.pk])).content.decode()
    response = client.post(reverse("awards:list_approve", args=[draft.pk]), follow=True)
    assert "Người lập dự thảo không được tự phê duyệt" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardList.objects.filter(pk=draft.pk).update(approved_by=front_admin)

    client.force_login(second_admin)
    client.post(reverse("awards:list_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == ("approved", second_admin)
    with pytest.raises(ActionRefused, match="không sửa được nữa"):
        services.honouree_remove(honouree=draft.honourees.first(), actor=second_admin, reason="Muộn")


def test_publishing_does_everything_in_one_go(
    client, draft, front_admin, second_admin, scored_entries, staff, django_capture_on_commit_callbacks
):
    with_bank_details(draft)
    services.award_list_approve(award_list=draft, actor=second_admin)
    client.force_login(second_admin)
    year = draft.campaign.year
    assert (
        client.get(reverse("awards_public:year", args=[year])).status_code == 404
    )  # nothing before publication
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:list_publish", args=[draft.pk]), {"decision": DECISION}, follow=True
        )
    assert "Đã công bố danh sách tôn vinh" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.published_by, draft.decision) == ("published", second_admin, DECISION)
    assert list(draft.honourees.values_list("certificate_number", flat=True)) == [
        f"001/GCN-ĐKST-{year}",
        f"002/GCN-ĐKST-{year}",
    ]
    statuses = dict(
        Dossier.objects.filter(pk__in=[d.pk for d in scored_entries.values()]).values_list("pk", "status")
    )
    assert statuses == {
        scored_entries["A"].pk: Status.AWARDED,
        scored_entries["B"].pk: Status.NOT_AWARDED,
        scored_entries["C"].pk: Status.AWARDED,
    }
    batch = FundTransaction.objects.get(kind=FundKind.PRIZES)
    assert batch.status == "draft"
    assert sorted(batch.payees.values_list("reference", "amount")) == [
        (scored_entries["A"].reference, 5_000_000),
        (scored_entries["C"].reference, 10_000_000),
    ]
    assert len(mail.outbox) == 3  # one per ranked dossier's unit
    assert any("không có trong danh sách tôn vinh" in m.body for m in mail.outbox)

    page = client.get(reverse("awards_public:year", args=[year])).content.decode()
    assert "001/GCN-ĐKST" in page and scored_entries["C"].title in page and DECISION in page
    response = client.post(
        reverse("awards:list_publish", args=[draft.pk]), {"decision": DECISION}, follow=True
    )
    assert "Chỉ công bố danh sách đã được phê duyệt." in response.content.decode()


def test_a_failure_midway_through_publishing_leaves_nothing_published(
    draft, second_admin, scored_entries, monkeypatch, django_capture_on_commit_callbacks
):
    with_bank_details(draft)
    services.award_list_approve(award_list=draft, actor=second_admin)

    def fund_down(**kwargs):
        raise RuntimeError("sổ Quỹ không nhận bút toán")

    monkeypatch.setattr("fund.services.prize_batch_draft", fund_down)  # the last step before the e-mails
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.published_at is None
    assert set(draft.honourees.values_list("certificate_number", flat=True)) == {""}
    assert set(
        Dossier.objects.filter(pk__in=[d.pk for d in scored_entries.values()]).values_list(
            "status", flat=True
        )
    ) == {Status.RANKED}
    assert not FundTransaction.objects.exists() and not mail.outbox
    assert not AuditEvent.objects.filter(action=Action.LIST_PUBLISHED).exists()


def test_publishing_names_its_decision_and_without_one_nothing_changes(client, draft, second_admin):
    with_bank_details(draft)
    services.award_list_approve(award_list=draft, actor=second_admin)
    client.force_login(second_admin)
    response = client.post(reverse("awards:list_publish", args=[draft.pk]), {"decision": "  "})
    assert response.status_code == 400
    assert "Vui lòng ghi số, ngày quyết định công bố danh sách tôn vinh" in response.content.decode()
    with pytest.raises(ActionRefused, match="Vui lòng ghi số, ngày quyết định"):
        services.award_list_publish(award_list=draft, actor=second_admin, decision="   ")
    draft.refresh_from_db()
    assert (draft.status, draft.decision) == ("approved", "")


def test_a_published_list_freezes_the_campaigns_policy(client, draft, second_admin):
    with_bank_details(draft)
    services.award_list_approve(award_list=draft, actor=second_admin)
    services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    client.force_login(second_admin)
    data = {
        "campaign": str(draft.campaign.year),
        "prize_good": "6.000.000",
        "prize_excellent": "1",
        "prize_fair": "1",
        "ranking_days_before": "14",
        "exports_days_before": "7",
        "booklet_title": "X",
    }
    response = client.post(reverse("awards:policy"), data)
    assert response.status_code == 409
    assert "không sửa chính sách được nữa" in response.content.decode()
    assert policy_for(draft.campaign).prize_good == 5_000_000
    assert not trail_for(draft.campaign, actions=[Action.POLICY_CHANGED]).exists()


def test_publishing_needs_bank_details_for_every_prize(draft, second_admin):
    services.award_list_approve(award_list=draft, actor=second_admin)
    with pytest.raises(ActionRefused, match="Chưa có số tài khoản, ngân hàng nhận thưởng của"):
        services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_a_published_list_is_corrected_by_a_recorded_amendment_shown_publicly(
    client, draft, front_admin, second_admin
):
    with_bank_details(draft)
    services.award_list_approve(award_list=draft, actor=second_admin)
    services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    honouree = draft.honourees.get(position=1)
    client.force_login(front_admin)
    response = client.post(
        reverse("awards:honouree_amend", args=[draft.pk]),
        {
            "honouree": honouree.pk,
            "field": "name",
            "value": "Tập thể tác giả: Nguyễn Văn Bình, Trần Thị Ngọc Anh",
            "reason": "",
        },
    )
    assert response.status_code == 400 and "Vui lòng ghi lý do thay đổi." in response.content.decode()
    client.post(
        reverse("awards:honouree_amend", args=[draft.pk]),
        {
            "honouree": honouree.pk,
            "field": "name",
            "value": "Tập thể tác giả: Nguyễn Văn Bình, Trần Thị Ngọc Anh",
            "reason": "Sai chính tả tên tác giả",
        },
    )
    honouree.refresh_from_db()
    assert honouree.name.endswith("Trần Thị Ngọc Anh")
    public = client.get(reverse("awards_public:year", args=[draft.campaign.year])).content.decode()
    assert "Đính chính" in public and "Sai chính tả tên tác giả" in public
    with pytest.raises(ActionRefused, match="đã công bố; chỉ có thể đính chính"):
        services.award_list_draft(run=draft.run, actor=front_admin)  # no second list once published


def test_the_public_certificate_is_a_numbered_pdf_with_the_diacritics_right(
    client, draft, second_admin, tmp_path
):
    with_bank_details(draft)
    services.award_list_approve(award_list=draft, actor=second_admin)
    services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    honouree = draft.honourees.get(position=1)
    client.logout()
    response = client.get(reverse("awards_public:certificate", args=[draft.campaign.year, honouree.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "gcn.pdf"
    path.write_bytes(response.getvalue())
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "GIẤY CHỨNG NHẬN" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Số: 001/GCN-ĐKST-{draft.campaign.year}" in text
    assert "Tập thể tác giả: Nguyễn Văn Bình, Trần Thị Ngọc Ánh" in text


def test_nothing_is_public_before_publication(client, draft, second_admin):
    honouree = draft.honourees.first()
    year = draft.campaign.year
    assert client.get(reverse("awards_public:year", args=[year])).status_code == 404
    assert client.get(reverse("awards_public:certificate", args=[year, honouree.pk])).status_code == 404
    services.award_list_approve(award_list=draft, actor=second_admin)
    assert client.get(reverse("awards_public:year", args=[year])).status_code == 404
    assert "Chưa có danh sách nào được công bố" in client.get(reverse("awards_public:index")).content.decode()


def test_outsiders_cannot_touch_a_list(client, draft, outsider, staff, secretary, fund_maker):
    honouree = draft.honourees.first()
    for person in (outsider, staff, secretary, fund_maker):
        client.force_login(person)
        assert client.get(reverse("awards:list", args=[draft.pk])).status_code == 403
        assert client.post(reverse("awards:list_approve", args=[draft.pk])).status_code == 403
        assert (
            client.post(
                reverse("awards:honouree_remove", args=[honouree.pk]), {f"r{honouree.pk}-reason": "x"}
            ).status_code
            == 403
        )
        assert client.get(reverse("awards:certificates", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.honourees.count() == 2


def test_the_public_year_page_keeps_its_table_until_an_amendment(
    client, draft, second_admin, django_assert_num_queries
):
    """Province scale: the published table (hundreds of rows) is rendered once, then read from the
    cache; an amendment is on the very next request."""
    with_bank_details(draft)
    services.award_list_approve(award_list=draft, actor=second_admin)
    services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    url = reverse("awards_public:year", args=[draft.campaign.year])
    client.get(url)
    # the list with its campaign, its amendments, the fields of the search form's select: no
    # honouree (the summary and the page's rows are kept until an amendment)
    with django_assert_num_queries(3):
        client.get(url)
    honouree = draft.honourees.get(position=1)
    services.honouree_amend(
        honouree=honouree, actor=second_admin, field="name", value="Tên đã đính chính", reason="Sai tên"
    )
    assert "Tên đã đính chính" in client.get(url).content.decode()
