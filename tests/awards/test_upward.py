# ruff: noqa: F811  (pytest fixtures imported from test_scoring are used as arguments)
"""Nomination upward (SPEC §5): a Front admin marks honoured or ranked entries for the central council
and the «Sách vàng», unmarks them, and exports each as a ZIP (the dossier PDF without section 5, the
attachments under their original names, the council's result without members' names)."""

import csv
import datetime as dt
import hashlib
import io
import shutil
import subprocess
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import UnitKind
from awards import upward
from awards.models import AwardList, Honouree, RankedEntry, RankingRun, UpwardNomination
from councils.services import score_submit, sheet_open
from dksangtao.jobs import JobStatus
from dksangtao.roles import Role
from submissions.models import Attachment, Field, Status
from tests.councils.test_scoring import assign, council, scorer, scoring_campaign  # noqa: F401
from tests.factories import UnitFactory, person_with_role
from tests.samples import PDF

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SECRET = "Tỷ lệ phối trộn men vi sinh bí mật: 3 phần cám, 1 phần rỉ mật."
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 200


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add_attachment(dossier, name: str, content: bytes, uploader) -> Attachment:
    file_type = name.rsplit(".", 1)[-1].lower()
    stored = f"{uuid.uuid4().hex}.{file_type}"
    attachment = Attachment(
        dossier=dossier,
        stored_name=stored,
        original_name=name,
        file_type=file_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=uploader,
    )
    attachment.file.save(stored, ContentFile(content), save=False)
    attachment.save()
    return attachment


def ranking_run(campaign, ranked: list) -> RankingRun:
    """A finished run with the given (dossier, score, class) rows in rank order."""
    run = RankingRun.objects.create(
        campaign=campaign,
        status=JobStatus.DONE,
        progress=100,
        inputs_hash="a" * 64,
        entry_count=len(ranked),
        finished_at=timezone.now(),
    )
    for rank, (dossier, score, classification) in enumerate(ranked, start=1):
        RankedEntry.objects.create(
            run=run,
            dossier=dossier,
            rank=rank,
            score=Decimal(score),
            novelty=Decimal(25),
            effectiveness=Decimal(20),
            submitted_at=dossier.submitted_at,
            classification=classification,
            sheets=3,
        )
    return run


def award_list_of(campaign, run, honoured: list, admin, status=AwardList.Status.PUBLISHED) -> AwardList:
    published = status == AwardList.Status.PUBLISHED
    award_list = AwardList.objects.create(
        campaign=campaign,
        run=run,
        title=f"Danh sách tôn vinh «Người Việt Nam đoàn kết sáng tạo» năm {campaign.year}",
        decision="Quyết định số 45/QĐ-MTTQ-BTT ngày 20/8/2026",
        status=status,
        drafted_by=admin,
        published_by=admin if published else None,
        published_at=timezone.now() if published else None,
    )
    for position, dossier in enumerate(honoured, start=1):
        authors = [a.full_name for a in dossier.authors.all()]
        Honouree.objects.create(
            award_list=award_list,
            dossier=dossier,
            position=position,
            kind=Honouree.Kind.INDIVIDUAL if len(authors) == 1 else Honouree.Kind.COLLECTIVE,
            name=authors[0] if len(authors) == 1 else "Tập thể tác giả: " + ", ".join(authors),
            unit_name=dossier.unit.name,
            honour="Tôn vinh «Người Việt Nam đoàn kết sáng tạo» — loại Xuất sắc",
            classification="excellent",
            score=Decimal("92.5"),
            prize_amount=10_000_000,
            certificate_number=f"{position:03d}/GCN-ĐKST-{campaign.year}" if published else "",
        )
    return award_list


ONE_AUTHOR = [
    {
        "full_name": "Hồ Thị Phương Thảo",
        "date_of_birth": dt.date(1985, 2, 14),
        "workplace": "Trường THPT Nguyễn Huệ",
        "position": "Giáo viên",
        "qualification": "Thạc sĩ Giáo dục học",
        "contribution_percent": 100,
    }
]


