"""Error pages and answer validation messages in the reader's language, not Werkzeug's or the
item types' English."""
from __future__ import annotations

from tests.clients import JSON, form_fields, post_data, section_url

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def test_a_french_404_page_says_why_in_french(client):
    r = client.get("/no-such-page", headers=FRENCH)
    html = r.get_data(as_text=True)
    assert r.status_code == 404
    assert "not found on the server" not in html
    assert "Cette page n&#39;existe pas" in html


def test_a_description_the_code_gave_is_kept(app):
    from werkzeug.exceptions import Forbidden

    from app.errors import _page_message

    with app.test_request_context("/", headers=FRENCH):
        assert _page_message(Forbidden("Réservé aux administrateurs.")) == "Réservé aux administrateurs."
        assert "permission" not in _page_message(Forbidden())


def test_an_invalid_level_is_refused_in_french(client, ana, make_assessment):
    aid = make_assessment(ana)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = FRENCH["Accept-Language"]
    fields = form_fields(client.get(section_url(aid)).get_data(as_text=True))
    r = client.post(section_url(aid), data=post_data(fields, a2__level="9"), headers=JSON)
    assert r.status_code == 422
    assert r.get_json()["details"]["fields"] == {"a2-level": "Choisissez un niveau de 0 à 4."}
