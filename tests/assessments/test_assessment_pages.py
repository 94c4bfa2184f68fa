"""The assessment pages, driven like a browser without JavaScript (plain forms), and the
JSON answers the same section endpoint gives to autosave."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.assessments import completeness, operations as ops, store
from app.extensions import db
from app.models import Assessment, User
from tests.clients import JSON, form_fields, post_data, section_url
from tests.factories import csrf_token, full_answers, na_for_a_country, return_with_comments


@pytest.fixture
def q(app):
    return app.extensions["catalog"].latest("prevention-readiness")


def stored(app, aid):
    with app.app_context():
        a = db.session.get(Assessment, aid)
        return a.revision, store.answers_json(store.questionnaire_of(a), store.answers_of(a))


def statements_of(app, request):
    """The SQL statements ``request()`` runs, and what it returns."""
    from sqlalchemy import event
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - a one-line helper local to the test
    event.listen(engine, "before_cursor_execute", listener)
    try:
        return statements, request()
    finally:
        event.remove(engine, "before_cursor_execute", listener)


# -- rendering --------------------------------------------------------------------------------

def test_every_section_renders_every_item_from_the_definition(client, ana, make_assessment, q):
    aid = make_assessment(ana)
    for section in q.sections:
        html = client.get(section_url(aid, section.key)).get_data(as_text=True)
        assert html.count('<fieldset class="item-fieldset">') == len(section.items)
        assert html.count('<legend class="item-legend">') == len(section.items)
        for key in section.items:
            item = q.item_map[key]
            assert f'id="item-{key}"' in html
            assert '<details class="guidance">' in html
            if item.type == "scale":
                for lvl in item.levels:  # the described level is the radio's label
                    label = re.search(rf'<label for="{key}-level-{lvl.level}">(.*?)</label>', html, re.S).group(1)
                    assert unescape(re.sub(r"<[^>]+>", "", label)).split(None, 2)[2] == lvl.descriptor["en"]
                assert f'id="{key}-notice" role="status"' in html
            elif item.type in ("choice", "checklist"):
                for o in item.options:
                    assert f'value="{o.code}"' in html and o.label["en"] in unescape(html)
            elif item.type == "number":
                assert f'name="{key}-value"' in html and 'inputmode="decimal"' in html
            if item.scored and item.allow_dont_know:
                assert 'value="__dont_know"' in html
            if item.allow_na:
                assert f'<textarea id="{key}-reason"' in html
            assert f'<select id="{key}-confidence"' in html and f'<textarea id="{key}-comment"' in html
            assert f'name="{key}-evidence-0-type"' in html
        assert "style=" not in html and "<script>" not in html  # CSP: no inline style or script


def test_list_and_overview_show_progress_and_last_editor(client, app, ana, make_assessment, q):
    aid = make_assessment(ana, answers={"a1": {"level": 2}, "a2": {"dont_know": True}}, title="Kenya 2026")
    html = client.get("/assessments").get_data(as_text=True)
    assert "Kenya 2026" in html and "Ana Wanjiru" in html and f"2 of {len(q.scored_items)} questions" in html
    html = client.get(f"/assessments/{aid}").get_data(as_text=True)
    assert f'<progress max="{len(q.scored_items)}" value="2"' in html
    assert "2 of 7 answered" in html and "In progress" in html and "Not started" in html
    # The missing list links to each unanswered item on its section page.
    assert f'href="/assessments/{aid}/sections/s_a_knowledge#item-a3"' in html


# -- saving without JavaScript ------------------------------------------------------------------

def test_save_without_javascript_posts_redirects_and_persists(client, app, ana, make_assessment):
    aid = make_assessment(ana)
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    assert fields["base_revision"] == ["0"] and fields["csrf_token"]
    data = post_data(fields, a1__level="3", a1__evidence__0__type="law",
                     a1__evidence__0__reference="Children Act 2022", a1__confidence="high",
                     a1__comment="From the ministry of justice", a2__level="__dont_know", action="save")
    r = client.post(section_url(aid), data=data)
    assert r.status_code == 302 and r.headers["Location"].endswith(section_url(aid))
    revision, answers = stored(app, aid)
    assert revision == 1
    assert answers == {"a1": {"level": 3, "evidence": [{"type": "law", "reference": "Children Act 2022", "note": ""}],
                              "confidence": "high", "comment": "From the ministry of justice"},
                       "a2": {"dont_know": True}}
    html = client.get(section_url(aid)).get_data(as_text=True)
    assert "Saved at" in html and 'value="Children Act 2022"' in html
    # A second evidence row is always there, so adding one needs no script; removing is a checkbox.
    fields = form_fields(html)
    assert "a1-evidence-1-reference" in fields
    data = post_data(fields, a1__evidence__0__remove="y", action="continue")
    r = client.post(section_url(aid), data=data)
    assert r.headers["Location"].endswith(section_url(aid, "s_b_law_justice"))  # save and continue
    assert "evidence" not in stored(app, aid)[1]["a1"]


def test_every_item_type_saves_from_the_form(client, app, ana, make_assessment, q):
    aid = make_assessment(ana)
    section = q.section_of["c1"] if "c1" in q.item_map else q.sections[2]
    checklist = next(i for i in q.items if i.type == "checklist")
    number = next(i for i in q.items if i.type == "number")
    choice = next(i for i in q.items if i.type == "choice")
    na_item = next(i for i in q.items if na_for_a_country(q, i) and i.type in ("scale", "choice"))
    for item, changes, expected in [
        (checklist, {f"{checklist.key}__selected": [o.code for o in checklist.options[:2]]},
         {"selected": [o.code for o in checklist.options[:2]]}),
        (number, {f"{number.key}__value": "42"}, {"value": 42.0}),
        (choice, {f"{choice.key}__option": choice.options[-1].code}, {"option": choice.options[-1].code}),
        (na_item, {f"{na_item.key}__{'level' if na_item.type == 'scale' else 'option'}": "__not_applicable",
                   f"{na_item.key}__reason": "No tourism sector"}, {"not_applicable": True, "reason": "No tourism sector"}),
    ]:
        section = q.section_of[item.key]
        fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
        r = client.post(section_url(aid, section.key), data=post_data(fields, **changes))
        assert r.status_code == 302, (item.key, r.get_data(as_text=True)[:500])
        assert stored(app, aid)[1][item.key] == expected
    # "None of these" on a checklist is an answer: an empty selection.
    section = q.section_of[checklist.key]
    fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
    client.post(section_url(aid, section.key), data=post_data(fields, **{f"{checklist.key}__selected": "__none"}))
    assert stored(app, aid)[1][checklist.key] == {"selected": []}


def test_invalid_value_is_refused_next_to_its_field_and_input_kept(client, app, ana, make_assessment, q):
    number = next(i for i in q.items if i.type == "number")
    section = q.section_of[number.key]
    aid = make_assessment(ana)
    fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
    other = next(k for k in section.items if q.item_map[k].type == "scale")
    data = post_data(fields, **{f"{number.key}__value": "about ninety", f"{other}__level": "2",
                                f"{other}__comment": "Typed before the error"})
    r = client.post(section_url(aid, section.key), data=data)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    # The message sits next to the field, the field says so, and the summary links to it.
    assert re.search(rf'<p class="error-message" id="{number.key}-value-error"[^>]*>\s*<span class="visually-hidden">'
                     r'Error:</span> Enter a number\.', html)
    assert re.search(rf'id="{number.key}-value"[^>]*aria-describedby="{number.key}-value-hint {number.key}-value-error"'
                     r'[^>]*aria-invalid="true"', html)
    assert f'<a href="#{number.key}-value">Question {number.key}: Enter a number.</a>' in html
    # Issue 18: the page says exactly what was not saved, and the other answers are saved
    # (as autosave does), never "Nothing on this page was saved".
    assert 'role="alert"' in html and "Nothing on this page was saved" not in html
    assert (f"Not saved: the answer to question {number.key}. Correct it below. "
            "All other answers on this page are saved.") in html
    assert 'value="about ninety"' in html and "Typed before the error" in html
    assert re.search(rf'id="{other}-level-2"[^>]*checked', html)
    revision, answers = stored(app, aid)
    assert answers == {other: {"level": 2, "comment": "Typed before the error"}}
    # The page carries the new revision and fingerprints: correcting and saving again is no
    # conflict with the user's own save.
    fields = form_fields(html)
    assert fields["base_revision"] == [str(revision)]
    r = client.post(section_url(aid, section.key), data=post_data(fields, **{f"{number.key}__value": "90"}))
    assert r.status_code == 302
    assert stored(app, aid)[1][number.key] == {"value": 90}
    assert stored(app, aid)[1][other] == {"level": 2, "comment": "Typed before the error"}


def test_missing_na_reason_and_bad_evidence_are_refused(client, app, ana, make_assessment, q):
    na_item = next(i for i in q.items if na_for_a_country(q, i) and i.type == "scale")
    section = q.section_of[na_item.key]
    aid = make_assessment(ana)
    fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
    r = client.post(section_url(aid, section.key), data=post_data(
        fields, **{f"{na_item.key}__level": "__not_applicable", f"{na_item.key}__evidence__0__type": "law"}))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert f'id="{na_item.key}-reason-error"' in html and "Say why this question does not apply." in html
    assert "Evidence entry 1: give a reference (a citation or a web address)." in html
    assert stored(app, aid) == (0, {})
    # a reference without its type: the message names no internal code (issue 18)
    r = client.post(section_url(aid, section.key), data=post_data(
        fields, **{f"{na_item.key}__level": "2", f"{na_item.key}__evidence__0__reference": "Children Act"}))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Evidence entry 1: choose its type in the list." in html
    assert "expert_judgement" not in html.split('id="section-form"', 1)[0]
    assert not re.search(r'class="error-message"[^>]*>[^<]*(<span[^>]*>[^<]*</span>)?[^<]*expert_judgement', html)


def _row_html(html: str, name: str) -> tuple[str, str]:
    """(the select of ``name``, what follows it up to the end of its field)."""
    select = re.search(rf'<select id="{name}"[^>]*>', html).group(0)
    after = html.split(select, 1)[1].split("</select>", 1)[1].split("</div>", 1)[0]
    return select, after


def test_a_reference_without_a_type_is_refused_with_the_message_beside_the_rows_type(
        client, app, ana, make_assessment, q):
    """Issue 18 follow-up: a URL typed without its type was refused (422: a default type would
    change what the entry counts for, so the score) with the message at the top of the
    evidence list only.  It is now beside the row's type select, which is described by it and
    marked invalid; the summary links to the select; the reference typed is kept."""
    section = q.sections[0]
    key = section.items[0]
    aid = make_assessment(ana)
    fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
    url = "https://example.org/children-act-2022"
    r = client.post(section_url(aid, section.key), data=post_data(
        fields, **{f"{key}__level": "2", f"{key}__evidence__0__reference": url}))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    name = f"{key}-evidence-0-type"
    select, after = _row_html(html, name)
    assert f'aria-describedby="{name}-error" aria-invalid="true"' in select
    assert after == (f'<p class="error-message" id="{name}-error" data-error-for="{name}">'
                     '<span class="visually-hidden">Error:</span> Evidence entry 1: choose its type in the list.</p>\n      ')
    assert re.search(rf'<p class="error-message" id="{key}-evidence-error"[^>]*hidden></p>', html)  # not at the top
    assert f'<a href="#{name}">Question {key}: Evidence entry 1: choose its type in the list.</a>' in html
    reference = re.search(rf'<input[^>]*id="{key}-evidence-0-reference"[^>]*>', html).group(0)
    assert f'value="{url}"' in reference and "aria-invalid" not in reference
    assert key not in stored(app, aid)[1]
    # the other rows, and every row of a page without a message, are as they always were
    blank, after = _row_html(html, f"{key}-evidence-1-type")
    assert "aria-" not in blank and after.strip() == ""
    page = client.get(section_url(aid, section.key)).get_data(as_text=True)
    assert 'aria-invalid' not in page and "-type-error" not in page


def test_the_row_named_is_the_row_on_the_page_when_rows_were_removed_or_skipped(
        client, app, ana, make_assessment, q):
    """The parser counts the entries it is sent (rows kept and filled in); the page numbers
    every row.  Rows are named 0 to n-1 in their order: WTForms numbers posted rows so again
    (rows 0 and 3 posted are rows 0 and 1), as the page's script keeps its own, so the JSON
    answer and the re-shown page name the same control."""
    section = q.sections[0]
    key = section.items[0]
    aid = make_assessment(ana, answers={key: {"level": 2, "evidence": [{"type": "law", "reference": "Act A"}]}})
    fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
    r = client.post(section_url(aid, section.key), data=post_data(
        fields, **{f"{key}__evidence__0__remove": "y", f"{key}__evidence__1__reference": "Act B"}))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    _select, after = _row_html(html, f"{key}-evidence-1-type")
    assert "Evidence entry 2: choose its type in the list." in after
    assert f'href="#{key}-evidence-1-type"' in html
    gapped = {k: v for k, v in post_data(fields).items() if not k.startswith(f"{key}-evidence-1-")}
    gapped |= {f"{key}-evidence-3-type": [""], f"{key}-evidence-3-reference": ["Act C"], f"{key}-evidence-3-note": [""]}
    r = client.post(section_url(aid, section.key), data=gapped, headers=JSON)
    assert r.status_code == 422
    details = r.get_json()["details"]
    assert details["fields"] == {f"{key}-evidence-1-type": "Evidence entry 2: choose its type in the list."}
    assert details["anchors"] == {f"{key}-evidence-1-type": f"{key}-evidence-1-type"}
    html = client.post(section_url(aid, section.key), data=gapped).get_data(as_text=True)
    select, after = _row_html(html, f"{key}-evidence-1-type")
    assert "aria-invalid" in select and "Evidence entry 2: choose its type in the list." in after
    assert 'value="Act C"' in re.search(rf'<input[^>]*id="{key}-evidence-1-reference"[^>]*>', html).group(0)
    assert stored(app, aid)[1][key]["evidence"] == [{"type": "law", "reference": "Act A", "note": ""}]


def test_stale_page_conflict_shows_what_changed_and_keeps_input(client, app, ana, make_user, make_assessment):
    aid = make_assessment(ana, answers={"a1": {"level": 1}})
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    # Meanwhile a colleague from another ministry changes a1 and a2.
    ben = make_user("ben@a.example", org="Org A")
    with app.app_context():
        user = db.session.get(User, ben)
        user.name = "Ben Otieno"
        a = db.session.get(Assessment, aid)
        ops.save_answers(a, user, a.revision, {"a1": {"level": 3}, "a2": {"level": 2}})
        db.session.commit()
    data = post_data(fields, a1__level="2", a1__comment="My own reading", action="save")
    r = client.post(section_url(aid), data=data)
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Someone else changed the same answers" in html and "Ben Otieno" in html
    assert "Level 1" in html and "Level 3" in html and 'href="#item-a1"' in html
    assert "My own reading" in html and re.search(r'id="a1-level-2"[^>]*checked', html)
    assert stored(app, aid)[1]["a1"] == {"level": 3}     # nothing saved, nothing overwritten
    # "Keep my version": the re-rendered form carries the current state; saving it wins knowingly.
    r = client.post(section_url(aid), data=post_data(form_fields(html), action="save"))
    assert r.status_code == 302
    answers = stored(app, aid)[1]
    assert answers["a1"] == {"level": 2, "comment": "My own reading"}
    assert answers["a2"] == {"level": 2}                 # the colleague's other answer survived


def test_a_conflict_with_ones_own_other_tab_says_so(client, app, ana, make_assessment):
    """Issue 18: the panel said "another person" for the same user's second tab; and it sits
    in the main column, so the section list stays beside the heading."""
    aid = make_assessment(ana, answers={"a1": {"level": 1}})
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    with app.app_context():      # the same user, from another tab
        a = db.session.get(Assessment, aid)
        ops.save_answers(a, db.session.get(User, ana), a.revision, {"a1": {"level": 3}})
        db.session.commit()
    r = client.post(section_url(aid), data=post_data(fields, a1__level="2", action="save"))
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "You changed the same answers in another tab or session" in html
    assert "Someone else" not in html and "you, in another tab or session" in html
    main = html.split('<div class="section-main">', 1)[1].split('<nav class="section-nav"', 1)[0]
    assert "data-conflict-panel" in main


# -- the JSON answers of autosave -------------------------------------------------------------

def test_autosave_json_saved_invalid_and_conflict(client, app, ana, make_assessment, make_user):
    aid = make_assessment(ana)
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    r = client.post(section_url(aid), data=post_data(fields, a1__level="2"), headers=JSON)
    assert r.status_code == 200
    body = r.get_json()
    assert body["revision"] == 1 and body["changed"] == ["a1"] and body["saved_at"]
    assert set(body["fingerprints"]) == set(app.extensions["catalog"].latest("prevention-readiness")
                                            .sections[0].items)
    fields["base_revision"] = [str(body["revision"])]
    for key, value in body["fingerprints"].items():
        fields[f"{key}-base"] = [value]
    r = client.post(section_url(aid), data=post_data(fields, a1__level="2", a2__level="9"), headers=JSON)
    assert r.status_code == 422
    details = r.get_json()["details"]
    assert details["items"] == {"a2": {"level": "Choose a level from 0 to 4."}}
    assert details["fields"] == {"a2-level": "Choose a level from 0 to 4."}
    assert details["anchors"] == {"a2-level": "a2-level-0"}
    # Autosave then skips the refused item so the others still save.
    r = client.post(section_url(aid), data=post_data(fields, a1__level="3", a2__level="9", skip="a2"),
                    headers=JSON)
    assert r.status_code == 200 and r.get_json()["changed"] == ["a1"]
    ben = make_user("ben@a.example", org="Org A")
    with app.app_context():
        a = db.session.get(Assessment, aid)
        ops.save_answers(a, db.session.get(User, ben), a.revision, {"a1": {"level": 0}})
        db.session.commit()
    r = client.post(section_url(aid), data=post_data(fields, a1__level="4"), headers=JSON)
    assert r.status_code == 409
    details = r.get_json()["details"]
    assert details["conflicts"] == ["a1"] and "data-keep-mine" in details["html"]
    assert details["described"][-1]["new"] == "Level 0" and details["described"][-1]["by"] == "ben@a.example"


def test_an_autosave_reads_the_answers_once_and_counts_progress_from_them(
        client, app, ana, make_assessment, q):
    """Issue 14: a save took the assessment's lock twice (the section's merge, then the save)
    and each time read every answer of the assessment again; its progress made an answer of
    every row.  One read now, and the progress it reports is the stored answers' own."""
    elsewhere = [k for k in full_answers(q) if not k.startswith("a")][:2]
    aid = make_assessment(ana, answers={k: full_answers(q)[k] for k in elsewhere})
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    statements, r = statements_of(app, lambda: client.post(section_url(aid), data=post_data(fields, a1__level="2"),
                                                           headers=JSON))
    assert r.status_code == 200 and r.get_json()["changed"] == ["a1"]
    assert sum(s.lstrip().startswith("SELECT") and "FROM answers" in s for s in statements) == 1
    assert sum(s.lstrip().startswith("UPDATE assessments SET revision = revision") for s in statements) == 1
    with app.app_context():
        expected = completeness.progress(q, store.answers_of(db.session.get(Assessment, aid)))
    progress = r.get_json()["progress"]
    assert progress["answered"] == expected["answered"] == 3


