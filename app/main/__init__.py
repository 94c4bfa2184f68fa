from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Send each role to where its work is."""
    if current_user.role == "reviewer":
        return redirect(url_for("review.index"))
    return redirect(url_for("assessments.index"))


@bp.route("/healthz")
def health():
    from sqlalchemy import text

    from ..extensions import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
