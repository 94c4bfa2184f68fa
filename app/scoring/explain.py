"""Every aggregate explains itself (RUBRIC.md section 8).

The score document keeps explanations compact (item keys and weighted sums per aggregate,
per-item detail once under ``items``); :func:`explain` expands one aggregate into rows a
page, a PDF or an API client can show: each item that entered it with its weight, claimed
and effective level, evidence cap, s and contribution, the items left out as not applicable
and the gating items.  Pure functions over the document: no questionnaire needed, so a
stored score document can be explained exactly as it was computed.
"""
from __future__ import annotations

from typing import Any, Literal, Mapping

from .engine import format_score

Kind = Literal["overall", "area", "layer", "cell"]


def explain(doc: Mapping[str, Any], kind: Kind, code: str | None = None,
            layer: str | None = None) -> dict:
    """Expand one aggregate of a score document.

    ``explain(doc, "overall")``, ``explain(doc, "area", "b")``,
    ``explain(doc, "layer", "primary")``, ``explain(doc, "cell", "b", "primary")``.

    Returns ``{"kind", "code", "layer", "score", "known_only", "band", "band_before_gating",
    "gated_by", "formula", "rows", "not_applicable", "unknown"}``; for the overall score the
    rows are areas (``area, score, known_only, weight, included``), otherwise items
    (``key, weight_class, weight, status, claimed_level, effective_level, capped_by, s,
    contribution, known``).  Raises ``KeyError`` for an unknown aggregate and ``ValueError``
    when the document was scored without explanations.
    """
    explanations = doc.get("explanations")
    if explanations is None:
        raise ValueError("this score document was computed without explanations")
    if kind == "overall":
        return _explain_overall(doc, explanations["overall"])
    if kind == "area":
        summary, exp = doc["areas"][code], explanations["areas"][code]
    elif kind == "layer":
        summary, exp = doc["layers"][code], explanations["layers"][code]
    elif kind == "cell":
        value = doc["cells"][code][layer]
        summary, exp = {"score": value, "band": None, "gated_by": []}, explanations["cells"][code][layer]
    else:
        raise KeyError(kind)
    rows = []
    for key in exp["items"]:
        item = doc["items"][key]
        s = item["s"]
        rows.append({
            "key": key, "weight_class": item["weight_class"], "weight": item["weight"],
            "status": item["status"], "claimed_level": item["claimed_level"],
            "effective_level": item["effective_level"], "capped_by": item["capped_by"],
            "s": s, "contribution": item["weight"] * s, "known": item["status"] == "answered",
        })
    known_only = summary.get("known_only")
    if known_only is None and exp["known_weight_total"] > 0:
        known_only = 100.0 * exp["known_weighted_sum"] / exp["known_weight_total"]
    return {
        "kind": kind, "code": code, "layer": layer,
        "score": summary["score"], "known_only": known_only, "band": summary.get("band"),
        "band_before_gating": exp.get("band_before_gating"),
        "gated_by": list(summary.get("gated_by", [])),
        "formula": _formula(exp["weighted_sum"], exp["weight_total"], summary["score"],
                            "\u03a3(w\u00b7s)", "\u03a3w", scale=100),
        "rows": rows,
        "not_applicable": list(exp["not_applicable"]),
        "unknown": list(exp["unknown"]),
    }


def _explain_overall(doc: Mapping[str, Any], exp: Mapping[str, Any]) -> dict:
    rows = [{"area": code, **entry} for code, entry in exp["areas"].items()]
    score = doc["overall"]["score"]
    return {
        "kind": "overall", "code": None, "layer": None,
        "score": score, "known_only": doc["overall"]["known_only"],
        "band": doc["overall"]["band"], "band_before_gating": doc["overall"]["band"],
        "gated_by": [],
        "formula": _formula(exp["weighted_sum"], exp["weight_total"], score,
                            "\u03a3(area weight \u00b7 area score)", "\u03a3 area weight", scale=1),
        "rows": rows,
        "not_applicable": [r["area"] for r in rows if r["score"] is None],
        "unknown": [],
    }


def _formula(total: float, weight: float, score: float | None, top: str, bottom: str,
             scale: int) -> str:
    """A one-line account of the arithmetic, e.g. ``100 × Σ(w·s) / Σw = 100 × 4.5 / 9 = 50.0``."""
    prefix = f"{scale} \u00d7 " if scale != 1 else ""
    if weight <= 0:
        return f"{prefix}{top} / {bottom}: nothing applicable, no score"
    return (f"{prefix}{top} / {bottom} = {prefix}{_num(total)} / {_num(weight)}"
            f" = {format_score(score)}")


def _num(x: float) -> str:
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text or "0"
