"""Working outside the browser: workbooks to fill in offline, XLSForm for ODK and
KoboToolbox, and the import of their submissions (issue 15)."""
from flask import Blueprint

bp = Blueprint("workbooks", __name__, template_folder="templates")

from . import import_views, views  # noqa: E402,F401  (registers the routes on bp, which must exist first)
