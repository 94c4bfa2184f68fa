"""Display helpers for the review templates: formatting and the charts of a comparison.
Plain functions of plain data; the blueprint makes them available to its templates as
``rv``."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Sequence

from flask_babel import gettext as _, ngettext
from markupsafe import Markup, escape

from ..assessments.display import change_labels, value_text
from ..charts import MAX_SERIES, Series, bands_from_rubric, radar_chart, radar_table
from ..display import labels as L, numbers as n
from ..display.bidi import SLOT, isolated_in, ltr
from ..display.rows import shorten
from ..i18n import locale_code, localize, paren
from .changes import Change, Trend
from .compare import DONT_KNOW, NOT_APPLICABLE, Comparison, ItemAnswer, Subject, reference_indices
from .spread_view import spread_html

DASH = n.DASH
ITEM_PROMPT_LIMIT = 90      # characters of an item's question text beside its key (the trend)


def round1(value: float | None) -> float | None:
    """A value as shown, to one decimal (:func:`app.display.numbers.rounded`, half up)."""
    exact = n.rounded(value, 1)
    return None if exact is None else float(exact)


def _score_text(value: float | None) -> str:
    return n.score(value)


def shown_difference(after: float | None, before: float | None) -> float | None:
    """``after - before`` as a reader computes it from the numbers shown: each rounded to
    one decimal first (35.34 vs 49.45 are shown as 35.3 and 49.5: the difference is 14.2,
    never 14.1).  Exact in decimal, so that 49.5 - 35.3 is 14.2, not 14.200000000000003."""
    a, b = round1(after), round1(before)
    if a is None or b is None:
        return None
    return float(Decimal(repr(a)) - Decimal(repr(b)))


def shown_spread(values: Sequence[float | None]) -> float | None:
    """Largest minus smallest of the values as shown (one decimal), ``None`` with fewer than
    two."""
    defined = [v for v in values if v is not None]
    return shown_difference(max(defined), min(defined)) if len(defined) >= 2 else None


def _diff_parts(value: float | None) -> tuple[str, str]:
    """(signed text, css class) of a difference, rounded once."""
    return diff(value), diff_class(value)


def score(value: float | None) -> str:
    return n.score(value)


def diff(value: float | None) -> str:
    """A signed difference, one decimal: ``+3.2``, ``−1.0``, ``0.0``; an en dash if none."""
    return n.signed(value)


def diff_class(value: float | None) -> str:
    rounded = round1(value)
    if not rounded:
        return "rv-diff-none"
    return "rv-diff-up" if rounded > 0 else "rv-diff-down"


def level(value: float | None) -> str:
    """A level as shown (:func:`app.display.numbers.level`)."""
    return n.level(value)


def level_between(before: float | None, after: float | None) -> str:
    """The signed difference ``after - before`` of two levels, from the levels as shown."""
    return level_diff(shown_difference(after, before))


def level_diff(value: float | None) -> str:
    return n.signed(value, whole=True)


def answer_text(answer: ItemAnswer, words: Mapping[str, str] | None = None) -> str:
    """A level (``3``, ``2 (counts as 1)`` when capped), or what stands in for one
    (``words``: :data:`~app.display.labels.ANSWER_STATUS_SHORT` translated, once per table)."""
    if answer.status in (DONT_KNOW, NOT_APPLICABLE) or answer.level is None:
        words = words or L.labels(L.ANSWER_STATUS_SHORT)
        return words.get(answer.status, words["unanswered"])
    if answer.capped:
        return _("%(level)s (counts as %(effective)s)", level=level(answer.level),
                 effective=level(answer.effective))
    return level(answer.level)


def answer_words(item, answer) -> str:
    """An answer in words, in the page's language (the wording of every page)."""
    return value_text(item, answer, localize)


status_label = L.status_label
kind_label = L.organisation_kind_label
evidence_label = L.evidence_label


def band_label(code: str | None) -> str:
    """A band's name in the reader's language (a rubric's own extra bands: the code)."""
    return L.label(L.BAND, code, code.capitalize() if code else "")


def area_labels(subject: Subject) -> dict[str, str]:
    """``(a) Title`` for each area (as the charts label them), never ``(a) (a) Title``."""
    return coded_area_labels(subject.questionnaire)


def coded_area_labels(questionnaire) -> dict[str, str]:
    return {a.code: L.coded_title(a.code, localize(a.title)) for a in questionnaire.areas}


def layer_labels(subject: Subject) -> dict[str, str]:
    return {layer.code: localize(layer.title) for layer in subject.questionnaire.layers}


def short_label(s: Subject) -> str:
    return f"#{s.id} {s.organisation} ({s.jurisdiction} {s.period})"


