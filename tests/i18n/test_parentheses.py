"""Words in parentheses after a name, as the reader's language writes them: "Ministry
(government)", but in Chinese full-width brackets with no space before them, "Ministry（政府）"
(ASCII ones read "部委 (政府)").  Arabic keeps ASCII brackets, which the bidi algorithm mirrors;
a code or a number keeps them in every language ("(KE)")."""
from __future__ import annotations

import re
from html import unescape

from flask_babel import force_locale
from markupsafe import Markup

from app.i18n import paren
from tests.factories import login


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_paren_follows_the_language(app):
    with app.test_request_context():
        assert paren("government") == " (government)"
        assert paren("政府", "zh") == "（政府）" and paren("政府", "zh_Hans") == "（政府）"
        with force_locale("zh"):
            assert paren("政府") == "（政府）"
        with force_locale("ar"):
            assert paren("حكومة") == " (حكومة)"
        assert paren(Markup("<b>a</b>")) == Markup(" (<b>a</b>)")     # Markup kept, not escaped again
        assert paren("<b>") == " (<b>)"                                # a plain string: the template escapes it


def test_review_pages_in_chinese_use_full_width_brackets_around_words(client, world):
    login(client, "reviewer@un.example")
    zh = {"Accept-Language": "zh"}
    page = _text(client.get(f"/review/assessments/{world.gov_submitted}", headers=zh).get_data(as_text=True))
    assert "Ministry（政府）" in page and "Ministry (政府)" not in page
    assert "(KE)" in page                                              # a code keeps its ASCII brackets
    compare = _text(client.get(f"/review/compare?ids={world.gov_submitted},{world.ngo_submitted}",
                               headers=zh).get_data(as_text=True))
    assert "Ministry（政府）" in compare and not re.search(r"\((政府|非政府)", compare)


def test_review_page_in_french_keeps_a_space_and_ascii_brackets(client, world):
    login(client, "reviewer@un.example")
    page = _text(client.get(f"/review/assessments/{world.gov_submitted}",
                            headers={"Accept-Language": "fr"}).get_data(as_text=True))
    assert re.search(r"Ministry \([^()\s]+\)", page), page[:2000]
