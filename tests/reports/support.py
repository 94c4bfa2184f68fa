"""What the report tests that render one submitted assessment share: the app with it, its
rendering in a language, and a walk through WeasyPrint's laid-out boxes."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from tests.factories import full_answers


@contextmanager
def submitted_report(tmp: Path, email: str = "official@gov.example", *, org: str = "Org A",
                     kind: str = "government", level: int = 2, answers=None, **meta):
    """(app, assessment id, questionnaire): a fresh app on a SQLite file under ``tmp``, one user
    and one assessment of theirs answered at ``level`` (``answers(q)`` to change them) and
    submitted; ``meta`` goes to the assessment (title, period...)."""
    from app.extensions import db
    from tests.factories import create_assessment, make_app
    from tests.servers import seed_user_with_token

    app = make_app(f"sqlite:///{tmp / 'db.sqlite3'}", tmp)
    user_id, _ = seed_user_with_token(app, email, org=org, kind=kind)
    q = app.extensions["catalog"].latest("prevention-readiness")
    given = answers(q) if answers else full_answers(q, level=level)
    aid = create_assessment(app, user_id, given, submit=True, **meta)
    try:
        yield app, aid, q
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def report_html(app, aid, kind: str, lang: str) -> str:
    """The HTML our renderer gives WeasyPrint for the assessment's ``kind`` report in ``lang``."""
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment

    with app.test_request_context(), flask_babel.force_locale(lang):
        return reports.render_html(reports.gather(db.session.get(Assessment, aid), kind, lang).context())


def render(app, aid, kind: str, lang: str) -> tuple[str, bytes]:
    """The report's HTML and its PDF."""
    from app import reports

    html = report_html(app, aid, kind, lang)
    return html, reports.html_to_pdf(html)


def boxes(box):
    """``box`` and every box inside it, depth first."""
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)
