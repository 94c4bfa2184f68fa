"""A PDF's text as poppler's ``pdftotext`` reads it (what a reader copying from the PDF
gets): pages separated by form feeds."""
from __future__ import annotations

import shutil
import subprocess

import pytest


def pdftotext(pdf: bytes, *args: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf,
                          capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")
