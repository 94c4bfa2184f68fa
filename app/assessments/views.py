"""Assessment pages (built in the fill-in issue)."""
from flask import render_template
from flask_login import login_required

from . import bp


@bp.route("/assessments")
@login_required
def index():
    return render_template("assessments/placeholder.html")
