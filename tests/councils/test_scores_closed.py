# ruff: noqa: F811  (pytest fixtures imported from the other council tests are used as arguments)
"""Scores stay closed (issue #15, item 4): the chair's reopening of a submitted sheet is refused once
the scoring window has closed, the results are announced or a ranking run includes the dossier; a
later correction goes through the conclusion of the unit's appeal, recorded with before and after."""

import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from councils.appeals import appeal_answer, appeal_lodge, results_announce
from councils.models import Appeal, Assignment, Council, Criterion, ScoreSheet
from councils.services import score_reopen
from dksangtao.audit import Action, trail_for
from dksangtao.errors import ActionRefused
from submissions.models import Dossier, Status
from tests.councils.test_appeals import close_window
from tests.councils.test_progress import submit, three  # noqa: F401
from tests.councils.test_scoring import assign, council, entry, scorer, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db

REFUSED_LATER = "Muốn sửa điểm, Hội đồng kết luận khiếu nại của đơn vị."


@pytest.fixture
def sheets(council, entry, three, secretary):
    """Three submitted sheets of 80 points each, inside the scoring window."""
    values = (["27", "25", "20", "8"], ["25", "24", "22", "9"], ["26", "26", "21", "7"])
    return [submit(assign(council, entry, m, secretary), v) for m, v in zip(three, values, strict=True)]


def assert_still_closed(sheet):
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == ("submitted", D(80))
    assert not trail_for(sheet, actions=[Action.SCORE_REOPENED]).exists()


# The service ------------------------------------------------------------------------------------


def test_reopen_is_refused_once_the_scoring_window_has_closed(council, sheets, chair):
    close_window(council)
    with pytest.raises(ActionRefused) as refused:
        score_reopen(sheet=sheets[0], actor=chair, reason="Nhập nhầm điểm")
    end = council.campaign.scoring_end.strftime("%d/%m/%Y")
    assert str(refused.value) == (
        f"Đã hết thời gian chấm điểm (ngày {end}); không mở lại phiếu chấm được nữa. {REFUSED_LATER}"
    )
    assert_still_closed(sheets[0])


def test_reopen_is_refused_once_the_results_are_announced(council, sheets, chair, secretary):
    # Announcing needs a closed window; to show this rule holds on its own, the announcement is
    # stamped while the window is still open (the day's date is the window's last day).
    Council.objects.filter(pk=council.pk).update(
        results_announced_at=timezone.now(), results_announced_by=secretary
    )
    with pytest.raises(ActionRefused, match=r"^Hội đồng đã công bố kết quả chấm; không mở lại phiếu chấm"):
        score_reopen(sheet=sheets[0], actor=chair, reason="Nhập nhầm điểm")
    assert_still_closed(sheets[0])


@pytest.mark.parametrize("status", [Status.RANKED, Status.AWARDED, Status.NOT_AWARDED])
def test_reopen_is_refused_once_a_ranking_run_includes_the_dossier(council, entry, sheets, chair, status):
    # awards.ranking moves every dossier a run includes to «ranked» (then the award list concludes it);
    # the window is open and nothing is announced, so only this rule refuses.
    Dossier.objects.filter(pk=entry.pk).update(status=status)
    with pytest.raises(ActionRefused, match=rf"^Hồ sơ {entry.reference} đã được xếp hạng; không mở lại"):
        score_reopen(sheet=sheets[0], actor=chair, reason="Nhập nhầm điểm")
    assert_still_closed(sheets[0])


def test_inside_the_window_before_any_announcement_the_chair_still_reopens(sheets, chair):
    sheet = score_reopen(sheet=sheets[0], actor=chair, reason="Nhập nhầm điểm tiêu chí 3")
    assert (sheet.state, sheet.total) == ("draft", None)


@pytest.mark.postgres_only  # PostgreSQL's row locks; SQLite serialises writers anyway
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reopen_racing_the_announcement_waits_for_it_and_is_refused(council, sheets, chair, secretary):
    """The announcement holds the council's row while it writes; a reopen at that moment waits for
    it and then sees the results announced (without the lock it reopened a sheet of announced results)."""
    locked, outcome = threading.Event(), []

    def announce_slowly():
        try:
            with transaction.atomic():
                Council.objects.select_for_update().get(pk=council.pk)
                Council.objects.filter(pk=council.pk).update(
                    results_announced_at=timezone.now(), results_announced_by=secretary
                )
                locked.set()
                time.sleep(1.5)  # the rest of results_announce: dossiers «scored», the units' e-mails
        finally:
            connection.close()

    def reopen():
        try:
            locked.wait(10)
            score_reopen(sheet=sheets[0], actor=chair, reason="Nhập nhầm điểm")
            outcome.append("reopened")
        except ActionRefused as refused:
            outcome.append(str(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=announce_slowly), threading.Thread(target=reopen)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcome) == 1 and outcome[0].startswith("Hội đồng đã công bố kết quả chấm"), outcome
    assert_still_closed(sheets[0])


