# ruff: noqa: F811  (pytest fixtures imported from test_scoring are used as arguments)
"""The minutes PDF: Vietnamese administrative form with every diacritic intact, the figures the
database holds, and only for the secretary and the chair."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from councils.services import score_submit, sheet_open
from tests.councils.test_scoring import assign, council, entry, scorer, scoring_campaign  # noqa: F401

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "bien-ban.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())  # cells wrap over lines; compare words in reading order


def test_the_minutes_carry_the_header_members_and_results(client, council, entry, secretary, chair, tmp_path):  # noqa: F811
    members = [
        scorer(council, name, f"m{n}@example.vn")
        for n, name in enumerate(["Hoàng Văn Nam", "Tôn Nữ Thảo Vy"])
    ]
    for member, points in zip(members, [Decimal("22.5"), Decimal(20)], strict=True):
        assignment = assign(council, entry, member, secretary)
        sheet = sheet_open(assignment=assignment)
        sheet.items.update(points=points)
        score_submit(assignment=assignment, actor=member.user)
    client.force_login(chair)
    response = client.get(reverse("councils:minutes"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.getvalue(), tmp_path)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "Họp Hội đồng thẩm định sáng tạo",
        "Hoàng Văn Nam: 90",
        "Tôn Nữ Thảo Vy: 80",
        entry.reference,
        "85",  # the mean of 90 and 80
        "Tốt",
        "CHỦ TỊCH HỘI ĐỒNG",
        "Võ Thị Thu",
        "Phạm Minh Tuấn",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize("person", ["staff", "council_member", "front_admin"])
def test_only_the_secretary_and_the_chair_download_the_minutes(client, request, council, person):  # noqa: F811
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("councils:minutes")).status_code == 403
