from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Send each role to where its work is."""
    if current_user.role == "reviewer":
        return redirect(url_for("review.index"))
    if current_user.role == "admin":  # their work: users, and the review area linked from there
        return redirect(url_for("auth.users"))
    from ..assessments.queries import organisation_assessments
    from ..contributors.queries import has_contributions

    # Someone whose only work is sections given by another organisation: their tasks, not an
    # empty list of their own organisation's assessments.
    if has_contributions(current_user) and not organisation_assessments(current_user):
        return redirect(url_for("contributors.tasks"))
    return redirect(url_for("assessments.index"))


@bp.route("/healthz")
def health():
    """For load balancers and monitors: the database and the job queue (Redis when
    configured), each checked once; 200 when both answer, else 503 naming what does not.
    Never waits on a render: renders run in job processes, not here."""
    from ..jobs import QueueUnavailable, queue
    from ..transaction import attempt
    from .queries import database_answers

    checks = {}
    with attempt(Exception) as probe:   # any failure means "unavailable", and is said
        database_answers()
    checks["database"] = "ok" if probe.refused is None else f"unavailable: {type(probe.refused).__name__}"
    try:
        queue().ping()
        checks["jobs"] = "ok"
    except QueueUnavailable as exc:
        checks["jobs"] = f"unavailable: {exc}"
    healthy = all(v == "ok" for v in checks.values())
    return {"status": "ok" if healthy else "unavailable", **checks}, 200 if healthy else 503
