"""Section pages built from cached parts (app/fragments.py) are the very pages built without
them, in every language; no user's data ever lands in a shared part; everything cached is
escaped HTML; a new translation revision means new parts, not stale ones."""
from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from app import fragments
from app.extensions import db
from app.models import User
from tests.factories import full_answers

SECRET = "Ana's confidential note <b>#4471</b>"


def without_token(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def set_locale(app, uid: int, locale: str) -> None:
    with app.app_context():
        db.session.get(User, uid).locale = locale
        db.session.commit()


@pytest.fixture
def q(app):
    return app.extensions["catalog"].latest("prevention-readiness")


@pytest.fixture
def ana(app, make_user, make_assessment, auth, q):
    uid = make_user("ana@a.example", org="Org A")
    answers = full_answers(q, 3)
    first = q.sections[0].items[0]
    answers[first] = dict(answers[first], comment=SECRET,
                          evidence=[{"type": "law", "reference": "Secret Act 2026, s. 9", "note": ""}])
    aid = make_assessment(uid, answers)
    auth.login("ana@a.example")
    return uid, aid


@pytest.mark.parametrize("locale", ["en", "fr", "ar", "zh"])
def test_cached_page_is_the_page_built_without_the_cache(app, client, ana, q, locale):
    uid, aid = ana
    set_locale(app, uid, locale)
    for section in q.sections:
        url = f"/assessments/{aid}/sections/{section.key}"
        app.config["PAGE_FRAGMENT_CACHE"] = False
        reference = without_token(client.get(url).get_data(as_text=True))
        app.config["PAGE_FRAGMENT_CACHE"] = True
        first, again = (without_token(client.get(url).get_data(as_text=True)) for _ in range(2))
        assert first == reference and again == reference, section.key


def test_no_user_data_in_shared_parts_and_another_user_sees_none_of_it(app, client, ana, q, make_user,
                                                                       make_assessment, auth):
    uid, aid = ana
    page = client.get(f"/assessments/{aid}/sections/{q.sections[0].key}").get_data(as_text=True)
    assert "Ana&#39;s confidential note &lt;b&gt;#4471&lt;/b&gt;" in page and "Secret Act 2026" in page
    auth.logout()
    make_user("ben@b.example", org="Org B")
    ben_aid = make_assessment(make_user("ben2@b.example", org="Org B"))
    auth.login("ben@b.example")
    other = client.get(f"/assessments/{ben_aid}/sections/{q.sections[0].key}").get_data(as_text=True)
    assert "4471" not in other and "Secret Act" not in other and "ana@" not in other
    with app.test_request_context():
        edition = fragments.fragments_for(q, "en")
    cached = " ".join(str(v) for v in edition._parts.values())
    assert cached and "4471" not in cached and "Secret Act" not in cached
    assert all(isinstance(v, Markup) for v in edition._parts.values())


def test_a_new_translation_revision_gets_new_parts(app, q, monkeypatch):
    with app.test_request_context():
        before = fragments.fragments_for(q, "fr")
        assert fragments.fragments_for(q, "fr") is before and fragments.fragments_for(q, "es") is not before
        monkeypatch.setattr(fragments, "interface_revision", lambda locale: ("a new catalogue",))
        assert fragments.fragments_for(q, "fr") is not before


def test_only_escaped_markup_is_cached(app, q):
    edition = fragments.Fragments()
    with pytest.raises(TypeError):
        edition.get("part", "a1", lambda: "<b>not trusted</b>")
    with app.test_request_context():
        parts = app.jinja_env.get_template("assessments/items/_parts.html").make_module(fragments.request_gettext())
        item = q.item_map[q.sections[0].items[0]].model_copy(update={"prompt": {"en": "<script>alert(1)</script>"}})
        legend = edition.get("legend", item.key, parts.static_legend, item, 1, lambda text: text["en"], None)
    assert isinstance(legend, Markup) and "&lt;script&gt;" in legend and "<script>" not in legend
