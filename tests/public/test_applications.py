"""Nhân rộng: a unit's staff record that their unit applies a public record, the unit's reviewer (or a
parent unit's) confirms it or says why not, and the confirmed applications count on the record. Each
page: it works, outsiders are refused (by guessing URLs too), bad input is refused with a Vietnamese
message and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import membership_grant
from dksangtao.audit import trail_for
from dksangtao.models import Action
from dksangtao.roles import Role
from public import services
from public.models import RecordApplication
from public.selectors import application_totals, confirmed_applications
from tests.factories import UnitFactory, person_with_role

pytestmark = pytest.mark.django_db

Status = RecordApplication.Status
QUEUE = reverse("applications:queue")
MINE = reverse("applications:mine")
SCOPE = "Áp dụng tại bộ phận một cửa của Sở, cho toàn bộ hồ sơ thủ tục hành chính (khoảng 1.200 hồ sơ/năm)."
CONTACT = "Nguyễn Thị Lan, 0234 3822 123"


@pytest.fixture
def other_record(make_record, unit_b, outsider):
    """A record of unit B (the Department of Education), which unit A's staff apply at home."""
    return make_record(unit=unit_b, creator=outsider, title="Phần mềm xếp thời khóa biểu tự động")


def form(**overrides) -> dict:
    data = {"applied_on": "05/03/2026", "scope": SCOPE, "benefit_vnd": "1.500.000", "contact": CONTACT}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def record_url(record) -> str:
    return reverse("applications:record", args=[record.reference])


def apply(record, unit, actor, **data) -> RecordApplication:
    """An application recorded through the service, as the form would."""
    values = {"applied_on": dt.date(2026, 3, 5), "scope": SCOPE, "benefit_vnd": 1_500_000, "contact": CONTACT}
    values.update(data)
    return services.application_record(public_record=record, unit=unit, actor=actor, data=values)


def actions(application) -> list[str]:
    return [event.action for event in trail_for(application)]


# Recording ---------------------------------------------------------------------------------------


def test_staff_record_that_their_unit_applies_a_record_and_it_waits_for_the_reviewer(
    client, staff, unit_a, other_record
):
    client.force_login(staff)
    page = client.get(record_url(other_record))
    assert page.status_code == 200
    html = page.content.decode()
    assert other_record.title in html
    assert unit_a.name in html  # the only unit: named, not asked
    assert 'type="hidden" name="unit"' in html

    response = client.post(record_url(other_record), form(unit=unit_a.pk), follow=True)

    assert response.redirect_chain == [(other_record.get_absolute_url(), 302)]
    application = RecordApplication.objects.get()
    assert (application.record, application.unit, application.recorded_by) == (other_record, unit_a, staff)
    assert application.applied_on == dt.date(2026, 3, 5)
    assert (application.scope, application.benefit_vnd, application.contact) == (SCOPE, 1_500_000, CONTACT)
    assert application.status == Status.PENDING
    assert "chờ lãnh đạo đơn vị xác nhận" in response.content.decode()
    assert actions(application) == [Action.APPLICATION_RECORDED]
    assert list(confirmed_applications(other_record)) == []  # not public before it is confirmed


def test_the_benefit_may_be_left_empty(client, staff, unit_a, other_record):
    client.force_login(staff)
    response = client.post(record_url(other_record), form(unit=unit_a.pk, benefit_vnd=""))
    assert response.status_code == 302
    assert RecordApplication.objects.get().benefit_vnd is None


