"""The results page and the PDF say the same thing (issue 17): one display vocabulary
(:mod:`app.display`) writes every level, share, score, label and source, and one set of rows
(:class:`app.display.rows.Rows`) is read by both.  Here the same submitted assessment is
shown as the results page (HTML through the test client) and as the gap report (its
context, then the PDF read back with pypdf), in English and in French, and every string the
PDF context holds for a level, share, score, band, weight, area or source is found in both.

Its stored score is edited to carry a gap at level 2.25 and one at 1.96: a stored score is
shown as it was stored, so both outputs must write "2.3" and "2.0" ("2,3" and "2,0" in
French), never "2.2" or "2".
"""
from __future__ import annotations

import html as htmllib
import io
import re

import pypdf
import pytest

from app.display import numbers as n
from tests.factories import csrf_token, full_answers

PASSWORD = "correct-horse-battery"
LANGUAGES = {"en": "en-GB,en;q=0.9", "fr": "fr-FR,fr;q=0.9"}


# -- the one rounding rule and the locale formats ------------------------------------------------
@pytest.mark.parametrize("value,text", [(2.25, "2.3"), (1.96, "2.0"), (2.0, "2"), (2.35, "2.4"),
                                        (0.05, "0.1"), (3.999999999999, "4"), (None, "\u2013")])
def test_levels_round_half_up_and_never_pass_for_whole(value, text):
    assert n.level(value) == text


def test_scores_shares_and_numbers_round_half_up_in_decimal():
    assert n.score(47.25) == "47.3" and n.score(0.05) == "0.1" and n.score(None) == "\u2013"
    assert n.share(0.9775) == "97.8%" and n.share(0.486) == "48.6%" and n.share(1) == "100.0%"
    assert n.number(1.255) == "1.26" and n.number(3.0) == "3" and n.decimal(0.125, 2) == "0.13"
    assert n.signed(-1.0) == "\u22121.0" and n.signed(0.04) == "0.0" and n.signed(2, whole=True) == "+2"


@pytest.mark.parametrize("lang,level,score,share", [
    ("en", "2.3", "48.6", "97.7%"),
    ("zh", "2.3", "48.6", "97.7%"),
    ("fr", "2,3", "48,6", "97,7\u00a0%"),     # CLDR (Babel): a no-break space before %
    ("es", "2,3", "48,6", "97,7\u00a0%"),
    ("ru", "2,3", "48,6", "97,7\u00a0%"),
    ("ar", "2.3", "48.6", "97.7%"),           # Latin digits, as UN Arabic documents write them
])
def test_decimals_follow_the_locale(app, lang, level, score, share):
    import flask_babel

    with app.test_request_context(), flask_babel.force_locale(lang):
        assert (n.level(2.25), n.score(48.55), n.share(0.977)) == (level, score, share)
        assert n.level(1.96) == ("2,0" if lang in ("fr", "es", "ru") else "2.0")
        assert n.sources([{"document": "A/68/275", "paragraphs": [1, 2]}])[0].startswith("A/68/275")


# -- the page and the PDF agree ------------------------------------------------------------------
@pytest.fixture
def site(tmp_path):
    """A submitted assessment whose stored score has gaps at levels 2.25 and 1.96."""
    from app.extensions import db
    from app.models import Assessment
    from tests.factories import make_people, new_assessment, seed_app

    app = seed_app(tmp_path)
    people = make_people(app)
    q = app.extensions["catalog"].latest("prevention-readiness")
    answers = full_answers(q, level=1)
    dk = next(it for it in q.scored_items if it.allow_dont_know)
    answers[dk.key] = {"dont_know": True}
    aid = new_assessment(app, people["R"], answers, submit=True, title="Agreement")
    with app.app_context():
        a = db.session.get(Assessment, aid)
        doc = dict(a.score)
        gaps = [dict(g) for g in doc["gaps"]]
        known = [g for g in gaps if not g.get("unknown")]
        known[0]["current"], known[1]["current"] = 2.25, 1.96
        doc["gaps"] = gaps
        a.score = doc
        db.session.commit()
    return app, aid


def page_text(app, aid: int, lang: str) -> str:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = LANGUAGES[lang]
    r = client.post("/login", data={"email": "r@a.example", "password": PASSWORD,
                                    "csrf_token": csrf_token(client, "/login")})
    assert r.status_code == 302
    r = client.get(f"/assessments/{aid}/results")
    assert r.status_code == 200
    return flat(htmllib.unescape(re.sub(r"<[^>]+>", " ", r.get_data(as_text=True))))


def report(app, aid: int, lang: str) -> tuple[dict, str]:
    """The gap report's context and the text of its PDF, in ``lang``."""
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment

    with app.app_context(), flask_babel.force_locale(lang):
        context = reports.gather(db.session.get(Assessment, aid), "gap", lang).context()
        pdf = reports.html_to_pdf(reports.render_html(context))
    text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return context, text


def shown_strings(context: dict) -> set[str]:
    """Every level, share, score, band, weight, area, source and formula string of the context."""
    h = context["headline"]
    out = {h["score_text"], h["known_only_text"], h["coverage_text"], h["completeness_text"],
           h["band"]["label"]}
    for row in (*context["areas"], *context["layers"]):
        out |= {row["score_text"], row["known_only_text"], row["band"]["label"]}
    out |= {a["dont_know_share_text"] for a in context["areas"]}
    out |= {a["formula"] for a in context["areas"]}        # the arithmetic, written once too
    for g in context["gaps"]:
        out |= {g["current_text"], g["target_text"], g["priority_text"], g["areas_text"],
                g["item"]["weight_class_label"], *g["sources"]}
    out |= {b["label"] for b in context["bands"]} | {b["range"] for b in context["bands"]}
    return {s for s in out if s}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_results_page_and_pdf_show_identical_strings(site, lang):
    app, aid = site
    page = page_text(app, aid, lang)
    context, pdf = report(app, aid, lang)
    strings = shown_strings(context)
    assert len(strings) > 30
    missing_page = sorted(s for s in strings if flat(s) not in page)
    assert not missing_page, missing_page
    # The PDF's text layer breaks lines and drops spaces: compare without whitespace, and
    # only strings short enough not to be hyphenated across lines.
    missing_pdf = sorted(s for s in strings if len(s) < 40 and squash(s) not in squash(pdf))
    assert not missing_pdf, missing_pdf
    level, dec = ("2,3", "2,0") if lang == "fr" else ("2.3", "2.0")
    word = "Niveau" if lang == "fr" else "Level"
    for text in (f"{word} {level}", f"{word} {dec}"):
        assert text in {g["current_text"] for g in context["gaps"]}, text
        assert text in page and squash(text) in squash(pdf), text
    sep = level[1]
    assert f"{word} 2{sep}2" not in page and squash(f"{word} 2{sep}2") not in squash(pdf)  # no half-even
    if lang == "fr":
        assert any(re.fullmatch(r"\d+,\d %", flat(s)) for s in strings)   # French shares
        assert not any(re.fullmatch(r"\d+\.\d", s) for s in strings)     # no English decimals