@pytest.fixture
def year(campaign, make_dossier, unit_a, staff, front_admin):
    """The 2026 campaign after publication: two honourees (one per field), one ranked entry not
    honoured, and a draft that was never ranked."""
    irrigation = make_dossier(
        unit_a,
        staff,
        Status.AWARDED,
        title="Hệ thống tưới nhỏ giọt tiết kiệm nước cho vườn thanh trà Thủy Biều",
        summary="Tưới nhỏ giọt điều khiển bằng cảm biến độ ẩm; giảm 40% lượng nước, tăng năng suất.",
        economic_benefit_vnd=120_000_000,
        benefits_by_author="Tiết kiệm nước, công lao động; quả đều, ngọt hơn.",
        benefits_by_others="Hợp tác xã nông nghiệp Thủy Biều xác nhận hiệu quả qua hai vụ.",
        confidential_info=SECRET,
    )
    lessons = make_dossier(
        unit_a,
        staff,
        Status.AWARDED,
        title="Học liệu số «Em yêu lịch sử Huế» cho học sinh trung học",
        summary="Kho bài giảng tương tác về di sản Cố đô, dùng chung cho các trường.",
        economic_benefit_vnd=35_500_000,
        authors=ONE_AUTHOR,
    )
    lessons.field = Field.objects.get(code="giao-duc")  # make_dossier fills in the campaign's field
    lessons.save(update_fields=["field"])
    ranked = make_dossier(unit_a, staff, Status.NOT_AWARDED, title="Phần mềm quản lý kho thuốc đông y")
    draft = make_dossier(unit_a, staff, Status.DRAFT, title="Bản nháp chưa nộp")
    run = ranking_run(
        campaign, [(irrigation, "92.5", "excellent"), (lessons, "88", "good"), (ranked, "61", "pass")]
    )
    award_list = award_list_of(campaign, run, [irrigation, lessons], front_admin)
    return SimpleNamespace(
        campaign=campaign,
        irrigation=irrigation,
        lessons=lessons,
        ranked=ranked,
        draft=draft,
        run=run,
        award_list=award_list,
    )


def mark(client, campaign, dossier, target="central", note=""):
    return client.post(
        reverse("awards:upward_mark"),
        {"campaign": campaign.year, "dossier": dossier.pk, "target": target, "note": note},
    )


def pdf_text(content: bytes, tmp_path, name="ho-so.pdf") -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


# Marking -----------------------------------------------------------------------------------------


def test_a_front_admin_marks_lists_and_unmarks_entries(client, year, front_admin):
    client.force_login(front_admin)
    page = client.get(reverse("awards:upward"), {"campaign": 2026})
    assert page.status_code == 200
    body = page.content.decode()
    for dossier in (year.irrigation, year.lessons, year.ranked):
        assert dossier.reference in body
    assert year.draft.title not in body

    response = mark(client, year.campaign, year.irrigation, "central", "Đề nghị xét Giải thưởng Trung ương.")
    assert response.status_code == 302
    assert mark(client, year.campaign, year.irrigation, "golden_book").status_code == 302
    assert mark(client, year.campaign, year.ranked, "golden_book").status_code == 302  # ranked, not honoured
    marks = set(UpwardNomination.objects.values_list("dossier_id", "target"))
    assert marks == {
        (year.irrigation.pk, "central"),
        (year.irrigation.pk, "golden_book"),
        (year.ranked.pk, "golden_book"),
    }
    nomination = UpwardNomination.objects.get(dossier=year.irrigation, target="central")
    assert (nomination.note, nomination.marked_by) == ("Đề nghị xét Giải thưởng Trung ương.", front_admin)

    body = client.get(reverse("awards:upward"), {"campaign": 2026}).content.decode()
    assert "Đề nghị xét Giải thưởng Trung ương." in body
    assert 'Sách vàng Sáng tạo Việt Nam <span class="muted">(2)</span>' in body

    response = client.post(reverse("awards:upward_unmark", args=[nomination.pk]))
    assert response.status_code == 302
    assert not UpwardNomination.objects.filter(pk=nomination.pk).exists()
    assert UpwardNomination.objects.count() == 2


@pytest.mark.parametrize(
    ("target", "status", "message"),
    [
        ("provincial", 400, "Nơi đề cử không hợp lệ"),
        ("", 400, "Vui lòng chọn nơi đề cử"),
    ],
)
def test_an_unknown_target_is_refused_and_nothing_is_marked(
    client, year, front_admin, target, status, message
):
    client.force_login(front_admin)
    response = mark(client, year.campaign, year.irrigation, target)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not UpwardNomination.objects.exists()


