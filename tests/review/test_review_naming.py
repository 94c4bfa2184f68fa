"""What a reviewer reads of a questionnaire and of an assessment it links to: the
questionnaire's title in the page's language with its version, never its id
("prevention-readiness 1.1", which is data: API, exports, XLSForm); and "#3 title" isolated
(<bdi>) so that in a right-to-left page the rank stays at the start of its title."""
from __future__ import annotations

import re
from html import unescape

from tests.factories import login, questionnaire

FRENCH = {"Accept-Language": "fr"}


def _text(html: str) -> str:
    """The page's text as read (no tags, no attribute values)."""
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_compare_page_names_the_questionnaire_by_its_title(app, client, world):
    q = questionnaire(app)
    login(client, "reviewer@un.example")
    html = client.get(f"/review/compare?ids={world.gov_submitted},{world.ngo_submitted}",
                      headers=FRENCH).get_data(as_text=True)
    assert f"{q.title['fr']}, version {q.version}" in _text(html)
    assert "prevention-readiness" not in _text(html)


def test_review_assessment_page_names_the_questionnaire_by_its_title(app, client, world):
    q = questionnaire(app)
    login(client, "reviewer@un.example")
    html = client.get(f"/review/assessments/{world.gov_submitted}", headers={"Accept-Language": "zh"})
    text = _text(html.get_data(as_text=True))
    assert f"{q.title['zh']}，第{q.version}版" in text
    assert "prevention-readiness" not in text


def test_compare_page_isolates_each_rank_with_its_title(app, client, world):
    login(client, "reviewer@un.example")
    html = client.get(f"/review/compare?ids={world.gov_submitted},{world.ngo_submitted}",
                      headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in html
    for aid, title in ((world.gov_submitted, "Government self-assessment 2025"),
                       (world.ngo_submitted, "Shadow assessment 2025")):
        assert re.search(rf'<a href="[^"]*/review/assessments/{aid}"><bdi>#{aid} {title}</bdi></a>', html), aid


def test_divergence_page_isolates_each_other_assessment_rank_with_its_organisation(app, client, world,
                                                                                   make_assessment):
    q = questionnaire(app)
    from tests.factories import full_answers

    other = make_assessment(world.gov, full_answers(q, 3), submit=True, period="2025", title="Second look 2025")
    login(client, "reviewer@un.example")
    html = client.get("/review/divergence?jurisdiction=KE&period=2025",
                      headers={"Accept-Language": "ar"}).get_data(as_text=True)
    # one of the ministry's two is compared, the other listed below
    listed = [aid for aid in (other, world.gov_submitted)
              if re.search(rf'<a href="[^"]*/review/assessments/{aid}"><bdi>#{aid} Ministry</bdi></a>', html)]
    assert len(listed) == 1, listed
