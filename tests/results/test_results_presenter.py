"""The results presenter: pure functions from a questionnaire and a score document to the rows
the results page shows.  No request, no database: definitions are loaded from files and
documents come straight from the engine."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.questionnaire import load_definition
from app.questionnaire.answers import AnswerData, Evidence
from app.results import presenter
from app.display.numbers import level as format_level, share as format_percent, sources as format_sources
from app.results.presenter import (
    bare_title, format_when, present, short_title, shorten, strip_common_suffix,
)
from app.scoring import format_score, score_assessment

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DASH = "\u2013"


@pytest.fixture(scope="module")
def mini():
    return load_definition(FIXTURES / "mini-1.0.yaml").questionnaire


@pytest.fixture(scope="module")
def shipped():
    return load_definition(ROOT / "questionnaires" / "prevention-readiness-1.0.yaml").questionnaire


def lvl(level, *evidence):
    return AnswerData(value=level, evidence=tuple(Evidence(t, f"ref {t}") for t in evidence))


DK = AnswerData(dont_know=True)

# a1 (core, areas a + i, primary) don't know: it gates a, i and primary.
# b1 (important, b, primary + tertiary) all points; c1 (core, c, primary) 95 %: s = 1.
# primary = 100 * (3*0 + 2*1 + 3*1) / (3 + 2 + 3) = 62.5: established by score, capped at developing.
GATED = {"a1": DK, "b1": AnswerData(value=("crc", "opsc", "palermo")), "c1": AnswerData(value=95)}


# -- formatting helpers -----------------------------------------------------------------------
def test_formatting_helpers():
    assert format_percent(0.925) == "92.5%"
    assert format_percent(1.0) == "100.0%"
    assert format_percent(None) == DASH
    assert format_level(3.0) == "3" and format_level(2.6666) == "2.7" and format_level(None) == DASH
    assert format_sources([{"document": "A/68/275", "paragraphs": [111, 122]},
                           {"document": "A/HRC/25/48", "paragraphs": [95]}]) == (
        "A/68/275, paras. 111, 122", "A/HRC/25/48, para. 95")
    assert format_when("2026-05-03T14:02:09+00:00") == "3 May 2026, 14:02 UTC"
    assert format_when(None) == ""


def test_titles_are_shortened_for_chart_axes():
    title = "(b) Legal framework, child-sensitive justice and an end to impunity"
    assert bare_title(title) == "Legal framework, child-sensitive justice and an end to impunity"
    assert short_title(title) == "Legal framework"
    assert short_title("(a) Knowledge: risk factors") == "Knowledge"
    assert short_title("Children and young people involved and empowered") == \
        "Children and young people involved and\u2026"
    assert short_title("Children and young people involved", limit=27) == "Children and young people\u2026"
    assert shorten("word " * 60, 40).endswith("\u2026") and len(shorten("word " * 60, 40)) <= 40
    assert strip_common_suffix({"p": "Primary prevention", "s": "Secondary prevention"}) == {
        "p": "Primary", "s": "Secondary"}
    assert strip_common_suffix({"p": "Primary", "s": "Secondary"}) == {"p": "Primary", "s": "Secondary"}


# -- the view agrees with the document --------------------------------------------------------
def test_headline_areas_and_layers_follow_the_document(mini):
    doc = score_assessment(mini, GATED)
    view = present(mini, doc)
    assert view.headline.score_text == format_score(doc["overall"]["score"])
    assert view.headline.band.code == doc["overall"]["band"]
    assert view.headline.band.label == doc["overall"]["band"].capitalize()   # a word, not a code
    assert view.headline.known_only_text == format_score(doc["overall"]["known_only"])
    assert [r.code for r in view.areas] == list("abcdefghi")
    for row in view.areas:
        entry = doc["areas"][row.code]
        assert row.score_text == format_score(entry["score"])
        assert row.band.code == entry["band"]
        assert [i.key for i in row.gated_by] == entry["gated_by"]
    assert view.areas[0].title == "(a) Knowledge and data"
    # areas without items: no score, no band, never a zero
    empty = view.areas[4]
    assert empty.score is None and empty.score_text == DASH and empty.band.code is None
    assert empty.band.css_class == "band-none"
    primary = view.layers[0]
    assert primary.title == "Primary" and primary.score_text == "62.5"
    assert primary.band.code == "developing"
    assert primary.band_before_gating.code == "established"
    assert [i.key for i in primary.gated_by] == ["a1"]
    assert primary.gated_by[0].status_label == "Don't know"


def test_gated_lists_areas_and_layers_with_their_items(mini):
    view = present(mini, score_assessment(mini, GATED))
    assert [(r.kind, r.code) for r in view.gated] == [("area", "a"), ("area", "i"),
                                                       ("layer", "primary")]
    assert all(r.gated_by[0].key == "a1" for r in view.gated)
    assert view.gated[0].gated_by[0].prompt.startswith("Is there a national information system")
    assert "below level 2" in view.gating_rule and "Developing" in view.gating_rule


def test_gap_list_keeps_the_engine_order_and_marks_unknowns(mini):
    answers = {"a1": DK, "b1": AnswerData(value=("crc",)), "c1": AnswerData(value=60),
               "d1": AnswerData(value="partly")}
    doc = score_assessment(mini, answers)
    view = present(mini, doc)
    assert [g.item.key for g in view.gaps] == [g["key"] for g in doc["gaps"]]
    assert [g.rank for g in view.gaps] == list(range(1, len(doc["gaps"]) + 1))
    first = view.gaps[0]
    assert first.item.key == "a1" and first.unknown and first.enabler
    assert first.current_text == "Unknown (don't know)"
    assert first.priority_text == f"{doc['gaps'][0]['priority']:.2f}"
    assert first.action == "Build the information system."
    assert first.sources == ("A/68/275, paras. 114, 122",)
    known = next(g for g in view.gaps if g.item.key == "c1")
    assert not known.unknown and known.current_text == "Level 2" and known.target == "3"


def test_unanswered_items_are_marked_unknown_and_counted(mini):
    view = present(mini, score_assessment(mini, {"b1": AnswerData(value=("crc",))}))
    gap = next(g for g in view.gaps if g.item.key == "a1")
    assert gap.unknown and gap.current_text == "Unknown (not answered yet)"
    assert view.provenance.live and view.provenance.missing == 3
    assert view.coverage.counts["unanswered"] == 3
    assert [r.code for r in view.coverage.flagged] == ["a", "c", "d", "i"]


def test_explanations_expand_every_aggregate(mini):
    answers = {"a1": lvl(4, "expert_judgement"), "b1": AnswerData(value=("crc",)),
               "c1": AnswerData(value=60), "d1": AnswerData(not_applicable=True, na_reason="n/a")}
    doc = score_assessment(mini, answers)
    view = present(mini, doc)
    assert view.has_explanations
    overall = view.overall_explanation
    assert overall.anchor == "why-overall" and overall.score_text == format_score(doc["overall"]["score"])
    assert [r.code for r in overall.overall_rows if r.included] == ["a", "b", "c", "i"]
    assert overall.formula.endswith(f"= {format_score(doc['overall']['score'])}")
    area_a = view.area_explanations[0]
    assert area_a.anchor == "why-area-a"
    row = area_a.rows[0]
    # claimed 4 with expert judgement only: capped at 2 (no documentary evidence)
    assert (row.item.key, row.item.claimed, row.item.effective) == ("a1", "4", "2")
    assert row.item.cap_note == "capped: no documentary evidence"
    assert (row.item.weight_class_label, row.item.weight, row.s, row.contribution) == (
        "Core", "3", "0.5", "1.5")
    assert area_a.formula == "100 × Σ(weight × s) ÷ Σ weight = 100 × 1.5 ÷ 3 = 50.0"
    # each area carries its three cells; a cell without items is empty, not zero
    assert [c.anchor for c in area_a.cells] == ["why-cell-a-primary", "why-cell-a-secondary",
                                                "why-cell-a-tertiary"]
    assert not area_a.cells[0].empty and area_a.cells[1].empty and area_a.cells[1].score_text == DASH
    assert area_a.cells[1].label == "Secondary" and "(a) Knowledge and data" in area_a.cells[1].title
    # N/A items are listed as left out, and their aggregate has no score
    area_d = view.area_explanations[3]
    assert [i.key for i in area_d.not_applicable] == ["d1"] and not area_d.empty
    assert area_d.score_text == DASH
    assert [e.anchor for e in view.layer_explanations] == [
        "why-layer-primary", "why-layer-secondary", "why-layer-tertiary"]


def test_charts_are_built_with_text_alternatives_and_translated_tables(mini):
    view = present(mini, score_assessment(mini, GATED))
    for chart in (view.radar, view.heatmap, view.layer_bars):
        root = ET.fromstring(str(chart.svg))
        assert root.get("role") == "img"
        assert root.find("{http://www.w3.org/2000/svg}desc").text
    heat_rows = {row[0]: row[1:] for row in view.heatmap.table.rows}
    assert heat_rows["(e) Social norms"] == ("no items", "no items", "no items")
    assert heat_rows["(c) Basic services"] == ("100.0", "no items", "no items")
    assert view.heatmap.table.columns == ("Area", "Primary", "Secondary", "Tertiary")
    assert view.radar.table.columns == ("Area", "Score")
    assert ("(e) Social norms", "no score") in view.radar.table.rows
    assert view.layer_bars.table.rows[0] == ("Primary", "62.5", "Developing")
    assert "no items" in str(view.heatmap.svg)


def test_stored_document_after_json_round_trip(shipped):
    answers = {it.key: lvl(3, "law") for it in shipped.scored_items if it.type == "scale"}
    doc = json.loads(json.dumps(score_assessment(shipped, answers)))
    doc["stored"] = {"scored_at": "2026-05-03T14:02:09+00:00", "rubric_version": "1.0"}
    view = present(shipped, doc)
    assert not view.provenance.live
    assert view.provenance.stored_at == "3 May 2026, 14:02 UTC"
    assert view.provenance.rubric_version == "1.0" and view.provenance.questionnaire_version == "1.0"
    assert len(view.areas) == 9 and len(view.layers) == 3
    assert view.areas[6].short_title == "Corporate responsibility"
    assert view.areas[6].title.startswith("(g) Corporate responsibility")
    assert not view.areas[6].title.startswith("(g) (g)")
    assert [g.item.key for g in view.gaps] == [g["key"] for g in doc["gaps"]]
    assert view.bands[0][0].label == "Absent" and view.bands[0][1] == "0\u201320"


def test_document_without_explanations_still_presents(mini):
    doc = score_assessment(mini, GATED, explain=False)
    doc.pop("items")
    view = present(mini, doc)
    assert not view.has_explanations and view.area_explanations == ()
    assert view.headline.score_text == format_score(doc["overall"]["score"])
    assert view.gaps[0].item.key == "a1" and view.gaps[0].item.prompt.startswith("Is there")


def test_band_view_falls_back_to_a_translatable_word(mini):
    assert presenter.band_view("developing", mini).label == "Developing"
    assert presenter.band_view("custom_band", mini).label == "Custom band"
    assert presenter.band_view(None, mini).css_class == "band-none"


def test_band_label_in_french_comes_from_the_catalogue_when_the_rubric_has_none(app, mini):
    """The rubric labels its bands in English only: a French page shows the catalogue's
    French word, as the charts and the PDFs do."""
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("fr"):
        label = presenter.band_view("developing", mini, "fr").label
    assert label == "En développement"
    assert presenter.band_view("developing", mini, "en").label == "Developing"
