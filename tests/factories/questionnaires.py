"""Questionnaires for the rules and the catalogue: small ones in memory, for the scoring rules
(RUBRIC.md), and the small test definition on disk with translation files beside it."""
from __future__ import annotations

import json
from pathlib import Path

from .apps import FIXTURES

AREAS = "abcdefghi"
LAYERS = ("primary", "secondary", "tertiary")
LEVELS = [{"level": n, "descriptor": {"en": f"Level {n}"}} for n in range(5)]


def item(key, type="scale", areas=("a",), layers=("primary",), weight="core", **extra) -> dict:
    data = {"key": key, "type": type, "prompt": {"en": f"Prompt {key}"},
            "guidance": {"en": "Guidance."}, "areas": list(areas), "layers": list(layers),
            "weight": weight, "action": {"en": f"Act on {key}", "fr": f"Agir sur {key}"},
            "sources": [{"document": "A/68/275", "paragraphs": [82, 122]}]}
    if type == "scale":
        data["levels"] = LEVELS
    data.update(extra)
    return data


def choice(key, scores=(0, 0.25, 0.5, 0.6, 0.75, 1), **kw) -> dict:
    options = [{"code": f"o{int(round(s * 100))}", "label": {"en": str(s)}, "score": s}
               for s in scores]
    return item(key, "choice", options=options, **kw)


def make(items, **rubric):
    """A questionnaire of ``items`` in one section, with a rubric of ``rubric``'s parameters."""
    from app.questionnaire.definition import Questionnaire, Rubric

    data = {"id": "test", "version": "1.0", "title": {"en": "Test"},
            "areas": [{"code": c, "title": {"en": c.upper()}} for c in AREAS],
            "layers": [{"code": c, "title": {"en": c}} for c in LAYERS],
            "sections": [{"key": "s1", "title": {"en": "S"}, "items": [i["key"] for i in items]}],
            "items": items}
    q = Questionnaire.model_validate(data)
    return q.model_copy(update={"rubric": Rubric(rubric_version="test-1", **rubric)})


def score(q, answers, **kw):
    from app.scoring import score_assessment

    doc = score_assessment(q, answers, **kw)
    json.dumps(doc, allow_nan=False)        # always plain JSON
    return doc


# -- a small definition on disk with translation files beside it ------------------------------
def mini_definition(tmp_path: Path) -> Path:
    """The small test questionnaire and its rubric copied to ``tmp_path``: its definition path."""
    import shutil

    for name in ("mini-1.0.yaml", "mini-1.0.rubric.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path / "mini-1.0.yaml"


def translation_po(path: Path, lang: str, entries: dict[str, tuple[str, str]]) -> Path:
    """Writes ``translations/<definition>.<lang>.po`` beside definition ``path``; entries: text
    path -> (English msgid, translation)."""
    from babel.messages.catalog import Catalog as PoCatalog
    from babel.messages.pofile import write_po

    catalog = PoCatalog(locale=lang)
    for ctx, (msgid, text) in entries.items():
        catalog.add(msgid, text, context=ctx)
    target = path.parent / "translations" / f"{path.stem}.{lang}.po"
    target.parent.mkdir(exist_ok=True)
    with open(target, "wb") as handle:
        write_po(handle, catalog)
    return target
