# ruff: noqa: F811  (the submissions fixtures imported below are used as arguments)
"""The one audit trail: append-only (the model, the queryset and, on PostgreSQL, a trigger), written by
the services in the same transaction as the change, read on each object's page and, whole, on the
Front admins' audit page with its filters and Excel export."""

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from dksangtao.audit import Action, record, trail_for
from dksangtao.models import AuditEvent
from submissions import services
from submissions.models import Dossier, Status
from tests.factories import UnitFactory
from tests.submissions.conftest import field, kind, make_dossier  # noqa: F401

pytestmark = pytest.mark.django_db
AUDIT = reverse("audit")


@pytest.fixture
def submitted(make_dossier, unit_a, staff):
    return make_dossier(unit_a, staff, Status.SUBMITTED, title="Máy sấy nông sản dùng năng lượng mặt trời")


def test_a_service_records_who_did_what_to_which_object_in_its_own_transaction(submitted, reviewer):
    services.dossier_return(
        dossier=submitted,
        actor=reviewer,
        reason="Bổ sung số liệu",
        today=submitted.campaign.unit_review_deadline,
    )
    event = trail_for(submitted).last()
    assert (event.actor, event.action, event.reason) == (reviewer, Action.DOSSIER_RETURNED, "Bổ sung số liệu")
    assert event.detail == {"from": Status.SUBMITTED, "to": Status.RETURNED}
    assert event.object_repr.startswith(submitted.reference)
    # A refused change records nothing: the record and the change share the transaction.
    before = AuditEvent.objects.count()
    with pytest.raises(services.ActionRefused):
        services.dossier_return(dossier=submitted, actor=reviewer, reason="Lần hai")
    assert AuditEvent.objects.count() == before


def test_the_trail_is_append_only_for_the_orm(submitted):
    event = trail_for(submitted).first()
    event.reason = "sửa lại"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(TypeError, match="append-only"):
        AuditEvent.objects.all().delete()


@pytest.mark.postgres_only
def test_the_database_refuses_to_change_or_delete_an_audit_row(submitted):
    event = trail_for(submitted).first()
    for statement in (
        "UPDATE dksangtao_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM dksangtao_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, reason="").exists()


def test_an_unknown_action_is_a_programming_error(submitted):
    with pytest.raises(ValueError, match="Unknown audit action"):
        record(actor=None, action="dossier.renamed", obj=submitted)


def test_an_admin_change_is_recorded_with_the_fields_it_changed(client, front_admin, unit_b):
    client.force_login(front_admin)
    response = client.post(
        reverse("admin:accounts_unit_change", args=[unit_b.pk]),
        {
            "name": "Sở Giáo dục và Đào tạo (đổi tên)",
            "code": unit_b.code,
            "kind": unit_b.kind,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    (event,) = trail_for(Unit.objects.get(pk=unit_b.pk))
    assert (event.actor, event.action, event.detail["fields"]) == (
        front_admin,
        Action.RECORD_CHANGED,
        ["name"],
    )


# The audit page ----------------------------------------------------------------------------------


def test_the_front_admin_searches_the_trail_by_person_action_object_and_day(
    client, front_admin, submitted, staff, reviewer
):
    services.dossier_return(
        dossier=submitted,
        actor=reviewer,
        reason="Bổ sung số liệu",
        today=submitted.campaign.unit_review_deadline,
    )
    client.force_login(front_admin)
    page = client.get(AUDIT).content.decode()
    assert "Nhật ký hệ thống" in page and submitted.reference in page

    def rows(**query):
        response = client.get(AUDIT, query)
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert {e.action for e in rows(actor="Trần Văn")} == {Action.DOSSIER_RETURNED}  # the reviewer
    assert {e.actor for e in rows(action=Action.DOSSIER_SUBMITTED)} == {staff}
    dossier_type = trail_for(submitted).first().content_type_id
    assert {e.object_id for e in rows(kind=dossier_type, object=submitted.pk)} == {submitted.pk}
    assert len(rows(q="Bổ sung số liệu")) == 1
    today = timezone.localdate()
    assert rows(since=(today + dt.timedelta(days=1)).strftime("%d/%m/%Y")) == []
    assert len(rows(until=today.strftime("%d/%m/%Y"))) == AuditEvent.objects.count()


def test_the_kinds_of_object_are_named_in_vietnamese_by_part_of_the_portal(client, front_admin):
    ContentType.objects.get_or_create(app_label="submissions", model="dossierevent")  # a model gone since
    client.force_login(front_admin)
    kinds = client.get(AUDIT).context["listing"].filterset.form.fields["kind"].choices
    groups = dict(kinds[1:])  # after «Tất cả»
    assert tuple(groups) >= ("Hồ sơ sáng kiến", "Quỹ «Người Việt Nam đoàn kết sáng tạo»")
    labels = [label for group in groups.values() for _pk, label in group]
    assert "Hồ sơ sáng kiến" in labels and "Chứng từ" in labels and "Hồ sơ trong bảng xếp hạng" in labels
    assert not any(label.isascii() for label in labels)  # no «dossierevent», no «ranked entry»


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "31/02/2026"}, "Nhập một ngày hợp lệ."),
        ({"object": "²"}, "Nhập một số."),
        ({"object": "9" * 40}, ""),
        ({"action": "dossier.renamed"}, ""),
        ({"q": "trả\x00lại"}, ""),
        ({"kind": "abc"}, ""),
    ],
)
def test_a_bad_filter_is_a_400_with_its_message_and_no_export(client, front_admin, submitted, query, message):
    client.force_login(front_admin)
    response = client.get(AUDIT, query)
    assert response.status_code == 400 and message in response.content.decode()
    assert client.get(AUDIT, {**query, "export": "xlsx"}).status_code == 400


