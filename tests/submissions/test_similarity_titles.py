"""A long summary must not hide a near-identical title from the novelty check."""

import pytest

from submissions.models import Status
from submissions.selectors import similar_dossiers

pytestmark = pytest.mark.django_db

LONG_SUMMARY = " ".join(
    [
        "Đơn vị đã khảo sát quy trình tiếp nhận, luân chuyển và trả kết quả tại mười hai xã, phường;",
        "xây dựng phần mềm chạy trên máy chủ của tỉnh, kết nối cơ sở dữ liệu dân cư và dịch vụ công;",
        "tập huấn cho cán bộ một cửa, hướng dẫn người dân nộp hồ sơ trực tuyến và tra cứu kết quả;",
        "sau một năm, thời gian giải quyết trung bình giảm từ năm ngày xuống hai ngày, không còn trễ hạn.",
    ]
)


def test_a_near_identical_title_is_found_even_behind_a_long_summary(
    make_dossier, unit_a, unit_b, staff, outsider
):
    earlier = make_dossier(
        unit_b,
        outsider,
        Status.SUBMITTED,
        title="Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử cấp xã",
        summary=LONG_SUMMARY,
    )
    title = "Ung dung phan mem quan ly ho so mot cua dien tu cap xa"
    summary = "Phần mềm giúp xã tiếp nhận hồ sơ."
    text_only = similar_dossiers(f"{title} {summary}")
    with_title = similar_dossiers(f"{title} {summary}", title=title)
    # Title and summary together, the long summary dilutes the match…
    assert [item.percent for item in text_only if item.dossier == earlier] < [50]
    # …while titles compared on their own show it for what it is.
    assert [(item.dossier, item.percent) for item in with_title] == [(earlier, 100)]
