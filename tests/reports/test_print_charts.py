"""The PDFs' charts (app.print_charts): their text is data for HTML, never SVG text; their
colours are the results page's, one per band (issue 18: Initiating and Developing looked the
same, the heat map was all blue)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from PIL import Image

from app import print_charts
from app.charts import BAND_COLOURS, DEFAULT_BANDS, Band, band_palette, contrast_ratio
from tests.factories import pdf_pages, pdftotext, render

RESULTS_CSS = Path(__file__).resolve().parents[2] / "app" / "static" / "css" / "results.css"
AREAS = [{"code": c, "short": f"Area {c}", "score_text": "50.0"} for c in "abcdefghi"]
LAYERS = [{"code": "primary", "short": "أولية", "score": 12.0},
          {"code": "secondary", "short": "ثانوية", "score": None},
          {"code": "tertiary", "short": "ثالثية", "score": 85.0}]
MM = 72 / 25.4                                                     # points per millimetre
SCORE = {"areas": {c: {"score": 10.0 * k} for k, c in enumerate("abcdefgh")},   # (i): no score
         "cells": {"a": {"primary": 5.0, "secondary": 30.0, "tertiary": None},
                   "b": {"primary": 50.0, "secondary": 70.0, "tertiary": 95.0}}}


def test_band_colours_are_the_results_pages_one_table():
    css = RESULTS_CSS.read_text(encoding="utf-8")
    for code, (ink, bg) in BAND_COLOURS.items():
        assert re.search(rf"--band-{code}:\s*{ink}\s*;", css), code
        assert re.search(rf"--band-{code}-bg:\s*{bg}\s*;", css), code
        assert contrast_ratio(ink, bg) >= 4.5
    inks = [ink for ink, _bg in band_palette(DEFAULT_BANDS)]
    assert len(set(inks)) == len(inks) == len(DEFAULT_BANDS)


def test_a_rubric_of_other_bands_gets_distinct_readable_colours():
    bands = (Band("low", 0, "Low"), Band("mid", 50, "Mid"), Band("high", 75, "High"))
    colours = band_palette(bands)
    assert len(set(colours)) == 3 and all(contrast_ratio(ink, bg) >= 4.5 for ink, bg in colours)


def test_charts_carry_their_text_as_data_and_their_band_colours():
    charts = print_charts.report_charts(SCORE, AREAS, LAYERS, DEFAULT_BANDS, "Ministry <b>")
    heat = charts["heatmap"]
    assert heat["columns"] == ["أولية", "ثانوية", "ثالثية"]
    assert [r["label"] for r in heat["rows"]][:2] == ["(a) Area a", "(b) Area b"]
    a, b = heat["rows"][0]["cells"], heat["rows"][1]["cells"]
    assert (a[0]["value"], a[0]["bg"], a[0]["ink"]) == ("5.0", *BAND_COLOURS["absent"][::-1])
    assert a[1]["bg"] == BAND_COLOURS["initiating"][1] and b[0]["bg"] == BAND_COLOURS["developing"][1]
    assert b[1]["bg"] == BAND_COLOURS["established"][1] and b[2]["bg"] == BAND_COLOURS["sustained"][1]
    assert a[2]["value"] is None                                   # no items
    bars = charts["layers"]["rows"]
    assert [(r["label"], r["value"], r["width"]) for r in bars] == [
        ("أولية", "12.0", 12.0), ("ثانوية", None, 0.0), ("ثالثية", "85.0", 85.0)]
    assert bars[2]["ink"] == BAND_COLOURS["sustained"][0]
    radar = charts["radar"]
    assert [label["text"] for label in radar["labels"]] == [f"({c}) Area {c}" for c in "abcdefghi"]
    assert radar["missing"] and radar["series"] == "Ministry <b>"    # escaped by the template
    svg = unquote(radar["svg"].split(",", 1)[1])
    assert "<text" not in svg and "<polygon" in svg and 'role="img"' in svg
    assert svg.count('fill="#ffffff"/>') >= 1                       # the hollow marker of (i)


def test_axis_labels_sit_outside_the_radar_on_the_side_of_their_spoke():
    labels = print_charts.report_charts(SCORE, AREAS, LAYERS, DEFAULT_BANDS, "x")["radar"]["labels"]
    assert "text-align:center" in labels[0]["style"] and "bottom:" in labels[0]["style"]   # (a) on top
    assert "text-align:left" in labels[2]["style"]                  # (c), right: grows rightwards
    assert "text-align:right" in labels[7]["style"]                 # (h), left: grows leftwards


@pytest.mark.slow
def test_an_empty_heat_map_cell_is_hatched_and_says_so(world, tmp_path):
    """The caption says "hatched cells have none": a cell no question is tagged with came out
    white, its style class's background above the hatching of td.none.  Read back from the
    PDF: the words of the cell, and stripes of two tones across the cell beside them."""
    pdf, html = render(world["app"], world["submitted"], "gap")
    assert re.search(r'<td class="[^"]*\bnone">no items</td>', html)
    page = next(n for n, text in enumerate(pdf_pages(pdf), 1) if "no items" in text)
    out = pdftotext(pdf, "-bbox", "-f", str(page), "-l", str(page))
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(\w+)</word>', out)
    x, top, bottom = next((float(a), float(b), float(c)) for (a, b, c, w), after in zip(words, words[1:])
                          if (w, after[3]) == ("no", "items"))
    dpi = 150
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", "-", str(tmp_path / "page")], input=pdf, check=True, timeout=60)
    image = Image.open(tmp_path / "page.png").convert("L")
    px = dpi / 72
    y = round((top + bottom) / 2 * px)
    # From 3.5 mm before the words to 0.5 mm before them: inside the cell (24 mm wide, the
    # words ~12 mm), past the text.
    row = [image.getpixel((i, y)) for i in range(round((x - 3.5 * MM) * px), round((x - 0.5 * MM) * px))]
    assert max(row) >= 250 and min(row) <= 225, row               # white and #d9d9d9 stripes
