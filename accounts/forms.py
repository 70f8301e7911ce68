from django import forms
from django.contrib.auth import forms as auth_forms
from django.template import loader
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleRequest, Unit, User
from dksangtao.forms import BoundedTextMixin
from dksangtao.mail import queue_email
from dksangtao.roles import SENSITIVE_ROLES, Role


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, but the e-mail leaves through a Celery task after commit."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        queue_email(subject=subject, body=body, to=[to_email])


class LoginForm(BoundedTextMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "Thư điện tử hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }


class InviteForm(forms.Form):
    """A new account: who the person is; they set their own password from the invitation e-mail."""

    email = forms.EmailField(label=_("Thư điện tử"), max_length=254)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        validators=[User._meta.get_field("phone").validators[0]],
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Hãy nhập họ và tên."))
        return name


class RoleRequestForm(forms.Form):
    """A request to grant or revoke a sensitive role; the person is named by their e-mail address."""

    kind = forms.ChoiceField(label=_("Loại đề nghị"), choices=RoleRequest.Kind.choices)
    email = forms.EmailField(
        label=_("Thư điện tử của người được đề nghị"),
        max_length=254,
        help_text=_("Địa chỉ thư điện tử dùng để đăng nhập của người đó."),
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[(value, label) for value, label in Role.choices if value in SENSITIVE_ROLES],
    )
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.filter(is_active=True))
    position = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    reason = forms.CharField(
        label=_("Lý do đề nghị"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.person = User.objects.filter(email__iexact=email).first()
        if self.person is None:
            raise forms.ValidationError(_("Không có tài khoản nào dùng địa chỉ thư điện tử này."))
        return email


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do từ chối"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PasswordChangeForm(BoundedTextMixin, auth_forms.PasswordChangeForm):
    """Django's form, with passwords of at most 128 characters (hashing a megabyte is slow)."""


class SetPasswordForm(BoundedTextMixin, auth_forms.SetPasswordForm):
    """Django's form (the reset link's page), with passwords of at most 128 characters."""
