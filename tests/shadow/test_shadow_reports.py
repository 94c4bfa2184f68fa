"""Shadow assessments in the PDFs (issue 18), read back with pypdf, on SQLite and PostgreSQL:
an NGO's scorecard and gap report are marked as an independent civil-society assessment
(cover and running head), carry the key messages (escaped: a ``<script>`` text reads
literally), the government's score beside the NGO's only for a viewer who may see it, and
the "how to cite" line; a government's report has none of the marking.  The cache keeps the
viewers' PDFs apart.  The small test questionnaire keeps each render short."""
from __future__ import annotations

import io

import pytest

from tests.factories import SCRIPT, call, pdf_pages, squash, submit

pypdf = pytest.importorskip("pypdf")

pytestmark = pytest.mark.slow  # renders PDFs for each viewer

MARK = "Independent civil-society assessment"


def has_mark(text: str) -> bool:
    """The marking, set in capitals on the first page (CSS), as it is in the running head."""
    return squash(MARK).lower() in squash(text).lower()
MESSAGES = [SCRIPT, "Birth registration lags in rural counties."]


def ready(world):
    """The NGO's assessment with key messages, and the government's with a different answer,
    both submitted."""
    path = f"/api/v1/assessments/{world['ngo']}/key-messages"
    assert call(world, "N", "PUT", path, json={"key_messages": MESSAGES}).status_code == 200
    revision = call(world, "G", "GET", f"/api/v1/assessments/{world['gov']}").get_json()["revision"]
    patch = {"a1": {"level": 4, "evidence": [{"type": "evaluation", "reference": "Evaluation 2025"}]}}
    r = call(world, "G", "PATCH", f"/api/v1/assessments/{world['gov']}/answers",
             json={"base_revision": revision, "answers": patch})
    assert r.status_code == 200, r.get_json()
    submit(world, "N", world["ngo"])
    submit(world, "G", world["gov"])


def render_as(world, who, assessment_id, kind):
    """The PDF's pages as text, rendered for ``who`` through the routes' own pipeline."""
    from app import reports
    from app.extensions import db
    from app.models import Assessment, User

    with world["app"].app_context():
        viewer = db.session.get(User, world["people"][who])
        inputs = reports.gather(db.session.get(Assessment, assessment_id), kind, viewer=viewer)
        pdf = reports.html_to_pdf(reports.render_html(inputs.context()))
    return pdf, pdf_pages(pdf)


def overall(world, who, assessment_id) -> str:
    score = call(world, who, "GET", f"/api/v1/assessments/{assessment_id}/score").get_json()
    return f"{score['overall']['score']:.1f}"


def test_the_ngo_scorecard_for_a_reviewer_is_marked_with_messages_government_score_and_cite(world):
    ready(world)
    pdf, pages = render_as(world, "V", world["ngo"], "scorecard")
    text = squash("".join(pages))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 2
    assert has_mark(pages[0])
    assert all(has_mark(p) for p in pages)                         # and the running head
    assert squash(SCRIPT) in text and squash(MESSAGES[1]) in text
    assert squash("Beside the government's own assessment") in text
    assert squash("Self-assessment 2026") in text
    ngo, gov = overall(world, "V", world["ngo"]), overall(world, "V", world["gov"])
    diff = f"\u2212{float(gov) - float(ngo):.1f}"                   # the NGO's is lower here
    assert squash(f"This assessment{ngo}") in text and squash(f"Government{gov}") in text
    assert squash(f"Difference{diff}") in text                      # overall first
    assert squash(f"Prevention readiness assessment no. {world['ngo']}.") in text
    assert squash("How to cite:Child Rights Network (") in text


def test_the_scorecard_keeps_to_two_pages_with_the_most_key_messages_and_the_government_score(world):
    ready(world)
    longest = [f"Message {n}: " + "readiness " * 29 for n in range(5)]
    assert all(len(m.strip()) <= 300 for m in longest)
    with world["app"].app_context():
        from app.extensions import db
        from app.models import Assessment

        db.session.get(Assessment, world["ngo"]).key_messages = [m.strip() for m in longest]
        db.session.commit()
    pdf, pages = render_as(world, "V", world["ngo"], "scorecard")
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 2
    text = squash("".join(pages))
    assert all(squash(m) in text for m in longest) and squash("Beside the government's own assessment") in text


