"""The API's errors, in Vietnamese and always as {"detail": "…"}: DRF's own English messages (not
found, method not allowed, too many requests…) are replaced by ours; a bad query parameter answers
400 with the fields' messages under "errors"; a withdrawn record answers 410 Gone."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = gettext_lazy("Bản ghi này đã được gỡ khỏi cơ sở dữ liệu sáng tạo.")
    default_code = "gone"


def _message(exc, request) -> str | None:
    """Our words for an error DRF words in English; None keeps the exception's own detail."""
    if isinstance(exc, exceptions.Throttled):
        if exc.wait is None:
            return _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")
        # DRF has rounded the wait up to whole seconds, as it writes it in Retry-After.
        return _("Quá nhiều yêu cầu. Vui lòng thử lại sau %(n)s giây.") % {"n": exc.wait}
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("API chỉ cho phép đọc: không dùng được phương thức %(method)s.") % {
            "method": request.method if request is not None else ""
        }
    if str(exc.detail) != str(exc.default_detail):
        return None  # a message of ours (an invalid page, a withdrawn record)
    if isinstance(exc, exceptions.NotFound):
        return _("Không tìm thấy.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Không có dữ liệu ở định dạng được yêu cầu.")
    if isinstance(exc, exceptions.ParseError):
        return _("Yêu cầu không đúng định dạng.")
    return None


def vietnamese_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # not Django's English «No … matches the given query.»
    if isinstance(exc, exceptions.ValidationError):
        response = exception_handler(exc, context)
        response.data = {"detail": _("Tham số không hợp lệ."), "errors": response.data}
        return response
    if isinstance(exc, exceptions.APIException):
        message = _message(exc, context.get("request"))
        if message is not None:
            exc.detail = exceptions.ErrorDetail(message, code=exc.get_codes())
    return exception_handler(exc, context)
