"""The questionnaires this server offers, and their record in the database.

Definitions are loaded from disk once, at start-up.  A published version is
immutable: if a definition's content differs from what the database recorded
for the same id and version, publishing refuses and tells the author to bump
the version.  Several versions can be live at once; assessments keep theirs.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .crosswalk import Crosswalk, key_map, load_crosswalks
from .definition import Questionnaire
from .loader import LoadedDefinition, load_directory


@lru_cache(maxsize=8)
def _load_cached(directory: Path, stamp: tuple) -> tuple[list[LoadedDefinition], list[Crosswalk]]:
    """Definitions are immutable once loaded: app instances (and tests) share
    them until a file changes (``stamp`` holds names, mtimes and sizes)."""
    loaded = load_directory(directory)
    by_ref = {(d.questionnaire.id, d.questionnaire.version): d.questionnaire for d in loaded}
    return loaded, load_crosswalks(directory, by_ref)


class VersionConflict(Exception):
    pass


class Catalog:
    def __init__(self, loaded: list[LoadedDefinition], crosswalks: list[Crosswalk] | None = None):
        self._loaded = {(d.questionnaire.id, d.questionnaire.version): d for d in loaded}
        self.crosswalks = list(crosswalks or [])

    @classmethod
    def from_directory(cls, directory: str | Path) -> Catalog:
        directory = Path(directory).resolve()
        files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("translations/*.po"))
        stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        return cls(*_load_cached(directory, stamp))

    def get(self, questionnaire_id: str, version: str) -> Questionnaire | None:
        d = self._loaded.get((questionnaire_id, version))
        return d.questionnaire if d else None

    def loaded(self, questionnaire_id: str, version: str) -> LoadedDefinition | None:
        return self._loaded.get((questionnaire_id, version))

    def all(self) -> list[Questionnaire]:
        return [d.questionnaire for d in sorted(self._loaded.values(), key=lambda d: (
            d.questionnaire.id, [int(p) for p in d.questionnaire.version.split(".")]))]

    def latest(self, questionnaire_id: str) -> Questionnaire | None:
        versions = [q for q in self.all() if q.id == questionnaire_id]
        return versions[-1] if versions else None

    def key_map(self, source: Questionnaire, target: Questionnaire) -> dict[str, str]:
        """The items of ``source`` that ask what an item of ``target`` asks: source key ->
        target key.  Through the crosswalks between versions; between versions no crosswalk
        joins (or within one version), the keys both share."""
        mapped = key_map(self.crosswalks, (source.id, source.version), (target.id, target.version))
        if mapped is not None:
            return mapped
        target_keys = set(target.item_map)
        return {k: k for k in source.item_map if k in target_keys}

    def crosswalk_into(self, target: Questionnaire) -> Crosswalk | None:
        """The crosswalk whose newer side is ``target`` (what is new or changed in it)."""
        ref = (target.id, target.version)
        return next((c for c in self.crosswalks if c.target == ref), None)

    def for_row(self, row) -> Questionnaire:
        """The definition behind a QuestionnaireVersion row (it must be on disk)."""
        q = self.get(row.questionnaire_id, row.version)
        if q is None:
            raise LookupError(f"questionnaire {row.ref} is recorded in the database but its "
                              "definition file is not installed")
        return q

    def publish(self, session) -> list:
        """Record every loaded definition in the database; refuse changed content
        (app.questionnaire.operations.publish)."""
        from .operations import publish

        return publish(self._loaded.values(), session)


def catalog() -> Catalog:
    """The application's catalogue: every definition loaded at start-up (create_app)."""
    from flask import current_app

    return current_app.extensions["catalog"]
