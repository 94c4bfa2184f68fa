"""The organisation's own settings: its logo, for its scorecards and gap reports."""
from flask import Blueprint

bp = Blueprint("organisation", __name__, template_folder="templates")

from . import views  # noqa: E402,F401  (registers the routes on bp)
