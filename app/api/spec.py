"""The OpenAPI description of /api/v1, served as a static file."""
from pathlib import Path

from flask import Response

from . import bp

SPEC = Path(__file__).with_name("openapi.yaml")


@bp.get("/openapi.yaml")
def openapi():
    return Response(SPEC.read_text(encoding="utf-8"), mimetype="application/yaml")
