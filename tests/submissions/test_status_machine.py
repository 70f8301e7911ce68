"""The dossier status machine: every pair of statuses through `_move`, then the named services."""

import itertools

import pytest
from django.db import transaction

from submissions import services
from submissions.models import Dossier, Status, UnitGrade
from submissions.services import TRANSITIONS, ActionRefused, _move
from tests.submissions.conftest import REVIEW_DAY, SUBMIT_DAY, complete_data, two_authors
from tests.trail import status_changes

pytestmark = pytest.mark.django_db

S = Status
# The edges of SPEC §3, written out here on their own so that TRANSITIONS is checked, not restated.
EXPECTED_EDGES = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.RETURNED),
    (S.SUBMITTED, S.RECOGNISED_AT_UNIT),
    (S.SUBMITTED, S.NOMINATED),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.RETURNED, S.SUBMITTED),
    (S.RETURNED, S.WITHDRAWN),
    (S.RECOGNISED_AT_UNIT, S.NOMINATED),
    (S.RECOGNISED_AT_UNIT, S.WITHDRAWN),
    (S.NOMINATED, S.IN_APPRAISAL),
    (S.NOMINATED, S.INELIGIBLE),
    (S.NOMINATED, S.WITHDRAWN),
    (S.IN_APPRAISAL, S.SCORED),
    (S.SCORED, S.RANKED),
    (S.RANKED, S.AWARDED),
    (S.RANKED, S.NOT_AWARDED),
}
ALL_PAIRS = list(itertools.product(S.values, S.values))
AFTER_SCREENING = [S.IN_APPRAISAL, S.INELIGIBLE, S.SCORED, S.RANKED, S.AWARDED, S.NOT_AWARDED]


def test_transitions_cover_every_status_and_match_the_spec():
    assert set(TRANSITIONS) == set(S.values)
    actual = {(frm, to) for frm, targets in TRANSITIONS.items() for to in targets}
    assert actual == EXPECTED_EDGES


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_move_allows_exactly_the_edges_and_records_each(
    make_dossier, unit_a, staff, secretary, from_status, to_status
):
    dossier = make_dossier(unit_a, staff, status=from_status)
    if dossier.reference is None and from_status == S.DRAFT:
        # dossier_submit gives the number before it moves; a bare _move needs one already (DB constraint).
        Dossier.objects.filter(pk=dossier.pk).update(reference="DKST-2026-99999")
        dossier.refresh_from_db()
    events_before = len(status_changes(dossier))

    if (from_status, to_status) in EXPECTED_EDGES:
        with transaction.atomic():
            _move(services._locked(dossier), to_status, actor=secretary, reason="Lý do thử nghiệm")
        dossier.refresh_from_db()
        assert dossier.status == to_status
        events = status_changes(dossier)
        assert len(events) == events_before + 1
        last = events[-1]
        assert (last.from_status, last.to_status, last.actor, last.reason) == (
            from_status,
            to_status,
            secretary,
            "Lý do thử nghiệm",
        )
    else:
        expected = f"Không thể chuyển hồ sơ từ «{S(from_status).label}» sang «{S(to_status).label}»."
        with pytest.raises(ActionRefused) as refused, transaction.atomic():
            _move(services._locked(dossier), to_status, actor=secretary, reason="Lý do thử nghiệm")
        assert str(refused.value) == expected
        dossier.refresh_from_db()
        assert dossier.status == from_status
        assert len(status_changes(dossier)) == events_before


# Named services --------------------------------------------------------------------------------


def test_create_records_the_draft_event(make_dossier, unit_a, staff):
    dossier = make_dossier(unit_a, staff)
    event = status_changes(dossier)[0]
    assert (event.from_status, event.to_status, event.actor) == ("", S.DRAFT, staff)


def test_submit_from_draft(make_dossier, unit_a, staff):
    dossier = make_dossier(unit_a, staff)
    services.dossier_submit(dossier=dossier, actor=staff, today=SUBMIT_DAY)
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED
    assert dossier.submitted_at is not None
    last = status_changes(dossier)[-1]
    assert (last.from_status, last.to_status, last.actor) == (S.DRAFT, S.SUBMITTED, staff)


