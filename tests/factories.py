import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from accounts.models import Membership, Unit, UnitKind, User
from accounts.services import membership_grant
from submissions.models import Campaign

PASSWORD = "MatKhau-ThuNghiem-2026"

VIETNAMESE_NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bích",
    "Lê Hoàng Cường",
    "Phạm Thị Dung",
    "Hoàng Minh Đức",
    "Huỳnh Thị Giang",
    "Võ Quốc Huy",
    "Đặng Thị Kim",
    "Bùi Văn Long",
    "Đỗ Thị Mỹ",
]


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm số {n}")
    code = factory.Sequence(lambda n: f"don-vi-{n}")
    kind = UnitKind.DEPARTMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"nguoi.dung{n}@example.vn")
    full_name = factory.Iterator(VIETNAMESE_NAMES)
    password = Password(PASSWORD)
    # The fixed cast has been in post for a while: past the money roles' cooling-off
    # (settings.MONEY_ROLE_COOLING_DAYS); tests of the cooling-off make fresh accounts themselves.
    date_joined = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=90))


def person_with_role(role, unit, **user_fields) -> User:
    """A user who holds `role` in `unit`, granted through the same service the approved role request
    calls; the grant is dated when the account was created (see UserFactory.date_joined)."""
    user = UserFactory(**user_fields)
    membership_grant(user=user, unit=unit, role=role, actor=None)
    Membership.objects.filter(user=user, unit=unit, role=role).update(created_at=user.date_joined)
    return user


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("year",)

    year = 2026
    name = factory.LazyAttribute(lambda c: f"Đợt xét chọn «Đoàn kết sáng tạo» năm {c.year}")
    submissions_open = factory.LazyAttribute(lambda c: dt.date(c.year, 3, 1))
    submissions_close = factory.LazyAttribute(lambda c: dt.date(c.year, 6, 30))
    unit_review_deadline = factory.LazyAttribute(lambda c: dt.date(c.year, 7, 15))
    screening_deadline = factory.LazyAttribute(lambda c: dt.date(c.year, 7, 25))
    scoring_start = factory.LazyAttribute(lambda c: dt.date(c.year, 7, 26))
    scoring_end = factory.LazyAttribute(lambda c: dt.date(c.year, 8, 10))
    ceremony_date = factory.LazyAttribute(lambda c: dt.date(c.year, 9, 2))
    nomination_quota = None


def person_on_council(council, role, home_unit, **user_fields) -> User:
    """A user with a place on the council, given through the same service the admin and the demo use."""
    from councils.services import council_member_add

    user = UserFactory(**user_fields)
    council_member_add(council=council, user=user, role=role, home_unit=home_unit, actor=None)
    return user
