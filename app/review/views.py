"""Reviewer pages (built in the review issue)."""
from flask import render_template
from flask_login import login_required

from . import bp


@bp.route("/review")
@login_required
def index():
    return render_template("review/placeholder.html")
