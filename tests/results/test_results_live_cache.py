"""A live score (a draft's, a returned assessment's working copy) and its results page
sections are kept per revision of the answers seen (app/results/cache.py, issue 14): a save
shows at once; a reviewer of a returned assessment and its organisation each see their own
score, never the other's; two languages never mix. Every page is compared with the one built
with nothing kept (``PAGE_FRAGMENT_CACHE = False``), after the kept one was made."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Assessment, User
from app.results import cache
from tests.factories import full_answers, login

HEADLINE = re.compile(r'<span class="kpi-number">([^<]+)</span>')

pytestmark = pytest.mark.usefixtures("empty_cache")             # tests/results/conftest.py


def signed_in(app, email: str, locale: str = "en"):
    with app.app_context():
        db.session.query(User).filter_by(email=email).one().locale = locale
        db.session.commit()
    client = app.test_client()
    login(client, email)
    return client


def page(client, aid: int) -> str:
    response = client.get(f"/assessments/{aid}/results")
    assert response.status_code == 200
    return re.sub(r'name="csrf_token" value="[^"]+"', "", response.get_data(as_text=True))


def score(client, aid: int) -> dict:
    response = client.get(f"/api/v1/assessments/{aid}/score")
    assert response.status_code == 200
    return response.get_json()


def built_afresh(app, fetch, *args):
    """What ``fetch(*args)`` gives with nothing kept (the reference)."""
    app.config["PAGE_FRAGMENT_CACHE"] = False
    try:
        return fetch(*args)
    finally:
        app.config["PAGE_FRAGMENT_CACHE"] = True


def save(app, aid: int, email: str, answers: dict) -> None:
    from app.assessments import operations as ops

    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        user = db.session.query(User).filter_by(email=email).one()
        ops.save_answers(assessment, user, assessment.revision, answers)
        db.session.commit()


def test_a_saved_answer_shows_on_the_draft_results_at_once(app, make_user, make_assessment, q):
    uid = make_user("ana@gov.example")
    draft = make_assessment(uid, answers=full_answers(q, 1), title="Draft")
    ana = signed_in(app, "ana@gov.example")
    before = page(ana, draft)
    assert page(ana, draft) == before and len(cache._kept) == 1 and len(cache.documents) == 1
    save(app, draft, "ana@gov.example", full_answers(q, 4))
    after = page(ana, draft)
    assert HEADLINE.search(after)[1] != HEADLINE.search(before)[1]
    assert after == page(ana, draft) == built_afresh(app, page, ana, draft)
    assert score(ana, draft) == built_afresh(app, score, ana, draft)


def returned_and_reedited(app, make_user, make_assessment, q) -> int:
    """Submitted at level 1, returned by the reviewer, raised to level 4 in the working copy."""
    from tests.factories import return_with_comments

    uid = make_user("ana@gov.example")
    reviewer = make_user("rev@un.example", role="reviewer", org="UN", kind="other")
    aid = make_assessment(uid, answers=full_answers(q, 1), submit=True)
    return_with_comments(app, aid, reviewer)
    save(app, aid, "ana@gov.example", full_answers(q, 4))
    return aid


def test_the_reviewer_and_the_organisation_each_see_their_own_score(app, make_user, make_assessment, q):
    aid = returned_and_reedited(app, make_user, make_assessment, q)
    ana, rev = signed_in(app, "ana@gov.example"), signed_in(app, "rev@un.example")
    for _ in range(2):   # the second round on what the first kept
        for who in (rev, ana):
            assert page(who, aid) == built_afresh(app, page, who, aid)
            assert score(who, aid) == built_afresh(app, score, who, aid)
    assert score(rev, aid)["stored"] and score(ana, aid)["stored"] is None
    assert HEADLINE.search(page(rev, aid))[1] != HEADLINE.search(page(ana, aid))[1]


def test_without_a_stored_score_each_sees_the_score_of_their_own_answers(app, make_user, make_assessment, q):
    """No stored score to tell them apart (data from before scores were stored): the
    reviewer's live score is of the submission, the organisation's of its working copy."""
    aid = returned_and_reedited(app, make_user, make_assessment, q)
    with app.app_context():
        db.session.get(Assessment, aid).score = None
        db.session.commit()
    ana, rev = signed_in(app, "ana@gov.example"), signed_in(app, "rev@un.example")
    for _ in range(2):
        for who in (ana, rev):
            assert score(who, aid) == built_afresh(app, score, who, aid)
    assert score(rev, aid)["overall"] != score(ana, aid)["overall"]
    assert len(cache.documents) == 2


def test_two_languages_never_mix(app, make_user, make_assessment, q):
    from flask_babel import force_locale, gettext
    from markupsafe import escape

    make_user("bea@gov.example")
    uid = make_user("ana@gov.example")
    draft = make_assessment(uid, answers=full_answers(q, 3), title="Draft")
    ana, bea = signed_in(app, "ana@gov.example", "en"), signed_in(app, "bea@gov.example", "fr")
    pages = {}
    for who, lang in ((ana, "en"), (bea, "fr"), (ana, "en"), (bea, "fr")):
        pages.setdefault(lang, []).append(page(who, draft))
    for lang, who in (("en", ana), ("fr", bea)):
        assert pages[lang][0] == pages[lang][1] == built_afresh(app, page, who, draft)
    # Each in its own language, down to the numbers and the presenter's strings (those
    # written through app.i18n, with the locale looked up once per render).
    headline = {lang: HEADLINE.search(html[0])[1] for lang, html in pages.items()}
    assert "." in headline["en"] and "," in headline["fr"]
    english = "Readiness by area, 0 to 100"
    with app.test_request_context(), force_locale("fr"):
        french = str(escape(gettext(english)))
    assert english != french and french in pages["fr"][0] and english not in pages["fr"][0]
    assert english in pages["en"][0] and french not in pages["en"][0]
    assert len(cache._kept) == 2 and len(cache.documents) == 1   # one score, two languages
