"""What dossier_submit and the review services enforce: deadlines and extensions, completeness,
reference numbers, the nomination quota, the e-mails, and numbering under concurrent submits."""

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction

from dksangtao.roles import Role
from submissions import services
from submissions.models import DeadlineExtension, Dossier, ReferenceCounter, Status, UnitGrade
from submissions.services import ActionRefused
from tests.factories import person_with_role
from tests.submissions.conftest import REVIEW_DAY, SUBMIT_DAY, CampaignFactory
from tests.trail import status_changes

S = Status


def _unchanged(dossier, *, status, reference, events):
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == status
    assert fresh.reference == reference
    assert len(status_changes(dossier)) == events


# Deadlines -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_before_the_window_opens_is_refused(make_dossier, unit_a, staff):
    dossier = make_dossier(unit_a, staff)
    with pytest.raises(ActionRefused) as refused:
        services.dossier_submit(dossier=dossier, actor=staff, today=dt.date(2026, 2, 28))
    assert str(refused.value) == "Đợt xét chọn chưa mở nhận hồ sơ; ngày bắt đầu nhận là 01/03/2026."
    _unchanged(dossier, status=S.DRAFT, reference=None, events=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day", [dt.date(2026, 3, 1), dt.date(2026, 6, 30)], ids=["opening-day", "closing-day"]
)
def test_submit_on_the_first_and_last_day_is_allowed(make_dossier, unit_a, staff, day):
    dossier = make_dossier(unit_a, staff)
    services.dossier_submit(dossier=dossier, actor=staff, today=day)
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


@pytest.mark.django_db
def test_submit_the_day_after_the_close_is_refused_naming_the_date(make_dossier, unit_a, staff):
    dossier = make_dossier(unit_a, staff)
    with pytest.raises(ActionRefused) as refused:
        services.dossier_submit(dossier=dossier, actor=staff, today=dt.date(2026, 7, 1))
    assert str(refused.value) == "Đã hết hạn nộp hồ sơ (ngày 30/06/2026). Hồ sơ chưa được nộp."
    _unchanged(dossier, status=S.DRAFT, reference=None, events=1)
    assert not ReferenceCounter.objects.filter(year=2026, last_number__gt=0).exists()


@pytest.mark.django_db
def test_an_extension_lets_only_its_unit_submit_late(
    make_dossier, campaign, unit_a, unit_b, staff, outsider, front_admin
):
    extension = services.deadline_extend(
        campaign=campaign,
        unit=unit_a,
        until=dt.date(2026, 7, 10),
        reason="Đơn vị bị ảnh hưởng bão số 3.",
        actor=front_admin,
    )
    assert (extension.granted_by, extension.reason) == (front_admin, "Đơn vị bị ảnh hưởng bão số 3.")
    assert services.submission_deadline(campaign=campaign, unit=unit_a) == dt.date(2026, 7, 10)
    assert services.submission_deadline(campaign=campaign, unit=unit_b) == dt.date(2026, 6, 30)

    mine = make_dossier(unit_a, staff)
    services.dossier_submit(dossier=mine, actor=staff, today=dt.date(2026, 7, 5))
    mine.refresh_from_db()
    assert mine.status == S.SUBMITTED

    theirs = make_dossier(unit_b, outsider)
    with pytest.raises(ActionRefused, match=r"Đã hết hạn nộp hồ sơ \(ngày 30/06/2026\)"):
        services.dossier_submit(dossier=theirs, actor=outsider, today=dt.date(2026, 7, 5))
    _unchanged(theirs, status=S.DRAFT, reference=None, events=1)

    late = make_dossier(unit_a, staff)
    with pytest.raises(ActionRefused, match=r"Đã hết hạn nộp hồ sơ \(ngày 10/07/2026\)"):
        services.dossier_submit(dossier=late, actor=staff, today=dt.date(2026, 7, 11))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("until", "reason", "message"),
    [
        (dt.date(2026, 7, 10), "   ", "Vui lòng ghi lý do gia hạn."),
        (dt.date(2026, 6, 30), "Bão lũ", "Hạn mới phải sau hạn chung của đợt (30/06/2026)."),
        (dt.date(2026, 6, 1), "Bão lũ", "Hạn mới phải sau hạn chung của đợt (30/06/2026)."),
        (dt.date(2026, 7, 16), "Bão lũ", "Hạn mới không được sau hạn xét duyệt của đơn vị (15/07/2026)."),
    ],
    ids=["empty-reason", "same-as-close", "before-close", "after-review-deadline"],
)
def test_deadline_extend_refusals(campaign, unit_a, front_admin, until, reason, message):
    with pytest.raises(ActionRefused) as refused:
        services.deadline_extend(
            campaign=campaign, unit=unit_a, until=until, reason=reason, actor=front_admin
        )
    assert str(refused.value) == message
    assert not DeadlineExtension.objects.exists()