# The results page and the reopen view -------------------------------------------------------------


def test_after_the_announcement_the_page_shows_no_reopen_button_and_a_forced_post_is_refused(
    client, council, sheets, chair, secretary
):
    client.force_login(chair)
    assert client.get(reverse("councils:results")).content.decode().count('class="inline reopen-form"') == 3
    close_window(council)
    results_announce(council=council, actor=secretary)

    page = client.get(reverse("councils:results")).content.decode()
    assert "reopen-form" not in page and "Mở lại</button>" not in page
    assert "Hội đồng đã công bố kết quả chấm; không mở lại phiếu chấm được nữa." in page

    response = client.post(
        reverse("councils:reopen", args=[sheets[0].pk]), {"reason": "Nhập nhầm"}, follow=True
    )
    assert "Hội đồng đã công bố kết quả chấm; không mở lại phiếu chấm được nữa." in response.content.decode()
    assert_still_closed(sheets[0])


def test_after_the_window_the_reopen_view_refuses_and_says_why(client, council, sheets, chair):
    close_window(council)
    client.force_login(chair)
    assert "reopen-form" not in client.get(reverse("councils:results")).content.decode()
    response = client.post(
        reverse("councils:reopen", args=[sheets[1].pk]), {"reason": "Nhập nhầm"}, follow=True
    )
    assert "Đã hết thời gian chấm điểm" in response.content.decode()
    assert_still_closed(sheets[1])


def test_a_ranked_dossier_shows_no_reopen_button(client, entry, sheets, chair):
    Dossier.objects.filter(pk=entry.pk).update(status=Status.RANKED)
    client.force_login(chair)
    page = client.get(reverse("councils:results")).content.decode()
    assert "reopen-form" not in page and f"Hồ sơ {entry.reference} đã được xếp hạng" in page


# A later correction: the appeal's conclusion -------------------------------------------------------


@pytest.fixture
def appeal(council, sheets, secretary, reviewer):
    close_window(council)
    results_announce(council=council, actor=secretary)
    return appeal_lodge(
        dossier=sheets[0].assignment.dossier, actor=reviewer, text="Đề nghị xem lại tiêu chí 1"
    )


def first_criterion(council):
    return Criterion.objects.filter(rubric__campaign=council.campaign_id).order_by("order").first()


def test_an_upheld_appeal_corrects_a_sheet_and_records_the_result_before_and_after(
    council, sheets, appeal, secretary
):
    criterion = first_criterion(council)  # 27 on the first sheet
    appeal_answer(
        appeal=appeal,
        actor=secretary,
        answer="Hội đồng chấm lại tiêu chí 1 của phiếu thứ nhất.",
        outcome=Appeal.Outcome.UPHELD,
        corrections={sheets[0].pk: {criterion.pk: "30"}},
    )
    sheets[0].refresh_from_db()
    assert (sheets[0].state, sheets[0].total) == ("submitted", D(83))
    (on_sheet,) = trail_for(sheets[0], actions=[Action.RESULT_CORRECTED])
    assert (on_sheet.actor, on_sheet.detail["before"], on_sheet.detail["after"]) == (
        secretary,
        "80.0",
        "83.0",
    )
    assert on_sheet.detail["summary"].endswith(": 27 → 30")
    (on_appeal,) = trail_for(appeal, actions=[Action.RESULT_CORRECTED])
    assert on_appeal.reason == "Hội đồng chấm lại tiêu chí 1 của phiếu thứ nhất."
    assert D(on_appeal.detail["before"]["score"]) == D(80)
    assert D(on_appeal.detail["after"]["score"]) == D(81)  # (83 + 80 + 80) / 3
    assert on_appeal.detail["sheets"][0]["member"] == sheets[0].assignment.member.user.full_name
    assert on_appeal.detail["summary"].startswith("Điểm 80 → 81; xếp loại")


