"""Comparison of assessments, from their score documents and answers: pure functions.

Input: :class:`Subject` values (plain data: metadata, the questionnaire definition, the score
document of CONTRACTS.md and the answers in their API form).  Output: :class:`Comparison`,
plain data for the pages, the API and the exports.  No Flask, no database.

Rules (stated on the pages too):

* **Scores** (overall, areas, layers, cells) are the score documents' own, unrounded;
  a *difference* is ``score - reference score``, where the reference is the first subject
  (the baseline) or, for a trend, the previous subject.  ``spread`` is max - min of the
  defined scores.
* **Items**: only scored items whose keys exist in *every* compared questionnaire version are
  compared; the rest are listed in ``excluded_items``.  An item's *level* is the level as
  answered (RUBRIC 1: ``4 * s`` for non-scale items), before evidence caps; the level that
  counts after a cap is kept beside it (``effective``; ``counted`` is that, or the level when
  a document gives no effective level).  Scoring uses the level that counts (RUBRIC 2), and so
  do the item differences: ``gap`` is max - min of the *counted* levels of the subjects that
  gave one (``None`` with fewer than two), ``changes`` the counted level minus the reference's,
  and the divergence order and ``min_gap`` filters follow ``gap``.  ``differs`` is true when the
  answers differ in kind (a level, don't know, not applicable, no answer), in the level that
  counts, or in the level claimed (two claims capped to the same level still differ).
* **Informants** (issue 13): where a subject carries disclosed informant ratings
  (:class:`~app.contributors.spread.InformantSpread`), each item row holds the spread of that
  subject's ratings beside its answer (``spreads``); they never change a level or a gap.

What changed from one subject to another is :mod:`app.review.changes`; the API's form is
:mod:`app.review.compare_json`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from app.questionnaire.definition import Questionnaire

from app.contributors.spread import InformantSpread, ItemSpread

ANSWERED, DONT_KNOW, NOT_APPLICABLE, UNANSWERED = "answered", "dont_know", "not_applicable", "unanswered"
EPS = 1e-9

MIN_SUBJECTS, MAX_SUBJECTS = 2, 50


@dataclass(frozen=True)
class Subject:
    """One assessment as compared: what it is, and what it scored."""

    id: int
    title: str
    organisation: str
    organisation_kind: str
    jurisdiction: str
    period: str
    status: str
    questionnaire: Questionnaire
    score: Mapping[str, Any]                      # the score document
    answers: Mapping[str, Mapping[str, Any]]      # item key -> answer in its API form
    submission: int | None = None                 # the submission number compared
    submitted_at: str | None = None
    answered_by: Mapping[str, str] = field(default_factory=dict)  # item key -> who saved it (exports)
    informants: InformantSpread | None = None     # disclosed informant ratings (spread.py)
    #: The stored score compared, as (when it was stored, the rubric version); None for a live
    #: score (a draft's): what app.review.cache keys a page on instead of the document.
    score_key: tuple[str, str | None] | None = None

    @property
    def ref(self) -> str:
        return f"{self.questionnaire.id}@{self.questionnaire.version}"

    @property
    def label(self) -> str:
        return f"#{self.id} {self.organisation} ({self.jurisdiction} {self.period})"


@dataclass(frozen=True)
class Row:
    """One aggregate across subjects: scores, bands, differences from the reference."""

    code: str
    scores: tuple[float | None, ...]
    differences: tuple[float | None, ...]        # None for the reference itself
    bands: tuple[str | None, ...] = ()
    spread: float | None = None
    area: str | None = None                      # cells only
    layer: str | None = None


@dataclass(frozen=True)
class ItemAnswer:
    status: str
    level: float | None          # as answered (0-4), None unless answered
    effective: float | None      # after evidence caps
    display: str                 # the answer itself, short (a level, an option code, a value)

    @property
    def counted(self) -> float | None:
        """The level that counts for scoring: the effective level, else the level."""
        return self.effective if self.effective is not None else self.level

    @property
    def capped(self) -> bool:
        return (self.level is not None and self.effective is not None
                and self.effective < self.level - EPS)


@dataclass(frozen=True)
class ItemRow:
    key: str
    type: str
    prompt: Mapping[str, str]
    areas: tuple[str, ...]
    layers: tuple[str, ...]
    answers: tuple[ItemAnswer, ...]
    gap: float | None                        # max - min of the counted (effective) levels
    differs: bool
    changes: tuple[float | None, ...] = ()   # counted level - reference's (None where undefined)
    spreads: tuple[ItemSpread | None, ...] = ()  # each subject's informants' levels (None: none shown)


@dataclass(frozen=True)
class Comparison:
    subjects: tuple[Subject, ...]
    reference: str                       # "baseline" or "previous"
    versions: tuple[str, ...]            # distinct questionnaire refs, in subject order
    overall: Row
    known_only: Row
    areas: tuple[Row, ...]
    layers: tuple[Row, ...]
    cells: tuple[Row, ...]
    items: tuple[ItemRow, ...]           # every common scored item, questionnaire order
    excluded_items: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def mixed_versions(self) -> bool:
        return len(self.versions) > 1

    def diverging(self, min_gap: float | None = None) -> list[ItemRow]:
        """Items whose answers differ; with ``min_gap``, only those whose levels that count
        (after evidence caps) differ by at least that much.  Questionnaire order."""
        if min_gap is None:
            return [r for r in self.items if r.differs]
        return [r for r in self.items if r.gap is not None and r.gap >= min_gap - EPS]

    def divergence_list(self, min_gap: float | None = None) -> list[ItemRow]:
        """Diverging items, largest difference in the levels that count first (items that
        differ only in kind,
        e.g. a level against a don't know, come last); ties in questionnaire order."""
        rows = self.diverging(min_gap)
        order = {r.key: n for n, r in enumerate(self.items)}
        return sorted(rows, key=lambda r: (r.gap is None, -(r.gap or 0.0), order[r.key]))

    def area_divergence(self) -> list[Row]:
        """Areas by spread, largest first (undefined spreads last)."""
        return sorted(self.areas, key=lambda r: (r.spread is None, -(r.spread or 0.0), r.code))


# -- building -------------------------------------------------------------------------------
def compare(subjects: Sequence[Subject], *, reference: str = "baseline",
            key_map: KeyMap | None = None) -> Comparison:
    """Compare 2 to 50 subjects (``reference``: ``"baseline"`` = against the first,
    ``"previous"`` = each against the one before, for trends).  ``key_map(source, target)``
    says which items of two questionnaire versions ask the same question (default: the
    installed catalogue's crosswalks, else the keys they share)."""
    subjects = tuple(subjects)
    if not MIN_SUBJECTS <= len(subjects) <= MAX_SUBJECTS:
        raise ValueError(f"compare {MIN_SUBJECTS} to {MAX_SUBJECTS} assessments; got {len(subjects)}")
    if reference not in ("baseline", "previous"):
        raise ValueError(f"unknown reference {reference!r}")
    ref_index = reference_indices(len(subjects), reference)
    docs = [s.score for s in subjects]

    def row(code: str, values: Sequence[float | None], bands: Sequence[str | None] = (), **kw) -> Row:
        values = tuple(values)
        return Row(code, values, _differences(values, ref_index), tuple(bands), _spread(values), **kw)

    overall = row("overall", [d["overall"].get("score") for d in docs],
                  [d["overall"].get("band") for d in docs])
    known_only = row("known_only", [d["overall"].get("known_only") for d in docs])
    area_codes = _codes(subjects, "areas")
    layer_codes = _codes(subjects, "layers")
    areas = tuple(row(code, [_get(d, "areas", code, "score") for d in docs],
                      [_get(d, "areas", code, "band") for d in docs]) for code in area_codes)
    layers = tuple(row(code, [_get(d, "layers", code, "score") for d in docs],
                       [_get(d, "layers", code, "band") for d in docs]) for code in layer_codes)
    cells = tuple(row(f"{a}.{layer}", [(d.get("cells", {}).get(a) or {}).get(layer) for d in docs],
                      area=a, layer=layer)
                  for a in area_codes for layer in layer_codes)
    common, excluded, keys_of = common_items(subjects, key_map or _catalogue_key_map())
    items = tuple(_item_row(key, subjects, ref_index, keys_of) for key in common)
    versions = tuple(dict.fromkeys(s.ref for s in subjects))
    return Comparison(subjects, reference, versions, overall, known_only, areas, layers, cells,
                      items, excluded)


KeyMap = Callable[[Questionnaire, Questionnaire], Mapping[str, str]]


def _shared_keys(source: Questionnaire, target: Questionnaire) -> dict[str, str]:
    return {k: k for k in source.item_map if k in target.item_map}


def _catalogue_key_map() -> KeyMap:
    """The installed catalogue's crosswalks when there is an app; else shared keys."""
    from flask import current_app, has_app_context

    if has_app_context() and "catalog" in current_app.extensions:
        return current_app.extensions["catalog"].key_map
    return _shared_keys


def common_items(subjects: Sequence[Subject], key_map: KeyMap = _shared_keys
                 ) -> tuple[list[str], dict[str, tuple[str, ...]], dict[str, dict[str, str]]]:
    """The scored items that every subject's questionnaire asks (keys of the first subject's
    version, in its order; another version's item counts when ``key_map`` says it asks the
    same question: the same key, or through a crosswalk), per questionnaire ref the scored
    keys left out, and per ref the first version's key -> that version's key."""
    first_q = subjects[0].questionnaire
    versions: dict[str, Questionnaire] = {}
    for s in subjects:
        versions.setdefault(s.ref, s.questionnaire)
    keys_of: dict[str, dict[str, str]] = {}
    for ref, q in versions.items():
        if q is first_q:
            keys_of[ref] = {it.key: it.key for it in q.scored_items}
            continue
        scored = {it.key for it in q.scored_items}
        keys_of[ref] = {k: v for k, v in key_map(first_q, q).items() if v in scored}
    common = [it.key for it in first_q.scored_items if all(it.key in m for m in keys_of.values())]
    excluded = {}
    for ref, q in versions.items():
        kept = {keys_of[ref][k] for k in common}
        left = tuple(it.key for it in q.scored_items if it.key not in kept)
        if left:
            excluded[ref] = left
    return common, excluded, keys_of


def item_answer(questionnaire: Questionnaire, key: str, answer: Mapping[str, Any] | None,
                scored: Mapping[str, Any] | None) -> ItemAnswer:
    """One subject's answer to one item, from its API form and the score document's entry
    for the item (``items`` of the score document)."""
    item = questionnaire.item_map[key]
    answer = answer or {}
    status = (scored or {}).get("status") or _status_of(item, answer)
    if status == ANSWERED:
        level = (scored or {}).get("claimed_level")
        effective = (scored or {}).get("effective_level")
        return ItemAnswer(ANSWERED, _float(level), _float(effective), answer_display(item, answer))
    return ItemAnswer(status, None, None, "")


def answer_display(item, answer: Mapping[str, Any]) -> str:
    """The answer value as short text, the same in every language: the item's type says
    its value in codes (``3`` for a level, the option code, the selected codes joined
    with commas, the number with its unit, the text)."""
    if not answer:
        return ""
    if answer.get("dont_know"):
        return "don't know"
    if answer.get("not_applicable"):
        return "not applicable"
    value = answer.get(item.value_key)
    return "" if value is None else item.value_code(value)


# -- helpers ----------------------------------------------------------------------------------
def reference_indices(n: int, reference: str) -> tuple[int | None, ...]:
    """For each of ``n`` subjects, the index of the subject its differences are taken
    from (``None`` for the first)."""
    if reference == "baseline":
        return (None,) + (0,) * (n - 1)
    return (None,) + tuple(range(n - 1))


def _differences(values: Sequence[float | None], ref_index: Sequence[int | None]) -> tuple[float | None, ...]:
    out = []
    for value, ref in zip(values, ref_index):
        base = None if ref is None else values[ref]
        out.append(None if value is None or base is None else value - base)
    return tuple(out)


def _spread(values: Sequence[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return max(defined) - min(defined) if len(defined) >= 2 else None


def _codes(subjects: Sequence[Subject], kind: str) -> list[str]:
    codes = [a.code for a in subjects[0].questionnaire.areas] if kind == "areas" else \
        [layer.code for layer in subjects[0].questionnaire.layers]
    return codes


def _get(doc: Mapping[str, Any], kind: str, code: str, key: str):
    return (doc.get(kind, {}).get(code) or {}).get(key)


def _item_row(key: str, subjects: Sequence[Subject], ref_index: Sequence[int | None],
              keys_of: Mapping[str, Mapping[str, str]]) -> ItemRow:
    """One compared item (``key`` of the first subject's version; each subject's answer under
    its own version's key for the same question)."""
    answers = tuple(item_answer(s.questionnaire, keys_of[s.ref][key], s.answers.get(keys_of[s.ref][key]),
                                (s.score.get("items") or {}).get(keys_of[s.ref][key])) for s in subjects)
    counted = [a.counted for a in answers]
    levels = [v for v in counted if v is not None]
    gap = max(levels) - min(levels) if len(levels) >= 2 else None
    kinds = {(a.status, _round(a.level), _round(a.counted)) for a in answers}
    item = subjects[0].questionnaire.item_map[key]
    spreads = tuple(s.informants.items.get(keys_of[s.ref][key]) if s.informants else None for s in subjects)
    return ItemRow(key, item.type, dict(item.prompt), tuple(item.areas), tuple(item.layers),
                   answers, gap, len(kinds) > 1, _differences(counted, ref_index), spreads)


def _status_of(item, answer: Mapping[str, Any]) -> str:
    """The status when the score document has no per-item entry (an older document)."""
    if answer.get("dont_know"):
        return DONT_KNOW
    if answer.get("not_applicable"):
        return NOT_APPLICABLE
    return ANSWERED if answer.get(item.value_key) not in (None, "", []) else UNANSWERED


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _float(value) -> float | None:
    return None if value is None else float(value)