def test_only_ranked_entries_of_the_campaign_can_be_marked_and_only_once(client, year, front_admin):
    client.force_login(front_admin)
    response = mark(client, year.campaign, year.draft)
    assert response.status_code == 409
    assert "Chỉ đề cử hồ sơ đã được xếp hạng hoặc được tôn vinh trong đợt này." in response.content.decode()
    assert mark(client, year.campaign, year.irrigation).status_code == 302
    response = mark(client, year.campaign, year.irrigation)
    assert response.status_code == 409
    assert "đã được đề cử lên Hội đồng của Ủy ban Trung ương MTTQ Việt Nam" in response.content.decode()
    response = client.post(
        reverse("awards:upward_mark"), {"campaign": 2026, "dossier": "abc", "target": "central"}
    )
    assert response.status_code == 400
    assert UpwardNomination.objects.count() == 1


def test_a_target_zip_with_a_bad_target_or_nothing_marked_is_refused(client, year, front_admin):
    client.force_login(front_admin)
    response = client.post(reverse("awards:upward_target_zip", args=[2026, "provincial"]))
    assert response.status_code == 400
    assert "Nơi đề cử không hợp lệ" in response.content.decode()
    response = client.post(reverse("awards:upward_target_zip", args=[2026, "golden_book"]))
    assert response.status_code == 400
    assert "Chưa có hồ sơ nào được đề cử lên Sách vàng Sáng tạo Việt Nam." in response.content.decode()


@pytest.mark.parametrize("person", ["staff", "reviewer", "outsider", "council_member"])
def test_anyone_but_a_front_admin_is_refused_even_guessing_ids(client, request, year, front_admin, person):
    nomination = UpwardNomination.objects.create(
        campaign=year.campaign, dossier=year.irrigation, target="central", marked_by=front_admin
    )
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("awards:upward")).status_code == 403
    assert mark(client, year.campaign, year.lessons).status_code == 403
    assert client.post(reverse("awards:upward_unmark", args=[nomination.pk])).status_code == 403
    assert client.post(reverse("awards:upward_zip", args=[nomination.pk])).status_code == 403
    assert client.post(reverse("awards:upward_target_zip", args=[2026, "central"])).status_code == 403
    assert client.post(reverse("awards:upward_zip", args=[nomination.pk + 999])).status_code == 403
    assert list(UpwardNomination.objects.values_list("pk", flat=True)) == [nomination.pk]


def test_a_visitor_is_sent_to_log_in_and_a_front_admin_gets_404_for_an_unknown_id(client, year, front_admin):
    response = client.get(reverse("awards:upward"))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert mark(client, year.campaign, year.irrigation).status_code == 302
    assert not UpwardNomination.objects.exists()
    client.force_login(front_admin)
    assert client.post(reverse("awards:upward_zip", args=[12345])).status_code == 404
    assert client.post(reverse("awards:upward_unmark", args=[12345])).status_code == 404
    assert client.get(reverse("awards:upward"), {"campaign": 1999}).status_code == 404


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_entries(
    client, campaign, make_dossier, unit_a, staff, front_admin
):
    """Session and user, the roles, the campaigns, then the candidates (published list ×2, the run,
    honourees, marks, entries with dossier, unit and field) and the marked lists: the same count for
    one entry as for four."""
    client.force_login(front_admin)
    dossiers = [make_dossier(unit_a, staff, Status.RANKED) for _ in range(4)]
    run = ranking_run(campaign, [(dossiers[0], "90", "excellent")])
    award_list_of(campaign, run, [dossiers[0]], front_admin)
    url = reverse("awards:upward") + "?campaign=2026"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the first request caches the person's memberships (accounts.selectors)
    one = count()
    for rank, dossier in enumerate(dossiers[1:], start=2):
        RankedEntry.objects.create(
            run=run,
            dossier=dossier,
            rank=rank,
            score=Decimal(80),
            submitted_at=dossier.submitted_at,
            classification="good",
            sheets=3,
        )
        UpwardNomination.objects.create(
            campaign=campaign, dossier=dossier, target="central", marked_by=front_admin
        )
    assert count() == one


# The ZIPs ----------------------------------------------------------------------------------------


