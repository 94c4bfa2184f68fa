"""Many hands on one assessment (issue 13): people of any organisation given chosen
sections as contributors, informants or readers; informants' independent ratings, their
agreement and the owner's consensus.  Who may do what is decided by app.auth.policy."""
from flask import Blueprint

bp = Blueprint("contributors", __name__, template_folder="templates")

from . import rating_views, views  # noqa: E402,F401  (registers the routes on bp, which must exist first)
