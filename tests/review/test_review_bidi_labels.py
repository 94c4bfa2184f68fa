"""A label such as "#3 Ministry (KE 2025)", or an organisation's name, inside a sentence of a
right-to-left page is isolated (<bdi>, escaped inside): else its number and Latin words take
the Arabic sentence around them out of order ("difference from #3 Ministry (KE 2025):")."""
from __future__ import annotations

import re

from markupsafe import Markup

from app.display.bidi import SLOT, isolate, isolated_in
from tests.factories import login

ARABIC = {"Accept-Language": "ar"}


def test_isolate_escapes_then_wraps():
    assert isolate("#3 <Ministry> (KE 2025)") == Markup("<bdi>#3 &lt;Ministry&gt; (KE 2025)</bdi>")
    assert isolated_in(f"الفرق عن {SLOT}:", "#3 A&B") == Markup("الفرق عن <bdi>#3 A&amp;B</bdi>:")


def test_arabic_comparison_isolates_the_reference_label_in_its_sentences(client, world):
    login(client, "reviewer@un.example")
    html = client.get(f"/review/compare?ids={world.gov_submitted},{world.ngo_submitted}",
                      headers=ARABIC).get_data(as_text=True)
    label = rf"<bdi>#{world.gov_submitted} Ministry \(KE 2025\)</bdi>"
    assert re.search(rf'<p class="hint">[^<]*{label}', html), "the baseline sentence"
    assert re.search(rf'<span class="visually-hidden">[^<]*{label}[^<]*</span>', html), "a difference's reference"
    outside_the_chart = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)    # the chart's own text is plain
    # never after Arabic words in the same text (a table's head or a data-label holds it alone)
    m = re.search(rf"[\u0600-\u06ff][^<>\"]*#{world.gov_submitted} Ministry \(KE 2025\)", outside_the_chart)
    assert not m, outside_the_chart[m.start() - 200:m.end() + 50]


def test_arabic_divergence_isolates_the_organisations_and_the_reference(client, world):
    login(client, "reviewer@un.example")
    html = client.get("/review/divergence?jurisdiction=KE&period=2025", headers=ARABIC).get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert "<bdi>Ministry</bdi>" in html and "<bdi>Coalition</bdi>" in html
    assert re.search(r'<span class="visually-hidden">[^<]*<bdi>#\d+ Ministry \(KE 2025\)</bdi>', html)
