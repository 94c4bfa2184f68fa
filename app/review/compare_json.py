"""The API form of a comparison (``GET /api/v1/compare``): every list is aligned with ``ids``.
New fields are only ever added (CONTRACTS.md): ``agreement`` and each item's ``spread``
are there when at least one compared assessment has informant ratings that may be shown."""
from __future__ import annotations

from typing import Any

from .compare import Comparison, Row
from ..contributors.spread import agreement_json, spread_json


def comparison_json(c: Comparison) -> dict[str, Any]:
    def row(r: Row, with_bands: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"scores": list(r.scores), "differences": list(r.differences),
                               "spread": r.spread}
        if with_bands and r.bands:
            out["bands"] = list(r.bands)
        return out

    body = {
        "ids": [s.id for s in c.subjects],
        "reference": c.reference,
        "questionnaires": list(c.versions),
        "mixed_versions": c.mixed_versions,
        "overall": row(c.overall) | {"known_only": list(c.known_only.scores)},
        "areas": {r.code: row(r) for r in c.areas},
        "layers": {r.code: row(r) for r in c.layers},
        "cells": {a: {r.layer: row(r, False) for r in c.cells if r.area == a}
                  for a in dict.fromkeys(r.area for r in c.cells)},
        "items": [{"key": r.key, "levels": [a.level for a in r.answers],
                   "effective_levels": [a.effective for a in r.answers],
                   "statuses": [a.status for a in r.answers], "gap": r.gap, "differs": r.differs}
                  for r in c.items],
        "compared_items": len(c.items),
        "excluded_items": {ref: list(keys) for ref, keys in c.excluded_items.items()},
    }
    if any(s.informants for s in c.subjects):
        body["agreement"] = [agreement_json(s.informants) for s in c.subjects]
        for out, r in zip(body["items"], c.items):
            out["spread"] = [spread_json(sp) for sp in r.spreads]
    return body
