"""Translatable from day one: the interface follows the browser's language, and
questionnaire texts are language maps with an English fallback."""
from app.i18n import localize


def test_login_page_in_french(client):
    html = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert 'lang="fr"' in html
    assert "Se connecter" in html and "Mot de passe" in html


def test_login_page_in_english_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in html and "Sign in" in html


def test_unknown_language_falls_back_to_english(client):
    html = client.get("/login", headers={"Accept-Language": "sw"}).get_data(as_text=True)
    assert 'lang="en"' in html


def test_questionnaire_texts_fall_back_to_english():
    text = {"en": "Birth registration", "fr": "Enregistrement des naissances"}
    assert localize(text, "fr") == "Enregistrement des naissances"
    assert localize(text, "fr_CA") == "Enregistrement des naissances"
    assert localize(text, "es") == "Birth registration"
    assert localize(None, "fr") == ""


# -- the French catalogue on real pages and in the reports ----------------------------------
import re  # noqa: E402  (the imports of this half of the module)
from urllib.parse import unquote  # noqa: E402  (the imports of this half of the module)

import pytest  # noqa: E402  (the imports of this half of the module)

from tests.factories import full_answers, na_for_a_country  # noqa: E402  (the imports of this half of the module)

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
PASSWORD = "correct-horse-battery"


def unfilled(text: str) -> list[str]:
    """Placeholders left in a rendered text: ``%(name)s``, a bare ``%s``/``%d`` or a
    doubled ``%%`` (a translation that was not formatted, or lost its arguments)."""
    return re.findall(r"%\(\w+\)\w?|%[sd]\b|%%", text)


@pytest.fixture
def french_site(tmp_path):
    """A respondent's submitted assessment (with a don't know, a not applicable and a capped
    level) and a draft, a reviewer's comment; users without a stored locale, so the
    browser's Accept-Language chooses French."""
    from tests.factories import add_comment, make_people, new_assessment, seed_app

    app = seed_app(tmp_path)
    people = make_people(app)
    q = app.extensions["catalog"].latest("prevention-readiness")
    answers = full_answers(q, level=2)
    scale = [it for it in q.scored_items if it.type == "scale"]
    answers[scale[0].key] = {"level": 4, "evidence": [{"type": "expert_judgement", "reference": "Panel"}]}
    dk = next(it for it in q.scored_items if it.allow_dont_know and it.key != scale[0].key)
    answers[dk.key] = {"dont_know": True}
    na = next(it for it in q.scored_items if na_for_a_country(q, it) and it.key not in {scale[0].key, dk.key})
    answers[na.key] = {"not_applicable": True, "reason": "Aucun secteur touristique."}
    submitted = new_assessment(app, people["R"], answers, submit=True, title="Auto-évaluation 2026")
    draft = new_assessment(app, people["R"], full_answers(q, level=1), title="Brouillon 2027")
    add_comment(app, submitted, people["V"], "Merci de joindre le document budgétaire.")
    return app, people, submitted, draft, q


def _client(app, email):
    from tests.factories import csrf_token

    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = FRENCH["Accept-Language"]
    r = client.post("/login", data={"email": email, "password": PASSWORD,
                                    "csrf_token": csrf_token(client, "/login")})
    assert r.status_code == 302
    return client


def test_pages_in_french_have_their_texts_translated_and_filled(french_site):
    app, _, submitted, draft, q = french_site
    respondent, reviewer = _client(app, "r@a.example"), _client(app, "v@un.example")
    section = q.sections[0].key
    pages = {
        (respondent, "/assessments"): ["Commencer une nouvelle évaluation", "Dernière modification"],
        (respondent, f"/assessments/{submitted}"): [
            "Rapport sur les lacunes (PDF)", "Tableau de bord (PDF)", "Soumise"],
        (respondent, f"/assessments/{draft}"): ["Soumettre l'évaluation", "Modifications récentes"],
        (respondent, f"/assessments/{draft}/sections/{section}"): [
            "Enregistrer et continuer", "Sections de cette évaluation"],
        (respondent, f"/assessments/{submitted}/results"): [
            "Préparation globale", "Priorités d'action", "Couverture des connaissances",
            # the charts' own texts, through app.charts
            "Préparation par domaine et par niveau de prévention", "aucune question"],
        (respondent, "/organisation/logo"): ["Téléverser un nouveau logo"],
        (reviewer, "/review"): ["Évaluations soumises", "Appliquer les filtres"],
        (reviewer, f"/review/assessments/{submitted}"): [
            "Commencer l'examen", "Historique", "Commentaires sur l'ensemble de l'évaluation"],
    }
    for (client, path), expected in pages.items():
        r = client.get(path)
        assert r.status_code == 200, path
        html = r.get_data(as_text=True)
        assert 'lang="fr"' in html, path
        for text in expected:
            assert text in html, (path, text)
        assert not unfilled(html), (path, unfilled(html))