def test_a_stale_tab_cannot_overwrite_a_colleague_s_answer_after_an_unrelated_save(
        client, app, ana, make_assessment, make_user):
    """Two tabs on one section: tab A sets a1; tab B, stale, saves a2 (merged: fine), then edits
    a1. B's a2 save must not hand B a fingerprint for a1 it never saw, so B's a1 edit is a
    conflict shown to B, never a silent overwrite of A's answer."""
    aid = make_assessment(ana, answers={"a1": {"level": 2}})
    tab_b = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    ben = make_user("ben@a.example", org="Org A")
    with app.app_context():                                   # tab A (a colleague): a1 -> 0
        a = db.session.get(Assessment, aid)
        ops.save_answers(a, db.session.get(User, ben), a.revision, {"a1": {"level": 0}})
        db.session.commit()
    r = client.post(section_url(aid), data=post_data(tab_b, a1__level="2", a2__level="3"), headers=JSON)
    assert r.status_code == 200 and r.get_json()["changed"] == ["a2"]
    body = r.get_json()
    assert body["outdated"] == ["a1"] and "a1" not in body["fingerprints"]
    assert [c["item"] for c in body["others"]] == ["a1"]
    # The page's script applies the reply as it does: the new revision and fingerprints.
    tab_b["base_revision"] = [str(body["revision"])]
    for key, value in body["fingerprints"].items():
        tab_b[f"{key}-base"] = [value]
    r = client.post(section_url(aid), data=post_data(tab_b, a1__level="4", a2__level="3"), headers=JSON)
    assert r.status_code == 409 and r.get_json()["details"]["conflicts"] == ["a1"]
    answers = stored(app, aid)[1]
    assert answers["a1"] == {"level": 0} and answers["a2"] == {"level": 3}


