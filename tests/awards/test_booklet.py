# ruff: noqa: F811  (fixtures imported from test_upward are used as arguments)
"""The booklet «Gương người Việt đoàn kết sáng tạo»: cover, foreword, a page per honouree of the
published list (with the portrait if uploaded), the index by field with page numbers; public once the
list is published, a preview for Front admins before. Portraits: JPG/PNG checked by content, ≤ 5 MB,
stored under MEDIA_ROOT and served only to Front admins."""

import io
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image, ImageDraw

from awards import booklet
from awards.models import AwardList, AwardPolicy, Honouree, Portrait
from submissions.models import Status
from tests.awards.test_upward import (  # noqa: F401
    ELF,
    PDF,
    SCREENSHOTS,
    SECRET,
    award_list_of,
    media_root,
    ranking_run,
    year,
)

pytestmark = pytest.mark.django_db


def portrait(fmt: str = "PNG", size=(300, 400)) -> bytes:
    """A head-and-shoulders drawing, enough to see where the photo lands on the page."""
    image = Image.new("RGB", size, (214, 226, 240))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.1, h * 0.62, w * 0.9, h * 1.25), fill=(40, 60, 110))
    draw.ellipse((w * 0.3, h * 0.2, w * 0.7, h * 0.58), fill=(236, 196, 160))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def pages_of(content: bytes, tmp_path, name="booklet.pdf") -> list[str]:
    """The PDF's text, one string per page (pdftotext separates pages with form feeds)."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")][:-1]


def portrait_of(honouree) -> Portrait | None:
    return Portrait.objects.filter(honouree=honouree).first()


def photo_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def upload(client, honouree, name, content):
    return client.post(
        reverse("awards:honouree_photo_upload", args=[honouree.pk]), {"photo": photo_upload(name, content)}
    )


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# The PDF -----------------------------------------------------------------------------------------


def test_the_booklet_has_a_cover_foreword_a_page_per_honouree_and_an_index(
    client, year, front_admin, media_root, tmp_path
):
    AwardPolicy.objects.update_or_create(
        campaign=year.campaign, defaults={"booklet_title": "Gương người Việt Nam đoàn kết sáng tạo"}
    )
    first, second = year.award_list.honourees.order_by("position")
    booklet.honouree_portrait_set(
        honouree=second, upload=photo_upload("chân dung.jpg", portrait("JPEG")), actor=front_admin
    )

    response = client.get(reverse("awards_public:booklet", args=[2026]))  # public: the list is published
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "guong-nguoi-viet-doan-ket-sang-tao-2026.pdf" in response["Content-Disposition"]
    pages = pages_of(response.getvalue(), tmp_path)
    assert len(pages) == 5  # cover, foreword, two honourees, index

    cover, foreword, page_1, page_2, index = pages
    for expected in [
        "GƯƠNG NGƯỜI VIỆT NAM ĐOÀN KẾT SÁNG TẠO",
        "Năm 2026",
        "ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ HUẾ",
        "Thành phố Huế, 2026",
    ]:
        assert expected in cover, expected
    assert "Lời giới thiệu".upper() in foreword
    assert (
        "giới thiệu 2 cá nhân, tập thể được tôn vinh «Người Việt Nam đoàn kết sáng tạo» năm 2026" in foreword
    )
    assert "Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/2026" in foreword

    for page, honouree in ((page_1, first), (page_2, second)):
        dossier = honouree.dossier
        for expected in [
            honouree.name,
            honouree.unit_name,
            dossier.title,
            dossier.summary,
            dossier.benefits_by_author,
            dossier.field.name,
            "Tôn vinh «Người Việt Nam đoàn kết sáng tạo» — loại Xuất sắc",
        ]:
            assert expected in page, (expected, page)
    assert "Tập thể tác giả: Nguyễn Văn Bình, Trần Thị Ngọc Ánh" in page_1
    assert "Lợi ích kinh tế: 120.000.000 đ mỗi năm" in page_1
    assert "Hợp tác xã nông nghiệp Thủy Biều xác nhận hiệu quả qua hai vụ." in page_1
    assert "Hồ Thị Phương Thảo" in page_2 and "35.500.000 đ" in page_2
    assert "Gương người Việt Nam đoàn kết sáng tạo 2026" in page_1  # the running title

    assert SECRET not in " ".join(pages)  # section 5 never leaves the dossier
    assert "MỤC LỤC THEO LĨNH VỰC" in index
    # Fields in their order (Giáo dục 4th, KH-CN 6th), each honouree with the page its story starts on.
    assert index.index("Giáo dục – đào tạo") < index.index("Khoa học – công nghệ & chuyển đổi số")
    assert re.search(r"Hồ Thị Phương Thảo — Sở Khoa học và Công nghệ[ .]*4\b", index), index
    assert re.search(r"Trần Thị Ngọc Ánh — Sở Khoa học và Công nghệ[ .]*3\b", index), index

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "booklet.pdf"
    for number, name in ((1, "booklet-1-cover"), (4, "booklet-2-honouree"), (5, "booklet-3-index")):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(source),
                str(SCREENSHOTS / name),
            ],
            check=True,
        )


def test_before_publication_only_front_admins_get_a_preview(
    client, year, front_admin, staff, outsider, tmp_path
):
    AwardList.objects.filter(pk=year.award_list.pk).update(
        status=AwardList.Status.APPROVED, published_at=None
    )
    url = reverse("awards_public:booklet", args=[2026])
    assert client.get(url).status_code == 404
    for person in (staff, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(front_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    cover = pages_of(response.getvalue(), tmp_path)[0]
    assert "BẢN XEM TRƯỚC — DANH SÁCH CHƯA CÔNG BỐ" in cover.upper()
    assert client.get(reverse("awards_public:booklet", args=[2031])).status_code == 404


# Portraits ---------------------------------------------------------------------------------------


def test_a_front_admin_uploads_replaces_views_and_removes_a_portrait(
    client, year, front_admin, media_root, django_capture_on_commit_callbacks
):
    honouree = year.award_list.honourees.first()
    client.force_login(front_admin)
    page = client.get(reverse("awards:booklet_photos", args=[2026]))
    assert page.status_code == 200
    assert honouree.name in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, honouree, "Ảnh chân dung.PNG", portrait()).status_code == 302
    first = portrait_of(honouree).file.name
    assert re.fullmatch(r"awards/portraits/[0-9a-f]{32}\.png", first)  # a random name, not the upload's
    assert portrait_of(honouree).original_name == "Ảnh chân dung.PNG"
    assert stored_files(media_root) == [media_root / first]
    response = client.get(reverse("awards:honouree_photo", args=[honouree.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == portrait()
    assert (
        f'src="{reverse("awards:honouree_photo", args=[honouree.pk])}"'
        in client.get(reverse("awards:booklet_photos", args=[2026])).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, honouree, "moi.jpeg", portrait("JPEG")).status_code == 302
    assert portrait_of(honouree).file.name.endswith(".jpg")
    assert stored_files(media_root) == [media_root / portrait_of(honouree).file.name]  # the old one is gone

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:honouree_photo_remove", args=[honouree.pk]))
    assert response.status_code == 302
    assert portrait_of(honouree) is None
    assert stored_files(media_root) == []
    assert client.get(reverse("awards:honouree_photo", args=[honouree.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("chan-dung.jpg", b"", "tệp đang trống"),
        ("chan-dung.jpg", ELF, "không phải JPG"),
        ("chan-dung.png", "Đây là một tệp văn bản.".encode(), "không phải PNG"),
        ("chan-dung.jpg", portrait("PNG"), "không phải JPG"),
        ("ho-so.pdf", PDF, "chỉ nhận JPG hoặc PNG"),
        ("chan-dung", portrait("PNG"), "chỉ nhận JPG hoặc PNG"),
        ("hong.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 300, "bị hỏng hoặc không đọc được"),
    ],
)
def test_a_bad_portrait_is_refused_with_the_reason_and_nothing_is_stored(
    client, year, front_admin, media_root, name, content, message
):
    honouree = year.award_list.honourees.first()
    client.force_login(front_admin)
    response = upload(client, honouree, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert portrait_of(honouree) is None
    assert stored_files(media_root) == []


def test_a_portrait_over_5_mb_is_refused(year, front_admin, media_root):
    honouree = year.award_list.honourees.first()
    big = portrait() + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(booklet.ActionRefused, match="lớn hơn 5 MB"):
        booklet.honouree_portrait_set(
            honouree=honouree, upload=photo_upload("lon.png", big), actor=front_admin
        )
    assert stored_files(media_root) == []


@pytest.mark.parametrize("person", ["staff", "reviewer", "outsider", "council_member"])
def test_only_front_admins_see_and_change_portraits(client, request, year, front_admin, media_root, person):
    honouree = year.award_list.honourees.first()
    booklet.honouree_portrait_set(
        honouree=honouree, upload=photo_upload("a.png", portrait()), actor=front_admin
    )
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("awards:booklet_photos", args=[2026])).status_code == 403
    assert client.get(reverse("awards:honouree_photo", args=[honouree.pk])).status_code == 403
    assert upload(client, honouree, "b.png", portrait()).status_code == 403
    assert client.post(reverse("awards:honouree_photo_remove", args=[honouree.pk])).status_code == 403
    assert client.get(reverse("awards:honouree_photo", args=[honouree.pk + 999])).status_code == 403
    assert portrait_of(honouree).file.name.endswith(".png") and len(stored_files(media_root)) == 1


def test_a_visitor_gets_no_portrait_and_a_front_admin_404_for_an_unknown_honouree(client, year, front_admin):
    honouree = year.award_list.honourees.first()
    response = client.get(reverse("awards:honouree_photo", args=[honouree.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(front_admin)
    assert client.get(reverse("awards:honouree_photo", args=[honouree.pk + 999])).status_code == 404
    assert upload(client, Honouree(pk=honouree.pk + 999), "a.png", portrait()).status_code == 404


def test_the_portrait_page_reads_a_fixed_number_of_queries_whatever_the_honourees(
    client, campaign, make_dossier, unit_a, staff, front_admin
):
    """Session and user, the roles, the campaigns, the published list, its honourees with their
    dossiers: the same count for one honouree as for four."""
    client.force_login(front_admin)
    url = reverse("awards:booklet_photos", args=[2026])
    assert "chưa có danh sách tôn vinh" in client.get(url).content.decode()
    dossiers = [make_dossier(unit_a, staff, Status.AWARDED) for _ in range(4)]
    run = ranking_run(campaign, [(d, "90", "excellent") for d in dossiers])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    award_list = award_list_of(campaign, run, dossiers[:1], front_admin)
    one = count()
    award_list.delete()
    award_list_of(campaign, run, dossiers, front_admin)
    assert count() == one