def test_staff_of_several_units_choose_one_of_theirs_and_no_other(
    client, staff, unit_a, unit_a_child, unit_b, other_record
):
    membership_grant(user=staff, unit=unit_a_child, role=Role.UNIT_STAFF, actor=None)
    client.force_login(staff)
    page = client.get(record_url(other_record))
    assert '<select name="unit"' in page.content.decode()
    assert list(page.context["form"].fields["unit"].queryset) == [unit_a, unit_a_child]  # by name

    refused = client.post(record_url(other_record), form(unit=unit_b.pk))
    assert refused.status_code == 400
    assert "Anh/chị không ghi nhận áp dụng cho đơn vị này" in refused.content.decode()
    assert SCOPE in refused.content.decode()  # nothing typed is lost
    assert not RecordApplication.objects.exists()

    assert client.post(record_url(other_record), form(unit=unit_a_child.pk)).status_code == 302
    assert RecordApplication.objects.get().unit == unit_a_child


def test_a_unit_not_theirs_is_refused_even_as_the_hidden_field(client, outsider, unit_a, other_record):
    client.force_login(outsider)  # staff of unit B, posting unit A's id
    response = client.post(record_url(other_record), form(unit=unit_a.pk))
    assert response.status_code == 400
    assert "Anh/chị không ghi nhận áp dụng cho đơn vị này" in response.content.decode()
    assert not RecordApplication.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scope": ""}, "Vui lòng ghi phạm vi áp dụng"),
        ({"scope": "   "}, "Vui lòng ghi phạm vi áp dụng"),
        ({"applied_on": "31/02/2026"}, "Nhập một ngày có thật theo dạng dd/mm/yyyy"),
        ({"applied_on": ""}, "Vui lòng ghi ngày bắt đầu áp dụng"),
        ({"applied_on": "05/03/0202"}, "Ngày bắt đầu áp dụng phải từ năm 2000 trở đi"),
        ({"benefit_vnd": "-5"}, "Số tiền không được âm"),
        ({"benefit_vnd": "１２３"}, "Nhập số tiền bằng chữ số"),
        ({"benefit_vnd": "9999999999999999999"}, "Số tiền không được vượt 1.000.000.000.000.000 đ"),
        ({"benefit_vnd": "1,5 triệu"}, "Nhập số tiền bằng chữ số"),
        ({"contact": ""}, "Vui lòng ghi người liên hệ"),
        ({"contact": "x" * 256}, "Người liên hệ dài quá 255 ký tự"),
        ({"unit": ""}, "Vui lòng chọn đơn vị áp dụng"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_changes(
    client, staff, unit_a, other_record, changes, message
):
    client.force_login(staff)
    response = client.post(record_url(other_record), form(**{"unit": unit_a.pk, **changes}))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Chưa lưu được" in html
    assert not RecordApplication.objects.exists()


@pytest.mark.parametrize(
    "changes", [{"contact": "Nguyễn Thị Lan\x00"}, {"scope": "Áp dụng\x00 toàn Sở"}, {"unit": "\x00"}]
)
def test_a_nul_is_refused_before_the_form_and_nothing_changes(client, staff, unit_a, other_record, changes):
    """dksangtao.middleware.HostileInputMiddleware answers any control character with its 400 page."""
    client.force_login(staff)
    response = client.post(record_url(other_record), form(**{"unit": unit_a.pk, **changes}))
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert not RecordApplication.objects.exists()


def test_a_start_in_the_future_is_refused(client, staff, unit_a, other_record):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    client.force_login(staff)
    response = client.post(record_url(other_record), form(unit=unit_a.pk, applied_on=tomorrow))
    assert response.status_code == 400
    assert "không được sau hôm nay" in response.content.decode()
    assert not RecordApplication.objects.exists()


def test_a_second_application_by_the_same_unit_is_refused_with_what_was_typed_kept(
    client, staff, unit_a, other_record
):
    first = apply(other_record, unit_a, staff)
    client.force_login(staff)
    response = client.post(record_url(other_record), form(unit=unit_a.pk, scope="Lần hai"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Đơn vị đã ghi nhận áp dụng bản ghi này." in html
    assert "Lần hai" in html
    assert list(RecordApplication.objects.all()) == [first]


def test_after_a_rejection_the_unit_may_record_the_application_again(
    client, staff, reviewer, unit_a, other_record
):
    rejected = apply(other_record, unit_a, staff)
    services.application_reject(application=rejected, actor=reviewer, reason="Chưa có số liệu.")
    client.force_login(staff)
    assert client.post(record_url(other_record), form(unit=unit_a.pk)).status_code == 302
    assert RecordApplication.objects.filter(status=Status.PENDING).count() == 1


def test_an_unknown_record_is_404_and_a_withdrawn_one_refused(
    client, staff, unit_a, other_record, front_admin
):
    client.force_login(staff)
    assert client.get(reverse("applications:record", args=["KHONG-CO"])).status_code == 404
    assert client.get(reverse("applications:record", args=["A\x00B"])).status_code == 400  # middleware
    services.record_withdraw(public_record=other_record, actor=front_admin, reason="Trùng hồ sơ khác.")

    page = client.get(record_url(other_record))
    assert page.status_code == 410
    assert "Bản ghi này đã được gỡ khỏi cơ sở dữ liệu." in page.content.decode()

    posted = client.post(record_url(other_record), form(unit=unit_a.pk))
    assert posted.status_code == 400
    assert "Bản ghi này đã được gỡ khỏi cơ sở dữ liệu." in posted.content.decode()
    assert not RecordApplication.objects.exists()


def test_recording_needs_a_staff_role(client, reviewer, fund_maker, other_record):
    url = record_url(other_record)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert client.post(url, form()).status_code == 302
    for person in (fund_maker, reviewer):  # a reviewer confirms; they do not record
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, form()).status_code == 403
    assert not RecordApplication.objects.exists()


# The reviewer's queue and the decision -----------------------------------------------------------


def test_the_reviewer_confirms_and_the_application_counts_on_the_record(
    client, staff, reviewer, unit_a, other_record
):
    application = apply(other_record, unit_a, staff, benefit_vnd=2_750_000)
    client.force_login(reviewer)
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    html = queue.content.decode()
    assert other_record.title in html and SCOPE in html and CONTACT in html
    assert "2.750.000 đ" in html and "05/03/2026" in html and "Chờ xác nhận" in html

    response = client.post(reverse("applications:confirm", args=[application.pk]), follow=True)

    assert response.redirect_chain[-1][0].startswith(QUEUE)
    assert "Đã xác nhận" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED
    assert application.decided_by == reviewer and application.decided_at is not None
    assert list(confirmed_applications(other_record)) == [application]
    assert application_totals(other_record) == {"count": 1, "benefit": 2_750_000}
    assert actions(application) == [Action.APPLICATION_RECORDED, Action.APPLICATION_CONFIRMED]
    assert trail_for(application).last().actor == reviewer


def test_a_parent_units_reviewer_confirms_a_child_units_application(
    client, reviewer, unit_a_child, other_record
):
    child_staff = person_with_role(Role.UNIT_STAFF, unit_a_child, full_name="Lý Văn Tâm")
    application = apply(other_record, unit_a_child, child_staff)
    client.force_login(reviewer)
    assert unit_a_child.name in client.get(QUEUE).content.decode()
    client.post(reverse("applications:confirm", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED


def test_a_second_confirmation_says_it_was_already_decided(client, staff, reviewer, unit_a, other_record):
    application = apply(other_record, unit_a, staff)
    client.force_login(reviewer)
    client.post(reverse("applications:confirm", args=[application.pk]))
    again = client.post(reverse("applications:confirm", args=[application.pk]), follow=True)
    assert "Việc áp dụng này đã được xem xét." in again.content.decode()
    rejected_late = client.post(
        reverse("applications:reject", args=[application.pk]), {"reason": "Nhầm."}, follow=True
    )
    assert "Việc áp dụng này đã được xem xét." in rejected_late.content.decode()
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED
    assert actions(application) == [Action.APPLICATION_RECORDED, Action.APPLICATION_CONFIRMED]


def test_the_reviewer_rejects_with_a_reason(client, staff, reviewer, unit_a, other_record):
    application = apply(other_record, unit_a, staff)
    client.force_login(reviewer)
    reason = "Đơn vị mới thử ở một phòng, chưa áp dụng chính thức."
    response = client.post(
        reverse("applications:reject", args=[application.pk]), {"reason": reason}, follow=True
    )
    assert "Đã ghi không xác nhận" in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.reason, application.decided_by) == (
        Status.REJECTED,
        reason,
        reviewer,
    )
    assert list(confirmed_applications(other_record)) == []
    assert application_totals(other_record) == {"count": 0, "benefit": None}
    events = list(trail_for(application))
    assert [event.action for event in events] == [Action.APPLICATION_RECORDED, Action.APPLICATION_REJECTED]
    assert events[-1].reason == reason


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (None, "Vui lòng ghi lý do không xác nhận."),
        ("   ", "Vui lòng ghi lý do không xác nhận."),
        ("Sai\x00", "Yêu cầu không hợp lệ"),  # the middleware's 400 page
        ("x" * 2001, "Lý do dài quá 2.000 ký tự"),
    ],
)
def test_rejecting_without_a_proper_reason_changes_nothing(
    client, staff, reviewer, unit_a, other_record, reason, message
):
    application = apply(other_record, unit_a, staff)
    client.force_login(reviewer)
    data = {} if reason is None else {"reason": reason}
    response = client.post(reverse("applications:reject", args=[application.pk]), data, follow=True)
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.PENDING and application.decided_by is None
    assert actions(application) == [Action.APPLICATION_RECORDED]


def test_a_reviewer_of_another_unit_gets_404_and_nothing_changes(client, staff, unit_a, unit_b, other_record):
    application = apply(other_record, unit_a, staff)
    stranger = person_with_role(Role.UNIT_REVIEWER, unit_b, full_name="Mai Văn Đức")
    client.force_login(stranger)
    assert client.post(reverse("applications:confirm", args=[application.pk])).status_code == 404
    rejected = client.post(reverse("applications:reject", args=[application.pk]), {"reason": "Không đúng."})
    assert rejected.status_code == 404
    assert SCOPE not in client.get(QUEUE).content.decode()  # their queue does not list it either
    # an id that was never given, and one too large for any database, tell nothing more
    assert client.post(reverse("applications:confirm", args=[application.pk + 1000])).status_code == 404
    assert client.post(reverse("applications:confirm", args=[10**30])).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert actions(application) == [Action.APPLICATION_RECORDED]


def test_deciding_needs_sign_in_and_a_post(client, staff, reviewer, unit_a, other_record):
    application = apply(other_record, unit_a, staff)
    confirm = reverse("applications:confirm", args=[application.pk])
    anonymous = client.post(confirm)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    client.force_login(staff)  # the one who recorded it may not confirm it
    assert client.post(confirm).status_code == 404
    client.force_login(reviewer)
    assert client.get(confirm).status_code == 405
    application.refresh_from_db()
    assert application.status == Status.PENDING


def test_the_queue_opens_on_pending_and_lists_them_first_when_all_are_shown(
    client, staff, reviewer, unit_a, unit_a_child, make_record, other_record
):
    decided = apply(other_record, unit_a, staff)
    services.application_confirm(application=decided, actor=reviewer)
    waiting = apply(make_record(title="Sổ tay điện tử cho cán bộ một cửa"), unit_a, staff)
    client.force_login(reviewer)

    pending_only = client.get(QUEUE).content.decode()
    assert waiting.record.title in pending_only and other_record.title not in pending_only

    everything = client.get(QUEUE, {"status": ""}).content.decode()
    assert everything.index(waiting.record.title) < everything.index(other_record.title)
    assert "Đã xác nhận" in everything

    confirmed = client.get(QUEUE, {"status": "confirmed"}).content.decode()
    assert other_record.title in confirmed and waiting.record.title not in confirmed
    assert client.get(QUEUE, {"status": "khong-co"}).status_code == 400
    assert client.get(QUEUE, {"q": "a\x00"}).status_code == 400


def test_a_decision_returns_to_the_queue_as_it_was_filtered(client, staff, reviewer, unit_a, other_record):
    application = apply(other_record, unit_a, staff)
    client.force_login(reviewer)
    back = client.get(QUEUE, {"status": "", "q": "thời khóa biểu"}).context["here"]
    response = client.post(reverse("applications:confirm", args=[application.pk]), {"back": back})
    assert response.url == f"{QUEUE}?status=&q=th%E1%BB%9Di+kh%C3%B3a+bi%E1%BB%83u"
    # the form's value is only ever read as a query string, never as a place to go
    hostile = client.post(
        reverse("applications:reject", args=[application.pk]), {"reason": "x", "back": "//evil.example/"}
    )
    assert hostile.url.startswith(f"{QUEUE}?")


def test_the_queue_needs_a_reviewer(client, staff, fund_maker):
    anonymous = client.get(QUEUE)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    for person in (staff, fund_maker):
        client.force_login(person)
        assert client.get(QUEUE).status_code == 403


def test_the_queue_exports_its_rows(client, staff, reviewer, unit_a, other_record):
    apply(other_record, unit_a, staff, contact='=HYPERLINK("http://example.com")')
    client.force_login(reviewer)
    csv = client.get(QUEUE, {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert other_record.reference in csv and unit_a.name in csv and "1500000" in csv
    assert "'=HYPERLINK" in csv


def test_the_queue_costs_the_same_for_3_and_12_applications(
    client, staff, reviewer, unit_a, make_record, django_assert_max_num_queries
):
    records = [make_record(title=f"Sáng kiến nhân rộng số {n}") for n in range(3)]
    units = [unit_a] + [UnitFactory(parent=unit_a) for _ in range(3)]
    for record in records:
        apply(record, units[0], staff)
    client.force_login(reviewer)
    client.get(QUEUE)  # warm the content-type cache
    # session, user, memberships and council places (menu), guardian unit permissions, the unit tree
    # under the reviewer's unit, the count, one page of applications with record and unit joined.
    with django_assert_max_num_queries(8) as three:
        assert client.get(QUEUE).content.decode().count('action="/nhan-rong/') == 2 * 3
    for record in records:
        for unit in units[1:]:
            apply(record, unit, staff)
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert client.get(QUEUE).content.decode().count('action="/nhan-rong/') == 2 * 12


# The unit's own list ------------------------------------------------------------------------------


def test_staff_follow_their_units_applications(
    client, staff, reviewer, outsider, unit_a, unit_b, other_record, make_record
):
    confirmed = apply(other_record, unit_a, staff)
    services.application_confirm(application=confirmed, actor=reviewer)
    home_record = make_record(title="Hộp thư góp ý điện tử")
    rejected = apply(home_record, unit_a, staff)
    services.application_reject(application=rejected, actor=reviewer, reason="Chưa đủ minh chứng.")
    theirs = apply(home_record, unit_b, outsider)

    client.force_login(staff)
    html = client.get(MINE).content.decode()
    assert other_record.title in html and home_record.title in html
    assert "Đã xác nhận" in html and "Không xác nhận" in html and "Chưa đủ minh chứng." in html
    assert "1.500.000 đ" in html
    client.force_login(outsider)
    html = client.get(MINE).content.decode()
    assert home_record.title in html and other_record.title not in html
    assert theirs.unit.name in html


def test_the_units_list_needs_a_staff_role(client, reviewer, fund_maker):
    assert client.get(MINE).status_code == 302
    for person in (reviewer, fund_maker):
        client.force_login(person)
        assert client.get(MINE).status_code == 403