@pytest.mark.django_db
def test_deadline_extend_up_to_the_review_deadline_and_again_replaces(campaign, unit_a, front_admin):
    services.deadline_extend(
        campaign=campaign, unit=unit_a, until=dt.date(2026, 7, 15), reason="Lần 1", actor=front_admin
    )
    services.deadline_extend(
        campaign=campaign, unit=unit_a, until=dt.date(2026, 7, 8), reason="Lần 2", actor=front_admin
    )
    extension = DeadlineExtension.objects.get()
    assert (extension.submissions_close, extension.reason) == (dt.date(2026, 7, 8), "Lần 2")


@pytest.mark.django_db
def test_a_returned_dossier_may_come_back_until_the_unit_review_deadline(
    make_dossier, unit_a, staff, reviewer
):
    on_time = make_dossier(unit_a, staff, status=S.RETURNED)
    services.dossier_submit(dossier=on_time, actor=staff, today=dt.date(2026, 7, 15))
    on_time.refresh_from_db()
    assert on_time.status == S.SUBMITTED

    too_late = make_dossier(unit_a, staff, status=S.RETURNED)
    with pytest.raises(ActionRefused) as refused:
        services.dossier_submit(dossier=too_late, actor=staff, today=dt.date(2026, 7, 16))
    assert str(refused.value) == "Đã hết hạn nộp lại hồ sơ bị trả lại (ngày 15/07/2026)."
    _unchanged(too_late, status=S.RETURNED, reference=too_late.reference, events=3)


@pytest.mark.django_db
def test_review_actions_on_the_review_deadline_are_allowed(make_dossier, unit_a, staff, reviewer):
    last_day = dt.date(2026, 7, 15)
    returned = make_dossier(unit_a, staff, status=S.SUBMITTED)
    services.dossier_return(dossier=returned, actor=reviewer, reason="Bổ sung", today=last_day)
    recognised = make_dossier(unit_a, staff, status=S.SUBMITTED)
    services.dossier_recognise(dossier=recognised, actor=reviewer, grade=UnitGrade.PASS, today=last_day)
    services.dossier_nominate(dossier=recognised, actor=reviewer, today=last_day)
    assert Dossier.objects.get(pk=returned.pk).status == S.RETURNED
    assert Dossier.objects.get(pk=recognised.pk).status == S.NOMINATED


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["return", "recognise", "nominate"])
def test_review_actions_after_the_review_deadline_are_refused(make_dossier, unit_a, staff, reviewer, action):
    dossier = make_dossier(unit_a, staff, status=S.SUBMITTED)
    day_after = dt.date(2026, 7, 16)
    calls = {
        "return": lambda: services.dossier_return(
            dossier=dossier, actor=reviewer, reason="Bổ sung", today=day_after
        ),
        "recognise": lambda: services.dossier_recognise(
            dossier=dossier, actor=reviewer, grade=UnitGrade.GOOD, today=day_after
        ),
        "nominate": lambda: services.dossier_nominate(dossier=dossier, actor=reviewer, today=day_after),
    }
    with pytest.raises(ActionRefused) as refused:
        calls[action]()
    assert str(refused.value) == "Đã hết hạn xét duyệt, đề cử của đơn vị (ngày 15/07/2026)."
    _unchanged(dossier, status=S.SUBMITTED, reference=dossier.reference, events=2)
    assert Dossier.objects.get(pk=dossier.pk).unit_grade == ""


# Completeness ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("authors", "problem"),
    [
        ([], "Chưa có tác giả nào."),
        (
            [
                {"full_name": "Nguyễn Văn Bình", "contribution_percent": 50},
                {"full_name": "Trần Thị Ánh", "contribution_percent": 40},
            ],
            "Tổng tỷ lệ đóng góp của các tác giả là 90%, phải bằng 100%.",
        ),
    ],
    ids=["no-authors", "ninety-percent"],
)
def test_incomplete_authors_refused_and_nothing_changes(make_dossier, unit_a, staff, authors, problem):
    dossier = make_dossier(unit_a, staff, authors=authors)
    with pytest.raises(ActionRefused) as refused:
        services.dossier_submit(dossier=dossier, actor=staff, today=SUBMIT_DAY)
    assert str(refused.value).startswith("Hồ sơ chưa đủ để nộp:")
    assert problem in str(refused.value)
    _unchanged(dossier, status=S.DRAFT, reference=None, events=1)
    assert Dossier.objects.get(pk=dossier.pk).submitted_at is None
    # no number was used up: the next good dossier is still the year's first
    good = make_dossier(unit_a, staff, status=S.SUBMITTED)
    assert good.reference == "DKST-2026-00001"


