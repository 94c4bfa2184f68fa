"""The results page's score sections are kept per score and language (app/results/cache.py):
the page built from them is the page built without them, in every language and for every kind
of viewer; a score stored again (a recomputation) shows at once; a viewer sees no other
assessment's sections.  A draft's live score: tests/results/test_results_live_cache.py."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Assessment, User
from app.results import cache
from tests.factories import full_answers

pytestmark = pytest.mark.usefixtures("empty_cache")             # tests/results/conftest.py


def page(client, aid) -> str:
    response = client.get(f"/assessments/{aid}/results")
    assert response.status_code == 200
    return re.sub(r'name="csrf_token" value="[^"]+"', "", response.get_data(as_text=True))


def set_locale(app, email: str, locale: str) -> None:
    with app.app_context():
        db.session.query(User).filter_by(email=email).one().locale = locale
        db.session.commit()


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_kept_sections_make_the_very_page_built_without_them(app, client, auth, make_user, make_assessment, q,
                                                             locale):
    uid = make_user("ana@gov.example")
    make_user("rev@un.example", role="reviewer", org="UN", kind="other")
    submitted = make_assessment(uid, answers=full_answers(q, 2), submit=True)
    draft = make_assessment(uid, answers=full_answers(q, 3), title="Draft")
    for email, aids in (("ana@gov.example", (submitted, draft)), ("rev@un.example", (submitted,))):
        set_locale(app, email, locale)
        auth.login(email)
        for aid in aids:
            app.config["PAGE_FRAGMENT_CACHE"] = False
            reference = page(client, aid)
            app.config["PAGE_FRAGMENT_CACHE"] = True
            assert page(client, aid) == reference and page(client, aid) == reference, (email, aid)
        auth.logout()
    # One entry per score, language and kind of links: the submitted one's, read by both;
    # the draft's live one, with links to its sections.
    assert sorted((key[1], key[2][0], key[-1]) for key in cache._kept) == [
        (submitted, "stored", "read"), (draft, "live", "edit")]


def test_a_score_stored_again_shows_at_once_and_assessments_never_share(app, client, auth, make_user,
                                                                       make_assessment, q):
    from app.results.operations import recompute

    uid = make_user("ana@gov.example")
    low = make_assessment(uid, answers=full_answers(q, 1), submit=True, title="Low")
    high = make_assessment(uid, answers=full_answers(q, 4), submit=True, title="High")
    auth.login("ana@gov.example")
    before, other = page(client, low), page(client, high)
    headline = re.compile(r'<span class="kpi-number">([^<]+)</span>')
    assert headline.search(before)[1] != headline.search(other)[1]
    # The stored score changes behind the page's back (a recomputation with a changed
    # document): the page shows the new one, not the kept sections of the old.
    with app.app_context():
        a = db.session.get(Assessment, low)
        old, _new = recompute(a)
        a.score = dict(a.score, overall=dict(a.score["overall"], score=12.3))
        db.session.commit()
    assert "12.3" in headline.search(page(client, low))[1]
    assert headline.search(page(client, high))[1] == headline.search(other)[1]


def test_a_kept_stored_score_spares_reading_its_column(app, client, auth, make_user, make_assessment, q):
    """Viewed again, a submitted assessment's results page reads the row without its score
    document (some 300 KB of JSON to decode), and is the same page."""
    from sqlalchemy import event

    uid = make_user("ana@gov.example")
    aid = make_assessment(uid, answers=full_answers(q, 2), submit=True)
    auth.login("ana@gov.example")
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    reads_score = re.compile(r"assessments\.score(?!\w)")
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        first = page(client, aid)
        assert any(reads_score.search(s) for s in statements)   # not kept yet: read once
        del statements[:]
        assert page(client, aid) == first
        assert statements and not [s for s in statements if reads_score.search(s)]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
