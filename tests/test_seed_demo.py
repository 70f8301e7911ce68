import pytest
from django.core.management import call_command

from accounts.models import Membership, Unit, User
from councils.models import CouncilMember
from dksangtao.roles import Role

pytestmark = pytest.mark.django_db


def _counts():
    return Unit.objects.count(), User.objects.count(), Membership.objects.count()


def test_seed_demo_is_idempotent_and_covers_every_role(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    # the council's roles are places on the councils of both demo campaigns
    assert set(CouncilMember.objects.values_list("role", flat=True)) == {"chair", "secretary", "member"}
    out = capsys.readouterr().out
    assert "DemoDKST@2026" in out
    assert "quantri.mttq@demo.dksangtao.vn" in out


def test_seed_demo_names_the_seed_plan_bodies_and_keeps_merged_ones_inactive():
    call_command("seed_demo")
    names = set(Unit.objects.values_list("name", flat=True))
    for expected in [
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
        "Sở Nội vụ",
        "Sở Giáo dục và Đào tạo",
        "Sở Lao động – Thương binh và Xã hội",
        "Sở Thông tin và Truyền thông",
    ]:
        assert expected in names
    assert not Unit.objects.get(code="so-tttt").is_active
    assert Unit.objects.filter(kind__in=["ubnd_xa", "mttq_xa"], is_active=True).count() >= 12
    assert Unit.objects.filter(parent__code="so-gddt", kind="su_nghiep").exists()


def test_seed_demo_once_does_not_touch_existing_data():
    call_command("seed_demo")
    Unit.objects.filter(code="so-khcn").update(name="Sở KH&CN (đã đổi tên)")
    call_command("seed_demo", once=True)
    assert Unit.objects.get(code="so-khcn").name == "Sở KH&CN (đã đổi tên)"
