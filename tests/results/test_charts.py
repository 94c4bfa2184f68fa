"""The SVG charts: well-formed, accessible, escaped, self-contained, with their data tables."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from app.charts import (
    BAND_COLOURS, DEFAULT_BANDS, FONT_FAMILY, MAX_SERIES, SERIES_STYLES, ChartTable, Series, band_colours,
    bands_from_rubric, contrast_ratio, heatmap, heatmap_table, layer_bars, layer_bars_table,
    radar_chart, radar_table, svg_data_uri, text_colour_on,
)
from app.questionnaire.definition import Rubric

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ['<script>alert(1)</script>', '"><image href=x onerror=alert(1)>', "a & b 'c'"]
AREA_LABELS = {"a": "Knowledge and data", "b": HOSTILE[1], "c": "Basic services"}
SCORES = {"a": 40.0, "b": 55.55, "c": 72.25, "d": None, "e": 20.0, "f": 35.0, "g": 80.0,
          "h": 60.0, "i": 45.0}
CELLS = {"a": {"primary": 90.0, "secondary": 63.04, "tertiary": None},
         "b": {"primary": 19.95, "secondary": None, "tertiary": 100.0}}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(str(svg))          # well-formed XML or it raises
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def all_charts():
    return {
        "radar": radar_chart([Series("Kenya 2026", SCORES), ("Kenya 2024", {"a": 10.0})],
                             axis_labels=AREA_LABELS),
        "heatmap": heatmap(CELLS, area_labels=AREA_LABELS),
        "bars": layer_bars({"primary": 55.0, "secondary": None, "tertiary": 82.25}),
    }


@pytest.mark.parametrize("name", ["radar", "heatmap", "bars"])
def test_charts_are_accessible_scalable_and_self_contained(name):
    svg = all_charts()[name]
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    assert root.get("font-family") == FONT_FAMILY == "DejaVu Sans, sans-serif"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text.strip()
    assert desc.tag == f"{SVG}desc" and len(desc.text) > 40
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for el in root.iter():
        tag = el.tag.removeprefix(SVG)
        assert tag not in {"script", "style", "image", "foreignObject", "a", "use", "iframe"}
        for attr, value in el.attrib.items():
            assert "href" not in attr and not attr.startswith("on"), (tag, attr)
            assert "url(" not in value and "javascript:" not in value, (tag, attr)
    # the only absolute URL anywhere is the SVG namespace itself
    assert re.findall(r"https?://[^\s\"']+", str(svg)) == ["http://www.w3.org/2000/svg"]


def test_hostile_labels_are_escaped_everywhere():
    series = [Series(HOSTILE[0], SCORES), Series(HOSTILE[1], SCORES)]
    labels = {"a": HOSTILE[0], "b": HOSTILE[1], "c": HOSTILE[2]}
    outputs = [
        radar_chart(series, axis_labels=labels, title=HOSTILE[0], desc=HOSTILE[1]),
        heatmap({"a": {"primary": 1.0}}, area_labels=labels, layer_labels={"primary": HOSTILE[0]},
                title=HOSTILE[1]),
        layer_bars({"primary": 1.0}, layer_labels={"primary": HOSTILE[1]}, title=HOSTILE[2]),
        radar_table(series, axis_labels=labels).to_html(),
        heatmap_table({"a": {"primary": 1.0}}, area_labels=labels).to_html(),
        layer_bars_table({"primary": 1.0}, layer_labels={"primary": HOSTILE[0]}).to_html(),
    ]
    for out in outputs:
        text = str(out)
        assert "<script" not in text and "<image" not in text
        assert HOSTILE[0] not in text and HOSTILE[1] not in text    # never verbatim
        assert "&lt;script&gt;" in text or "&#34;&gt;&lt;image" in text
        root = ET.fromstring(text if text.startswith("<svg") else f"<div>{text}</div>")
        assert not [el for el in root.iter() if el.tag.removeprefix(SVG) in {"script", "image"}]
        # the label survives as text, exactly
        assert any(HOSTILE[0] in "".join(el.itertext()) or HOSTILE[1] in "".join(el.itertext())
                   for el in root.iter())


def test_radar_values_and_missing_note():
    svg = radar_chart([Series("Kenya 2026", SCORES)], axis_labels=AREA_LABELS)
    root = parse(svg)
    desc = root[1].text
    assert "(a) Knowledge and data 40.0" in desc
    assert "(c) Basic services 72.3" in desc              # one decimal, half up
    assert "(d) no score" in desc
    assert any("no score" in t for t in texts(root))      # the visible note
    hollow = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#ffffff"]
    assert hollow                                          # d drawn at 0, hollow
    tips = ["".join(t.itertext()) for t in root.iter(f"{SVG}title")]
    assert "Kenya 2026, (g): 80.0" in tips


def test_radar_without_missing_values_has_no_note():
    full = {c: 50.0 for c in "abcdefghi"}
    root = parse(radar_chart([Series("X", full)]))
    assert not any("no score" in t for t in texts(root))


def test_radar_series_are_told_apart_by_colour_and_dash():
    series = [Series(f"S{n}", {c: 10.0 * n for c in "abcdefghi"}) for n in range(6)]
    root = parse(radar_chart(series))
    polygons = [p for p in root.iter(f"{SVG}polygon") if p.get("fill-opacity")]
    styles = {(p.get("stroke"), p.get("stroke-dasharray")) for p in polygons}
    assert len(polygons) == 6 and len(styles) == 6
    assert len({p.get("stroke") for p in polygons}) == 6
    assert len({p.get("stroke-dasharray") for p in polygons}) == 6
    legend = [t for t in texts(root) if re.fullmatch(r"S\d", t)]
    assert legend == [f"S{n}" for n in range(6)]


def test_too_many_series_is_an_error():
    with pytest.raises(ValueError):
        radar_chart([Series(str(n), {}) for n in range(MAX_SERIES + 1)])
    with pytest.raises(ValueError):
        radar_chart([])


def test_series_colours_contrast_with_the_background():
    for colour, _, _ in SERIES_STYLES:
        assert contrast_ratio(colour, "#ffffff") >= 3.0, colour      # WCAG 1.4.11


def test_series_from_a_score_document():
    doc = {"areas": {"a": {"score": 12.5, "known_only": 50.0}, "b": {"score": None,
                                                                      "known_only": None}}}
    assert Series.from_document("X", doc).values == {"a": 12.5, "b": None}
    assert Series.from_document("X", doc, "known_only").values == {"a": 50.0, "b": None}


def test_heatmap_prints_values_and_marks_null_cells():
    root = parse(heatmap(CELLS, area_labels=AREA_LABELS))
    shown = texts(root)
    for value in ("90.0", "63.0", "20.0", "100.0"):       # 19.95 shows as 20.0
        assert value in shown
    assert shown.count("no items") == 2 + 7 * 3           # a/t, b/s, and rows c..i
    assert "No items" in shown                             # legend
    desc = root[1].text
    assert "Primary 90.0" in desc and "Tertiary no items" in desc
    # the hatching is plain lines, no pattern
    assert len(list(root.iter(f"{SVG}line"))) > 20
    assert not list(root.iter(f"{SVG}pattern"))


def test_heatmap_text_contrast_is_wcag_aa():
    root = parse(heatmap({a: {"primary": float(v), "secondary": float(v) + 10,
                              "tertiary": float(v) + 19.9}
                          for a, v in zip("abcdefghi", range(0, 81, 10))}))
    children = list(root)
    checked = 0
    for el, nxt in zip(children, children[1:]):
        if el.tag == f"{SVG}rect" and nxt.tag == f"{SVG}text" and el.get("fill") not in (
                None, "none", "#ffffff", "#f2f2f2") and nxt.get("fill"):
            assert contrast_ratio(el.get("fill"), nxt.get("fill")) >= 4.5
            checked += 1
    assert checked == 27
    for n in range(1, 8):
        for fill in band_colours(n):
            assert contrast_ratio(fill, text_colour_on(fill)) >= 4.5, (n, fill)


def test_heatmap_colours_follow_the_band_of_each_value():
    root = parse(heatmap({"a": {"primary": 19.999, "secondary": 20.0, "tertiary": 80.0}}))
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None
             and r.get("fill") != "#f2f2f2"]
    backgrounds = [BAND_COLOURS[code][1] for code in ("absent", "initiating", "sustained")]
    assert fills == backgrounds


def test_the_page_charts_and_the_pdf_charts_colour_each_band_alike():
    """Issue 18: the heat map and the layer bars of the results page take the band colours of
    the band labels and of the PDFs' charts (app.print_charts), one table."""
    from app import print_charts

    zones = print_charts.palette(DEFAULT_BANDS)
    cells = {"a": {"primary": 5.0, "secondary": 25.0, "tertiary": 45.0},
             "b": {"primary": 65.0, "secondary": 85.0, "tertiary": None}}
    page_cells = [r.get("fill") for r in parse(heatmap(cells, areas=("a", "b"))).iter(f"{SVG}rect")
                  if r.find(f"{SVG}title") is not None and r.get("fill") != "#f2f2f2"]
    pdf_cells = [c["bg"] for row in print_charts.heatmap(cells, [("a", "a"), ("b", "b")],
                                                         [(k, k) for k in ("primary", "secondary", "tertiary")],
                                                         zones) for c in row["cells"] if c["value"] is not None]
    assert page_cells == pdf_cells == [BAND_COLOURS[b.code][1] for b in DEFAULT_BANDS]
    scores = {"primary": 25.0, "secondary": 45.0, "tertiary": 85.0}
    page_bars = [r.get("fill") for r in parse(layer_bars(scores)).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    pdf_bars = [b["ink"] for b in print_charts.layer_bars(scores, [(k, k) for k in scores], zones)]
    assert page_bars == pdf_bars == [BAND_COLOURS[c][0] for c in ("initiating", "developing", "sustained")]


def test_layer_bars_mark_the_band_thresholds():
    root = parse(layer_bars({"primary": 55.0, "secondary": None, "tertiary": 82.25}))
    shown = texts(root)
    assert "55.0" in shown and "82.3" in shown and "no score" in shown
    for label in ("Absent", "Initiating", "Developing", "Established", "Sustained"):
        assert label in shown
    dashed = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray")]
    xs = sorted(float(ln.get("x1")) for ln in dashed)
    # plot from x=150 to x=570: thresholds 20, 40, 60, 80 at 150 + 4.2 * t
    assert xs == [234.0, 318.0, 402.0, 486.0]
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [float(r.get("width")) for r in bars] == [231.0, 345.45]   # 4.2 * 55, 4.2 * 82.25


def test_bands_come_from_the_rubric():
    rubric = Rubric(rubric_version="x", bands=[
        {"code": "low", "min": 0, "label": {"en": "Low", "fr": "Bas"}},
        {"code": "high", "min": 50}], gating={"cap_band": "low"})
    bands = bands_from_rubric(rubric, "fr")
    assert [(b.code, b.min, b.label) for b in bands] == [("low", 0, "Bas"), ("high", 50, "High")]
    root = parse(layer_bars({"primary": 10.0}, bands=bands))
    assert "Bas" in texts(root) and "High" in texts(root)
    dashed = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray")]
    assert [float(ln.get("x1")) for ln in dashed] == [360.0]            # 150 + 4.2 * 50


def test_data_tables_carry_the_same_values():
    table = radar_table([Series("A", SCORES), Series("B", {"a": 1.0})], axis_labels=AREA_LABELS)
    assert isinstance(table, ChartTable)
    assert table.columns == ("Area", "A", "B")
    assert table.rows[0] == ("(a) Knowledge and data", "40.0", "1.0")
    assert table.rows[3] == ("(d)", "no score", "no score")
    heat = heatmap_table(CELLS)
    assert heat.columns == ("Area", "Primary", "Secondary", "Tertiary")
    assert heat.rows[0] == ("(a)", "90.0", "63.0", "no items")
    assert heat.rows[1] == ("(b)", "20.0", "no items", "100.0")
    bars = layer_bars_table({"primary": 55.0, "secondary": None, "tertiary": 82.25})
    assert bars.rows == (("Primary", "55.0", "Developing"), ("Secondary", "no score", ""),
                         ("Tertiary", "82.3", "Sustained"))
    capped = layer_bars_table({"tertiary": 82.25}, layers=("tertiary",),
                              band_codes={"tertiary": "developing"})
    assert capped.rows == (("Tertiary", "82.3", "Developing"),)
    html = str(heat.to_html())
    root = ET.fromstring(html)
    assert root.tag == "table" and root.find("caption").text
    assert [th.get("scope") for th in root.iter("th")][:4] == ["col"] * 4
    assert root.find("tbody/tr/th").get("scope") == "row"


def test_chart_ids_are_stable_and_distinct():
    a1, a2 = radar_chart([Series("A", SCORES)]), radar_chart([Series("A", SCORES)])
    b = radar_chart([Series("B", SCORES)])
    assert parse(a1).get("aria-labelledby") == parse(a2).get("aria-labelledby")
    assert parse(a1).get("aria-labelledby") != parse(b).get("aria-labelledby")
    assert 'id="mine-title"' in str(layer_bars({}, chart_id="mine"))


def test_long_labels_are_shortened_with_the_full_text_kept():
    long = "Social norms and attitudes that tolerate the sexual exploitation of children"
    root = parse(radar_chart([Series("A", SCORES)], axis_labels={"e": long}))
    shortened = [t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None]
    assert shortened and shortened[0].find(f"{SVG}title").text == f"(e) {long}"
    assert "\u2026" in "".join(shortened[0].itertext())
    assert long in root[1].text                            # the description has it in full


def test_chinese_labels_wrap_within_the_width_a_latin_label_has():
    """A Chinese character is about twice as wide as a Latin letter, and Chinese has no
    spaces to wrap at: the radar's "(g) 企业责任：互联网、电信、金融、旅行和旅游业、媒体" (28
    characters, under the 30 allowed) was drawn on one line twice as wide as that, its start
    cut off by the chart's edge.  Characters count by their width; CJK text wraps between
    characters, never before a closing punctuation mark."""
    import unicodedata

    from app.charts.svg import wrap

    def columns(line):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

    label = "(g) 企业责任：互联网、电信、金融、旅行和旅游业、媒体"
    lines = wrap(label, 30, 2)
    assert len(lines) == 2 and all(columns(line) <= 30 for line in lines), lines
    assert "".join(lines).replace(" ", "").rstrip("\u2026") in label.replace(" ", "")
    assert not any(line[0] in "，、：）" for line in lines[1:]), lines
    short = "(h) 跨国合作"
    assert wrap(short, 30, 2) == [short]
    root = parse(radar_chart([Series("A", SCORES)], axis_labels={"g": label[4:], "h": short[4:]}))
    assert not [t for t in root.iter(f"{SVG}text") if "跨国合作" in "".join(t.itertext())
                and t.find(f"{SVG}title") is not None]         # nothing cut: no tooltip
    # Latin labels wrap as before
    assert wrap("Social norms and attitudes that tolerate", 30, 2) == ["Social norms and attitudes", "that tolerate"]


def test_svg_data_uri():
    uri = svg_data_uri(layer_bars({"primary": 1.0}))
    assert uri.startswith("data:image/svg+xml;charset=utf-8,%3Csvg")
    assert "<" not in uri and '"' not in uri


# -- translation ----------------------------------------------------------------------------
@pytest.fixture
def in_french(sqlite_url, tmp_path):
    """A request whose browser asks for French (the locale is chosen as in test_i18n.py);
    the French catalogue in app/translations/ translates the charts' own texts."""
    import flask_babel

    from tests.factories import make_app

    app = make_app(sqlite_url, tmp_path)
    with app.test_request_context("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}):
        assert str(flask_babel.get_locale()) == "fr"
        yield app


def test_chart_texts_are_translated_into_the_locale(in_french):
    radar = parse(radar_chart([Series("Kenya 2026", SCORES)]))
    assert radar[0].text == "Préparation par domaine"
    assert radar[1].text.startswith("Graphique en radar des scores de 0 à 100 par domaine.")
    assert "Kenya 2026\u00a0: (a) 40,0" in radar[1].text and "(d) aucun score" in radar[1].text
    assert any(t.startswith("Marqueur creux\u00a0: aucun score") for t in texts(radar))

    heat = parse(heatmap(CELLS))
    assert heat[0].text == "Préparation par domaine et par niveau de prévention"
    assert heat[1].text.startswith("Carte thermique des scores")
    assert "aucune question" in texts(heat) and "Aucune question" in texts(heat)
    assert {"Primaire", "Secondaire", "Tertiaire"} <= set(texts(heat))
    assert "Établi 60\u201380" in texts(heat)                      # the band legend
    wrapped = [[span.text for span in t.iter(f"{SVG}tspan")] for t in heat.iter(f"{SVG}text")]
    assert ["En développement", "40\u201360"] in wrapped         # too long for its swatch
    assert float(heat.get("height")) == float(parse(heatmap(CELLS, bands=DEFAULT_BANDS)).get(
        "height")) + 11                                           # room for the second line

    bars = parse(layer_bars({"primary": 55.0, "secondary": None, "tertiary": 82.25}))
    assert "aucun score" in texts(bars)
    assert "En développement à partir de 40" in bars[1].text
    tips = [t.text for t in bars.iter(f"{SVG}title")]
    assert "Primaire\u00a0: 55,0" in tips   # French decimals (issue 12)

    assert radar_table([Series("A", SCORES)]).columns[0] == "Domaine"
    assert heatmap_table(CELLS).rows[0][-1] == "aucune question"
    table = layer_bars_table({"primary": 55.0, "secondary": None})
    assert table.columns == ("Niveau de prévention", "Score", "Stade")
    assert table.caption == "Préparation par niveau de prévention (0-100)"
    assert table.rows[0] == ("Primaire", "55,0", "En développement")
    assert table.rows[1][1] == "aucun score"
    for svg in (radar, heat, bars):
        english = ET.tostring(svg, encoding="unicode")
        assert "Readiness" not in english and "no items" not in english
        assert "no score" not in english and "%(" not in english


def test_callers_texts_are_kept_as_given(in_french):
    root = parse(layer_bars({"primary": 1.0}, title="Mon titre", desc="Ma description",
                            layer_labels={"primary": "Prévention primaire"}))
    assert (root[0].text, root[1].text) == ("Mon titre", "Ma description")
    assert "Prévention primaire" in texts(root)


def test_rubric_band_labels_fall_back_to_the_translated_english_label(in_french):
    rubric = Rubric(rubric_version="x", bands=[
        {"code": "absent", "min": 0, "label": {"en": "Absent"}},
        {"code": "initiating", "min": 20, "label": {"en": "Initiating", "fr": "Débutant"}},
        {"code": "developing", "min": 40},
        {"code": "established", "min": 60, "label": {"en": "Established"}},
        {"code": "unheard_of", "min": 80, "label": {"en": "Unheard of"}}],
        gating={"cap_band": "developing"})
    assert [b.label for b in bands_from_rubric(rubric, "fr")] == [
        "Absent", "Débutant", "En développement", "Établi", "Unheard of"]
    assert [b.label for b in bands_from_rubric(rubric, "en")] == [
        "Absent", "Initiating", "Developing", "Established", "Unheard of"]