def test_the_entry_zip_holds_the_dossier_pdf_attachments_and_result_without_section_5(
    client, year, front_admin, staff, tmp_path
):
    add_attachment(year.irrigation, "Thuyết minh sáng kiến.pdf", PDF, staff)
    add_attachment(year.irrigation, "Ảnh vườn thanh trà.png", b"\x89PNG\r\n\x1a\nfirst", staff)
    add_attachment(year.irrigation, "Ảnh vườn thanh trà.png", b"\x89PNG\r\n\x1a\nsecond", staff)
    add_attachment(year.irrigation, "../../etc/Bảng tính hiệu quả.xlsx", b"PK\x03\x04xlsx", staff)
    UpwardNomination.objects.create(
        campaign=year.campaign,
        dossier=year.irrigation,
        target="central",
        note="Nội bộ",
        marked_by=front_admin,
    )
    nomination = UpwardNomination.objects.get()
    client.force_login(front_admin)
    assert client.get(reverse("awards:upward_zip", args=[nomination.pk])).status_code == 405
    assert UpwardNomination.objects.get().exported_at is None  # a GET writes nothing
    response = client.post(reverse("awards:upward_zip", args=[nomination.pk]))
    assert response.status_code == 200
    assert UpwardNomination.objects.get().exported_at is not None
    assert response["Content-Type"] == "application/zip"
    assert f"de-cu-central-{year.irrigation.reference}.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = year.irrigation.reference
    assert sorted(archive.namelist()) == sorted(
        [
            f"{folder}/Hồ sơ sáng kiến.pdf",
            f"{folder}/Kết quả thẩm định của Hội đồng.csv",
            f"{folder}/Tệp đính kèm/Thuyết minh sáng kiến.pdf",
            f"{folder}/Tệp đính kèm/Ảnh vườn thanh trà.png",
            f"{folder}/Tệp đính kèm/Ảnh vườn thanh trà (2).png",
            f"{folder}/Tệp đính kèm/Bảng tính hiệu quả.xlsx",
        ]
    )
    assert archive.read(f"{folder}/Tệp đính kèm/Thuyết minh sáng kiến.pdf") == PDF
    assert archive.read(f"{folder}/Tệp đính kèm/Ảnh vườn thanh trà (2).png").endswith(b"second")

    pdf = archive.read(f"{folder}/Hồ sơ sáng kiến.pdf")
    text = pdf_text(pdf, tmp_path)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "HỒ SƠ SÁNG KIẾN",
        year.irrigation.title,
        year.irrigation.reference,
        "1. Thông tin chung",
        "2. Chủ đầu tư và tác giả",
        "3. Nội dung sáng kiến",
        "4. Hiệu quả, lợi ích",
        "Nguyễn Văn Bình",
        "Trần Thị Ngọc Ánh",
        "12/04/1980",
        "60%",
        "120.000.000 đ",
        "Hợp tác xã nông nghiệp Thủy Biều xác nhận hiệu quả qua hai vụ.",
        "Thuyết minh sáng kiến.pdf",
    ]:
        assert expected in text, expected
    assert SECRET not in text
    assert "phối trộn" not in text
    assert "Nội bộ" not in text  # the note stays in the portal

    result = archive.read(f"{folder}/Kết quả thẩm định của Hội đồng.csv").decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(result)))
    values = dict(zip(header, row, strict=True))
    assert values["Số hồ sơ"] == year.irrigation.reference
    assert values["Điểm"] == "92,5"
    assert values["Xếp loại"] == "Xuất sắc"
    assert values["Số phiếu chấm đã nộp"] == "3"
    assert values["Thứ hạng"] == "1"
    assert SECRET not in result
    assert values["Hình thức tôn vinh"].startswith("Tôn vinh «Người Việt Nam đoàn kết sáng tạo»")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "ho-so.pdf"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(SCREENSHOTS / "upward-dossier-pdf"),
        ],
        check=True,
    )


