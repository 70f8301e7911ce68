"""The dossier pages: each works for the right person, refuses the others (also by guessing URLs),
and refuses bad input with a Vietnamese message while changing nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from submissions.models import Attachment, Campaign, Dossier, Status
from tests.factories import UserFactory
from tests.samples import PDF
from tests.trail import status_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_campaign(db):
    """A campaign whose submission window contains today (and the helper days of make_dossier)."""
    today = timezone.localdate()
    return Campaign.objects.create(
        year=today.year + 1,
        name=f"Đợt xét chọn năm {today.year + 1}",
        submissions_open=dt.date(2026, 1, 1),
        submissions_close=today + dt.timedelta(days=30),
        unit_review_deadline=today + dt.timedelta(days=45),
        screening_deadline=today + dt.timedelta(days=50),
        scoring_start=today + dt.timedelta(days=51),
        scoring_end=today + dt.timedelta(days=70),
        ceremony_date=dt.date(today.year + 1, 9, 2),
    )


@pytest.fixture
def dossier_of(make_dossier, open_campaign):
    def make(unit, creator, status=Status.DRAFT, **fields):
        return make_dossier(unit, creator, status=status, campaign=open_campaign, **fields)

    return make


def form_data(
    kind,
    field,
    *,
    title="Ứng dụng mã QR tra cứu di tích",
    authors=((60, "Nguyễn Văn An"), (40, "Lê Thị Bình")),
):
    data = {
        "title": title,
        "kind": kind.pk,
        "field": field.pk,
        "summary": "Gắn mã QR tại các điểm di tích để du khách nghe thuyết minh.",
        "owner": "",
        "first_applied_on": "05/03/2026",
        "current_situation": "Thuyết minh viên không đủ.",
        "solution_content": "Mã QR dẫn tới bài thuyết minh năm thứ tiếng.",
        "novelty": "Lần đầu áp dụng tại tỉnh.",
        "application_conditions": "",
        "application_scope": "Mọi điểm di tích.",
        "economic_benefit_vnd": "150.000.000",
        "benefits_by_author": "Du khách hài lòng hơn.",
        "benefits_by_others": "",
        "trial_participants": "",
        "confidential_info": "",
        "authors-TOTAL_FORMS": str(len(authors)),
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "1",
        "authors-MAX_NUM_FORMS": "30",
    }
    for index, (percent, name) in enumerate(authors):
        data.update(
            {
                f"authors-{index}-full_name": name,
                f"authors-{index}-date_of_birth": "12/04/1985",
                f"authors-{index}-workplace": "Sở Văn hóa",
                f"authors-{index}-position": "Chuyên viên",
                f"authors-{index}-qualification": "Cử nhân",
                f"authors-{index}-contribution_percent": str(percent),
            }
        )
    return data


# The list ---------------------------------------------------------------------------------------


def test_staff_list_shows_their_unit_only_drafts_included(
    client, staff, outsider, unit_a, unit_b, dossier_of
):
    mine = dossier_of(unit_a, staff, title="Hồ sơ của đơn vị A")
    theirs = dossier_of(unit_b, outsider, Status.SUBMITTED, title="Hồ sơ của đơn vị B")
    client.force_login(staff)
    page = client.get(reverse("submissions:list")).content.decode()
    assert mine.title in page
    assert theirs.title not in page
    assert "1 hồ sơ" in page


def test_reviewer_sees_submitted_dossiers_of_the_unit_tree_but_not_drafts(
    client, staff, reviewer, unit_a, unit_a_child, dossier_of
):
    child_staff = UserFactory()
    from accounts.services import membership_grant
    from dksangtao.roles import Role

    membership_grant(user=child_staff, unit=unit_a_child, role=Role.UNIT_STAFF, actor=None)
    draft = dossier_of(unit_a, staff, title="Bản nháp chưa nộp")
    child = dossier_of(unit_a_child, child_staff, Status.SUBMITTED, title="Hồ sơ của trung tâm trực thuộc")
    client.force_login(reviewer)
    page = client.get(reverse("submissions:list")).content.decode()
    assert child.title in page
    assert draft.title not in page
    queue = client.get(reverse("submissions:review_queue")).content.decode()
    assert child.title in queue


def test_search_ignores_diacritics_and_case(client, staff, unit_a, dossier_of):
    dossier_of(unit_a, staff, title="Sáng kiến ĐỔI MỚI quy trình một cửa")
    dossier_of(unit_a, staff, title="Máy bóc vỏ hạt sen")
    client.force_login(staff)
    page = client.get(reverse("submissions:list"), {"q": "doi moi quy trinh"}).content.decode()
    assert "Sáng kiến ĐỔI MỚI quy trình một cửa" in page
    assert "Máy bóc vỏ hạt sen" not in page


def test_filters_by_status_and_refuses_a_bad_year_in_vietnamese(client, staff, unit_a, dossier_of):
    dossier_of(unit_a, staff, title="Còn nháp")
    dossier_of(unit_a, staff, Status.SUBMITTED, title="Đã nộp rồi")
    client.force_login(staff)
    page = client.get(reverse("submissions:list"), {"status": "submitted"}).content.decode()
    assert "Đã nộp rồi" in page and "Còn nháp" not in page
    page = client.get(reverse("submissions:list"), {"year": "hai nghìn"}).content.decode()
    assert "Nhập năm bằng chữ số, ví dụ 2026." in page


def test_a_person_without_a_dossier_role_is_refused_and_anonymous_sent_to_login(client, fund_maker):
    assert client.get(reverse("submissions:list")).status_code == 302
    client.force_login(fund_maker)
    assert client.get(reverse("submissions:list")).status_code == 403
    assert client.get(reverse("submissions:create")).status_code == 403
    assert client.get(reverse("submissions:review_queue")).status_code == 403


@pytest.mark.parametrize("url_name", ["submissions:list", "submissions:review_queue"])
def test_list_pages_cost_the_same_for_1_and_50_dossiers(
    client, staff, reviewer, unit_a, dossier_of, django_assert_num_queries, url_name
):
    person = staff if url_name == "submissions:list" else reviewer
    dossier_of(unit_a, staff, Status.SUBMITTED)
    client.force_login(person)
    client.get(reverse(url_name))  # warm the content-type cache
    # session, user (memberships and council places: cached by the first request; unit permissions: read
    # from them), then for the list: the count, the kinds, fields and units of the filter form, the rows
    # (related rows joined, authors counted by a subquery); for the queue: the unit tree, the fields of its
    # filter, the count, the rows.
    expected = 7 if url_name == "submissions:list" else 6
    with django_assert_num_queries(expected):
        client.get(reverse(url_name))
    for _ in range(49):
        dossier_of(unit_a, staff, Status.SUBMITTED)
    with django_assert_num_queries(expected):
        response = client.get(reverse(url_name))
    assert response.content.decode().count("/dossiers/") >= 25


@pytest.mark.parametrize("url_name", ["submissions:list", "submissions:review_queue"])
def test_search_finds_words_in_any_order(client, staff, reviewer, unit_a, dossier_of, url_name):
    """«rac thai xu ly» finds «Xử lý rác thải …»: words, not one contiguous substring."""
    wanted = dossier_of(unit_a, staff, Status.SUBMITTED, title="Xử lý rác thải hữu cơ tại chợ Đông Ba")
    dossier_of(unit_a, staff, Status.SUBMITTED, title="Số hóa hồ sơ một cửa")
    client.force_login(staff if url_name == "submissions:list" else reviewer)
    for query in ("rac thai xu ly", "CHỢ đông ba rác", wanted.reference):
        response = client.get(reverse(url_name), {"q": query})
        assert [d.pk for d in response.context["listing"].page.object_list] == [wanted.pk], query


# Detail and URL guessing -------------------------------------------------------------------------


def test_outsiders_get_404_on_every_url_of_a_dossier(client, staff, outsider, unit_a, dossier_of):
    dossier = dossier_of(unit_a, staff, Status.SUBMITTED)
    attachment = Attachment.objects.create(
        dossier=dossier,
        stored_name="x.pdf",
        original_name="x.pdf",
        file_type="pdf",
        size=1,
        sha256="0",
        uploaded_by=staff,
        file="dossiers/x.pdf",
    )
    client.force_login(outsider)
    for name, args in [
        ("submissions:detail", [dossier.pk]),
        ("submissions:edit", [dossier.pk]),
        ("submissions:attachment_download", [dossier.pk, attachment.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ["submissions:submit", "submissions:withdraw", "submissions:return", "submissions:nominate"]:
        assert client.post(reverse(name, args=[dossier.pk]), {"return-reason": "x"}).status_code == 404, name
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_detail_shows_the_form_sections_timeline_and_money(client, staff, unit_a, dossier_of):
    dossier = dossier_of(unit_a, staff, Status.SUBMITTED)
    client.force_login(staff)
    page = client.get(reverse("submissions:detail", args=[dossier.pk])).content.decode()
    assert dossier.reference in page
    assert "3. Nội dung sáng kiến" in page
    assert "120.000.000 đ" in page
    assert "Bản nháp → <strong>Đã nộp</strong>" in page


# Create and edit ------------------------------------------------------------------------------


def test_staff_creates_a_draft_with_two_authors(client, staff, unit_a, open_campaign, kind, field):
    client.force_login(staff)
    response = client.post(reverse("submissions:create"), form_data(kind, field))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:detail", args=[dossier.pk])
    assert dossier.unit == unit_a and dossier.status == Status.DRAFT and dossier.created_by == staff
    assert dossier.first_applied_on == dt.date(2026, 3, 5)
    assert dossier.economic_benefit_vnd == 150_000_000
    assert [(a.full_name, a.contribution_percent) for a in dossier.authors.all()] == [
        ("Nguyễn Văn An", 60),
        ("Lê Thị Bình", 40),
    ]
    assert dossier.authors_consent is False  # the default: names stay off the public database


def test_the_form_records_the_authors_consent(client, staff, open_campaign, kind, field):
    client.force_login(staff)
    page = client.get(reverse("submissions:create")).content.decode()
    assert "Tác giả đồng ý công khai họ tên" in page
    client.post(reverse("submissions:create"), {**form_data(kind, field), "authors_consent": "on"})
    assert Dossier.objects.get().authors_consent is True


def test_percentages_not_100_are_refused_and_everything_typed_is_kept(
    client, staff, open_campaign, kind, field
):
    client.force_login(staff)
    data = form_data(
        kind, field, title="Tiêu đề đã gõ cẩn thận", authors=((60, "Nguyễn Văn An"), (30, "Lê Thị Bình"))
    )
    response = client.post(reverse("submissions:create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tổng tỷ lệ đóng góp của các tác giả là 90%, phải bằng đúng 100%." in page
    assert 'value="Tiêu đề đã gõ cẩn thận"' in page
    assert 'value="Lê Thị Bình"' in page and 'value="30"' in page
    assert 'value="05/03/2026"' in page
    assert not Dossier.objects.exists()


def test_a_bad_date_and_negative_money_are_refused_in_vietnamese(client, staff, open_campaign, kind, field):
    client.force_login(staff)
    data = form_data(kind, field)
    data["first_applied_on"] = "31/02/2026"
    data["economic_benefit_vnd"] = "-5"
    page = client.post(reverse("submissions:create"), data).content.decode()
    assert "Nhập một ngày hợp lệ." in page
    assert "Số tiền không được âm." in page
    assert not Dossier.objects.exists()


def test_staff_edits_a_draft_but_not_a_submitted_dossier(client, staff, unit_a, dossier_of, kind, field):
    draft = dossier_of(unit_a, staff)
    client.force_login(staff)
    response = client.post(
        reverse("submissions:edit", args=[draft.pk]), form_data(kind, field, title="Tên đã sửa")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Tên đã sửa"
    submitted = dossier_of(unit_a, staff, Status.SUBMITTED)
    assert client.get(reverse("submissions:edit", args=[submitted.pk])).status_code == 403
    # A POST (a tab opened before submission) is refused by the service, with the typed form kept.
    response = client.post(
        reverse("submissions:edit", args=[submitted.pk]), form_data(kind, field, title="Gõ muộn")
    )
    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.title != "Gõ muộn"


def test_the_edit_form_shows_similar_earlier_dossiers(client, staff, outsider, unit_a, unit_b, dossier_of):
    dossier_of(unit_b, outsider, Status.SUBMITTED, title="Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử")
    mine = dossier_of(unit_a, staff, title="Ung dung phan mem quan ly ho so mot cua")
    client.force_login(staff)
    page = client.get(reverse("submissions:edit", args=[mine.pk])).content.decode()
    assert "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử" in page
    partial = client.get(reverse("submissions:similar"), {"title": "phan mem quan ly ho so mot cua"})
    assert "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử" in partial.content.decode()


# Actions --------------------------------------------------------------------------------------


def test_submit_by_view_assigns_a_reference_and_mails_the_reviewer(
    client, staff, reviewer, unit_a, dossier_of, django_capture_on_commit_callbacks
):
    dossier = dossier_of(unit_a, staff)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("submissions:submit", args=[dossier.pk]))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.reference.startswith(f"DKST-{dossier.campaign.year}-")
    assert mail.outbox[0].to == [reviewer.email]


def test_submit_after_the_deadline_is_refused_and_nothing_changes(
    client, staff, unit_a, dossier_of, open_campaign
):
    dossier = dossier_of(unit_a, staff)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Campaign.objects.filter(pk=open_campaign.pk).update(submissions_close=yesterday)
    client.force_login(staff)
    response = client.post(reverse("submissions:submit", args=[dossier.pk]))
    assert response.status_code == 409
    assert f"Đã hết hạn nộp hồ sơ (ngày {yesterday:%d/%m/%Y})" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.reference is None


def test_reviewer_returns_with_a_reason_and_a_missing_reason_is_refused(
    client, staff, reviewer, unit_a, dossier_of
):
    dossier = dossier_of(unit_a, staff, Status.SUBMITTED)
    client.force_login(reviewer)
    response = client.post(reverse("submissions:return", args=[dossier.pk]), {"return-reason": "   "})
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    client.post(reverse("submissions:return", args=[dossier.pk]), {"return-reason": "Bổ sung bảng số liệu."})
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert status_changes(dossier)[-1].reason == "Bổ sung bảng số liệu."


def test_staff_cannot_take_reviewer_actions_and_reviewers_cannot_submit(
    client, staff, reviewer, unit_a, dossier_of
):
    submitted = dossier_of(unit_a, staff, Status.SUBMITTED)
    client.force_login(staff)
    assert client.post(reverse("submissions:nominate", args=[submitted.pk])).status_code == 403
    assert (
        client.post(reverse("submissions:return", args=[submitted.pk]), {"return-reason": "x"}).status_code
        == 403
    )
    returned = dossier_of(unit_a, staff, Status.RETURNED)
    client.force_login(reviewer)
    assert client.post(reverse("submissions:submit", args=[returned.pk])).status_code == 403
    submitted.refresh_from_db()
    returned.refresh_from_db()
    assert (submitted.status, returned.status) == (Status.SUBMITTED, Status.RETURNED)


def test_a_reviewer_of_another_unit_cannot_act_here(client, staff, unit_a, unit_b, dossier_of):
    from accounts.services import membership_grant
    from dksangtao.roles import Role

    other_reviewer = UserFactory()
    membership_grant(user=other_reviewer, unit=unit_b, role=Role.UNIT_REVIEWER, actor=None)
    dossier = dossier_of(unit_a, staff, Status.SUBMITTED)
    client.force_login(other_reviewer)
    assert client.post(reverse("submissions:nominate", args=[dossier.pk])).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_reviewer_recognises_then_nominates(client, staff, reviewer, unit_a, dossier_of):
    dossier = dossier_of(unit_a, staff, Status.SUBMITTED)
    client.force_login(reviewer)
    response = client.post(reverse("submissions:recognise", args=[dossier.pk]), {"recognise-grade": "bogus"})
    assert response.status_code == 400
    client.post(reverse("submissions:recognise", args=[dossier.pk]), {"recognise-grade": "tot"})
    dossier.refresh_from_db()
    assert (dossier.status, dossier.unit_grade) == (Status.RECOGNISED_AT_UNIT, "tot")
    client.post(reverse("submissions:nominate", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.status == Status.NOMINATED


# Attachments ----------------------------------------------------------------------------------


def test_upload_download_and_refusals(client, settings, tmp_path, staff, outsider, unit_a, dossier_of):
    settings.MEDIA_ROOT = tmp_path
    dossier = dossier_of(unit_a, staff)
    client.force_login(staff)
    upload = SimpleUploadedFile("Thuyết minh.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(reverse("submissions:attachment_upload", args=[dossier.pk]), {"file": upload}).status_code
        == 302
    )
    attachment = dossier.attachments.get()
    response = client.get(reverse("submissions:attachment_download", args=[dossier.pk, attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert "attachment;" in response["Content-Disposition"]

    fake = SimpleUploadedFile(
        "virus.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 100, content_type="application/pdf"
    )
    response = client.post(reverse("submissions:attachment_upload", args=[dossier.pk]), {"file": fake})
    assert response.status_code == 400
    assert "không phải PDF" in response.content.decode()
    assert dossier.attachments.count() == 1

    client.force_login(outsider)
    assert (
        client.get(reverse("submissions:attachment_download", args=[dossier.pk, attachment.pk])).status_code
        == 404
    )
    other = dossier_of(unit_a, staff)
    client.force_login(staff)
    assert (
        client.get(reverse("submissions:attachment_download", args=[other.pk, attachment.pk])).status_code
        == 404
    )


def test_the_review_queue_exports_what_the_reviewer_sees(
    client, staff, reviewer, outsider, unit_a, unit_b, dossier_of
):
    waiting = dossier_of(unit_a, staff, Status.SUBMITTED, title="Chờ lãnh đạo duyệt")
    dossier_of(unit_b, outsider, Status.SUBMITTED, title="Của đơn vị khác")
    client.force_login(reviewer)
    response = client.get(reverse("submissions:review_queue"), {"export": "csv"})
    body = response.getvalue().decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Số hồ sơ" in body.splitlines()[0]
    assert waiting.reference in body and "Của đơn vị khác" not in body
    client.force_login(staff)
    assert client.get(reverse("submissions:review_queue"), {"export": "csv"}).status_code == 403


# Found in review ------------------------------------------------------------------------------


def test_a_draft_withdrawn_before_submission_stays_inside_its_unit(
    client, staff, reviewer, front_admin, unit_a, dossier_of
):
    dossier = dossier_of(unit_a, staff, Status.WITHDRAWN, confidential_info="BÍ MẬT 123")
    assert dossier.reference is None
    for person in (reviewer, front_admin):
        client.force_login(person)
        assert client.get(reverse("submissions:detail", args=[dossier.pk])).status_code == 404
        assert dossier.title not in client.get(reverse("submissions:list")).content.decode()
        assert dossier.title not in client.get(
            reverse("submissions:list"), {"export": "csv"}
        ).getvalue().decode("utf-8-sig")
    client.force_login(staff)
    assert client.get(reverse("submissions:detail", args=[dossier.pk])).status_code == 200


def test_confidential_information_is_for_the_unit_and_its_reviewers_not_every_front_admin(
    client, staff, reviewer, front_admin, unit_a, dossier_of
):
    dossier = dossier_of(unit_a, staff, Status.SUBMITTED, confidential_info="Công thức pha chế BÍ MẬT 123")
    for person, shown in ((staff, True), (reviewer, True), (front_admin, False)):
        client.force_login(person)
        page = client.get(reverse("submissions:detail", args=[dossier.pk])).content.decode()
        assert ("BÍ MẬT 123" in page) is shown, person
    client.force_login(staff)
    assert "BÍ MẬT" not in client.get(reverse("submissions:list"), {"export": "csv"}).getvalue().decode(
        "utf-8-sig"
    )


def test_saving_after_a_colleague_submitted_keeps_what_was_typed(
    client, staff, unit_a, dossier_of, kind, field
):
    dossier = dossier_of(unit_a, staff)
    client.force_login(staff)
    page = client.get(reverse("submissions:edit", args=[dossier.pk]))
    assert page.status_code == 200
    from submissions.services import dossier_submit

    dossier_submit(dossier=dossier, actor=staff)  # the colleague, in another tab
    response = client.post(
        reverse("submissions:edit", args=[dossier.pk]), form_data(kind, field, title="Tên vừa gõ xong")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Hồ sơ đã nộp chỉ được xem, không được sửa." in page
    assert 'value="Tên vừa gõ xong"' in page


def test_a_bad_filter_refuses_the_export_instead_of_exporting_everything(client, staff, unit_a, dossier_of):
    dossier_of(unit_a, staff, title="Bản nháp không được lọt vào tệp")
    dossier_of(unit_a, staff, Status.SUBMITTED, title="Đã nộp")
    client.force_login(staff)
    response = client.get(
        reverse("submissions:list"), {"status": "submitted", "year": "20x6", "export": "csv"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Nhập năm bằng chữ số, ví dụ 2026." in response.content.decode()
    page = response.content.decode()
    assert (
        "Đã nộp" in page and "Bản nháp không được lọt vào tệp" not in page
    )  # the valid filter still applies


def test_money_beyond_the_cap_is_refused_in_vietnamese(client, staff, open_campaign, kind, field):
    client.force_login(staff)
    data = form_data(kind, field)
    data["economic_benefit_vnd"] = "99999999999999999999"
    response = client.post(reverse("submissions:create"), data)
    assert response.status_code == 400
    assert "Số tiền không được vượt 1.000.000.000.000.000 đ." in response.content.decode()
    assert not Dossier.objects.exists()