def test_autosave_json_carries_the_new_progress_counts(client, app, ana, make_assessment, q):
    aid = make_assessment(ana, answers={"b2": {"level": 1}})
    html = client.get(section_url(aid)).get_data(as_text=True)
    # The sidebar lines the script updates, and the translated text it fills in.
    first = q.sections[0]
    n = len([k for k in first.items if q.item_map[k].scored])
    assert f'<span class="nav-progress" data-progress-for="{first.key}">0 of {n} answered</span>' in html
    assert 'data-progress="{a} of {n} answered"' in html
    fields = form_fields(html)
    r = client.post(section_url(aid), data=post_data(fields, a1__level="2", a2__level="__dont_know",
                                                     a3__comment="Only a comment: not an answer"),
                    headers=JSON)
    assert r.status_code == 200
    progress = r.get_json()["progress"]
    expected = completeness.progress(q, stored_answers(app, aid))
    assert progress["answered"] == expected["answered"] == 3
    assert progress["scored"] == len(q.scored_items)
    assert progress["sections"][0] == {"key": first.key, "answered": 2, "scored": n, "state": "in_progress"}
    assert [s["key"] for s in progress["sections"]] == [s.key for s in q.sections]
    assert [s["answered"] for s in progress["sections"]] == [s["answered"] for s in expected["sections"]]
    # A later autosave that clears an answer lowers the count again.
    body = r.get_json()
    fields["base_revision"] = [str(body["revision"])]
    for key, value in body["fingerprints"].items():
        fields[f"{key}-base"] = [value]
    r = client.post(section_url(aid), data=post_data(fields, a1__level=None, a2__level="__dont_know",
                                                     a3__comment="Only a comment: not an answer"),
                    headers=JSON)
    assert r.status_code == 200 and r.get_json()["progress"]["sections"][0]["answered"] == 1