@pytest.mark.django_db
def test_every_missing_item_is_listed(make_dossier, unit_a, staff):
    dossier = make_dossier(
        unit_a,
        staff,
        first_applied_on=None,
        novelty="",
        benefits_by_author="",
        is_collective=True,
        collective_name="",
    )
    with pytest.raises(ActionRefused) as refused:
        services.dossier_submit(dossier=dossier, actor=staff, today=SUBMIT_DAY)
    message = str(refused.value)
    assert "Chưa điền mục «ngày áp dụng lần đầu hoặc áp dụng thử»." in message
    assert "Chưa điền mục «tính mới, tính sáng tạo»." in message
    assert "Chưa điền mục «hiệu quả, lợi ích theo đánh giá của tác giả»." in message
    assert "Chưa ghi tên tập thể tác giả." in message
    assert "Chưa điền mục «tình trạng hiện tại»." not in message
    _unchanged(dossier, status=S.DRAFT, reference=None, events=1)


# References ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_references_are_numbered_per_year_and_kept(make_dossier, unit_a, unit_b, staff, outsider, reviewer):
    first = make_dossier(unit_a, staff, status=S.SUBMITTED)
    second = make_dossier(unit_b, outsider, status=S.SUBMITTED)
    assert (first.reference, second.reference) == ("DKST-2026-00001", "DKST-2026-00002")

    services.dossier_return(dossier=first, actor=reviewer, reason="Bổ sung số liệu", today=REVIEW_DAY)
    services.dossier_submit(dossier=first, actor=staff, today=REVIEW_DAY)
    first.refresh_from_db()
    assert (first.status, first.reference) == (S.SUBMITTED, "DKST-2026-00001")

    services.dossier_withdraw(dossier=second, actor=outsider, reason="Rút")
    second.refresh_from_db()
    assert (second.status, second.reference) == (S.WITHDRAWN, "DKST-2026-00002")

    third = make_dossier(unit_a, staff, status=S.SUBMITTED)
    assert third.reference == "DKST-2026-00003"  # the withdrawn number is not given again


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one(make_dossier, campaign, unit_a, staff):
    assert make_dossier(unit_a, staff, status=S.SUBMITTED).reference == "DKST-2026-00001"
    next_year = CampaignFactory(year=2027)
    dossier = make_dossier(unit_a, staff, campaign=next_year)
    services.dossier_submit(dossier=dossier, actor=staff, today=dt.date(2027, 4, 1))
    dossier.refresh_from_db()
    assert dossier.reference == "DKST-2027-00001"


# Nomination quota ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_nomination_quota_is_per_unit(make_dossier, campaign, unit_a, unit_b, staff, outsider, reviewer):
    campaign.nomination_quota = 1
    campaign.save()
    reviewer_b = person_with_role(Role.UNIT_REVIEWER, unit_b, full_name="Lý Thị Sen", email="sen@example.vn")
    first = make_dossier(unit_a, staff, status=S.SUBMITTED)
    second = make_dossier(unit_a, staff, status=S.RECOGNISED_AT_UNIT)
    services.dossier_nominate(dossier=first, actor=reviewer, today=REVIEW_DAY)

    with pytest.raises(ActionRefused) as refused:
        services.dossier_nominate(dossier=second, actor=reviewer, today=REVIEW_DAY)
    assert str(refused.value) == (
        "Đơn vị «Sở Khoa học và Công nghệ» đã đề cử đủ 1 hồ sơ, là số tối đa của đợt này."
    )
    _unchanged(second, status=S.RECOGNISED_AT_UNIT, reference=second.reference, events=3)

    other = make_dossier(unit_b, outsider, status=S.SUBMITTED)
    services.dossier_nominate(dossier=other, actor=reviewer_b, today=REVIEW_DAY)
    assert Dossier.objects.get(pk=other.pk).status == S.NOMINATED


@pytest.mark.django_db
def test_a_nomination_that_went_on_to_the_council_still_counts(
    make_dossier, campaign, unit_a, staff, reviewer
):
    campaign.nomination_quota = 1
    campaign.save()
    make_dossier(unit_a, staff, status=S.IN_APPRAISAL)
    waiting = make_dossier(unit_a, staff, status=S.SUBMITTED)
    with pytest.raises(ActionRefused, match="đã đề cử đủ 1 hồ sơ"):
        services.dossier_nominate(dossier=waiting, actor=reviewer, today=REVIEW_DAY)


