"""No 500 on any input (issue #15, item 6): control characters refused with a 400 before any view,
dates in plausible years, a length cap on every free text, names that are not only invisible
characters, and missing stored files answered with a 404."""

import datetime as dt

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from accounts.forms import LoginForm, PasswordChangeForm, SetPasswordForm
from dksangtao.forms import BoundedTextMixin, date_field
from dksangtao.text import is_blank, parse_id
from tests.fuzz import url_patterns

pytestmark = pytest.mark.django_db


# --- Control characters: one middleware ---------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["q=%00", "q=a%00b", "%00=1", "q=%1b%5b31m", "q=%7f", "q=%c2%85", "q=a%09b"]
)
def test_a_control_character_in_a_query_string_is_a_vietnamese_400(client, staff, query):
    client.force_login(staff)
    response = client.get(f"{reverse('submissions:list')}?{query}")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_nul_in_a_public_search_is_a_400_not_a_database_error(client):
    response = client.get(reverse("public:search"), {"q": "rác\x00thải"})
    assert response.status_code == 400


def test_a_control_character_in_a_posted_field_is_refused_before_the_view(client, staff):
    client.force_login(staff)
    response = client.post(reverse("submissions:create"), {"title": "Sáng kiến\x00", "summary": "x"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_tabs_and_line_breaks_in_posted_text_pass(client, staff):
    client.force_login(staff)
    response = client.post(reverse("submissions:create"), {"title": "Dòng 1\r\n\tDòng 2"})
    assert response.status_code != 400 or "Yêu cầu không hợp lệ" not in response.content.decode()


def test_an_uploaded_file_name_arrives_without_control_characters(rf):
    """Django's multipart parser drops them, so the middleware need not look at file names."""
    request = rf.post("/", {"file": SimpleUploadedFile("hoa\x00\x1bdon.pdf", b"%PDF-1.4")})
    assert request.FILES["file"].name == "hoadon.pdf"


def test_a_control_character_in_the_path_is_refused(client):
    assert client.get("/co-so-du-lieu/DKST%00/").status_code == 400


# --- Ids and numbers: one parser ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٣", "３", "1²", "", " 1", "-1", "1.0", "9" * 19, "1\x00", None, 7])
def test_parse_id_takes_ascii_digits_within_bigint_only(value):
    assert parse_id(value) is None


def test_parse_id_reads_an_id():
    assert parse_id("42") == 42 and parse_id("9" * 18) == 10**18 - 1


# --- Dates in plausible years ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "31/12/1899", "01/01/2101"])
def test_a_date_outside_the_plausible_years_is_refused_with_a_message(typed):
    field = date_field("Ngày")
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)
    assert "Ngày phải từ 01/01/1900 đến 31/12/2100." in refused.value.messages


def test_a_plausible_date_passes():
    assert date_field("Ngày").clean("05/03/2026") == dt.date(2026, 3, 5)


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999"])
def test_no_fund_receipt_dated_in_year_1_or_9999(typed):
    from fund.forms import InterestForm

    form = InterestForm({"date": typed, "amount": "1.000.000", "into": "112"})
    assert not form.is_valid()
    assert "Ngày phải từ" in str(form.errors["date"])


def test_no_author_born_in_the_future_or_before_1900():
    from submissions.forms import AuthorForm

    data = {"full_name": "Nguyễn Văn An", "contribution_percent": "100"}
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    future = AuthorForm({**data, "date_of_birth": tomorrow})
    assert not future.is_valid() and "Ngày sinh không được sau ngày hôm nay." in str(future.errors)
    ancient = AuthorForm({**data, "date_of_birth": "01/01/0001"})
    assert not ancient.is_valid() and "Ngày phải từ" in str(ancient.errors)


@pytest.mark.parametrize("since", ["01/01/0001", "31/12/9999"])
def test_the_audit_filter_refuses_a_day_outside_the_plausible_years(client, front_admin, since):
    client.force_login(front_admin)
    response = client.get(reverse("audit"), {"since": since, "until": "31/12/9999"})
    assert response.status_code == 400  # the lists answer a refused filter with 400 and its message
    assert "Ngày phải từ 01/01/1900 đến 31/12/2100." in response.content.decode()


# --- Free text: a cap on every field, no invisible names ---------------------------------------------


def test_passwords_are_capped_at_128_characters(staff):
    long = "Mk-" + "x" * 200
    login = LoginForm(data={"username": staff.email, "password": long})
    assert not login.is_valid() and "password" in login.errors
    change = PasswordChangeForm(
        staff, data={"old_password": long, "new_password1": long, "new_password2": long}
    )
    assert not change.is_valid() and {"old_password", "new_password1", "new_password2"} <= set(change.errors)
    reset = SetPasswordForm(staff, data={"new_password1": long, "new_password2": long})
    assert not reset.is_valid() and "new_password1" in reset.errors


def test_the_password_pages_use_the_capped_forms(client, staff):
    client.force_login(staff)
    page = client.get(reverse("password_change"))
    assert isinstance(page.context["form"], PasswordChangeForm)
    assert 'maxlength="128"' in page.content.decode()


def test_a_reason_longer_than_the_cap_is_refused():
    from submissions.forms import ReasonForm

    assert ReasonForm({"reason": "Đ" * 10_000}).is_valid()
    assert not ReasonForm({"reason": "Đ" * 10_001}).is_valid()


def _portal_forms():
    import contextlib
    import importlib

    for app in ["accounts", "submissions", "councils", "awards", "fund", "reports", "public", "dksangtao"]:
        for module in ["forms", "forms_upward", "forms_applications", "admin"]:
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app}.{module}")

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    apps = {"accounts", "submissions", "councils", "awards", "fund", "reports", "public", "dksangtao"}
    return sorted(
        {cls for cls in below(forms.BaseForm) if cls.__module__.split(".")[0] in apps},
        key=lambda cls: f"{cls.__module__}.{cls.__name__}",
    )