def test_pdf_report_context_and_html_in_french(french_site):
    import flask_babel

    from app import reports
    from app.extensions import db
    from app.models import Assessment
    from markupsafe import escape

    app, _, submitted, draft, _q = french_site
    for aid, kind, expected in (
            (submitted, "gap", ["Rapport sur les lacunes", "Résumé analytique", "Plan d'action",
                                "Fonctionnement de l'évaluation", "Trois niveaux de prévention"]),
            (draft, "scorecard", ["Tableau de bord", "PROJET", "Préparation globale / 100"])):
        with app.app_context(), flask_babel.force_locale("fr"):
            inputs = reports.gather(db.session.get(Assessment, aid), kind, reports.render_locale())
            context = inputs.context()
            html = reports.render_html(context)
        assert context["meta"]["kind_title"] == {"gap": "Rapport sur les lacunes",
                                                 "scorecard": "Tableau de bord"}[kind]
        assert context["meta"]["status_label"] in {"Soumise", "Brouillon"}
        assert {b["label"] for b in context["bands"]} >= {"Établi", "En développement", "Pérenne"}
        for text in expected:
            assert text in html, (kind, text)
        # The charts' text is HTML (app.print_charts): the radar's picture keeps its title, the
        # axis, heat map and bar labels are French text in the page.
        charts = context["charts"]
        radar = unquote(charts["radar"]["svg"])
        assert "Préparation par domaine" in radar and "Graphique en radar" in charts["radar"]["alt"]
        labels = ([label["text"] for label in charts["radar"]["labels"]] + charts["heatmap"]["columns"]
                  + [row["label"] for row in charts["layers"]["rows"]])
        assert any("révention" in label for label in charts["heatmap"]["columns"]), labels
        assert all(str(escape(label)) in html for label in labels), labels
        assert not unfilled(html), (kind, unfilled(html))
        assert not unfilled(radar + " ".join(labels)), kind


def test_every_french_translation_keeps_the_placeholders_and_markup():
    """The catalogue itself: the same placeholders, HTML tags and entities in each
    translation as in the English text.  (Entries that ``make translations`` adds later are
    untranslated or fuzzy until someone translates them; they fall back to English and are
    not checked here, so that adding a string never breaks the suite.)"""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "app/translations/fr/LC_MESSAGES/messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    placeholder = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|%%|%[sd]|\{\w+\}")
    markup = re.compile(r"<[^>]+>|&#?\w+;")
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"
    problems, translated = [], 0
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags or not all(strings):
            continue
        translated += 1
        for string in strings:
            if (sorted(placeholder.findall(string)) != sorted(placeholder.findall(ids[-1]))
                    or sorted(markup.findall(string)) != sorted(markup.findall(ids[0]))):
                problems.append(("placeholders or markup differ", ids[0]))
    assert not problems, problems[:10]
    assert translated > 700


def test_report_page_footer_and_dates_follow_the_report_language(app):
    """The PDF footer ("Page 3 of 32") and dates come out in French in a French report."""
    from datetime import datetime, timezone

    from flask_babel import force_locale

    from app.i18n import day, when
    from app.reports.context import fmt_date
    from app.reports.render import _page_numbers_css

    moment = datetime(2026, 3, 12, 9, 5, tzinfo=timezone.utc)
    with app.test_request_context():
        assert _page_numbers_css() == ('@page { @bottom-right { content: "Page " counter(page) " of " counter(pages); } } '
                                       '@page rtl { @bottom-left { content: "Page " counter(page) " of " counter(pages); } }')
        assert (fmt_date(moment), day(moment), when(moment)) == ("12 March 2026", "12 Mar 2026", "12 Mar 2026, 09:05 UTC")
        with force_locale("fr"):
            assert _page_numbers_css() == ('@page { @bottom-right { content: "Page " counter(page) " sur " counter(pages); } } '
                                           '@page rtl { @bottom-left { content: "Page " counter(page) " sur " counter(pages); } }')
            assert fmt_date(moment) == "12 mars 2026"
            assert when(moment).endswith("2026, 09:05 UTC") and "mars" in when(moment)
        with force_locale("ar"):                       # the Arabic comma between date and time
            assert when(moment, "Africa/Cairo", month="MMMM").endswith("2026، 11:05 UTC+2")


@pytest.mark.parametrize("lang", ["fr", "es", "ru", "zh", "ar"])
def test_a_translated_plural_has_every_form_of_its_language(lang):
    """gettext picks a plural form by the language's rule (Spanish has three: one, many,
    other); an empty form falls back to English for the numbers it covers, so "Preguntas
    que mejoraron" read "Items that improved: 5" in Spanish.  A plural is translated in all
    its forms or in none."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / f"app/translations/{lang}/LC_MESSAGES/messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    partial = [m.id[0] for m in catalog if isinstance(m.id, tuple) and "fuzzy" not in m.flags
               and any(m.string) and not all(m.string)]
    assert not partial, partial
    assert all(len(m.string) == catalog.num_plurals for m in catalog if isinstance(m.id, tuple))


def test_arabic_says_one_and_two_in_the_word_not_with_a_numeral():
    """Arabic's singular and dual forms carry their number themselves ("سؤالان" is two
    questions): "2 سؤالان" and "1 إجابة" read as a machine's.  In forms one and two the count
    may stand only where it is not followed by a word (a label's "...: 2", "(2)")."""
    import re
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "app/translations/ar/LC_MESSAGES/messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    numeral_then_word = re.compile(r"%\((?:num|count)\)[sd] [^\s(:)]")
    found = [(m.id[0], form) for m in catalog if isinstance(m.id, tuple)
             for form in (m.string[1], m.string[2]) if numeral_then_word.search(form)]
    assert not found, "\n".join(f"{i[:50]!r}: {f}" for i, f in found)