def stored_answers(app, aid):
    with app.app_context():
        return store.answers_of(db.session.get(Assessment, aid))


# -- "Clear answer": a chosen radio back to no answer ---------------------------------------------

def audit_rows(app, aid, key):
    from app.models import AuditEntry

    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(
            AuditEntry.assessment_id == aid, AuditEntry.item_key == key).order_by(AuditEntry.id)).all()
        return [(r.action, r.revision, r.old_value, r.new_value) for r in rows]


def clear_button(html, key):
    """The <p> holding the "Clear answer" button of ``key`` (hidden or not) and the button."""
    m = re.search(rf'<p class="clear-answer" data-clear-wrap( hidden)?>\s*(<button[^>]*value="{key}"[^>]*>[^<]*</button>)',
                  html)
    assert m, f"no clear button for {key}"
    return m.group(1) is None, m.group(2)


def test_clear_answer_button_is_shown_for_chosen_radios_only(client, ana, make_assessment, q):
    choice = next(i for i in q.items if i.type == "choice")
    aid = make_assessment(ana, answers={"a1": {"level": 3}, choice.key: {"option": choice.options[0].code}})
    html = client.get(section_url(aid)).get_data(as_text=True)
    shown, button = clear_button(html, "a1")
    assert shown and 'type="submit"' in button and 'name="clear"' in button
    assert 'aria-label="Clear answer to question a1"' in button and ">Clear answer</button>" in button
    assert clear_button(html, "a2")[0] is False          # nothing chosen: nothing to clear
    html = client.get(section_url(aid, q.section_of[choice.key].key)).get_data(as_text=True)
    assert clear_button(html, choice.key)[0] is True
    # Checklists and numbers are cleared by unticking or emptying: no button.
    checklist = next(i for i in q.items if i.type == "checklist")
    html = client.get(section_url(aid, q.section_of[checklist.key].key)).get_data(as_text=True)
    assert f'value="{checklist.key}" class="button small" data-clear-answer' not in html
    # Enter in a text field presses the first submit button: a hidden "Save and continue", not a clear.
    form = html.split('id="section-form"')[1]
    first = re.search(r"<button[^>]*>", form).group(0)
    assert 'name="action" value="continue"' in first and "hidden" in first