def test_the_widest_dates_are_refused_with_a_message_and_the_list_still_shown(client, front_admin, submitted):
    """Years 1 and 9999 overflow the day's time-zone conversion: they are refused with the form's
    message (issue #15); the list keeps the filters that were valid."""
    client.force_login(front_admin)
    response = client.get(AUDIT, {"since": "01/01/0001", "until": "31/12/9999"})
    page = response.content.decode()
    assert response.status_code == 400 and "Ngày phải từ 01/01/1900 đến 31/12/2100." in page
    assert submitted.reference in page


@pytest.mark.parametrize("person", ["staff", "reviewer", "secretary", "fund_checker", "department_viewer"])
def test_only_front_admins_read_the_whole_trail(client, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(AUDIT).status_code == 403
    assert client.get(AUDIT, {"export": "xlsx"}).status_code == 403
    client.logout()
    assert client.get(AUDIT).status_code == 302


def test_the_excel_export_has_typed_cells_and_no_formula(client, front_admin, submitted, reviewer):
    services.dossier_return(
        dossier=submitted,
        actor=reviewer,
        reason='=HYPERLINK("http://example.com","Bấm vào đây")',
        today=submitted.campaign.unit_review_deadline,
    )
    client.force_login(front_admin)
    response = client.get(AUDIT, {"export": "xlsx", "action": Action.DOSSIER_RETURNED})
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    header, row = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:4] == ["Thời điểm", "Người thực hiện", "Tài khoản", "Việc"]
    assert isinstance(row[0], dt.datetime)  # a date-time cell, in the portal's time zone
    assert row[3] == "Trả lại hồ sơ"
    assert row[5] == submitted.pk  # a number
    assert row[6] == '\'=HYPERLINK("http://example.com","Bấm vào đây")'  # text, never a formula
    csv = (
        client.get(AUDIT, {"export": "csv", "action": Action.DOSSIER_RETURNED}).getvalue().decode("utf-8-sig")
    )
    assert "'=HYPERLINK" in csv


def test_the_audit_page_costs_the_same_for_10_and_100_events(
    client, front_admin, unit_a, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            record(actor=front_admin, action=Action.RECORD_ADDED, obj=UnitFactory())

    add(10)
    client.force_login(front_admin)
    client.get(AUDIT)
    # session, user (memberships and council places: cached by the first request; unit permissions: read
    # from them), the count, a page of events with actors and kinds joined (the object kinds of the
    # filter: from the content types' cache, filled by the first request)
    with django_assert_num_queries(4) as ten:
        client.get(AUDIT)
    add(90)
    with django_assert_num_queries(len(ten.captured_queries)):
        client.get(AUDIT)


def test_each_dossier_page_shows_its_own_trail(client, staff, submitted):
    client.force_login(staff)
    page = client.get(reverse("submissions:detail", args=[submitted.pk])).content.decode()
    assert "Quá trình xử lý" in page and "Đã nộp" in page and "Nguyễn Thị Lan" in page
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_a_day_is_a_range_of_times_in_the_portals_time_zone(client, front_admin, unit_a, monkeypatch):
    """«Đến ngày 05/03» keeps 23:30 of that day (Vietnam time) and «Từ ngày 06/03» does not; the
    filter compares times, so the time index answers it (no per-row conversion to a date)."""
    moment = timezone.make_aware(dt.datetime(2026, 3, 5, 23, 30))  # the portal's zone: Asia/Ho_Chi_Minh
    monkeypatch.setattr("dksangtao.audit.timezone.now", lambda: moment)
    late = record(actor=front_admin, action=Action.RECORD_ADDED, obj=unit_a)
    monkeypatch.undo()
    client.force_login(front_admin)

    def ids(**query):
        return [e.pk for e in client.get(AUDIT, query).context["listing"].page.object_list]

    assert late.pk in ids(until="05/03/2026") and late.pk in ids(since="05/03/2026")
    assert late.pk not in ids(until="04/03/2026") and late.pk not in ids(since="06/03/2026")
    listing = client.get(AUDIT, {"since": "05/03/2026", "until": "05/03/2026"}).context["listing"]
    sql = str(listing.queryset.query).upper()
    assert "AT TIME ZONE" not in sql and "DATE(" not in sql and "::DATE" not in sql


def test_a_long_trail_is_counted_up_to_the_limit(client, front_admin, unit_a, monkeypatch):
    from dksangtao import views_audit

    monkeypatch.setattr(views_audit, "COUNT_LIMIT", 3)
    for _ in range(5):
        record(actor=front_admin, action=Action.RECORD_ADDED, obj=unit_a)
    client.force_login(front_admin)
    assert "hơn 3 sự kiện" in client.get(AUDIT).content.decode()
    monkeypatch.setattr(views_audit, "COUNT_LIMIT", 5)
    assert "5 sự kiện" in client.get(AUDIT).content.decode()