# E-mails ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_mails_the_reviewers_of_the_unit_and_units_above(
    make_dossier, unit_a, unit_a_child, unit_b, staff, reviewer, django_capture_on_commit_callbacks
):
    person_with_role(Role.UNIT_REVIEWER, unit_b, full_name="Lý Thị Sen", email="sen@example.vn")
    child_staff = person_with_role(
        Role.UNIT_STAFF, unit_a_child, full_name="Mai Văn Tâm", email="tam@example.vn"
    )
    dossier = make_dossier(unit_a, staff)
    from_child = make_dossier(unit_a_child, child_staff)

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=dossier, actor=staff, today=SUBMIT_DAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hung@example.vn"]
    assert "DKST-2026-00001" in message.subject
    assert "\n" not in message.subject

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_submit(dossier=from_child, actor=child_staff, today=SUBMIT_DAY)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["hung@example.vn"]  # unit A's reviewer reviews its child unit too
    assert "DKST-2026-00002" in mail.outbox[1].subject


@pytest.mark.django_db
def test_a_refused_submit_mails_nobody(
    make_dossier, unit_a, staff, reviewer, django_capture_on_commit_callbacks
):
    dossier = make_dossier(unit_a, staff)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionRefused):
        services.dossier_submit(dossier=dossier, actor=staff, today=dt.date(2026, 7, 2))
    assert mail.outbox == []


@pytest.mark.django_db
def test_return_mails_the_creator_with_the_reason(
    make_dossier, unit_a, staff, reviewer, django_capture_on_commit_callbacks
):
    dossier = make_dossier(unit_a, staff, status=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_return(
            dossier=dossier,
            actor=reviewer,
            reason="Bổ sung biên bản áp dụng thử & bảng số liệu <năm 2025>.",
            today=REVIEW_DAY,
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@example.vn"]
    assert "Bổ sung biên bản áp dụng thử & bảng số liệu <năm 2025>." in message.body
    assert "DKST-2026-00001" in message.subject + message.body


@pytest.mark.django_db
def test_nominate_mails_the_creator(
    make_dossier, unit_a, staff, reviewer, django_capture_on_commit_callbacks
):
    dossier = make_dossier(unit_a, staff, status=S.RECOGNISED_AT_UNIT)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_nominate(dossier=dossier, actor=reviewer, today=REVIEW_DAY)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan@example.vn"]
    assert "DKST-2026-00001" in mail.outbox[0].subject + mail.outbox[0].body


# Concurrency -----------------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submits_get_distinct_consecutive_references(
    make_dossier, unit_a, unit_b, staff, outsider
):
    batches = {
        staff: [make_dossier(unit_a, staff) for _ in range(5)],
        outsider: [make_dossier(unit_b, outsider) for _ in range(5)],
    }
    start = threading.Barrier(len(batches))
    errors: list[BaseException] = []

    def submit_all(actor, dossiers):
        try:
            start.wait(timeout=10)
            for dossier in dossiers:
                services.dossier_submit(dossier=dossier, actor=actor, today=SUBMIT_DAY)
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_all, args=item) for item in batches.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []

    references = sorted(Dossier.objects.values_list("reference", flat=True))
    assert references == [f"DKST-2026-{n:05d}" for n in range(1, 11)]
    assert ReferenceCounter.objects.get(year=2026).last_number == 10
    assert Dossier.objects.filter(status=S.SUBMITTED).count() == 10


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reference_counter_alone_never_hands_out_a_number_twice():
    """dossier_submit's dossier lock also locks the campaign row (select_related), which already
    serialises submits of one year; this checks the counter's own lock, holding each transaction open
    a little after taking the number, as a slow submit would."""
    start = threading.Barrier(2)
    taken: list[str] = []
    errors: list[BaseException] = []

    def take_five():
        try:
            start.wait(timeout=10)
            for _ in range(5):
                with transaction.atomic():
                    taken.append(services._next_reference(2031))
                    time.sleep(0.02)
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_five) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sorted(taken) == [f"DKST-2031-{n:05d}" for n in range(1, 11)]
    assert ReferenceCounter.objects.get(year=2031).last_number == 10


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_work_on_one_dossier_does_not_block_another_units_dossier(
    make_dossier, unit_a, unit_b, staff, outsider
):
    """While unit A's dossier is locked (a slow upload in attachment_add, a submit), unit B must still be
    able to submit its own dossier: the row lock is for the dossier (and the year's counter), not for
    the whole campaign or the unit."""
    mine = make_dossier(unit_a, staff)
    theirs = make_dossier(unit_b, outsider)
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_my_dossier():
        try:
            with transaction.atomic():
                services._locked(mine)
                holding.set()
                release.wait(timeout=20)
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_my_dossier)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            services.dossier_submit(dossier=theirs, actor=outsider, today=SUBMIT_DAY)
    finally:
        release.set()
        thread.join(timeout=30)
    assert errors == []
    assert Dossier.objects.get(pk=theirs.pk).status == S.SUBMITTED