def test_clear_answer_without_javascript_stores_the_item_as_unanswered(client, app, ana, make_assessment, q):
    evidence = [{"type": "law", "reference": "Children Act 2022", "note": ""}]
    aid = make_assessment(ana, answers={"a1": {"level": 3, "evidence": evidence, "comment": "Checked"},
                                        "a2": {"level": 2}})
    revision = stored(app, aid)[0]
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    assert fields["a1-level"] == ["3"]
    # The button posts the whole form (other edits save with it) plus clear=a1.
    r = client.post(section_url(aid), data=post_data(fields, a2__comment="Typed before clearing", clear="a1"))
    assert r.status_code == 302
    assert r.headers["Location"].endswith(section_url(aid) + "#item-a1")
    new_revision, answers = stored(app, aid)
    assert new_revision == revision + 1
    # No level any more; the evidence and comment typed for it are kept.
    assert answers["a1"] == {"evidence": evidence, "comment": "Checked"}
    assert answers["a2"] == {"level": 2, "comment": "Typed before clearing"}
    with app.app_context():
        a = db.session.get(Assessment, aid)
        assert store.answers_of(a)["a1"].has_answer is False
        assert "a1" in ops.missing_items(a)
    # Audited like any other change, with what it was.
    assert audit_rows(app, aid, "a1")[-1] == (
        "answer.update", revision + 1, {"level": 3, "evidence": evidence, "comment": "Checked"},
        {"evidence": evidence, "comment": "Checked"})
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "The answer to question a1 is cleared: it counts as not answered. Its evidence and comment are kept." in html
    assert not re.search(r'id="a1-level-\d"[^>]*checked', html) and clear_button(html, "a1")[0] is False
    # An item with nothing else to keep: its row goes, as with null through the API.
    fields = form_fields(html)
    r = client.post(section_url(aid), data=post_data(fields, clear="a2"))
    assert r.status_code == 302
    answers = stored(app, aid)[1]
    assert answers["a2"] == {"comment": "Typed before clearing"}
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    client.post(section_url(aid), data=post_data(fields, a2__comment=""))
    with app.app_context():
        from app.models import Answer
        assert db.session.scalars(select(Answer).where(Answer.assessment_id == aid,
                                                       Answer.item_key == "a2")).all() == []


def test_clear_answer_of_a_choice_item_and_junk_values_are_ignored(client, app, ana, make_assessment, q):
    def na_scale(key):   # a scale item of the same section that allows "not applicable"
        return next((q.item_map[k] for k in q.section_of[key].items
                     if na_for_a_country(q, q.item_map[k]) and q.item_map[k].type == "scale"), None)

    choice = next(i for i in q.items if i.type == "choice" and na_scale(i.key))
    section = q.section_of[choice.key]
    na_item = na_scale(choice.key)
    aid = make_assessment(ana, answers={choice.key: {"option": choice.options[0].code},
                                        na_item.key: {"not_applicable": True, "reason": "No such sector"}})
    fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
    for junk in ("zz9", "a1", "", "base_revision"):    # not a clearable item of this section: a plain save
        r = client.post(section_url(aid, section.key), data=post_data(fields, clear=junk))
        assert r.status_code == 302 and "#item-" not in r.headers["Location"]
        assert stored(app, aid)[1][choice.key] == {"option": choice.options[0].code}
    r = client.post(section_url(aid, section.key), data=post_data(fields, clear=choice.key))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"#item-{choice.key}")
    assert choice.key not in stored(app, aid)[1]
    assert audit_rows(app, aid, choice.key)[-1][2:] == ({"option": choice.options[0].code}, None)
    # "Not applicable" is a chosen radio too; its reason goes with it.
    fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
    assert fields[f"{na_item.key}-level"] == ["__not_applicable"]
    r = client.post(section_url(aid, section.key), data=post_data(fields, clear=na_item.key))
    assert r.status_code == 302 and na_item.key not in stored(app, aid)[1]


