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
    cached = " ".join([*(str(v) for v in edition._parts.values()), *static_text(edition)])
    assert edition._skeletons and "4471" not in cached and "Secret Act" not in cached and "Ana" not in cached
    assert all(isinstance(v, Markup) for v in edition._parts.values())


def static_text(edition) -> list[str]:
    """Every static piece of the edition's skeletons, the evidence rows' included."""
    out, todo = [], list(edition._skeletons.values())
    while todo:
        for part in todo.pop().parts:
            if isinstance(part, str):
                out.append(part)
            else:
                todo.extend(a for a in part.args if isinstance(a, fragments.Skeleton))
                out.extend(str(a) for a in part.args if not isinstance(a, fragments.Skeleton))
    return out


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


def test_skeletons_take_only_escaped_markup_and_keep_every_hole(app):
    hole = fragments.Recorder()
    with pytest.raises(TypeError):
        hole.skeleton("<b>not trusted</b>")
    env = app.jinja_env
    # A filter that rewrote a hole's marker (here as JSON) would lose the value: refused.
    bad = env.from_string("{% macro m(hole) %}<p data-x='{{ hole('value', 'a')|tojson }}'></p>{% endmacro %}").module.m
    with pytest.raises(ValueError):
        fragments.skeleton_of(bad)
    macro = env.from_string("{% macro m(x, hole) %}<p title=\"{{ x }}\"{{ hole('flag', 'a') }}>"
                            "{% call(h) hole.each('rows') %}<i>{{ h('n') }}</i>{% endcall %}</p>{% endmacro %}").module.m
    skeleton = fragments.skeleton_of(macro, "<x>")
    fillers = {"flag": lambda s, name: Markup(" hidden") if s["hide"] else Markup(""),
               "rows": lambda s, body: Markup("").join(body.fill(fillers, n) for n in s["rows"]),
               "n": lambda n: Markup(n)}
    state = {"hide": True, "rows": [1, 2]}
    assert skeleton.fill(fillers, state) == '<p title="&lt;x&gt;" hidden><i>1</i><i>2</i></p>'
    assert skeleton.fill(fillers, state) == macro("<x>", fragments.Direct(fillers, state))
    with pytest.raises(TypeError):  # a filler must escape what it writes
        skeleton.fill(dict(fillers, flag=lambda s, name: " <b>"), state)


