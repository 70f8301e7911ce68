# ruff: noqa: F811  (pytest fixtures imported from other test modules are used as arguments)
"""Nothing private leaks: every public page, the API, the feed, the sitemap and the open-data files
are read by an anonymous visitor, and none holds a confidential section, a draft, a withdrawn record
or its reason, a ranked-but-not-honoured entry, a council member's name, a bank account, an author
who did not consent, or an unconfirmed application's contact — all planted below."""

import json

import pytest

from awards import services as award_services
from councils.models import CouncilMember
from public import services
from public.models import PublicRecord
from public.opendata import build_all
from submissions.models import Status
from tests.awards.test_award_list import DECISION, draft, run, second_admin, with_bank_details  # noqa: F401
from tests.awards.test_ranking import scored_entries  # noqa: F401
from tests.councils.test_progress import three  # noqa: F401
from tests.councils.test_scoring import council, scoring_campaign  # noqa: F401
from tests.public.conftest import CONFIDENTIAL

pytestmark = pytest.mark.django_db

SECRET_AUTHOR = "Tôn Thất Bí Ẩn"
DRAFT_TITLE = "Bản nháp tuyệt mật về cầu vượt sông Hương"
WITHDRAWN_TITLE = "Giải pháp đã gỡ vì trùng lặp nội dung"
WITHDRAWN_REASON = "Lý do gỡ nội bộ: tranh chấp quyền tác giả"
PENDING_CONTACT = "Người liên hệ chưa xác nhận 0999 888 777"


@pytest.fixture
def world(
    settings,
    tmp_path,
    draft,
    second_admin,
    scored_entries,
    make_record,
    make_dossier,
    unit_a,
    unit_b,
    staff,
    front_admin,
):
    settings.MEDIA_ROOT = tmp_path
    with_bank_details(draft)
    award_services.award_list_approve(award_list=draft, actor=second_admin)
    award_services.award_list_publish(award_list=draft, actor=second_admin, decision=DECISION)
    marked = make_record(
        title="Sổ tay điện tử sinh hoạt chi bộ",
        authors=[
            {
                "full_name": SECRET_AUTHOR,
                "date_of_birth": None,
                "workplace": "",
                "position": "",
                "qualification": "",
                "contribution_percent": 100,
            }
        ],
    )
    withdrawn = make_record(title=WITHDRAWN_TITLE)
    services.record_withdraw(public_record=withdrawn, actor=front_admin, reason=WITHDRAWN_REASON)
    make_dossier(unit_a, staff, title=DRAFT_TITLE, confidential_info=CONFIDENTIAL)
    services.application_record(
        public_record=marked,
        unit=unit_a,
        actor=staff,
        data={
            "applied_on": marked.published_at.date(),
            "scope": "Thử",
            "benefit_vnd": 1,
            "contact": PENDING_CONTACT,
        },
    )
    not_honoured = scored_entries["B"]
    members = [m.user.full_name for m in CouncilMember.objects.select_related("user")]
    assert members and PublicRecord.objects.filter(withdrawn_at__isnull=True).count() == 3
    build_all()
    return {
        "year": draft.campaign.year,
        "forbidden": [
            CONFIDENTIAL,
            SECRET_AUTHOR,
            DRAFT_TITLE,
            WITHDRAWN_TITLE,
            WITHDRAWN_REASON,
            PENDING_CONTACT,
            not_honoured.reference,
            not_honoured.title,
            "0123456789",  # the honourees' bank account
            "Vietcombank",
            *members,
        ],
    }


def public_urls(client, year) -> list[str]:
    records = list(PublicRecord.objects.filter(withdrawn_at__isnull=True).values_list("reference", flat=True))
    urls = [
        "/",
        "/co-so-du-lieu/",
        "/co-so-du-lieu/?q=so+hoa",
        "/co-so-du-lieu/?q=ban+nhap+cau+vuot",
        "/co-so-du-lieu/thong-ke/",
        "/giai-thuong/",
        f"/giai-thuong/{year}/",
        "/du-lieu-mo/",
        "/du-lieu-mo/co-so-du-lieu-sang-tao.csv",
        "/du-lieu-mo/co-so-du-lieu-sang-tao.xlsx",
        "/du-lieu-mo/co-so-du-lieu-sang-tao.json",
        "/api/v1/records/?page_size=100",
        "/api/v1/records/?q=ban+nhap",
        f"/api/v1/awards/{year}/",
        "/api/v1/statistics/",
        "/api/v1/schema/",
        "/tin-moi.atom",
        "/sitemap.xml",
        "/robots.txt",
    ]
    for reference in records:
        urls += [
            f"/co-so-du-lieu/{reference}/",
            f"/co-so-du-lieu/{reference}/ban-in/",
            f"/api/v1/records/{reference}/",
        ]
    return urls


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    text = content.decode("utf-8-sig")
    if response["Content-Type"].startswith("application/json"):
        text += json.dumps(json.loads(text), ensure_ascii=False)  # also the decoded \\u escapes
    return text


def test_no_public_page_file_or_api_answer_leaks_anything(client, world):
    walked = 0
    for url in public_urls(client, world["year"]):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body_text(response)
        for secret in world["forbidden"]:
            assert secret not in text, f"{secret!r} leaks through {url}"
        walked += 1
    assert walked >= 25


def test_the_planted_texts_are_really_there_to_be_leaked(world):
    """The guard above could pass by planting nothing: the secrets are in the database."""
    from submissions.models import Dossier

    assert Dossier.objects.filter(confidential_info=CONFIDENTIAL).count() >= 3
    assert Dossier.objects.filter(title=DRAFT_TITLE, status=Status.DRAFT).exists()
    assert PublicRecord.objects.filter(title=WITHDRAWN_TITLE, withdrawn_reason=WITHDRAWN_REASON).exists()