def radar(comparison: Comparison, chart_id: str = "compare-radar") -> dict[str, Any]:
    """The radar overlay of the first :data:`MAX_SERIES` subjects, its data table, and how
    many subjects were left out of the picture (the tables show them all)."""
    shown = comparison.subjects[:MAX_SERIES]
    labels = area_labels(shown[0])
    series = [Series.from_document(short_label(s), s.score) for s in shown]
    bands = bands_from_rubric(shown[0].questionnaire.rubric, locale_code())
    title = ngettext("Readiness by area, %(num)d assessment overlaid",
                     "Readiness by area, %(num)d assessments overlaid", len(shown))
    return {
        "svg": radar_chart(series, axis_labels=labels, bands=bands, title=title, chart_id=chart_id),
        "table": radar_table(series, axis_labels=labels,
                             caption=_("Scores by area (0-100), as in the radar chart")),
        "left_out": len(comparison.subjects) - len(shown),
    }


def helpers() -> Mapping[str, Any]:
    return {"score": score, "diff": diff, "diff_class": diff_class, "level": level,
            "level_diff": level_diff, "level_between": level_between,
            "answer_text": answer_text, "status_label": status_label,
            "kind_label": kind_label, "short_label": short_label, "t": localize,
            "band_label": band_label, "evidence_label": evidence_label, "spread": spread_html}


# -- the trend and the divergence, as display values -----------------------------------------------
def trend_view(trend: Trend, area_labels: Mapping[str, str], layer_labels: Mapping[str, str],
               prompts: Mapping[str, str]) -> dict[str, Any]:
    """What improved and what regressed, as shown: every difference is taken from the
    scores or levels as shown, a change that shows as none is left out, and each list is
    ordered by the difference shown, largest first.  Items carry a short form of their
    question text beside the key."""
    def shown(changes: Sequence[Change], sign: int) -> list[tuple[float, Change]]:
        found = [(d, ch) for ch in changes if (d := shown_difference(ch.after, ch.before))]
        return sorted(found, key=lambda pair: -sign * pair[0])   # stable: ties keep their order

    def scores(changes: Sequence[Change], labels: Mapping[str, str], sign: int) -> list[dict[str, str]]:
        return [{"label": labels.get(ch.code, ch.code), "before": score(ch.before),
                 "after": score(ch.after), "diff": diff(d), "class": diff_class(d)}
                for d, ch in shown(changes, sign)]

    def items(changes: Sequence[Change], sign: int) -> list[dict[str, str]]:
        return [{"key": ch.code, "prompt": shorten(prompts.get(ch.code, ""), ITEM_PROMPT_LIMIT),
                 "before": level(ch.before), "after": level(ch.after)} for _d, ch in shown(changes, sign)]

    overall = shown_difference(trend.overall.after, trend.overall.before)
    return {
        "overall": {"before": score(trend.overall.before), "after": score(trend.overall.after),
                    "diff": diff(overall), "class": diff_class(overall)},
        "improved_areas": scores(trend.improved_areas, area_labels, 1),
        "regressed_areas": scores(trend.regressed_areas, area_labels, -1),
        "improved_layers": scores(trend.improved_layers, layer_labels, 1),
        "regressed_layers": scores(trend.regressed_layers, layer_labels, -1),
        "improved_items": items(trend.improved_items, 1),
        "regressed_items": items(trend.regressed_items, -1),
    }


def area_divergence_rows(comparison: Comparison, area_labels: Mapping[str, str]) -> list[dict[str, str]]:
    """The areas of a two-way comparison, the largest difference shown first; each
    difference (second minus first) is taken from the scores as shown."""
    rows = []
    for r in comparison.area_divergence():
        d = shown_difference(r.scores[1], r.scores[0])
        rows.append((d, {"label": area_labels.get(r.code, r.code), "first": score(r.scores[0]),
                         "second": score(r.scores[1]), "diff": diff(d), "class": diff_class(d)}))
    rows.sort(key=lambda pair: (pair[0] is None, -abs(pair[0] or 0.0)))   # stable
    return [row for _d, row in rows]


def questionnaire_note(comparison: Comparison) -> dict[str, Any] | None:
    """What to say when versions differ: which, how many items compared, which left out."""
    if not comparison.mixed_versions:
        return None
    questionnaires = {s.ref: s.questionnaire for s in comparison.subjects}
    names = {ref: L.questionnaire_name(q.title, q.version) for ref, q in questionnaires.items()}
    return {"versions": comparison.versions, "names": names, "compared": len(comparison.items),
            "excluded": {ref: [_with_change(ref, key, comparison) for key in keys]
                         for ref, keys in comparison.excluded_items.items()}}


def _with_change(ref: str, key: str, comparison: Comparison) -> str:
    """``c1 (redefined)``: an item left out, with what its version's crosswalk says of it."""
    from flask import current_app, has_app_context

    questionnaire = next(s.questionnaire for s in comparison.subjects if s.ref == ref)
    if not has_app_context():
        return key
    walk = current_app.extensions["catalog"].crosswalk_into(questionnaire)
    if walk is None:
        return key
    return key + paren(change_labels().get(walk.change_of_new_key(key), walk.change_of_new_key(key)))


def id_list(subjects: Sequence[Subject]) -> str:
    return ",".join(str(s.id) for s in subjects)