def test_the_dossier_pdf_is_issued_by_its_unit_under_its_parent_unit_never_under_the_front(
    make_dossier, unit_b, outsider, tmp_path
):
    """A department heads its own dossier with nothing above it (it is not under the Front); a school
    under the Department of Education has the department above it."""
    department = make_dossier(unit_b, outsider)
    text = pdf_text(upward.dossier_pdf(department), tmp_path)
    assert text.startswith("SỞ GIÁO DỤC VÀ ĐÀO TẠO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), text[:200]
    assert "MTTQ" not in text and "MẶT TRẬN" not in text.upper()

    school = UnitFactory(
        name="Trường THPT chuyên Quốc Học Huế",
        code="thpt-quoc-hoc",
        kind=UnitKind.PUBLIC_SERVICE,
        parent=unit_b,
    )
    teacher = person_with_role(Role.UNIT_STAFF, school, full_name="Lê Văn Minh", email="minh@example.vn")
    text = pdf_text(upward.dossier_pdf(make_dossier(school, teacher)), tmp_path)
    assert text.startswith("SỞ GIÁO DỤC VÀ ĐÀO TẠO TRƯỜNG THPT CHUYÊN QUỐC HỌC HUẾ"), text[:200]
    assert "MTTQ" not in text and "MẶT TRẬN" not in text.upper()


def test_the_council_result_comes_from_the_council_without_members_names(
    client,
    council,
    make_dossier,
    unit_a,
    staff,
    secretary,
    front_admin,
    tmp_path,
):
    dossier = make_dossier(unit_a, staff, Status.IN_APPRAISAL, campaign=council.campaign)
    members = [
        scorer(council, name, f"m{n}@example.vn")
        for n, name in enumerate(["Hoàng Văn Nam", "Tôn Nữ Thảo Vy"])
    ]
    for member, points in zip(members, [Decimal("22.5"), Decimal(20)], strict=True):
        assignment = assign(council, dossier, member, secretary)
        sheet = sheet_open(assignment=assignment)
        sheet.items.update(points=points)
        score_submit(assignment=assignment, actor=member.user)
    ranking_run(council.campaign, [(dossier, "85", "good")])
    nomination = UpwardNomination.objects.create(
        campaign=council.campaign, dossier=dossier, target="golden_book", marked_by=front_admin
    )
    out = io.BytesIO()
    upward.nomination_zip(nomination, out)
    archive = zipfile.ZipFile(out)
    result = archive.read(f"{dossier.reference}/Kết quả thẩm định của Hội đồng.csv").decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(result)))
    values = dict(zip(header, row, strict=True))
    assert (values["Điểm"], values["Xếp loại"], values["Số phiếu chấm đã nộp"]) == ("85", "Tốt", "2")
    assert values["Số thành viên được phân công"] == "2"
    everything = result + pdf_text(archive.read(f"{dossier.reference}/Hồ sơ sáng kiến.pdf"), tmp_path)
    for name in ["Hoàng Văn Nam", "Tôn Nữ Thảo Vy", "Võ Thị Thu", "Phạm Minh Tuấn"]:
        assert name not in everything


def test_the_target_zip_holds_a_folder_per_marked_entry_and_their_list(client, year, front_admin, staff):
    add_attachment(year.lessons, "Kịch bản bài giảng.docx", b"PK\x03\x04docx", staff)
    for dossier in (year.irrigation, year.lessons):
        UpwardNomination.objects.create(
            campaign=year.campaign, dossier=dossier, target="golden_book", marked_by=front_admin
        )
    UpwardNomination.objects.create(
        campaign=year.campaign, dossier=year.ranked, target="central", marked_by=front_admin
    )
    client.force_login(front_admin)
    response = client.post(reverse("awards:upward_target_zip", args=[2026, "golden_book"]))
    assert response.status_code == 200
    assert "de-cu-golden_book-2026.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    for dossier in (year.irrigation, year.lessons):
        assert f"{dossier.reference}/Hồ sơ sáng kiến.pdf" in names
        assert f"{dossier.reference}/Kết quả thẩm định của Hội đồng.csv" in names
    assert f"{year.lessons.reference}/Tệp đính kèm/Kịch bản bài giảng.docx" in names
    assert not any(name.startswith(year.ranked.reference) for name in names)  # marked for the other target
    listing = archive.read("Danh sách hồ sơ đề cử.csv").decode("utf-8-sig")
    assert year.irrigation.title in listing and year.lessons.title in listing


def test_zip_names_are_safe_and_deduplicated():
    used: set[str] = set()
    assert upward.unique_name(upward.safe_name("../../etc/passwd"), used) == "passwd"
    assert upward.unique_name(upward.safe_name("C:\\Users\\Bản vẽ.pdf"), used) == "Bản vẽ.pdf"
    assert upward.unique_name("bản vẽ.PDF", used) == "bản vẽ (2).PDF"
    assert upward.unique_name("Bản vẽ.pdf", used) == "Bản vẽ (3).pdf"
    assert upward.safe_name('a<b>:"c"?.pdf') == "a_b___c__.pdf"
    assert upward.safe_name("...") == "tep"


def test_once_exported_a_mark_stays(client, year, front_admin):
    client.force_login(front_admin)
    mark(client, year.campaign, year.irrigation, "central", "Gửi Ban Thường trực Trung ương.")
    nomination = UpwardNomination.objects.get()
    assert client.post(reverse("awards:upward_zip", args=[nomination.pk])).status_code == 200
    nomination.refresh_from_db()
    assert nomination.exported_by == front_admin and nomination.exported_at is not None
    response = client.post(reverse("awards:upward_unmark", args=[nomination.pk]), follow=True)
    assert "Hồ sơ đã được xuất để gửi lên ngày" in response.content.decode()
    assert UpwardNomination.objects.filter(pk=nomination.pk).exists()
