"""Reports read dossiers made through the real services (the submissions fixtures), and write their
files to a temporary MEDIA_ROOT."""

import shutil
import subprocess

import pytest

from tests.submissions.conftest import (  # noqa: F401
    field,
    kind,
    make_dossier,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text in reading order, words separated by single spaces (cells wrap over lines)."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())
