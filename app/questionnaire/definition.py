"""The whole questionnaire and its rubric, as typed, frozen models."""
from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import ConfigDict, Field, model_serializer, model_validator

from .items import Item
from .schema import (
    AREA_CODES, LAYER_CODES, Area, Layer, Section, Strict, Text, TextModel,
)


class BandRule(Strict):
    code: str
    min: float = Field(ge=0, le=100)
    label: dict[str, str] | None = None


class GatingRule(Strict):
    weight_class: Literal["core", "important", "supplementary"] = "core"
    below_level: float = Field(default=2, ge=0, le=4)
    cap_band: str = "developing"


class Rubric(Strict):
    """Every parameter of RUBRIC.md, as data (the engine hard-codes none)."""

    rubric_version: str
    weights: dict[Literal["core", "important", "supplementary"], float] = Field(
        default_factory=lambda: {"core": 3, "important": 2, "supplementary": 1})
    default_target: int = Field(default=3, ge=1, le=4)
    evidence_caps: bool = True
    documentary_evidence_cap: int = Field(default=2, ge=0, le=4)
    documentary_evidence_from_level: int = Field(default=3, ge=0, le=4)
    non_documentary_evidence_types: list[str] = Field(default_factory=lambda: ["expert_judgement"])
    outcome_evidence_cap: int = Field(default=3, ge=0, le=4)
    outcome_evidence_from_level: int = Field(default=4, ge=0, le=4)
    outcome_evidence_types: list[str] = Field(default_factory=lambda: ["evaluation", "data"])
    bands: list[BandRule] = Field(default_factory=lambda: [
        BandRule(code="absent", min=0), BandRule(code="initiating", min=20),
        BandRule(code="developing", min=40), BandRule(code="established", min=60),
        BandRule(code="sustained", min=80)])
    gating: GatingRule = Field(default_factory=GatingRule)
    dont_know_threshold: float = Field(default=0.25, ge=0, le=1)
    enabler_multiplier: float = Field(default=1.2, ge=1)
    area_weights: dict[str, float] = Field(default_factory=lambda: {c: 1.0 for c in AREA_CODES})
    # Rubric 1.1 (RUBRIC.md section 9).  Their defaults are rubric 1.0's behaviour, and a
    # parameter at its default is left out of the dump (see _dump), so that the content hash
    # of a version published before they existed stays what it was.
    #: The caps of section 2 apply to choice, checklist and number items too, on 4 * s.
    evidence_caps_all_types: bool = False
    #: A core item claimed at this level or more with no documentary evidence counts at
    #: ``core_evidence_cap`` (None: no such rule).
    core_evidence_from_level: int | None = Field(default=None, ge=1, le=4)
    core_evidence_cap: int = Field(default=1, ge=0, le=4)
    #: The evidence types that count as documentary (None: every type except
    #: ``non_documentary_evidence_types``, as in 1.0) ...
    documentary_types: list[str] | None = None
    #: ... and those of them that count only when their reference is filled in.
    documentary_needs_reference: list[str] = Field(default_factory=list)
    #: Items whose "not applicable" is only for a province or state (ISO 3166-2) assessment,
    #: where the matter belongs to the national State: a national assessment answers them.
    na_subnational_only: list[str] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        data = handler(self)
        for name in RUBRIC_1_1_PARAMETERS:
            if name in data and getattr(self, name) == type(self).model_fields[name].get_default(
                    call_default_factory=True):
                del data[name]
        return data

    def is_documentary(self, evidence_type: str, reference: str = "") -> bool:
        """Whether one evidence entry counts as documentary (RUBRIC.md 2 and 9)."""
        if self.documentary_types is None:
            return evidence_type not in self.non_documentary_evidence_types
        if evidence_type not in self.documentary_types:
            return False
        return evidence_type not in self.documentary_needs_reference or bool((reference or "").strip())

    @model_validator(mode="after")
    def _consistent(self):
        mins = [b.min for b in self.bands]
        if not mins or mins[0] != 0 or mins != sorted(mins) or len(set(mins)) != len(mins):
            raise ValueError("bands must start at 0 and rise strictly")
        if self.gating.cap_band not in {b.code for b in self.bands}:
            raise ValueError(f"gating.cap_band {self.gating.cap_band!r} is not a band code")
        unknown = set(self.area_weights) - set(AREA_CODES)
        if unknown:
            raise ValueError(f"area_weights has unknown areas: {sorted(unknown)}")
        return self


RUBRIC_1_1_PARAMETERS = ("evidence_caps_all_types", "core_evidence_from_level", "core_evidence_cap",
                         "documentary_types", "documentary_needs_reference", "na_subnational_only")


class Questionnaire(TextModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,63}$")
    version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$")
    title: Text
    description: Text | None = None
    languages: list[str] = Field(default_factory=lambda: ["en"])
    rubric_file: str | None = None
    areas: list[Area]
    layers: list[Layer]
    sections: list[Section] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    # Filled in by the loader from the rubric file; not part of the YAML.
    rubric: Rubric | None = None

    @model_validator(mode="after")
    def _structure(self):
        if [a.code for a in self.areas] != list(AREA_CODES):
            raise ValueError("areas must be a..i, each once, in order")
        if [layer.code for layer in self.layers] != list(LAYER_CODES):
            raise ValueError("layers must be primary, secondary, tertiary, in order")
        keys = [it.key for it in self.items]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"item keys must be unique; repeated: {dupes}")
        placed = [k for s in self.sections for k in s.items]
        twice = sorted({k for k in placed if placed.count(k) > 1})
        if twice:
            raise ValueError(f"items placed in more than one section: {twice}")
        missing = sorted(set(keys) - set(placed))
        if missing:
            raise ValueError(f"items not placed in any section: {missing}")
        unknown = sorted(set(placed) - set(keys))
        if unknown:
            raise ValueError(f"sections name unknown items: {unknown}")
        skeys = [s.key for s in self.sections]
        if len(set(skeys)) != len(skeys):
            raise ValueError("section keys must be unique")
        for lang in self.languages:
            if lang != "en" and lang not in self.title:
                raise ValueError(f"language {lang!r} is declared but the title has no text for it")
        return self

    # -- lookups (cached: a definition never changes once loaded) --------------
    @cached_property
    def item_map(self) -> dict[str, Item]:
        return {it.key: it for it in self.items}

    @cached_property
    def scored_items(self) -> list[Item]:
        return [it for it in self.items if it.scored]

    @cached_property
    def section_of(self) -> dict[str, Section]:
        return {k: s for s in self.sections for k in s.items}

    @cached_property
    def screening_keys(self) -> list[str]:
        return [it.key for it in self.items if it.screening]

    def target_of(self, item) -> int:
        assert self.rubric is not None
        return item.target if item.target is not None else self.rubric.default_target

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"