def test_a_rejected_appeal_changes_no_score(council, sheets, appeal, secretary):
    with pytest.raises(ActionRefused, match="không chấp nhận khiếu nại thì không sửa điểm"):
        appeal_answer(
            appeal=appeal,
            actor=secretary,
            answer="Giữ nguyên.",
            outcome=Appeal.Outcome.REJECTED,
            corrections={sheets[0].pk: {first_criterion(council).pk: "30"}},
        )
    appeal.refresh_from_db()
    assert appeal.answered_at is None
    assert_still_closed(sheets[0])


def test_a_correction_of_another_dossiers_sheet_or_a_bad_point_changes_nothing(
    council, sheets, appeal, secretary, make_dossier, unit_a, staff, scoring_campaign, three
):
    other = make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=scoring_campaign)
    Assignment.objects.create(council=council, dossier=other, member=three[0], assigned_by=secretary)
    foreign = ScoreSheet.objects.create(
        assignment=Assignment.objects.get(dossier=other),
        state="submitted",
        total=50,
        submitted_at=timezone.now(),
    )
    criterion = first_criterion(council)
    for corrections, message in (
        ({foreign.pk: {criterion.pk: "30"}}, "Chỉ sửa được các phiếu chấm đã nộp của hồ sơ bị khiếu nại."),
        ({sheets[0].pk: {criterion.pk: "31"}}, "Điểm phải từ 0 đến 30."),
        ({sheets[0].pk: {criterion.pk: ""}}, "Vui lòng ghi điểm tiêu chí"),
    ):
        with pytest.raises(ActionRefused, match=message):
            appeal_answer(
                appeal=appeal, actor=secretary, answer="Sửa.", outcome="upheld", corrections=corrections
            )
    appeal.refresh_from_db()
    assert appeal.answered_at is None
    assert_still_closed(sheets[0])
    assert not trail_for(appeal, actions=[Action.RESULT_CORRECTED]).exists()


# The answer page: the secretary corrects through it ------------------------------------------------


def test_the_answer_page_offers_the_sheets_points_and_outsiders_are_refused(
    client, council, sheets, appeal, secretary, chair, outsider
):
    url = reverse("councils:appeal_answer", args=[appeal.pk])
    for person in (chair, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.force_login(secretary)
    page = client.get(url).content.decode()
    criterion = first_criterion(council)
    assert f'name="fix-{sheets[0].pk}-{criterion.pk}" value="27"' in page
    assert page.count('class="points"') == 12  # three sheets, four criteria
    assert "Trả lời kèm sửa điểm" in client.get(reverse("councils:appeals")).content.decode()


def test_the_secretary_upholds_and_corrects_through_the_page(client, council, sheets, appeal, secretary):
    criterion = first_criterion(council)
    client.force_login(secretary)
    response = client.post(
        reverse("councils:appeal_answer", args=[appeal.pk]),
        {
            "outcome": "partly",
            "answer": "Chấp nhận một phần: tiêu chí 1 của phiếu thứ nhất.",
            f"fix-{sheets[0].pk}-{criterion.pk}": "29,5",
            f"fix-{sheets[1].pk}-{criterion.pk}": "25",  # unchanged
        },
    )
    assert response.status_code == 302
    sheets[0].refresh_from_db()
    sheets[1].refresh_from_db()
    assert (sheets[0].total, sheets[1].total) == (D("82.5"), D(80))
    (event,) = trail_for(appeal, actions=[Action.RESULT_CORRECTED])
    assert [row["sheet"] for row in event.detail["sheets"]] == [sheets[0].pk]
    assert not trail_for(sheets[1], actions=[Action.RESULT_CORRECTED]).exists()


@pytest.mark.parametrize(
    ("outcome", "typed", "message"),
    [
        ("rejected", "30", "Hội đồng không chấp nhận khiếu nại thì không sửa điểm."),
        ("upheld", "abc", "«abc» không phải là số điểm."),
        ("upheld", "45", "Điểm phải từ 0 đến 30."),
    ],
    ids=["rejected-with-a-change", "not-a-number", "above-the-maximum"],
)
def test_a_bad_correction_on_the_page_changes_nothing_and_keeps_what_was_typed(
    client, council, sheets, appeal, secretary, outcome, typed, message
):
    criterion = first_criterion(council)
    client.force_login(secretary)
    response = client.post(
        reverse("councils:appeal_answer", args=[appeal.pk]),
        {"outcome": outcome, "answer": "Trả lời.", f"fix-{sheets[0].pk}-{criterion.pk}": typed},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and f'name="fix-{sheets[0].pk}-{criterion.pk}" value="{typed}"' in page
    appeal.refresh_from_db()
    assert appeal.answered_at is None
    assert_still_closed(sheets[0])
