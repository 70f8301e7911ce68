"""/du-lieu-mo/: the open-data page (what the data are, the licence, the three files, the data
dictionary) and the files themselves, served from private media with ETag and Last-Modified so that
a harvester's conditional GET answers 304 until the next build. A GET never builds: before the first
build the files answer 503 with Retry-After (the nightly run and the demo seeder build them)."""

from functools import wraps

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from public import opendata

API_DOCS_PATH = "/api/v1/tai-lieu/"  # the API docs page (public.api), named here by its path
RETRY_AFTER_SECONDS = 120
FORMAT_LABELS = {
    "csv": "CSV (UTF-8)",
    "xlsx": "Excel (XLSX)",
    "json": "JSON",
}


def _metadata(request) -> dict | None:
    """The last build's metadata, read once per request (the ETag, the date and the view share it)."""
    if not hasattr(request, "_open_data_meta"):
        request._open_data_meta = opendata.metadata()
    return request._open_data_meta


def _file_meta(request, fmt) -> dict | None:
    meta = _metadata(request)
    return meta["files"][fmt] if meta is not None and fmt in opendata.FORMATS else None


def _etag(request, fmt):
    entry = _file_meta(request, fmt)
    return f'"{entry["sha256"]}"' if entry else None


def _last_modified(request, fmt):
    entry = _file_meta(request, fmt)
    return opendata.parse_moment(entry["built_at"]) if entry else None


def _page_context(meta: dict | None) -> dict:
    files = (meta or {}).get("files", {})
    downloads = [
        {
            "format": fmt,
            "label": FORMAT_LABELS[fmt],
            "name": opendata.filename(fmt),
            "size": files[fmt]["size"] if fmt in files else None,
            "built_at": opendata.parse_moment(files[fmt]["built_at"]) if fmt in files else None,
        }
        for fmt in opendata.FORMATS
    ]
    return {
        "meta": meta,
        "built_at": opendata.parse_moment(meta["built_at"]) if meta else None,
        "downloads": downloads,
        "columns": [
            {
                "label": column.label,
                "name": column.name,
                "type": opendata.TYPE_LABELS[column.kind],
                "description": column.description,
            }
            for column in opendata.COLUMNS
        ],
        "licence": settings.OPEN_DATA_LICENCE,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "api_docs_url": API_DOCS_PATH,
    }


@require_safe
def index_view(request):
    return render(request, "public/opendata.html", _page_context(_metadata(request)))


def _with_cache_headers(view):
    """Harvesters and proxies may keep a file for an hour, the 304s included; a 503 is not kept."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=3600)
        return response

    return wrapped


def _preparing(request):
    context = _page_context(None) | {
        "notice": _("Tệp dữ liệu đang được chuẩn bị, vui lòng quay lại sau ít phút.")
    }
    response = render(request, "public/opendata.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@_with_cache_headers
@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_view(request, fmt):
    if fmt not in opendata.FORMATS:
        raise Http404
    if _file_meta(request, fmt) is None:
        return _preparing(request)
    try:
        handle = opendata.open_file(fmt)  # FileResponse closes it
    except FileNotFoundError:
        return _preparing(request)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=opendata.filename(fmt),
        content_type=opendata.FORMATS[fmt],
    )
