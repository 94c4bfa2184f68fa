"""Checks of a definition's content, beyond its structure: what a treaty-body reader would
catch.  Run by the loader, so ``questionnaire validate`` and start-up both refuse a failing
definition, naming file, item and text.

* Every cited paragraph exists in its document (always).
* With a checks file beside the definition (``<definition>.checks.yaml``; 1.0 has none, it
  is published and immutable): no outdated term outside a quotation, and every item whose
  prompt speaks of a layer's subject carries that layer (para 17's definitions, as a tag list).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from pydantic import Field

from .schema import LAYER_CODES, Strict

#: The last paragraph of each source document (the documents' own numbering).
PARAGRAPH_COUNTS = {"A/68/275": 122, "A/HRC/25/48": 123}

#: A quotation: straight or typographic double quotes, or typographic single quotes.
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|«[^»]*»')


class ContentChecks(Strict):
    #: outdated term -> the term to use instead (matched case-insensitively, whole words).
    outdated_terms: dict[str, str] = Field(default_factory=dict)
    #: layer -> words in an item's prompt that call for that layer.
    layer_tags: dict[str, list[str]] = Field(default_factory=dict)


def item_texts(item) -> Iterator[tuple[str, str]]:
    """(where, text) of every text an item shows, in every language."""
    for name in ("prompt", "guidance", "action"):
        for lang, text in (getattr(item, name, None) or {}).items():
            yield f"{name}.{lang}", text
    for n, level in enumerate(getattr(item, "levels", None) or []):
        for lang, text in level.descriptor.items():
            yield f"levels[{n}].descriptor.{lang}", text
    for n, option in enumerate(getattr(item, "options", None) or []):
        for lang, text in option.label.items():
            yield f"options[{n}].label.{lang}", text


def source_problems(questionnaire, path: Path | str) -> list[str]:
    problems = []
    for i, item in enumerate(questionnaire.items):
        for j, source in enumerate(item.sources):
            last = PARAGRAPH_COUNTS.get(source.document)
            for p in source.paragraphs:
                if last is not None and p > last:
                    problems.append(f"{path}: items[{i}] ({item.key}).sources[{j}]: {source.document} "
                                    f"has no paragraph {p} (it ends at {last})")
    return problems


def term_problems(questionnaire, checks: ContentChecks, path: Path | str) -> list[str]:
    patterns = {term: re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE) for term in checks.outdated_terms}
    problems = []
    for i, item in enumerate(questionnaire.items):
        for where, text in item_texts(item):
            unquoted = _QUOTED.sub(" ", text)
            for term, pattern in patterns.items():
                if pattern.search(unquoted):
                    problems.append(f"{path}: items[{i}] ({item.key}).{where}: '{term}' is outdated; write "
                                    f"'{checks.outdated_terms[term]}' (keep the old words only inside a "
                                    "quoted title)")
    return problems


def layer_problems(questionnaire, checks: ContentChecks, path: Path | str) -> list[str]:
    problems = []
    for layer, tags in checks.layer_tags.items():
        if layer not in LAYER_CODES:
            problems.append(f"{path.with_suffix('') if isinstance(path, Path) else path}.checks: "
                            f"layer_tags: unknown layer {layer!r}")
            continue
        patterns = [re.compile(rf"\b{re.escape(t)}", re.IGNORECASE) for t in tags]
        for i, item in enumerate(questionnaire.items):
            prompt = (item.prompt or {}).get("en", "")
            hit = next((t for t, p in zip(tags, patterns) if p.search(prompt)), None)
            if hit and layer not in item.layers:
                problems.append(f"{path}: items[{i}] ({item.key}).layers: the prompt speaks of "
                                f"'{hit}', so the item belongs to the {layer} layer too (A/68/275 para 17)")
    return problems


def checks_path(definition: Path) -> Path:
    return definition.with_name(definition.name.removesuffix(".yaml") + ".checks.yaml")


def content_problems(questionnaire, path: Path, checks: ContentChecks | None) -> list[str]:
    problems = source_problems(questionnaire, path)
    if checks is not None:
        problems += term_problems(questionnaire, checks, path)
        problems += layer_problems(questionnaire, checks, path)
    return problems