def both_ways(app, send) -> tuple[str, str, int]:
    """(the page built without the cache, with it (twice, the same), its status)."""
    app.config["PAGE_FRAGMENT_CACHE"] = False
    reference = send()
    app.config["PAGE_FRAGMENT_CACHE"] = True
    first, again = send(), send()
    assert first.status_code == again.status_code == reference.status_code
    assert without_token(first.get_data(as_text=True)) == without_token(again.get_data(as_text=True))
    return (without_token(reference.get_data(as_text=True)), without_token(first.get_data(as_text=True)),
            reference.status_code)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_cached_pages_with_errors_conflicts_comments_and_who_answered(app, client, ana, q, locale, make_user,
                                                                     make_assessment, auth):
    """The state a request fills in (answers, messages, a conflict, reviewers' comments, who
    answered, evidence rows, notices) gives the same page from the skeletons as without them."""
    from tests.clients import form_fields, post_data
    from tests.factories import return_with_comments

    uid, aid = ana
    set_locale(app, uid, locale)
    # Errors: a number that is not one, N/A without its reason, evidence without its type.
    number = next(i for i in q.items if i.type == "number")
    section = q.section_of[number.key]
    scale = [k for k in section.items if q.item_map[k].type == "scale"]
    url = f"/assessments/{aid}/sections/{section.key}"
    fields = form_fields(client.get(url).get_data(as_text=True))
    bad = post_data(fields, **{f"{number.key}__value": "about <ninety>", f"{scale[-1]}__evidence__0__type": "",
                               f"{scale[-1]}__evidence__0__reference": "Children Act", f"{scale[0]}__level": "4"})
    reference, cached, status = both_ways(app, lambda: client.post(url, data=bad))
    assert status == 422 and cached == reference
    assert f'id="{number.key}-value-error"' in cached and 'aria-invalid="true"' in cached
    assert "about &lt;ninety&gt;" in cached and "item-has-error" in cached
    row = f"{scale[-1]}-evidence-0-type"   # the type's message beside its row, from the row's skeleton
    assert f'<p class="error-message" id="{row}-error" data-error-for="{row}">' in cached
    assert f'aria-describedby="{row}-error" aria-invalid="true"' in cached
    # A conflict: a colleague saved the same question meanwhile.
    url = f"/assessments/{aid}/sections/{q.sections[0].key}"
    key = q.sections[0].items[0]
    fields = form_fields(client.get(url).get_data(as_text=True))
    colleague = make_user("cy@a.example", org="Org A")
    with app.app_context():
        from app.assessments import operations as ops
        from app.models import Assessment
        a = db.session.get(Assessment, aid)
        ops.save_answers(a, db.session.get(User, colleague), a.revision, {key: {"level": 0}})
        db.session.commit()
    stale = post_data(fields, **{f"{key}__level": "1", f"{key}__comment": "Mine <own>", "action": "save"})
    reference, cached, status = both_ways(app, lambda: client.post(url, data=stale))
    assert status == 409 and cached == reference and "data-conflict-panel" in cached
    assert "Mine &lt;own&gt;" in cached and 'class="row-meta answered-by"' in cached
    # Reviewers' comments, next to their question, on a returned assessment.
    returned = make_assessment(uid, answers=full_answers(q), submit=True)
    return_with_comments(app, returned, make_user("rev@un.example", role="reviewer", org="UN", kind="other"))
    reference, cached, status = both_ways(app, lambda: client.get(f"/assessments/{returned}/sections/s_a_knowledge"))
    assert status == 200 and cached == reference and 'id="a1-reviewer-comments"' in cached


def test_a_skeleton_fills_each_slot_once_folds_quiet_slots_and_keeps_blank_rows(app):
    """Filling calls a filler once per distinct slot (1 and "1" are two), a skeleton folded
    for an empty field writes what filling writes, and a kept blank fill is filled once."""
    calls = []

    def count(kind):
        def filler(s, *args):
            calls.append((kind, args))
            return Markup(f"[{kind}:{args[0]!r}:{s.get(kind, '')}]")
        return filler

    fillers = {"n": count("n"), "flag": lambda s, key: Markup(" hidden") if not s.get("flag") else Markup(""),
               "items": count("items")}
    macro = app.jinja_env.from_string(
        '{% macro m(hole) %}<p{{ hole("flag", "a") }} data-n="{{ hole("n", 1) }}{{ hole("n", "1") }}{{ hole("n", 1) }}">'
        '{{ hole("items", ["x"]) }}{{ hole("items", ["x"]) }}</p>{% endmacro %}').module.m
    skeleton = fragments.skeleton_of(macro)
    state = {"n": "v", "items": "i"}
    direct = macro(fragments.Direct(fillers, state))
    calls.clear()
    assert skeleton.fill(fillers, state) == direct
    assert sorted(calls, key=repr) == sorted([("items", (["x"],)), ("n", (1,)), ("n", ("1",))], key=repr)
    folded = skeleton.folded(fillers, {"flag"}, {})
    assert folded.fill(fillers, state) == direct and len(folded.parts) < len(skeleton.parts)
    assert all(isinstance(p, str) or p.kind != "flag" for p in folded.parts)
    before = len(calls)
    assert skeleton.fill_blank(fillers, {}, 0) == skeleton.fill_blank(fillers, {}, 0) == skeleton.fill(fillers, {})
    assert len(calls) == before + 6  # the kept fill (3 distinct calls) once, then the plain fill
