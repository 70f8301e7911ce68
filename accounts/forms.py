from django.contrib.auth import forms as auth_forms
from django.template import loader
from django.utils.translation import gettext_lazy as _

from dksangtao.forms import BoundedTextMixin
from dksangtao.mail import queue_email


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


class PasswordChangeForm(BoundedTextMixin, auth_forms.PasswordChangeForm):
    """Django's form, with passwords of at most 128 characters (hashing a megabyte is slow)."""


class SetPasswordForm(BoundedTextMixin, auth_forms.SetPasswordForm):
    """Django's form (the reset link's page), with passwords of at most 128 characters."""
