# ruff: noqa: F811  (pytest fixtures imported from test_scoring are used as arguments)
"""The annual summaries as PDFs: the Decree 30 header, every Vietnamese diacritic intact in the
extracted text, and the counts the database holds."""

import unicodedata
from decimal import Decimal

import pytest

from councils.services import score_submit, sheet_open
from dksangtao.jobs import JobStatus
from reports import services
from reports.models import ReportKind
from submissions.models import Dossier, Status
from tests.councils.test_scoring import (  # noqa: F401
    assign,
    council,
    entry,
    scorer,
    scoring_campaign,
)
from tests.reports.conftest import pdf_text
from tests.submissions.conftest import CampaignFactory

pytestmark = pytest.mark.django_db

# Every vowel with every tone, both cases, and đ/Đ: the letters a Times-compatible font must carry.
LOWER = "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ đ"
DIACRITICS_TITLE = f"Kiểm tra dấu: {LOWER} {LOWER.upper()}"


def in_order(text: str, *parts: str, within: int = 400) -> bool:
    """The parts appear in this order, each within `within` characters of the one before: the cells
    of one table row, whatever the extraction put between them (wrapped cells, a page number)."""
    position = text.find(parts[0])
    for part in parts[1:]:
        if position < 0:
            return False
        found = text.find(part, position + 1, position + within + len(part))
        position = found
    return position >= 0


def last_year(dossier):
    """Move a dossier made in this year's window to the 2025 campaign (the services keep the dates)."""
    Dossier.objects.filter(pk=dossier.pk).update(campaign=CampaignFactory(year=2025))


def build(kind, campaign, unit, actor, capture) -> bytes:
    with capture(execute=True):
        job, _created = services.report_request(kind=kind, campaign=campaign, unit=unit, actor=actor)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job.file.read()


@pytest.fixture
def scored_entry(council, entry, secretary):
    """The council's entry from unit A, scored 90 and 80 by two members: 85, «Tốt»."""
    for n, (name, points) in enumerate([("Hoàng Văn Nam", Decimal("22.5")), ("Tôn Nữ Thảo Vy", Decimal(20))]):
        member = scorer(council, name, f"m{n}@example.vn")
        assignment = assign(council, entry, member, secretary)
        sheet = sheet_open(assignment=assignment)
        sheet.items.update(points=points)
        score_submit(assignment=assignment, actor=member.user)
    return entry


def test_the_unit_summary_covers_the_unit_and_its_children_with_the_councils_result(
    tmp_path,
    scoring_campaign,
    scored_entry,
    make_dossier,
    unit_a,
    unit_a_child,
    unit_b,
    staff,
    outsider,
    reviewer,
    django_capture_on_commit_callbacks,
):
    campaign = scoring_campaign
    make_dossier(unit_a, staff, Status.SUBMITTED, campaign=campaign)
    make_dossier(unit_a, staff, Status.RECOGNISED_AT_UNIT, campaign=campaign)
    make_dossier(unit_a, staff, Status.DRAFT, campaign=campaign)  # not counted: never submitted
    make_dossier(unit_a_child, staff, Status.NOMINATED, campaign=campaign, title=DIACRITICS_TITLE)
    make_dossier(unit_b, outsider, Status.SUBMITTED, campaign=campaign)  # another department's
    last_year(make_dossier(unit_a, staff, Status.SUBMITTED, campaign=campaign))

    content = build(ReportKind.UNIT_SUMMARY, campaign, unit_a, reviewer, django_capture_on_commit_callbacks)
    text = pdf_text(content, tmp_path)

    in_tree = Dossier.objects.filter(
        campaign=campaign, unit__in=[unit_a, unit_a_child], reference__isnull=False
    )
    assert in_tree.count() == 4
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "BÁO CÁO",
        "Kết quả tham gia phong trào thi đua «Đoàn kết sáng tạo» năm 2026",
        "Sở Khoa học và Công nghệ và 1 đơn vị trực thuộc",
        f"Số hồ sơ đã nộp {in_tree.count()}",
        f"Số hồ sơ đề cử lên tỉnh {in_tree.filter(status__in=['nominated', 'in_appraisal']).count()}",
        "Số hồ sơ được tôn vinh 0",
        # by status: total, nominated or later, awarded
        "Đã nộp 1 0 0",
        "Công nhận cấp đơn vị 1 0 0",
        "Đề cử lên tỉnh 1 1 0",
        "Đang thẩm định 1 1 0",
        "Tổng cộng 4 2 0",
        # by unit, the child unit included
        "Sở Khoa học và Công nghệ 3 1 0",
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ 1 1 0",
        "III. KHEN THƯỞNG, TÔN VINH Chưa có.",
        # year on year
        "2025 1 0 0",
        "2026 4 2 0",
        "NGƯỜI LẬP BÁO CÁO",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Trần Văn Hùng",
    ]:
        assert expected in text, expected
    # the council's result of the scored entry: the mean of 90 and 80, «Tốt»
    assert in_order(text, scored_entry.reference, " 85 ", "Tốt")
    assert unit_b.name not in text
    assert unicodedata.is_normalized("NFC", text)
    # Every letter intact and in order (a narrow cell may break the long test "words" over lines).
    assert DIACRITICS_TITLE.replace(" ", "") in text.replace(" ", "")