def test_every_free_text_field_of_every_form_has_a_length_cap():
    """Nothing forgotten: a portal form either caps each CharField itself or uses BoundedTextMixin,
    which gives the rest a cap (dksangtao.forms.cap_free_text)."""
    uncapped = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _portal_forms()
        if not issubclass(cls, BoundedTextMixin)
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.UUIDField)  # parsed as a UUID, bounded by that
        and field.max_length is None
    ]
    assert not uncapped, f"Give these a max_length or the form BoundedTextMixin: {uncapped}"


@pytest.mark.parametrize(
    "text", ["", " ", "\u200b", "\u00a0\u200c", "\u0301\u0300", "\ufeff", "\u3164", "\t\u2028"]
)
def test_invisible_only_text_is_blank(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["A", "Đ", "á", " x ", "٣"])
def test_visible_text_is_not_blank(text):
    assert not is_blank(text)


def test_a_dossier_titled_with_invisible_characters_only_is_refused():
    from submissions.forms import DossierForm

    form = DossierForm({"title": "\u200b\u00a0\u200d"})
    form.is_valid()
    assert "Tên không được để trống." in form.errors["title"]


def test_an_author_or_a_payee_named_with_invisible_characters_only_is_refused():
    from fund.forms import PayeeForm
    from submissions.forms import AuthorForm

    author = AuthorForm({"full_name": "\u200b\u200b", "contribution_percent": "100"})
    assert not author.is_valid() and "Tên không được để trống." in author.errors["full_name"]
    payee = PayeeForm({"name": "\u00a0\u0301", "bank_account": "0123", "bank_name": "VCB", "amount": "1"})
    assert not payee.is_valid() and "Tên không được để trống." in payee.errors["name"]


# --- Missing stored files ---------------------------------------------------------------------------


def test_a_stored_file_row_without_a_file_name_is_a_404_not_a_500(staff):
    from dksangtao.files import stored_file_response
    from fund.models import Voucher

    with pytest.raises(Http404):
        stored_file_response(Voucher(original_name="hóa đơn.pdf", file_type="pdf"))


def test_every_url_pattern_is_listed_by_the_fuzz_helper():
    names = {name for _route, name, _pattern in url_patterns()}
    assert {"submissions:create", "fund:payment_new", "councils:sheet"} <= names
    assert not any(name.startswith("admin:") for name in names)


@pytest.mark.parametrize("url_name", ["audit", "reports:centre"])
def test_a_search_box_of_100000_characters_is_refused_with_a_message(client, front_admin, url_name):
    """SQLite refused such a LIKE pattern («pattern too complex», a 500); PostgreSQL crawled."""
    client.force_login(front_admin)
    response = client.get(reverse(url_name), {"q": "x" * 100_000})
    assert response.status_code == 400
    assert "255" in response.content.decode()
