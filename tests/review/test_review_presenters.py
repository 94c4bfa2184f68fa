"""Display helpers of the review pages: the fast rounding agrees with the scoring engine's,
differences are signed, table HTML is escaped."""
from __future__ import annotations

import random

from app.review import presenters
from app.scoring import format_score, round_score


def test_round1_is_round_score():
    rng = random.Random(7)
    values = [rng.uniform(-100, 100) for _ in range(5000)] + [
        0.05, 0.15, 0.25, 47.25, 47.35, -0.05, -47.25, 59.95, 99.95, 0.0, -0.0, 100.0, 1e-12, 12.345]
    for v in values:
        assert presenters.round1(v) == round_score(v), v
        assert presenters._score_text(v) == format_score(v), v
    assert presenters.round1(None) is None and presenters._score_text(None) == "\u2013"


def test_differences_are_signed_and_classed():
    assert presenters._diff_parts(3.25) == ("+3.3", "rv-diff-up")
    assert presenters._diff_parts(-0.04) == ("0.0", "rv-diff-none")
    assert presenters._diff_parts(-12.35) == ("\u221212.4", "rv-diff-down")
    assert presenters._diff_parts(None) == ("\u2013", "rv-diff-none")
    assert presenters.diff(-1.0) == "\u22121.0" and presenters.diff(0) == "0.0"
    assert presenters.level(2.0) == "2" and presenters.level(3.4) == "3.4" and presenters.level_diff(-2) == "\u22122"


def test_table_html_is_escaped():
    rows = [{"label": "<b>x</b>", "cells": [("1.0", None, ""), ("2.0", "+1.0", "rv-diff-up")], "spread": "1.0"}]
    html = str(presenters.score_rows_html(rows, "difference from <i>A</i>:"))
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html and "&lt;i&gt;A&lt;/i&gt;" in html
    assert html.count("<td") == 3 and 'class="rv-diff rv-diff-up"' in html
    assert '<bdi dir="ltr">+1.0</bdi>' in html          # the sign stays left of the number in Arabic
    items = [{"key": "a1", "prompt": "Is <script>?", "large": True,
              "answers": [("answered", "3", ""), ("dont_know", "don't know", "")], "gap": "1"}]
    html = str(presenters.item_rows_html(items))
    assert "<script>" not in html and 'class="rv-large-gap"' in html and "don&#39;t know" in html


def test_differences_are_taken_from_the_values_as_shown():
    """A reader subtracts the numbers shown: 49.45 and 35.34 are shown as 49.5 and 35.3, so
    the difference shown is 14.2 (the unrounded 14.11 would show 14.1), exactly."""
    assert presenters.shown_difference(49.45, 35.34) == 14.2
    assert presenters.shown_difference(45.84, 34.36) == 11.4
    assert presenters.shown_difference(60.04, 60.0) == 0.0
    assert presenters.shown_difference(None, 1.0) is None and presenters.shown_difference(1.0, None) is None
    assert presenters.diff(presenters.shown_difference(49.45, 35.34)) == "+14.2"
    assert presenters.shown_spread([35.34, None, 49.45, 40.0]) == 14.2
    assert presenters.shown_spread([35.34, None]) is None
    # levels: whole numbers as such, else one decimal half up; differences of the shown levels
    assert presenters.level(2.96) == "3.0" and presenters.level(2.65) == "2.7" and presenters.level(None) == "\u2013"
    assert presenters.level_between(2.66, 1.34) == "\u22121.4"
    assert presenters.level_between(1, 3) == "+2" and presenters.level_between(2.0, 2.02) == "0"
