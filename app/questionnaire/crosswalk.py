"""What became of every item of one questionnaire version in the next: a crosswalk, kept as
data beside the definitions (``<id>-<from>-to-<to>.crosswalk.yaml``).

Each key of the older version appears once, with its change:

* ``same``, ``reworded`` (clearer words, same question and level meaning) and ``renamed``
  (the same question under a new key): *comparable* -- answers carry over when an assessment
  starts from an earlier one, and comparisons and trends set them side by side;
* ``redefined`` (the levels mean something else), ``split``, ``merged``, ``retired``: not
  comparable -- nothing carries over and comparisons list them apart.

Keys of the newer version with no predecessor are listed under ``new``.  Loading checks that
both versions are installed, that every older key is there exactly once, that every newer
key is the target of some entry or new, and that comparable entries map to one key.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from .schema import Strict

Change = Literal["same", "reworded", "renamed", "redefined", "split", "merged", "retired"]
COMPARABLE: frozenset[str] = frozenset({"same", "reworded", "renamed"})


class VersionRef(Strict):
    questionnaire: str
    version: str


class Entry(Strict):
    to: str | list[str] | None
    change: Change
    note: str = ""

    @property
    def targets(self) -> tuple[str, ...]:
        if self.to is None:
            return ()
        return (self.to,) if isinstance(self.to, str) else tuple(self.to)


class CrosswalkFile(Strict):
    from_: VersionRef = Field(alias="from")
    to: VersionRef
    items: dict[str, Entry]
    new: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Crosswalk:
    """A checked crosswalk between two installed versions."""

    source: tuple[str, str]          # (questionnaire id, version)
    target: tuple[str, str]
    entries: dict[str, Entry]
    new: tuple[str, ...]

    def forward(self) -> dict[str, str]:
        """Older key -> newer key, for comparable items only."""
        return {k: e.targets[0] for k, e in self.entries.items() if e.change in COMPARABLE}

    def backward(self) -> dict[str, str]:
        return {v: k for k, v in self.forward().items()}

    def change_of_new_key(self, key: str) -> str:
        """What a newer key is: ``new``, or the change of the entry it comes from."""
        if key in self.new:
            return "new"
        for entry in self.entries.values():
            if key in entry.targets:
                return entry.change
        return "new"


def parse(data: Any, path: Path | str = "crosswalk") -> CrosswalkFile:
    from pydantic import ValidationError

    from .loader import DefinitionError, _validation_problems

    try:
        return CrosswalkFile.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_validation_problems(Path(str(path)), exc)) from None


def check(parsed: CrosswalkFile, questionnaires: dict[tuple[str, str], Any],
          path: Path | str = "crosswalk") -> Crosswalk:
    """The crosswalk, or DefinitionError with every problem (naming file and key)."""
    from .loader import DefinitionError

    source = (parsed.from_.questionnaire, parsed.from_.version)
    target = (parsed.to.questionnaire, parsed.to.version)
    problems = []
    old, new = questionnaires.get(source), questionnaires.get(target)
    if old is None or new is None:
        missing = source if old is None else target
        raise DefinitionError([f"{path}: {missing[0]} {missing[1]} is not installed"])
    old_keys, new_keys = [it.key for it in old.items], [it.key for it in new.items]
    problems += [f"{path}: items: {k} is not an item of {source[1]}" for k in parsed.items if k not in old_keys]
    problems += [f"{path}: items: {k} of {source[1]} is missing" for k in old_keys if k not in parsed.items]
    covered = set(parsed.new)
    for key, entry in parsed.items.items():
        for t in entry.targets:
            if t not in new_keys:
                problems.append(f"{path}: items.{key}.to: {t} is not an item of {target[1]}")
            covered.add(t)
        if entry.change in COMPARABLE and len(entry.targets) != 1:
            problems.append(f"{path}: items.{key}: a {entry.change} item maps to exactly one key")
        if entry.change == "retired" and entry.targets:
            problems.append(f"{path}: items.{key}: a retired item maps to no key (to: null)")
        if entry.change != "retired" and not entry.targets:
            problems.append(f"{path}: items.{key}: only a retired item has no successor")
    problems += [f"{path}: new: {k} is not an item of {target[1]}" for k in parsed.new if k not in new_keys]
    problems += [f"{path}: {k} of {target[1]} is neither the successor of a {source[1]} item nor new"
                 for k in new_keys if k not in covered]
    if problems:
        raise DefinitionError(problems)
    return Crosswalk(source, target, dict(parsed.items), tuple(parsed.new))


def load_crosswalks(directory: Path, questionnaires: dict[tuple[str, str], Any]) -> list[Crosswalk]:
    from .loader import DefinitionError, _read_yaml

    out, problems = [], []
    for path in sorted(directory.glob("*.crosswalk.yaml")):
        try:
            out.append(check(parse(_read_yaml(path), path), questionnaires, path))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DefinitionError(problems)
    return out


def key_map(crosswalks: list[Crosswalk], source: tuple[str, str], target: tuple[str, str]) -> dict[str, str] | None:
    """Comparable keys of ``source`` -> their keys in ``target``: the same version maps every
    key to itself; otherwise chained through the crosswalks, forwards or backwards (1.0 ->
    1.1 -> 1.2, or back).  None when no chain of crosswalks joins the two."""
    if source == target:
        return None
    edges: dict[tuple[str, str], list[tuple[tuple[str, str], dict[str, str]]]] = {}
    for c in crosswalks:
        edges.setdefault(c.source, []).append((c.target, c.forward()))
        edges.setdefault(c.target, []).append((c.source, c.backward()))
    frontier: list[tuple[tuple[str, str], dict[str, str] | None]] = [(source, None)]
    seen = {source}
    while frontier:
        node, mapping = frontier.pop(0)
        for nxt, step in edges.get(node, []):
            if nxt in seen:
                continue
            composed = dict(step) if mapping is None else {k: step[v] for k, v in mapping.items() if v in step}
            if nxt == target:
                return composed
            seen.add(nxt)
            frontier.append((nxt, composed))
    return None