def test_submit_from_returned(make_dossier, unit_a, staff, reviewer):
    dossier = make_dossier(unit_a, staff, status=S.RETURNED)
    services.dossier_submit(dossier=dossier, actor=staff, today=REVIEW_DAY)
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED
    assert status_changes(dossier)[-1].from_status == S.RETURNED


@pytest.mark.parametrize(
    "status", [S.SUBMITTED, S.RECOGNISED_AT_UNIT, S.NOMINATED, S.WITHDRAWN, *AFTER_SCREENING]
)
def test_submit_refused_when_not_draft_or_returned(make_dossier, unit_a, staff, reviewer, status):
    dossier = make_dossier(unit_a, staff, status=status)
    events_before = len(status_changes(dossier))
    with pytest.raises(ActionRefused, match="Hồ sơ này không ở trạng thái có thể nộp."):
        services.dossier_submit(dossier=dossier, actor=staff, today=SUBMIT_DAY)
    dossier.refresh_from_db()
    assert dossier.status == status
    assert len(status_changes(dossier)) == events_before


def test_return_from_submitted_records_reviewer_and_reason(make_dossier, unit_a, staff, reviewer):
    dossier = make_dossier(unit_a, staff, status=S.SUBMITTED)
    services.dossier_return(
        dossier=dossier, actor=reviewer, reason="  Thiếu bảng số liệu.  ", today=REVIEW_DAY
    )
    dossier.refresh_from_db()
    assert dossier.status == S.RETURNED
    last = status_changes(dossier)[-1]
    assert (last.from_status, last.to_status, last.actor, last.reason) == (
        S.SUBMITTED,
        S.RETURNED,
        reviewer,
        "Thiếu bảng số liệu.",
    )


def test_recognise_from_submitted_stores_the_grade(make_dossier, unit_a, staff, reviewer):
    dossier = make_dossier(unit_a, staff, status=S.SUBMITTED)
    services.dossier_recognise(
        dossier=dossier, actor=reviewer, grade=UnitGrade.EXCELLENT, reason="Hiệu quả rõ rệt", today=REVIEW_DAY
    )
    dossier.refresh_from_db()
    assert (dossier.status, dossier.unit_grade) == (S.RECOGNISED_AT_UNIT, UnitGrade.EXCELLENT)
    last = status_changes(dossier)[-1]
    assert (last.from_status, last.to_status, last.actor, last.reason) == (
        S.SUBMITTED,
        S.RECOGNISED_AT_UNIT,
        reviewer,
        "Hiệu quả rõ rệt",
    )


def test_nominate_from_submitted(make_dossier, unit_a, staff, reviewer):
    dossier = make_dossier(unit_a, staff, status=S.SUBMITTED)
    services.dossier_nominate(dossier=dossier, actor=reviewer, today=REVIEW_DAY)
    dossier.refresh_from_db()
    assert dossier.status == S.NOMINATED
    assert (status_changes(dossier)[-1].from_status, status_changes(dossier)[-1].actor) == (
        S.SUBMITTED,
        reviewer,
    )