def test_clear_answer_is_merged_like_any_save(client, app, ana, make_user, make_assessment):
    aid = make_assessment(ana, answers={"a1": {"level": 1}, "a2": {"level": 1}})
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    ben = make_user("ben@a.example", org="Org A")
    with app.app_context():
        a = db.session.get(Assessment, aid)
        ops.save_answers(a, db.session.get(User, ben), a.revision, {"a1": {"level": 4}, "a3": {"level": 2}})
        db.session.commit()
    # Clearing an answer someone else changed meanwhile is a conflict: nothing saved, choice shown.
    r = client.post(section_url(aid), data=post_data(fields, clear="a1"))
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Someone else changed the same answers" in html
    assert not re.search(r'id="a1-level-\d"[^>]*checked', html)     # the user's version: cleared
    assert stored(app, aid)[1]["a1"] == {"level": 4}
    # Clearing one they did not touch saves, and leaves their other change alone.
    r = client.post(section_url(aid), data=post_data(fields, clear="a2"))
    assert r.status_code == 302
    answers = stored(app, aid)[1]
    assert "a2" not in answers and answers["a1"] == {"level": 4} and answers["a3"] == {"level": 2}


def test_session_expiry_on_autosave_answers_json_401(client, ana, make_assessment, auth):
    aid = make_assessment(ana)
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    auth.logout()
    r = client.post(section_url(aid), data=post_data(fields, a1__level="1"), headers=JSON)
    assert r.status_code in (400, 401) and r.is_json   # the CSRF token died with the session


# -- submit, read-only, copy --------------------------------------------------------------------

def test_submit_refused_with_missing_list_then_allowed_then_read_only(client, app, ana, make_assessment, q):
    aid = make_assessment(ana, answers={"a1": {"level": 2}})
    token = csrf_token(client, f"/assessments/{aid}")
    r = client.post(f"/assessments/{aid}/submit", data={"csrf_token": token})
    # Post/redirect/get: the overview (a plain GET, safe to reload) says why and lists what is missing.
    assert r.status_code == 303 and r.headers["Location"] == f"/assessments/{aid}"
    assert db_status(app, aid) == "draft"
    r = client.get(r.headers["Location"])
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "You cannot submit yet" in html and f"{len(q.scored_items) - 1} scored questions have no answer" in html
    assert f'href="/assessments/{aid}/sections/s_a_knowledge#item-a2"' in html
    with app.app_context():
        a = db.session.get(Assessment, aid)
        ops.save_answers(a, db.session.get(User, ana), a.revision, full_answers(q))
        db.session.commit()
    # Issue 18: a complete assessment is submitted through a confirmation step (a page: no
    # JavaScript needed), never by one click on the overview.
    overview = client.get(f"/assessments/{aid}").get_data(as_text=True)
    assert 'class="submit-form"' not in overview and f'href="/assessments/{aid}/submit"' in overview
    confirm = client.get(f"/assessments/{aid}/submit")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Yes, submit the assessment" in html and "read-only" in html
    assert db_status(app, aid) == "draft"
    r = client.post(f"/assessments/{aid}/submit", data={"csrf_token": csrf_token(client, f"/assessments/{aid}/submit")})
    assert r.status_code == 302
    assert db_status(app, aid) == "submitted"
    assert client.get(f"/assessments/{aid}/submit").status_code == 302     # nothing to confirm any more
    # Read-only for everyone: the section page sends to the read-only answers; saves are refused.
    r = client.get(section_url(aid))
    assert r.status_code == 302 and f"/assessments/{aid}/answers#section-s_a_knowledge" in r.headers["Location"]
    html = client.get(f"/assessments/{aid}/answers").get_data(as_text=True)
    assert "read-only" in html and "Level 2:" in html and "<form" not in html.split('id="main"')[1]
    revision = stored(app, aid)[0]
    r = client.post(section_url(aid), data={"csrf_token": token, "base_revision": str(revision), "a1-level": "4",
                                            "a1-comment": "Typed in a tab left open"})
    # A tab left open: the page comes back as the user had it, with why nothing was saved.
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Nothing was saved" in html and "This assessment is submitted and read-only" in html
    assert "Typed in a tab left open" in html and re.search(r'id="a1-level-4"[^>]*checked', html)
    assert f'href="/assessments/{aid}/answers"' in html
    r = client.post(section_url(aid), data={"csrf_token": token, "base_revision": str(revision), "a1-level": "4"},
                    headers=JSON)
    assert r.status_code == 409 and r.get_json()["details"]["status"] == "submitted"
    assert stored(app, aid)[0] == revision