def test_the_province_summary_has_totals_years_top_initiatives_and_the_award_list(
    tmp_path,
    scoring_campaign,
    scored_entry,
    make_dossier,
    unit_a,
    unit_b,
    staff,
    outsider,
    front_admin,
    django_capture_on_commit_callbacks,
):
    campaign = scoring_campaign
    make_dossier(unit_a, staff, Status.SUBMITTED, campaign=campaign)
    make_dossier(unit_b, outsider, Status.SUBMITTED, campaign=campaign)
    make_dossier(unit_b, outsider, Status.WITHDRAWN, campaign=campaign)  # never submitted: not counted
    last_year(make_dossier(unit_b, outsider, Status.AWARDED, campaign=campaign))

    content = build(
        ReportKind.PROVINCE_SUMMARY, campaign, None, front_admin, django_capture_on_commit_callbacks
    )
    text = pdf_text(content, tmp_path)
    total = Dossier.objects.filter(campaign=campaign, reference__isnull=False).count()
    assert total == 3
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BAN THƯỜNG TRỰC",
        "Tổng kết phong trào thi đua «Đoàn kết sáng tạo» năm 2026",
        "trên địa bàn thành phố Huế",
        f"Số hồ sơ đã nộp {total}",
        "Số đơn vị có hồ sơ 2",
        "Sở Khoa học và Công nghệ 2 1 0",
        "Sở Giáo dục và Đào tạo 1 0 0",
        "Khoa học – công nghệ & chuyển đổi số 3 1 0",
        "2025 1 1 1",
        "2026 3 1 0",
        "III. CÁC SÁNG KIẾN TIÊU BIỂU",
        "IV. DANH SÁCH TÔN VINH «NGƯỜI VIỆT NAM ĐOÀN KẾT SÁNG TẠO»",
        "Chưa có danh sách tôn vinh được công bố.",
        "TM. BAN THƯỜNG TRỰC",
        "Đặng Quốc Bảo",
    ]:
        assert expected in text, expected
    assert in_order(text, "III. CÁC SÁNG KIẾN TIÊU BIỂU", f"1 {scored_entry.reference}", " 85 ", "Tốt")


def test_honours_list_the_awarded_dossiers(
    tmp_path, campaign, make_dossier, unit_a, staff, reviewer, front_admin, django_capture_on_commit_callbacks
):
    awarded = make_dossier(unit_a, staff, Status.AWARDED, title="Máy bóc vỏ hạt sen bán tự động")
    text = pdf_text(
        build(ReportKind.UNIT_SUMMARY, campaign, unit_a, reviewer, django_capture_on_commit_callbacks),
        tmp_path,
    )
    assert in_order(text, "III. KHEN THƯỞNG, TÔN VINH", awarded.reference, "Máy bóc vỏ hạt sen bán tự động")
    text = pdf_text(
        build(ReportKind.PROVINCE_SUMMARY, campaign, None, front_admin, django_capture_on_commit_callbacks),
        tmp_path,
    )
    assert in_order(text, "IV. DANH SÁCH TÔN VINH", awarded.reference, "Máy bóc vỏ hạt sen bán tự động")
    assert "hình thức, mức tôn vinh và tiền thưởng sẽ lấy từ danh sách tôn vinh được phê duyệt" in text