def test_nominate_from_recognised_at_unit(make_dossier, unit_a, staff, reviewer):
    dossier = make_dossier(unit_a, staff, status=S.RECOGNISED_AT_UNIT)
    services.dossier_nominate(dossier=dossier, actor=reviewer, today=REVIEW_DAY)
    dossier.refresh_from_db()
    assert dossier.status == S.NOMINATED
    assert dossier.unit_grade == UnitGrade.GOOD  # the unit's grade stays with the nomination
    assert status_changes(dossier)[-1].from_status == S.RECOGNISED_AT_UNIT


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.NOMINATED, S.WITHDRAWN, *AFTER_SCREENING])
def test_review_actions_refused_outside_their_edges(make_dossier, unit_a, staff, reviewer, status):
    dossier = make_dossier(unit_a, staff, status=status)
    events_before = len(status_changes(dossier))
    with pytest.raises(ActionRefused, match="Không thể chuyển hồ sơ từ"):
        services.dossier_return(dossier=dossier, actor=reviewer, reason="Bổ sung", today=REVIEW_DAY)
    with pytest.raises(ActionRefused, match="Không thể chuyển hồ sơ từ"):
        services.dossier_recognise(dossier=dossier, actor=reviewer, grade=UnitGrade.FAIR, today=REVIEW_DAY)
    with pytest.raises(ActionRefused, match="Không thể chuyển hồ sơ từ"):
        services.dossier_nominate(dossier=dossier, actor=reviewer, today=REVIEW_DAY)
    dossier.refresh_from_db()
    assert dossier.status == status
    assert len(status_changes(dossier)) == events_before


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOGNISED_AT_UNIT, S.NOMINATED])
def test_withdraw_before_screening(make_dossier, unit_a, staff, reviewer, status):
    dossier = make_dossier(unit_a, staff, status=status)
    services.dossier_withdraw(dossier=dossier, actor=staff, reason="Đơn vị xin rút hồ sơ.")
    dossier.refresh_from_db()
    assert dossier.status == S.WITHDRAWN
    last = status_changes(dossier)[-1]
    assert (last.from_status, last.to_status, last.actor, last.reason) == (
        status,
        S.WITHDRAWN,
        staff,
        "Đơn vị xin rút hồ sơ.",
    )


@pytest.mark.parametrize("status", AFTER_SCREENING)
def test_withdraw_refused_from_screening_on(make_dossier, unit_a, staff, reviewer, status):
    dossier = make_dossier(unit_a, staff, status=status)
    events_before = len(status_changes(dossier))
    with pytest.raises(ActionRefused, match="Hồ sơ đã qua bước thẩm tra của tỉnh, không thể rút."):
        services.dossier_withdraw(dossier=dossier, actor=staff, reason="Xin rút")
    dossier.refresh_from_db()
    assert dossier.status == status
    assert len(status_changes(dossier)) == events_before


def test_withdrawing_twice_is_refused_without_claiming_provincial_screening(make_dossier, unit_a, staff):
    """A second click (another tab) on «rút hồ sơ» of a draft that is already withdrawn: refused, but
    the person must not be told the draft has passed the province's screening."""
    dossier = make_dossier(unit_a, staff, status=S.WITHDRAWN)
    with pytest.raises(ActionRefused) as refused:
        services.dossier_withdraw(dossier=dossier, actor=staff)
    assert "thẩm tra" not in str(refused.value), str(refused.value)
    assert len(status_changes(dossier)) == 2


@pytest.mark.parametrize("reason", ["", "   \n\t "])
def test_return_without_reason_refused_and_nothing_changes(make_dossier, unit_a, staff, reviewer, reason):
    dossier = make_dossier(unit_a, staff, status=S.SUBMITTED)
    events_before = len(status_changes(dossier))
    with pytest.raises(ActionRefused, match="Vui lòng ghi lý do trả lại để đơn vị biết cần bổ sung gì."):
        services.dossier_return(dossier=dossier, actor=reviewer, reason=reason, today=REVIEW_DAY)
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED
    assert len(status_changes(dossier)) == events_before


@pytest.mark.parametrize("grade", ["", "xuat-sac", "gioi", "A"])
def test_recognise_with_unknown_grade_refused(make_dossier, unit_a, staff, reviewer, grade):
    dossier = make_dossier(unit_a, staff, status=S.SUBMITTED)
    events_before = len(status_changes(dossier))
    with pytest.raises(ActionRefused, match="Vui lòng chọn mức xếp loại cấp đơn vị."):
        services.dossier_recognise(dossier=dossier, actor=reviewer, grade=grade, today=REVIEW_DAY)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.unit_grade) == (S.SUBMITTED, "")
    assert len(status_changes(dossier)) == events_before


def test_update_refused_once_submitted(make_dossier, unit_a, staff, kind, field):
    dossier = make_dossier(unit_a, staff, status=S.SUBMITTED)
    with pytest.raises(ActionRefused, match="Hồ sơ đã nộp chỉ được xem, không được sửa."):
        services.dossier_update(
            dossier=dossier,
            actor=staff,
            data=complete_data(kind, field, title="Tên mới"),
            authors=two_authors(),
        )
    dossier.refresh_from_db()
    assert dossier.title != "Tên mới"
