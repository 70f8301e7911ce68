import factory
from factory.django import DjangoModelFactory, Password

from accounts.models import Unit, UnitKind, User
from accounts.services import membership_grant

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


def person_with_role(role, unit, **user_fields) -> User:
    """A user who holds `role` in `unit`, granted through the same service the admin uses."""
    user = UserFactory(**user_fields)
    membership_grant(user=user, unit=unit, role=role)
    return user
