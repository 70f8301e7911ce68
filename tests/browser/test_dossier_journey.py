"""The first journey of the portal, in Chromium: staff prepares a dossier with two authors (60/40)
and a PDF and submits it; the reviewer returns it with a reason; staff fixes and resubmits; the
reviewer nominates it to the province."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from submissions.models import Campaign, Dossier, Status
from tests.browser.test_role_dashboards import log_in
from tests.samples import PDF
from tests.trail import status_changes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def open_campaign():
    today = timezone.localdate()
    return Campaign.objects.create(
        year=today.year + 1,
        name=f"Đợt xét chọn năm {today.year + 1}",
        submissions_open=today - dt.timedelta(days=10),
        submissions_close=today + dt.timedelta(days=30),
        unit_review_deadline=today + dt.timedelta(days=45),
        screening_deadline=today + dt.timedelta(days=50),
        scoring_start=today + dt.timedelta(days=51),
        scoring_end=today + dt.timedelta(days=70),
        ceremony_date=dt.date(today.year + 1, 9, 2),
    )


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def test_submit_return_resubmit_nominate(page, screenshot, staff, reviewer, open_campaign):
    # Staff fills the form, numbered like the national recognition form.
    log_in(page, staff.email)
    page.get_by_role("link", name="Hồ sơ sáng kiến").first.click()
    page.get_by_role("link", name="Lập hồ sơ mới").click()
    page.get_by_label("Tên sáng kiến").fill("Ứng dụng mã QR tra cứu thông tin di tích Cố đô Huế")
    page.get_by_label("Loại hồ sơ").select_option(label="Sáng kiến")
    page.get_by_label("Lĩnh vực áp dụng").select_option(label="Văn hóa – xã hội – du lịch")
    page.get_by_label("Tóm tắt").fill("Gắn mã QR tại 120 điểm di tích, du khách quét để nghe thuyết minh.")
    page.get_by_label("Ngày áp dụng lần đầu hoặc áp dụng thử").fill("05/03/2026")
    page.get_by_label("Tình trạng hiện tại, vấn đề cần giải quyết").fill("Thiếu thuyết minh viên.")
    page.get_by_label("Nội dung, bản chất của giải pháp").fill("Mã QR dẫn tới bài thuyết minh năm thứ tiếng.")
    page.get_by_label("Tính mới, tính sáng tạo").fill("Lần đầu áp dụng tại tỉnh.")
    page.get_by_label("Khả năng, phạm vi áp dụng").fill("Mọi điểm di tích của tỉnh.")
    page.get_by_label("Lợi ích kinh tế (đồng/năm)").fill("150.000.000")
    page.get_by_label("Hiệu quả, lợi ích theo đánh giá của tác giả").fill("Du khách hài lòng hơn.")
    page.locator("#id_authors-0-full_name").fill("Nguyễn Thị Lan")
    page.locator("#id_authors-0-date_of_birth").fill("12/04/1986")
    page.locator("#id_authors-0-contribution_percent").fill("60")
    page.get_by_role("button", name="Thêm tác giả").click()
    page.locator("#id_authors-1-full_name").fill("Trần Quốc Việt")
    page.locator("#id_authors-1-contribution_percent").fill("40")
    screenshot(page, "journey-1-form")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".badge-draft")).to_have_text("Bản nháp")

    # A PDF, then submit.
    page.get_by_label("Tệp đính kèm (PDF, DOCX, XLSX, JPG, PNG)").set_input_files(
        files=[{"name": "Thuyết minh sáng kiến.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("link", name="Thuyết minh sáng kiến.pdf")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator(".badge-submitted")).to_have_text("Đã nộp")
    reference = Dossier.objects.get().reference
    assert re.fullmatch(rf"DKST-{open_campaign.year}-\d{{5}}", reference)
    screenshot(page, "journey-2-submitted")
    log_out(page)

    # The reviewer returns it with a reason.
    log_in(page, reviewer.email)
    page.get_by_role("link", name="Chờ xét duyệt").click()
    page.get_by_role("link", name="Ứng dụng mã QR tra cứu thông tin di tích Cố đô Huế").click()
    return_form = page.locator("form.action-form", has=page.get_by_role("heading", name="Trả lại để bổ sung"))
    return_form.get_by_role("button", name="Trả lại hồ sơ").click()
    expect(page.locator(".error-summary, .error").first).to_contain_text("Trường này là bắt buộc.")
    return_form = page.locator("form.action-form", has=page.get_by_role("heading", name="Trả lại để bổ sung"))
    return_form.get_by_label("Lý do").fill("Bổ sung số liệu lượt du khách có xác nhận của Trung tâm Bảo tồn.")
    return_form.get_by_role("button", name="Trả lại hồ sơ").click()
    expect(page.locator(".badge-returned")).to_have_text("Bị trả lại")
    screenshot(page, "journey-3-returned")
    log_out(page)

    # Staff sees the reason, fixes the dossier and resubmits.
    log_in(page, staff.email)
    page.goto(f"/dossiers/{Dossier.objects.get().pk}/")
    expect(page.get_by_role("note")).to_contain_text("Bổ sung số liệu lượt du khách")
    page.get_by_role("link", name="Sửa hồ sơ").click()
    page.get_by_label("Hiệu quả, lợi ích theo đánh giá của tác giả").fill(
        "Du khách hài lòng hơn; 48.000 lượt quét mã trong 6 tháng (có xác nhận)."
    )
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.get_by_role("button", name="Nộp lại hồ sơ").click()
    expect(page.locator(".badge-submitted")).to_have_text("Đã nộp")
    log_out(page)

    # The reviewer nominates it.
    log_in(page, reviewer.email)
    page.goto(f"/dossiers/{Dossier.objects.get().pk}/")
    page.get_by_role("button", name="Đề cử lên tỉnh").click()
    expect(page.locator(".badge-nominated")).to_have_text("Đề cử lên tỉnh")
    screenshot(page, "journey-4-nominated")

    dossier = Dossier.objects.get()
    assert dossier.status == Status.NOMINATED
    assert dossier.reference == reference
    assert [a.contribution_percent for a in dossier.authors.all()] == [60, 40]
    assert [change.to_status for change in status_changes(dossier)] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "nominated",
    ]