def test_refused_submit_redirects_to_the_overview_with_its_reason_once(client, app, ana, make_assessment, q):
    aid = make_assessment(ana, answers={"a1": {"level": 2}, "a2": {"dont_know": True}})
    token = csrf_token(client, f"/assessments/{aid}")
    r = client.post(f"/assessments/{aid}/submit", data={"csrf_token": token}, follow_redirects=True)
    assert r.status_code == 200 and r.request.method == "GET" and r.request.path == f"/assessments/{aid}"
    assert [resp.status_code for resp in r.history] == [303]
    html = r.get_data(as_text=True)
    missing = len(q.scored_items) - 2
    # The reason is in the error summary (an alert that takes focus), once: not also as a plain flash.
    summary = re.search(r'<div class="error-summary" role="alert" tabindex="-1" data-error-summary>(.*?)</div>',
                        html, re.S)
    assert summary and "You cannot submit yet" in summary.group(1)
    assert f"{missing} scored questions have no answer" in summary.group(1)
    assert 'href="#missing"' in summary.group(1)
    assert html.count(f"{missing} scored questions have no answer") == 1
    assert 'class="flashes"' not in html
    # The list of what is missing, each linking to its question on its section page.
    assert 'id="missing"' in html and f"{missing} questions still need an answer" in html
    for key in ("a3", "a4"):
        assert f'href="/assessments/{aid}/sections/s_a_knowledge#item-{key}"' in html
    assert '#item-a1"' not in html.split('id="missing"')[1].split("</div>")[0]
    # A reload is a plain GET of the overview: no resubmission, and the message was said once.
    r = client.get(f"/assessments/{aid}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "You cannot submit yet" not in html and 'id="missing"' in html
    # The API still answers 422 with the missing keys.
    r = client.post(f"/assessments/{aid}/submit", data={"csrf_token": token}, headers=JSON)
    assert r.status_code == 422 and len(r.get_json()["details"]["missing"]) == missing


def test_other_flashes_still_show_on_the_overview(client, ana, q):
    r = client.post("/assessments/new", data={"csrf_token": csrf_token(client, "/assessments/new"),
                                               "questionnaire": f"{q.id}@{q.version}",
                                               "jurisdiction": "KE", "period": "2026", "title": "Flash"},
                    follow_redirects=True)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'class="flashes"' in html and "Assessment started." in html
    assert "You cannot submit yet" not in html


def db_status(app, aid):
    with app.app_context():
        return db.session.get(Assessment, aid).status


def test_read_only_view_shows_capped_levels(client, app, ana, make_assessment, q):
    aid = make_assessment(ana, answers={"a1": {"level": 4, "evidence": [
        {"type": "law", "reference": "https://example.org/act", "note": ""}]}})
    html = client.get(f"/assessments/{aid}/answers").get_data(as_text=True)
    assert "Level 3: level 4 needs evaluation or data evidence to count." in html
    assert '<a href="https://example.org/act" rel="noopener noreferrer">' in html


def test_evidence_notice_is_rendered_server_side(client, ana, make_assessment):
    aid = make_assessment(ana, answers={"a1": {"level": 3, "evidence": [
        {"type": "expert_judgement", "reference": "Working group", "note": ""}]}, "a2": {"level": 3, "evidence": [
            {"type": "policy", "reference": "Plan 2025", "note": ""}]}})
    html = client.get(section_url(aid)).get_data(as_text=True)
    a1 = html.split('id="item-a1"')[1].split('id="item-a2"')[0]
    a2 = html.split('id="item-a2"')[1].split('id="item-a3"')[0]
    # a1 is a core question: under rubric 1.1 (the latest version's) it counts as level 1.
    assert "Level 3 needs a documentary evidence entry" in a1 and "counts as level 1" in a1
    assert re.search(r'class="evidence-notice" id="a2-notice" role="status" hidden', a2)


def test_start_new_assessment_and_copy_from_previous(client, app, ana, make_assessment, q):
    r = client.get("/assessments/new")
    assert r.status_code == 200
    token = csrf_token(client, "/assessments/new")
    base = {"csrf_token": token, "questionnaire": f"{q.id}@{q.version}", "period": "2027", "title": "Next"}
    r = client.post("/assessments/new", data=base | {"jurisdiction": "XX-1"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert '<p class="error-message" id="jurisdiction-error">' in html and 'value="Next"' in html
    old = make_assessment(ana, answers=full_answers(q, level=3), submit=True, title="Last year")
    assert 'Last year (2026, submitted)' in client.get("/assessments/new").get_data(as_text=True)
    r = client.post("/assessments/new", data=base | {"jurisdiction": "KE-30", "based_on": str(old)})
    assert r.status_code == 302
    with app.app_context():
        new = db.session.scalar(select(Assessment).where(Assessment.title == "Next"))
        assert new.based_on_id == old and new.jurisdiction == "KE-30" and new.status == "draft"
        assert len(new.answers) == len(q.scored_items)


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_new_assessment_choices_are_in_the_readers_language(client, ana, make_assessment, q, lang):
    """The questionnaire's version and an earlier assessment's status read in the page's
    language ("(version 1.1)" and "(2026, submitted)" were English on an Arabic page)."""
    make_assessment(ana, answers=full_answers(q, level=3), submit=True, title="Last year")
    html = unescape(client.get("/assessments/new", headers={"Accept-Language": lang}).get_data(as_text=True))
    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    version, earlier = next(o for o in options if q.version in o), next(o for o in options if "Last year" in o)
    assert "version" not in version and "submitted" not in earlier, (version, earlier)


def test_other_organisations_cannot_see_or_save(client, app, make_user, make_assessment, auth):
    owner = make_user("owner@a.example", org="Org A")
    aid = make_assessment(owner)
    make_user("olga@b.example", org="Org B", kind="ngo")
    auth.login("olga@b.example")
    assert client.get(f"/assessments/{aid}").status_code == 404
    assert client.get(section_url(aid)).status_code == 404
    r = client.post(section_url(aid), data={"csrf_token": csrf_token(client, "/assessments"),
                                            "base_revision": "0", "a1-level": "4"})
    assert r.status_code == 404 and stored(app, aid) == (0, {})


# -- reviewers' feedback, readable changes, one completeness, all errors at once ----------------

def test_returned_assessment_shows_reason_comments_and_readable_changes(client, app, ana, make_user,
                                                                       make_assessment, q):
    aid = make_assessment(ana, answers=full_answers(q), submit=True)
    reviewer = make_user("rev@un.example", role="reviewer", org="UN", kind="other")
    assert return_with_comments(app, aid, reviewer) == 2
    html = unescape(client.get(f"/assessments/{aid}").get_data(as_text=True))
    top = html.split('id="review-feedback"')[1].split("<h2>")[1:3]
    assert "Returned for changes" in top[0] and "Evidence for a1 is missing." in html
    feedback = html.split('id="review-feedback"')[1].split("</div>")[0]
    assert "Please check the whole of section B." in feedback
    assert "Cite the act" not in feedback and "/sections/s_a_knowledge#item-a1" in feedback
    assert f'href="/review/assessments/{aid}"' in feedback
    # Recent changes in words, never the audit codes.
    changes = html.split("Recent changes")[1]
    for label in ("Returned for changes", "Review started", "Comment on question a1",
                  "Comment on the assessment"):
        assert label in changes
    assert "review.return" not in changes and "comment.create" not in changes
    assert "Answer to question a1" not in changes.split("Comment on question a1")[0]
    # The section page: the item's comments next to it, and only there.
    html = unescape(client.get(section_url(aid)).get_data(as_text=True))
    a1 = html.split('id="item-a1"')[1].split('id="item-a2"')[0]
    assert 'id="a1-reviewer-comments"' in a1 and "Cite the act's section number." in a1
    assert "Reviewer comments" not in html.split('id="item-a2"')[1]
    assert "Please check the whole of section B." not in html


def test_feedback_loads_in_one_query_per_page(client, app, ana, make_user, make_assessment, q):
    aid = make_assessment(ana, answers=full_answers(q), submit=True)
    return_with_comments(app, aid, make_user("rev@un.example", role="reviewer", org="UN", kind="other"))
    statements, _page = statements_of(app, lambda: client.get(section_url(aid)))
    assert sum("FROM comments" in s for s in statements) == 1


def test_draft_shows_no_feedback_box(client, ana, make_assessment):
    html = client.get(f"/assessments/{make_assessment(ana)}").get_data(as_text=True)
    assert 'id="review-feedback"' not in html and "Reviewer comments" not in html
    assert "Assessment created" in html.split("Recent changes")[1] and "assessment.create" not in html


def test_list_and_overview_floor_the_same_completeness(client, app, ana, make_assessment, q):
    from app.assessments.display import percent_complete
    assert percent_complete({"scored": 7, "answered": 2}) == 28  # 28.57: not 29
    assert percent_complete({"scored": 1000, "answered": 999}) == 99
    assert percent_complete({"scored": 0, "answered": 0}) == 100
    aid = make_assessment(ana, answers={"a1": {"level": 2}, "a2": {"dont_know": True}})
    expected = 2 * 100 // len(q.scored_items)
    listing = client.get("/assessments").get_data(as_text=True)
    overview = client.get(f"/assessments/{aid}").get_data(as_text=True)
    assert f'<span class="pct">{expected}%</span>' in listing
    assert f"({expected}%)" in overview and f">{expected}%</progress>" in overview


def test_new_assessment_shows_every_error_at_once(client, ana, q):
    token = csrf_token(client, "/assessments/new")
    r = client.post("/assessments/new", data={"csrf_token": token, "questionnaire": f"{q.id}@{q.version}",
                                              "jurisdiction": "XX-1", "period": "next year!!", "title": ""})
    assert r.status_code == 422
    html = unescape(r.get_data(as_text=True))
    assert 'id="jurisdiction-error"' in html and 'id="title-error"' in html and 'id="period-error"' in html
    assert "Give the period as a year (2026), a range (2025-2026) or a quarter (2026 Q1)" in html
    summary = html.split("data-error-summary>")[1].split("</div>")[0]
    assert summary.count("<li>") == 3


def test_action_labels_have_a_generic_fallback(app):
    from app.assessments.display import action_label
    with app.test_request_context():
        assert action_label("answer.update", "b3") == "Answer to question b3"
        assert action_label("comment.create", "b3") == "Comment on question b3"
        assert action_label("comment.create") == "Comment on the assessment"
        assert action_label("score.recompute") == "Score recomputed"
        assert action_label("something.new") == "Other change" and action_label(None) == "Other change"


def test_section_page_has_a_skip_link_to_the_section_list(client, app, ana, make_assessment):
    """The section list follows the long form in the page order: one link at the top gets a
    keyboard user there (the target can take focus)."""
    aid = make_assessment(ana)
    html = client.get(section_url(aid)).get_data(as_text=True)
    skip = html.index('href="#section-nav"')
    assert skip < html.index('id="section-form"')
    assert re.search(r'<nav class="section-nav" id="section-nav" tabindex="-1"', html)
    # Partial-save messages in both plural forms, with the count left for the script to fill.
    assert 'data-partly-one="Saved at {time}. {count} answer not saved' in html
    assert 'data-partly-other="Saved at {time}. {count} answers not saved' in html


@pytest.mark.parametrize("lang, category, count, expected", [
    ("ru", "many", 5, "{count} ответов"), ("ru", "few", 3, "{count} ответа"),
    ("ar", "few", 3, "إجابات"), ("ar", "many", 11, "إجابةً"), ("ar", "two", 2, "إجابتان")])
def test_partial_save_messages_come_in_every_plural_category_of_the_language(
        client, ana, make_assessment, lang, category, count, expected):
    """The script chose between two forms, the catalogue's n=1 and n=2: 5 unsaved answers read
    "5 ответа" in Russian and an Arabic dual ("إجابتان") for any number.  Every CLDR category
    of the page's language is there, for the script's Intl.PluralRules to pick."""
    from babel import Locale

    aid = make_assessment(ana)
    assert Locale.parse(lang).plural_form(count) == category
    html = unescape(client.get(section_url(aid), headers={"Accept-Language": lang}).get_data(as_text=True))
    message = re.search(rf'data-partly-{category}="([^"]*)"', html)
    assert message and expected in message.group(1), (category, message and message.group(1))


def test_not_applicable_posted_for_an_item_without_it_is_refused_not_a_500(client, app, ana, make_assessment, q):
    """An item that does not allow N/A has no reason field: a hand-made POST choosing
    "__not_applicable" for it got a KeyError (500); it is refused next to the item."""
    item = next(i for i in q.items if i.type == "scale" and not i.allow_na)
    section = q.section_of[item.key]
    aid = make_assessment(ana)
    fields = form_fields(client.get(section_url(aid, section.key)).get_data(as_text=True))
    r = client.post(section_url(aid, section.key), data=post_data(fields, **{f"{item.key}__level": "__not_applicable"}))
    assert r.status_code == 422
    assert f'id="{item.key}-level-error"' in r.get_data(as_text=True)
    assert stored(app, aid) == (0, {})