# -- the comparison tables, as display strings ----------------------------------------------------
def tables(comparison: Comparison, area_labels: Mapping[str, str], layer_labels: Mapping[str, str],
           items: Sequence[Any], large_gap: float) -> dict[str, Any]:
    """Every table of a comparison as text, computed once (a 50-way comparison has thousands
    of cells: formatting them here keeps the template a plain loop)."""
    from flask import url_for

    subjects = comparison.subjects
    previous = comparison.reference == "previous"
    reference = _("the previous period") if previous else short_label(subjects[0])
    sr = (_("difference from %(ref)s:", ref=reference) if previous     # "#3 Ministry (KE 2025)" in <bdi>
          else isolated_in(_("difference from %(ref)s:", ref=SLOT), reference))

    refs = reference_indices(len(subjects), comparison.reference)

    def shown_row(row) -> tuple[list[tuple[str, str | None, str]], str]:
        """The cells (score, difference, class) and the spread, every difference taken from
        the scores as shown (one decimal), so that a reader's subtraction agrees."""
        shown = [round1(v) for v in row.scores]
        exact = [None if v is None else Decimal(repr(v)) for v in shown]
        cells = []
        for k, value in enumerate(exact):
            text = n.score(shown[k])
            ref = refs[k]
            if ref is None:
                cells.append((text, None, ""))
                continue
            base = exact[ref]
            cells.append((text, *_diff_parts(None if value is None or base is None else float(value - base))))
        defined = [v for v in exact if v is not None]
        spread = _score_text(float(max(defined) - min(defined))) if len(defined) >= 2 else DASH
        return cells, spread

    def table(rows, label) -> list[dict[str, Any]]:
        out = []
        for r in rows:
            cells, spread = shown_row(r)
            out.append({"label": label(r), "cells": cells, "spread": spread})
        return out

    out = {
        "reference": reference, "sr": sr,
        "heads": [{"url": url_for("review.assessment", assessment_id=s.id), "id": s.id,
                   "organisation": s.organisation, "place": f"{s.jurisdiction} {s.period}"} for s in subjects],
        "overall": table([comparison.overall], lambda r: _("Overall readiness"))
        + table([comparison.known_only], lambda r: _("Known answers only")),
        "bands": list(comparison.overall.bands),
        "areas": table(comparison.areas, lambda r: area_labels.get(r.code, r.code)),
        "layers": table(comparison.layers, lambda r: layer_labels.get(r.code, r.code)),
        "cells": table(comparison.cells, lambda r: f"{area_labels.get(r.area, r.area)}, "
                                                   f"{layer_labels.get(r.layer, r.layer)}"),
        "items": item_rows(items, large_gap),
    }
    for name in ("areas", "layers", "cells"):
        out[name + "_html"] = score_rows_html(out[name], sr)
    out["overall_html"] = (score_rows_html(out["overall"][:1], sr), score_rows_html(out["overall"][1:], sr))
    out["items_html"] = item_rows_html(out["items"])
    return out


def item_rows(items: Sequence[Any], large_gap: float) -> list[dict[str, Any]]:
    """The items table as text: each answer with the informants' spread below it (if any)."""
    words = L.labels(L.ANSWER_STATUS_SHORT)
    return [{"key": r.key, "prompt": localize(r.prompt), "large": r.gap is not None and r.gap >= large_gap,
             "answers": [(a.status, answer_text(a, words), spread_html(sp))
                         for a, sp in zip(r.answers, r.spreads or [None] * len(r.answers))],
             "gap": level(shown_spread([a.counted for a in r.answers]))} for r in items]


def score_rows_html(rows: Sequence[Mapping[str, Any]], sr: str | Markup) -> Markup:
    """Table rows of scores with their differences (a 50-way comparison has thousands of
    cells: built here, escaped, rather than in a template loop).  Every text is escaped;
    the numbers and classes are ours; a signed difference is isolated left to right (bidi)."""
    sr_html = f'<span class="visually-hidden">{escape(sr)} </span>'
    out = []
    for r in rows:
        cells = "".join(
            f'<td class="num">{escape(text)}<br><span class="rv-diff {cls}">{sr_html}{ltr(d)}</span></td>'
            if d else f'<td class="num">{escape(text)}</td>' for text, d, cls in r["cells"])
        out.append(f'<tr><th scope="row">{escape(r["label"])}</th>{cells}'
                   f'<td class="num">{escape(r["spread"])}</td></tr>')
    return Markup("".join(out))


def item_rows_html(rows: Sequence[Mapping[str, Any]]) -> Markup:
    """The rows of the items table, escaped (see :func:`score_rows_html`); below an answer,
    the spread of the informants' ratings where one may be shown (``spread_view``)."""
    cache: dict[str, str] = {}

    def esc(text: str) -> str:
        hit = cache.get(text)
        if hit is None:
            hit = cache[text] = str(escape(text))
        return hit

    out = []
    for r in rows:
        cells = "".join(f'<td class="num rv-level-{status}">{esc(text)}{spread}</td>'
                        for status, text, spread in r["answers"])
        large = ' class="rv-large-gap"' if r["large"] else ""
        out.append(f'<tr{large}><th scope="row"><span class="rv-item-key">{escape(r["key"])}</span> '
                   f'{escape(r["prompt"])}</th>{cells}<td class="num"><strong>{escape(r["gap"])}</strong></td></tr>')
    return Markup("".join(out))
