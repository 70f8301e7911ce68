"""Headers (issue #15, item 8): a Content-Security-Policy without inline script and a
Permissions-Policy on every kind of page — a portal page, the admin, the API docs — and no template
that would need an inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

FEATURES_OFF = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture"]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_strict(response, images=("'self'",)):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["img-src"] == list(images)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in FEATURES_OFF:
        assert f"{feature}=()" in permissions


def test_a_portal_page_has_both_policies(client):
    assert_strict(client.get(reverse("home")))


def test_a_signed_in_page_has_both_policies(client, staff):
    client.force_login(staff)
    assert_strict(client.get(reverse("dashboard")))


def test_the_admin_has_both_policies(client, front_admin):
    client.force_login(front_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert_strict(response)


def test_the_api_docs_page_has_them_and_no_inline_script_or_style(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    assert_strict(response, images=("'self'", "data:"))  # Swagger UI's icons, on this page only
    page = response.content.decode()
    assert "<style" not in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag, tag
    assert '<script src="/api/v1/tai-lieu/?script=' in page


def test_the_api_itself_and_the_error_pages_have_them(client):
    assert_strict(client.get(reverse("api:record_list")))
    assert_strict(client.get("/khong-co-trang-nay/"))


def test_the_htmx_indicator_style_is_ours_not_injected():
    """htmx would inject a <style> element for its indicator, which the CSP refuses: base.html turns
    that off and the stylesheet carries the same rules."""
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    assert """content='{"includeIndicatorStyles":false}'""" in base
    assert ".htmx-request .htmx-indicator" in (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()


def test_no_template_has_an_inline_script_style_element_or_event_handler():
    """Every script comes from a file (src=…); JSON data blocks excepted. Inline handlers
    (onclick=…) would be refused by the CSP as well, and so would a <style> element — except in the
    PDF templates, which WeasyPrint reads and no browser does."""
    offenders = []
    templates = Path(settings.BASE_DIR) / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        if path.parent.name != "pdf" and re.search(r"<style[\s>]", text):
            offenders.append(f"{path.relative_to(templates)}: <style> element")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{path.name}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: inline event handler")
    assert offenders == []
