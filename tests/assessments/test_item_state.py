"""A section page opened shows the stored answers without building a WTForms form
(app/assessments/item_state.from_answers): the state it makes must be the very data the form
would hold, field by field and evidence row by row, or the page would show something else
than what a save reads back."""
from __future__ import annotations

import pytest

from app.assessments import item_state
from app.assessments.forms import build_section_form, section_form_class, translator
from app.questionnaire.answers import MAX_EVIDENCE
from tests.factories import full_answers, na_for_a_country


@pytest.fixture
def q(app):
    return app.extensions["catalog"].latest("prevention-readiness")


def answer_sets(q) -> list[dict]:
    """Empty; complete at every level; and one with every kind of special case."""
    rich = full_answers(q, 3)
    for item in q.items:
        if item.type == "scale" and na_for_a_country(q, item):
            rich[item.key] = {"not_applicable": True, "reason": "Not <here>"}
            break
    for n, item in enumerate(i for i in q.items if i.key in rich and "level" in rich[i.key]):
        if n % 3 == 0:
            rich[item.key] = {"dont_know": True, "comment": "dk", "confidence": "low"}
        elif n % 3 == 1:
            rich[item.key] = dict(rich[item.key], evidence=[
                {"type": "law", "reference": "Act <9>", "note": "n"}, {"type": "other", "reference": "x", "note": ""}])
    full = [{"type": "law", "reference": f"Act {n}", "note": ""} for n in range(MAX_EVIDENCE)]
    rich[next(i.key for i in q.items if i.type == "scale")] = {"level": 2, "evidence": full}
    for item in q.items:
        if item.type == "checklist":
            rich[item.key] = {"selected": []}
        elif item.type == "number" and item.allow_dont_know:
            rich[item.key] = {"dont_know": True}
        elif item.type == "text":
            rich[item.key] = {"text": "Free <text>"}
    return [{}, full_answers(q, 0), full_answers(q, 4), rich]


def test_the_state_of_stored_answers_is_the_data_of_their_form(app, q):
    from app.assessments.store import answers_json
    from app.assessments.operations import fingerprint
    from app.questionnaire.patch import parse_patch

    with app.test_request_context():
        t = translator("en")
        for answers in answer_sets(q):
            parsed, errors = parse_patch(q, answers)
            assert not errors
            stored = answers_json(q, {k: v for k, v in parsed.items() if v is not None})
            for section in q.sections:
                prints = {k: fingerprint(stored.get(k)) for k in section.items}
                form = build_section_form(q, section, t, revision=7, answers=stored, fingerprints=prints)
                expected = item_state.from_form(form, section)
                got = item_state.from_answers(section_form_class(q, section, t), q, section, stored, prints)
                assert got.rows == expected.rows, section.key
                assert got.values == {k: v for k, v in expected.values.items() if k != "base_revision"}, section.key


def test_the_page_shows_the_blank_evidence_row_only_while_there_is_room(app, q):
    with app.test_request_context():
        t = translator("en")
        section = q.sections[0]
        key = section.items[0]
        full = {key: {"level": 2, "evidence": [{"type": "law", "reference": f"A{n}", "note": ""}
                                               for n in range(MAX_EVIDENCE)]}}
        state = item_state.from_answers(section_form_class(q, section, t), q, section, full, {})
        assert len(state.rows[key]) == MAX_EVIDENCE + 1 and state.rows[key][-1]["type"] is None
        assert len(state.rows[section.items[1]]) == 1
