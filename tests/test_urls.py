"""One URL language per audience: staff pages under English paths (/dossiers/, /council/, /awards/,
/fund/, /reports/, /audit/), public pages under Vietnamese ones (/giai-thuong/). The fund's old
Vietnamese paths and the booklet's old staff path lead to the new ones."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/fund/thu/ngan-sach/", "/fund/receipts/budget/"),
        ("/fund/chi/giai-thuong/", "/fund/payments/prizes/"),
        ("/fund/cho-duyet/", "/fund/approvals/"),
        ("/fund/chung-tu/42/", "/fund/transactions/42/"),
        ("/fund/so-cai/112/", "/fund/ledgers/112/"),
        ("/fund/bao-cao/?year=2026", "/fund/statements/?year=2026"),
        ("/awards/booklet/2026/", "/giai-thuong/2026/an-pham.pdf"),
    ],
)
def test_old_addresses_lead_to_the_new_ones(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new


def test_staff_and_public_paths(client):
    assert reverse("fund:transaction", args=[7]) == "/fund/transactions/7/"
    assert reverse("fund:statement") == "/fund/statements/"
    assert reverse("awards_public:booklet", args=[2026]) == "/giai-thuong/2026/an-pham.pdf"
    assert reverse("audit") == "/audit/"