def test_the_ngo_scorecard_for_its_own_respondent_has_no_government_score(world):
    ready(world)
    _pdf, pages = render_as(world, "N", world["ngo"], "scorecard")
    text = squash("".join(pages))
    assert has_mark(text) and squash(SCRIPT) in text
    assert squash("government's own assessment") not in text and squash("Self-assessment 2026") not in text


def test_a_government_report_is_not_marked(world):
    ready(world)
    _pdf, pages = render_as(world, "V", world["gov"], "scorecard")
    text = squash("".join(pages))
    assert not has_mark(text) and squash("government's own assessment") not in text
    assert squash(f"Prevention readiness assessment no. {world['gov']}.") in text


def test_the_gap_report_marks_its_cover_and_running_head_and_opens_with_the_key_messages(world):
    ready(world)
    world["app"].config["PUBLIC_URL"] = "https://readiness.example.org"
    _pdf, pages = render_as(world, "V", world["ngo"], "gap")
    assert has_mark(pages[0])
    assert squash(f"https://readiness.example.org/assessments/{world['ngo']}/results") in squash(pages[0])
    assert all(has_mark(p) for p in pages[1:])                     # every page's running head
    assert squash("Key messages") in squash(pages[1]) and squash(SCRIPT) in squash(pages[1])
    # The summary's pages, by their running head (the contents page names the chapter too);
    # the footer line now sits between the head and the page number in the text.
    summary = "".join(p for p in pages if "Executivesummary" in squash(p) and "Contents" not in p)
    assert summary
    assert squash("Beside the government's own assessment") in squash(summary)


def test_each_viewer_downloads_the_pdf_made_for_them(world):
    """Through the API and the PDF cache: the reviewer's scorecard (with the government's
    score) is never served to the NGO's respondent, and a change of key messages is a new PDF."""
    from app.extensions import db
    from app.models import Assessment, User
    from app.reports import report_key

    ready(world)
    path = f"/api/v1/assessments/{world['ngo']}/report.pdf?kind=scorecard"
    for who, shows_government in (("V", True), ("N", False)):
        r = call(world, who, "GET", path)
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert (squash("Self-assessment 2026") in squash("".join(pdf_pages(r.data)))) is shows_government, who
    with world["app"].app_context():
        ngo = db.session.get(Assessment, world["ngo"])
        keys = {who: report_key(ngo, "scorecard", viewer=db.session.get(User, world["people"][who]))
                for who in ("V", "N")}
        assert keys["V"] != keys["N"]
        assert report_key(ngo, "scorecard", viewer=None) == keys["N"]  # the warm-up's: no government
        ngo.key_messages = ["Changed"]
        assert report_key(ngo, "scorecard", viewer=None) != keys["N"]
        db.session.rollback()


def test_the_cite_year_in_the_pdf_is_the_year_in_the_downloaders_zone_around_new_year(world):
    """Downloaded through the API and read back with pdftotext: a submission at 22:30 UTC on
    31 December 2025 is cited as of 2026 for a reader in Nairobi (UTC+3), as of 2025 for one
    in New York (UTC-5) and in UTC, each beside the submission date in their zone."""
    from datetime import datetime, timezone

    from app.extensions import db
    from app.models import Assessment, User
    from tests.factories import pdftotext

    submit(world, "N", world["ngo"])
    with world["app"].app_context():
        db.session.get(Assessment, world["ngo"]).submitted_at = datetime(2025, 12, 31, 22, 30, tzinfo=timezone.utc)
        db.session.get(User, world["people"]["N"]).time_zone = "Africa/Nairobi"
        db.session.get(User, world["people"]["V"]).time_zone = "America/New_York"
        db.session.commit()
    path = f"/api/v1/assessments/{world['ngo']}/report.pdf?kind=scorecard"
    for who, year, submitted in (("N", 2026, "1 January 2026, 01:30 UTC+3"),
                                 ("V", 2025, "31 December 2025, 17:30 UTC-5")):
        r = call(world, who, "GET", path)
        assert r.status_code == 200 and r.mimetype == "application/pdf", who
        text = " ".join(pdftotext(r.data).split())
        assert f"Submitted {submitted}" in text, who
        assert f"How to cite: Child Rights Network ({year})." in text, who
