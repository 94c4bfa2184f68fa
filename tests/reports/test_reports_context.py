"""The report context (pure functions: no app, no request, no database) and the renderer's
building blocks: the autoescaping environment, the URL fetcher, the cache."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.display import numbers as n
from app.questionnaire.answers import AnswerData, Evidence
from app.questionnaire.catalog import Catalog
from app.scoring import score_assessment
from app.reports import context as rc
from app.reports import engine, render
from tests.factories import full_answer_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def questionnaire():
    return Catalog.from_directory(ROOT / "questionnaires").latest("prevention-readiness")


META = {"id": 7, "title": "National self-assessment", "organisation": "Ministry",
        "organisation_kind": "government", "jurisdiction": "KE", "jurisdiction_name": "Kenya",
        "period": "2026", "status": "submitted", "revision": 3,
        "created_at": datetime(2026, 1, 5, tzinfo=timezone.utc),
        "updated_at": datetime(2026, 2, 1, tzinfo=timezone.utc),
        "submitted_at": datetime(2026, 3, 12, tzinfo=timezone.utc)}


def test_context_is_plain_data_with_every_part(questionnaire):
    answers = full_answer_data(questionnaire)
    score = score_assessment(questionnaire, answers)
    ctx = rc.build_context("gap", questionnaire=questionnaire, score=score, answers=answers, meta=META)
    assert ctx["meta"]["date_label"] == "Submitted 12 March 2026, 00:00 UTC"   # no zone: UTC, said
    assert ctx["meta"]["is_draft"] is False
    assert [a["code"] for a in ctx["areas"]] == list("abcdefghi")
    assert len(ctx["gaps"]) == len(score["gaps"]) and len(ctx["top_gaps"]) == min(10, len(score["gaps"]))
    # each gap said once: the first ones in the summary, the others in the action plan
    assert ctx["top_gaps"] + ctx["plan_gaps"] == ctx["gaps"]
    assert ctx["gaps"][0]["rank"] == 1 and ctx["gaps"][0]["action"]
    # every item is detailed exactly once, under one area
    detailed = [it["key"] for a in ctx["areas"] for it in a["questions"]]
    assert sorted(detailed) == sorted(it.key for it in questionnaire.items)
    assert "annex" not in ctx     # it repeated every answer the area chapters show in full
    # no ORM objects, no callables: only plain values (charts are markup strings)
    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        else:
            assert value is None or isinstance(value, (str, int, float, bool)), type(value)
    walk(ctx)


def test_each_gap_is_said_once_in_the_gap_report(questionnaire):
    """The summary lists the highest-priority gaps and the action plan goes on from there
    (issue 14: no content said twice); with no gap beyond them there is no plan chapter, and
    with none at all the summary says so."""
    from markupsafe import escape

    answers = full_answer_data(questionnaire, level=1)
    score = score_assessment(questionnaire, answers)
    ctx = rc.build_context("gap", questionnaire=questionnaire, score=score, answers=answers, meta=META)
    assert len(ctx["gaps"]) > rc.TOP_GAPS
    many = render.render_html(ctx)
    actions = [str(escape(g["action"])) for g in ctx["gaps"]]
    assert [a for a in actions if many.count(a) != 1] == []
    assert f"Action plan: gaps {rc.TOP_GAPS + 1} to {len(actions)} by priority" in many
    assert 'id="plan"' in many and 'href="#plan"' in many
    few = render.render_html(dict(ctx, gaps=ctx["gaps"][:3], top_gaps=ctx["gaps"][:3], plan_gaps=[]))
    assert 'id="top-gaps"' in few and 'id="plan"' not in few and 'href="#plan"' not in few
    none = render.render_html(dict(ctx, gaps=[], top_gaps=[], plan_gaps=[]))
    assert 'id="top-gaps"' not in none and 'id="plan"' not in none
    assert "No gaps: every question is at or above its target." in none


def test_claimed_and_effective_levels_with_descriptors(questionnaire):
    answers = full_answer_data(questionnaire)
    # not a core question: rubric 1.1 caps those at 1 (tested in test_rubric_1_1)
    scale = next(it for it in questionnaire.scored_items if it.type == "scale" and it.weight != "core")
    # a level 4 with expert judgement only: capped at 2 (documentary evidence rule)
    answers[scale.key] = AnswerData(value=4, evidence=(Evidence("expert_judgement", "panel"),))
    score = score_assessment(questionnaire, answers)
    ctx = rc.build_context("gap", questionnaire=questionnaire, score=score, answers=answers, meta=META)
    row = next(it for a in ctx["areas"] for it in a["questions"] if it["key"] == scale.key)
    assert row["claimed"]["text"] == "4" and row["effective"]["text"] == "2" and row["capped"]
    assert row["claimed"]["descriptor"] == scale.levels[4].descriptor["en"]
    assert row["effective"]["descriptor"] == scale.levels[2].descriptor["en"]
    assert "documentary evidence" in row["cap_note"]


def test_special_answers_and_drafts(questionnaire):
    answers = full_answer_data(questionnaire)
    dk = next(it for it in questionnaire.scored_items if it.allow_dont_know)
    na = next(it for it in questionnaire.scored_items if it.allow_na)
    answers[dk.key] = AnswerData(dont_know=True)
    answers[na.key] = AnswerData(not_applicable=True, na_reason="No such sector here.")
    score = score_assessment(questionnaire, answers)
    ctx = rc.build_context("scorecard", questionnaire=questionnaire, score=score, answers=answers,
                           meta=dict(META, status="draft"))
    rows = {it["key"]: it for a in ctx["areas"] for it in a["questions"]}
    assert rows[dk.key]["answer"]["status_label"] == "Don't know"
    assert rows[na.key]["answer"]["na_reason"] == "No such sector here."
    assert ctx["meta"]["is_draft"] and ctx["meta"]["date_label"].startswith("Answers as of ")
    assert any(g["key"] == dk.key and g["unknown"] for g in ctx["gaps"])


def test_unknown_kind_is_refused(questionnaire):
    with pytest.raises(ValueError):
        rc.build_context("poster", questionnaire=questionnaire, score={}, answers={}, meta=META)


@pytest.mark.parametrize("text,expected", [
    ("Children Act 2022", "ltr"), ("قانون الطفل لسنة 2022", "rtl"), ("חוק הילד", "rtl"),
    ("2022 قانون", "rtl"), ("", "ltr"), ("12345", "ltr")])
def test_direction(text, expected):
    assert rc.direction(text) == expected


@pytest.mark.parametrize("title,short", [
    ("(a) Knowledge: risk factors, demand and a reliable information system", "Knowledge"),
    ("(e) Protective social norms and awareness-raising", "Protective social norms"),
    ("(i) Regular assessment and monitoring of impact", "Regular assessment"),
    ("(h) Transnational cooperation", "Transnational cooperation")])
def test_short_area_labels(title, short):
    assert rc.short_area_label(title) == short


def test_small_formatters():
    # One way of writing sources everywhere (issue 17): "A/68/275, para. 17", as on the page
    # and in the section titles (issue 18).
    assert n.sources_text([{"document": "A/68/275", "paragraphs": [17]},
                           {"document": "A/HRC/25/48", "paragraphs": [95, 118]}]) == \
        "A/68/275, para. 17; A/HRC/25/48, paras. 95, 118"
    assert n.level(2.0) == "2" and n.level(1.6) == "1.6" and n.level(None) == "\u2013"
    assert n.share(0.966) == "96.6%"
    assert n.share(1.0) == "100.0%"
    assert rc.fmt_date("2026-03-12T10:00:00+00:00") == "12 March 2026"
    assert rc.logo_data_url({"mime": "text/html", "data": b"<x>"}) is None
    assert rc.logo_data_url({"mime": "image/png", "data": b"\x89PNG"}).startswith("data:image/png;base64,")


def test_home_area_follows_the_section(questionnaire):
    home = rc.home_areas(questionnaire)
    for item in questionnaire.items:
        assert home[item.key] in item.areas
    # f5 is tagged (e) and (f) and sits in the section of (f)
    if "f5" in home:
        assert home["f5"] == "f"


# -- renderer pieces ------------------------------------------------------------------------
def test_templates_autoescape_everything(questionnaire):
    answers = full_answer_data(questionnaire)
    score = score_assessment(questionnaire, answers)
    evil = '<script>alert(1)</script><img src="http://example.invalid/x">'
    ctx = rc.build_context("scorecard", questionnaire=questionnaire, score=score, answers=answers,
                           meta=dict(META, title=evil, organisation=evil))
    html = render.render_html(ctx)
    assert "<script>" not in html and '<img src="http://example.invalid' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert render.JINJA.autoescape is True


def test_fetcher_denies_everything_but_data_urls_and_named_assets(tmp_path):
    fetcher = engine.SafeFetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x", "https://example.org/a.css",
                "ftp://example.org/x", (tmp_path / "x.css").as_uri(), "file:///usr/share/fonts/"):
        with pytest.raises(engine.BlockedURL):
            fetcher.fetch(url)
    assert len(fetcher.blocked) == 6
    response = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"
    font_url = next(iter(engine.ASSETS))
    assert fetcher.fetch(font_url).read()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")


PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
         "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_a_render_holds_off_the_cyclic_collector_and_gives_it_back(monkeypatch):
    """Speed (issue 14): Python's cyclic collector waits for the end of a render, and is on
    again afterwards, whether the render finished or was stopped (a time limit stops it with
    a BaseException from inside the engine)."""
    import gc

    from weasyprint.text.fonts import FontConfiguration

    seen, fetch = [], engine.SafeFetcher._data

    def spy(self, url):                         # the engine fetches the image mid-render
        seen.append(gc.isenabled())
        return fetch(self, url)

    monkeypatch.setattr(engine.SafeFetcher, "_data", spy)
    html = f'<!doctype html><html lang="en"><head><title>t</title></head><body><img src="{PIXEL}" alt="dot"></body></html>'
    assert engine.write_pdf(html, FontConfiguration()).startswith(b"%PDF")
    assert seen == [False] and gc.isenabled()

    class Stopped(BaseException):
        pass

    def stop(self, url):
        raise Stopped()

    monkeypatch.setattr(engine.SafeFetcher, "_data", stop)
    with pytest.raises(Stopped):
        engine.write_pdf(html, FontConfiguration())
    assert gc.isenabled()


def test_cache_keys_and_files(tmp_path):
    key = render.cache_key("a", "b")
    assert key != render.cache_key("ab", "") and len(key) == 64
    cache = render.PdfCache(tmp_path / "c", max_files=2)
    assert cache.get(key) is None
    path = cache.put(key, b"%PDF-1.7 x")
    assert cache.get(key) == path and path.read_bytes() == b"%PDF-1.7 x"
    for i in range(3):
        cache.put(render.cache_key(i), b"%PDF")
    assert len(list((tmp_path / "c").glob("*.pdf"))) == 2
    with pytest.raises(ValueError):
        cache.path("../../etc/passwd")
    assert render.PdfCache(None).get(key) is None and render.PdfCache(None).put(key, b"x") is None


def test_the_report_cache_key_covers_the_interface_catalogues():
    """The reports' own texts come from the compiled interface catalogues: a corrected
    translation must change the key, or the PDFs made with the old one keep being served."""
    from pathlib import Path

    from app.reports import render

    catalogues = sorted(Path(render.__file__).resolve().parents[1].glob("translations/*/LC_MESSAGES/messages.mo"))
    assert {p.parent.parent.name for p in catalogues} == {"ar", "es", "fr", "ru", "zh"}
    assert set(catalogues) <= set(render._source_files())
    assert render.TEMPLATE_VERSION.endswith(render._source_digest())
