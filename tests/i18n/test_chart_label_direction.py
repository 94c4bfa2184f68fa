"""A chart's Arabic label that starts with an area's Latin code ("(b) الإطار القانوني…") was laid
out left to right (the first strong letter was the code's): on the compare page's radar its
code stood on the left and its ellipsis at the start of the line.  The code no longer decides."""
from __future__ import annotations

from app.charts.svg import svg_text

ARABIC = "(b) الإطار القانوني والعدالة المراعية للطفل ووضع حد للإفلات من العقاب"


def test_an_arabic_label_after_a_latin_code_is_right_to_left_and_keeps_its_place():
    svg = svg_text(10, 10, ARABIC, anchor="start", max_chars=28, lines=2)
    assert 'direction="rtl"' in svg and 'text-anchor="end"' in svg
    assert svg.endswith("…</tspan></text>")


def test_an_english_label_after_its_code_stays_left_to_right():
    svg = svg_text(10, 10, "(b) Legal framework and child-friendly justice", anchor="start")
    assert 'direction="ltr"' in svg and 'text-anchor="start"' in svg
    assert 'direction="rtl"' in svg_text(0, 0, "الإطار القانوني") and 'direction="ltr"' in svg_text(0, 0, "(b)")
