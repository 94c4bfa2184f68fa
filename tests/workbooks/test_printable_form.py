"""The printable questionnaire (issue 15, point 4): the blank form in English and Arabic,
read back from the PDF; a form filled in with an assessment's answers; who may have which
form; the API's status codes.  On the small test questionnaire, so that renders are quick."""
from __future__ import annotations

import io

import pytest

from tests.factories import FIXTURES, make_people, new_assessment, pdf_pages, seed_app

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.slow  # renders the printable form as PDF

KEYS = ("a1", "b1", "c1", "d1", "x1")
ANSWERS = {"a1": {"level": 3, "confidence": "high",
                  "evidence": [{"type": "law", "reference": "Act 5 of 2019"}]},
           "x1": {"text": "Interviewed the ministry focal point"}}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("form")
    app = seed_app(tmp, questionnaire_dir=FIXTURES)
    people = make_people(app)
    own = new_assessment(app, people["R"], ANSWERS, title="Kenya paper interviews")
    other = new_assessment(app, people["O"], {}, title="Another organisation's")
    tokens = {}
    with app.app_context():
        from app.auth import operations as ops
        from app.extensions import db
        from app.models import User

        for who, uid in people.items():
            tokens[who] = ops.issue_token(db.session.get(User, uid), "test")
        db.session.commit()
    return {"app": app, "own": own, "other": other, "tokens": tokens}


def get(world, who, path):
    headers = {"Authorization": f"Bearer {world['tokens'][who]}"} if who else {}
    return world["app"].test_client().get(path, headers=headers)


def text_and_lang(pdf: bytes) -> tuple[str, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(pdf_pages(pdf)), str(reader.trailer["/Root"].get("/Lang"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_blank_form_has_every_item_and_tick_boxes(world, lang):
    r = get(world, "V", f"/api/v1/questionnaires/mini/form.pdf?version=1.0&lang={lang}")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert r.mimetype == "application/pdf" and "mini-1.0-form-" + lang in r.headers["Content-Disposition"]
    text, pdf_lang = text_and_lang(r.data)
    assert pdf_lang == lang
    for key in KEYS:
        assert key in text
    assert text.count("☐") >= 5 + 3 * len(KEYS) and "☒" not in text   # five levels, confidence
    if lang == "en":
        assert "Don't know" in text and "Not applicable" in text and "Evidence" in text


def test_the_filled_form_ticks_the_saved_level_and_shows_the_texts(world):
    r = get(world, "R", f"/api/v1/assessments/{world['own']}/form.pdf?lang=en")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    text, _lang = text_and_lang(r.data)
    assert "Kenya paper interviews" in text
    assert "Act 5 of 2019" in text and "Interviewed the ministry focal point" in text
    questions = "\n".join(pdf_pages(r.data)[1:])     # after the cover, which explains "☒"
    assert questions.count("☒") == 2       # level 3 of a1, and its confidence "High"
    assert "☒ 3" in questions.replace("\n", " ") and "☐ 3" not in questions.replace("\n", " ")


def test_another_organisations_assessment_is_not_found(world):
    assert get(world, "R", f"/api/v1/assessments/{world['other']}/form.pdf").status_code == 404
    assert get(world, "R", "/api/v1/assessments/999999/form.pdf").status_code == 404


def test_status_codes(world):
    assert get(world, None, "/api/v1/questionnaires/mini/form.pdf").status_code == 401
    assert get(world, None, f"/api/v1/assessments/{world['own']}/form.pdf").status_code == 401
    assert get(world, "R", "/api/v1/questionnaires/nosuch/form.pdf").status_code == 404
    assert get(world, "R", "/api/v1/questionnaires/mini/form.pdf?version=9.9").status_code == 404
    r = get(world, "R", "/api/v1/questionnaires/mini/form.pdf?lang=xx")
    assert r.status_code == 400 and r.is_json
    assert get(world, "R", f"/api/v1/assessments/{world['own']}/form.pdf?lang=xx").status_code == 400
    again = get(world, "R", "/api/v1/questionnaires/mini/form.pdf?lang=en")    # latest version
    assert again.status_code == 200 and again.headers["X-Report-Cache"] == "hit"
