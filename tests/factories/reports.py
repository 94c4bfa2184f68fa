"""The PDFs: one rendered as the routes render it, read back (pypdf's and poppler's text),
and an organisation's logo."""
from __future__ import annotations

import io
import re


def render(app, assessment_id: int, kind: str) -> tuple[bytes, str]:
    """(PDF, HTML) through the same pipeline as the routes, without the cache."""
    from app import reports
    from app.extensions import db
    from app.models import Assessment

    with app.app_context():
        inputs = reports.gather(db.session.get(Assessment, assessment_id), kind)
        html = reports.render_html(inputs.context())
    return reports.html_to_pdf(html), html


def pdf_pages(pdf: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def pdftotext(pdf: bytes, *args: str) -> str:
    """The PDF's text as poppler's ``pdftotext`` reads it (what a reader copying from the PDF
    gets); pages separated by form feeds.  Skips the test without poppler-utils."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf,
                          capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def png_logo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 60), (8, 48, 107)).save(out, format="PNG")
    return out.getvalue()


def set_logo(app, user_id: int, data: bytes, mime: str):
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        user.organisation.logo, user.organisation.logo_mime = data, mime
        db.session.commit()
