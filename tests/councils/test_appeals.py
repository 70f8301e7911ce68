# ruff: noqa: F811  (pytest fixtures imported from test_scoring are used as arguments)
"""Announcing the results to the units and their appeals (SPEC §4): a unit's leader lodges one within
the window, the secretary records the council's answer, both are shown on the dossier."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from councils.appeals import appeal_lodge, results_announce
from councils.models import Appeal, Council
from submissions.models import Campaign, Status
from submissions.services import ActionRefused
from tests.councils.test_progress import submit, three  # noqa: F401
from tests.councils.test_scoring import assign, council, entry, scorer, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db


def close_window(council):
    today = timezone.localdate()
    Campaign.objects.filter(pk=council.campaign_id).update(
        scoring_start=today - dt.timedelta(days=5), scoring_end=today - dt.timedelta(days=1)
    )
    council.refresh_from_db()


@pytest.fixture
def scored(council, entry, three, secretary):
    for member, values in zip(
        three, (["27", "25", "20", "8"], ["25", "24", "22", "9"], ["26", "26", "21", "7"]), strict=True
    ):
        submit(assign(council, entry, member, secretary), values)
    close_window(council)
    return entry


@pytest.fixture
def announced(scored, council, secretary):
    results_announce(council=council, actor=secretary)
    council.refresh_from_db()
    return scored


def test_results_are_announced_only_once_the_window_has_closed(
    client, council, entry, three, secretary, staff, reviewer, django_capture_on_commit_callbacks
):
    submit(assign(council, entry, three[0], secretary), ["27", "25", "20", "8"])
    client.force_login(secretary)
    response = client.post(reverse("councils:announce"), follow=True)
    assert "Chỉ công bố kết quả sau khi kết thúc thời gian chấm" in response.content.decode()
    assert Council.objects.get().results_announced_at is None

    close_window(council)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("councils:announce"), follow=True)
    deadline = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"Đã công bố kết quả 1 hồ sơ cho các đơn vị; nhận khiếu nại đến hết ngày {deadline}." in (
        response.content.decode()
    )
    assert Council.objects.get().results_announced_by == secretary
    (message,) = mail.outbox
    assert {staff.email, reviewer.email} <= set(message.to)  # the preparer and the unit's leaders
    assert not {m.user.email for m in three} & set(message.to)
    assert entry.reference in message.subject
    assert "- Điểm: 80/100" in message.body and "- Xếp loại: Tốt" in message.body
    assert deadline in message.body
    assert three[0].user.full_name not in message.body  # the unit never learns who scored what

    response = client.post(reverse("councils:announce"), follow=True)
    assert "Kết quả chấm đã được công bố trước đó." in response.content.decode()
    assert len(mail.outbox) == 1


def test_the_dossier_shows_the_result_only_after_the_announcement(client, council, scored, secretary, staff):
    client.force_login(staff)
    page = client.get(reverse("submissions:detail", args=[scored.pk])).content.decode()
    assert "Kết quả chấm của Hội đồng" not in page
    results_announce(council=council, actor=secretary)
    page = client.get(reverse("submissions:detail", args=[scored.pk])).content.decode()
    assert "Kết quả chấm của Hội đồng" in page and "Xếp loại" in page
    assert "Gửi khiếu nại" not in page  # the staff member is not the unit's leader
    assert "Hoàng Văn Nam" not in page  # nor who scored


def test_the_units_leader_lodges_an_appeal_and_the_secretary_is_told(
    client, council, announced, reviewer, secretary, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    page = client.get(reverse("submissions:detail", args=[announced.pk])).content.decode()
    assert "Gửi khiếu nại" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("councils:appeal_lodge", args=[announced.pk]),
            {"text": "Đề nghị xem lại điểm tiêu chí hiệu quả: đã có xác nhận tiết kiệm 120 triệu đồng/năm."},
            follow=True,
        )
    page = response.content.decode()
    assert "Đã gửi khiếu nại" in page
    assert "Đề nghị xem lại điểm tiêu chí hiệu quả" in page and "Hội đồng đang xem xét khiếu nại." in page
    appeal = Appeal.objects.get()
    assert (appeal.dossier, appeal.lodged_by, appeal.council) == (announced, reviewer, council)
    assert [m.to for m in mail.outbox] == [[secretary.email]]


def test_an_empty_appeal_is_refused_in_vietnamese_and_nothing_is_recorded(client, announced, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("councils:appeal_lodge", args=[announced.pk]), {"text": "   "})
    assert response.status_code == 400
    assert "Vui lòng ghi nội dung khiếu nại." in response.content.decode()
    assert not Appeal.objects.exists()


def test_an_appeal_after_the_window_is_refused_and_keeps_what_was_typed(client, council, announced, reviewer):
    Council.objects.filter(pk=council.pk).update(results_announced_at=timezone.now() - dt.timedelta(days=4))
    client.force_login(reviewer)
    response = client.post(
        reverse("councils:appeal_lodge", args=[announced.pk]), {"text": "Đề nghị chấm lại tiêu chí 1."}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Đã hết hạn nhận khiếu nại" in page and "Đề nghị chấm lại tiêu chí 1." in page
    assert not Appeal.objects.exists()


def test_one_appeal_per_dossier(announced, reviewer):
    appeal_lodge(dossier=announced, actor=reviewer, text="Lần một")
    with pytest.raises(ActionRefused, match="mỗi hồ sơ chỉ khiếu nại một lần"):
        appeal_lodge(dossier=announced, actor=reviewer, text="Lần hai")
    assert Appeal.objects.count() == 1


def test_no_appeal_before_the_announcement(client, scored, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("councils:appeal_lodge", args=[scored.pk]), {"text": "Sớm quá"})
    assert response.status_code == 400
    assert "Hội đồng chưa công bố kết quả chấm" in response.content.decode()
    assert not Appeal.objects.exists()


def test_others_cannot_lodge_an_appeal(client, announced, staff, outsider, secretary, unit_b):
    from dksangtao.roles import Role
    from tests.factories import person_with_role

    other_leader = person_with_role(
        Role.UNIT_REVIEWER, unit_b, full_name="Lý Thị Sen", email="sen@example.vn"
    )
    url = reverse("councils:appeal_lodge", args=[announced.pk])
    for person, status in ((staff, 403), (secretary, 403), (outsider, 404), (other_leader, 404)):
        client.force_login(person)
        assert client.post(url, {"text": "Khiếu nại"}).status_code == status
    assert not Appeal.objects.exists()


def test_the_secretary_records_the_answer_once_and_the_unit_sees_it(
    client, announced, reviewer, secretary, staff, django_capture_on_commit_callbacks
):
    appeal = appeal_lodge(dossier=announced, actor=reviewer, text="Đề nghị xem lại.")
    client.force_login(secretary)
    page = client.get(reverse("councils:appeals")).content.decode()
    assert "Đề nghị xem lại." in page and "Ghi nhận trả lời" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("councils:appeal_answer", args=[appeal.pk]),
            {
                "outcome": "rejected",
                "answer": "Hội đồng giữ nguyên kết quả: số liệu hiệu quả chưa có xác nhận.",
            },
        )
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.answered_by) == ("rejected", secretary)
    assert {staff.email, reviewer.email} <= set(mail.outbox[-1].to)
    assert "Không chấp nhận khiếu nại" in mail.outbox[-1].body

    client.force_login(staff)
    page = client.get(reverse("submissions:detail", args=[announced.pk])).content.decode()
    assert "Không chấp nhận khiếu nại" in page and "Hội đồng giữ nguyên kết quả" in page

    client.force_login(secretary)
    response = client.post(
        reverse("councils:appeal_answer", args=[appeal.pk]), {"outcome": "upheld", "answer": "Đổi ý"}
    )
    assert response.status_code == 400 and "Khiếu nại này đã được trả lời." in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.outcome == "rejected"


def test_an_answer_without_a_conclusion_is_refused_and_keeps_what_was_typed(
    client, announced, reviewer, secretary
):
    appeal = appeal_lodge(dossier=announced, actor=reviewer, text="Đề nghị xem lại.")
    client.force_login(secretary)
    response = client.post(
        reverse("councils:appeal_answer", args=[appeal.pk]), {"answer": "Giữ nguyên kết quả."}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Vui lòng chọn kết luận của Hội đồng." in page and "Giữ nguyên kết quả." in page
    appeal.refresh_from_db()
    assert appeal.answered_at is None


def test_outsiders_cannot_read_or_answer_appeals(client, announced, reviewer, outsider, chair, three):
    appeal = appeal_lodge(dossier=announced, actor=reviewer, text="Đề nghị xem lại.")
    for person in (outsider, chair, three[0].user, reviewer):
        client.force_login(person)
        assert client.get(reverse("councils:appeals")).status_code == 403
        response = client.post(
            reverse("councils:appeal_answer", args=[appeal.pk]), {"outcome": "upheld", "answer": "Được"}
        )
        assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.answered_at is None


@pytest.mark.parametrize("entries", [1, 4])
def test_announcing_costs_the_same_however_many_entries_and_units(
    council,
    three,
    secretary,
    make_dossier,
    unit_a,
    unit_b,
    staff,
    outsider,
    scoring_campaign,
    entries,
    django_capture_on_commit_callbacks,
):
    for n in range(entries):
        unit, preparer = (unit_a, staff) if n % 2 == 0 else (unit_b, outsider)
        dossier = make_dossier(unit, preparer, Status.IN_APPRAISAL, campaign=scoring_campaign)
        for member in three:
            submit(assign(council, dossier, member, secretary), ["27", "25", "20", "8"])
    close_window(council)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        results_announce(council=council, actor=secretary)
    # lock, results (members, sheets, assignments), statuses and their trail, the council's record,
    # and the recipients of every unit in two queries: 11 whatever the entries (on PostgreSQL the
    # trail's rows go by one COPY, which Django's query log does not list). Each e-mail adds 5
    # (issue #15, the mail outbox): its row, written in the transaction, and — sent in-process here, by
    # a worker in production — the delivery's savepoint, lock, update and release.
    assert len(queries) == (11 if connection.vendor == "postgresql" else 12) + 5 * len(mail.outbox)
    assert len(mail.outbox) == entries
