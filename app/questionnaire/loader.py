"""Load questionnaire definitions from YAML, validate them loudly, hash them.

Errors are reported as one line per problem, naming the file and the path
inside it (``items[12].levels: ...``), as CONTRACTS.md promises.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .translations import CORRECTIONS, UN_LANGUAGES, LanguageState, apply, english_texts, read_language
from .checks import ContentChecks, checks_path, content_problems
from .definition import Questionnaire, Rubric
from .items import ITEM_TYPES

# libyaml's safe loader is ~10x faster than the pure-Python one; same semantics.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "questionnaires"


class DefinitionError(Exception):
    """A definition that cannot be loaded; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class LoadedDefinition:
    questionnaire: Questionnaire      # with its translations merged into the text maps
    path: Path
    content_hash: str                 # of the structure and the English only
    translations: dict[str, LanguageState] = field(default_factory=dict)  # "en": corrections
    #: Text path -> the English as published (hashed; what every translation's msgid is),
    #: before any editorial correction.
    published_english: dict[str, str] = field(default_factory=dict)

    def translation_revisions(self) -> dict[str, str]:
        """language -> revision of the translation in use (recorded with each submission)."""
        return {lang: state.revision for lang, state in self.translations.items() if state.revision}


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ITEM_TYPES:  # the discriminated union's tag: not a real path step
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except FileNotFoundError:
        raise DefinitionError([f"{path}: file not found"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise DefinitionError([f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from None


def _validation_problems(path: Path, exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        msg = err["msg"].removeprefix("Value error, ")
        problems.append(f"{path}: {_loc(err['loc'])}: {msg}")
    return problems


def content_hash(questionnaire: Questionnaire) -> str:
    """A hash of the normalised content (questionnaire and rubric), so that
    re-formatting the YAML does not count as a change but any edit does."""
    payload = questionnaire.model_dump(mode="json")
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_rubric(path: Path) -> Rubric:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise DefinitionError([f"{path}: a rubric file must be a mapping"])
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_validation_problems(path, exc)) from None


def load_definition(path: Path | str) -> LoadedDefinition:
    path = Path(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise DefinitionError([f"{path}: a questionnaire file must be a mapping"])
    data.pop("rubric", None)  # the rubric comes from its own file, never inline
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_validation_problems(path, exc)) from None
    rubric_path = path.with_name(questionnaire.rubric_file or path.name.replace(".yaml", ".rubric.yaml"))
    rubric = load_rubric(rubric_path) if rubric_path.exists() else None
    if rubric is None:
        raise DefinitionError([f"{path}: rubric_file: {rubric_path.name} not found beside the definition"])
    questionnaire = questionnaire.model_copy(update={"rubric": rubric})
    problems = content_problems(questionnaire, path, _content_checks(path))
    if problems:
        raise DefinitionError(problems)
    digest = content_hash(questionnaire)   # before translations: they never change a version
    english = english_texts(questionnaire.model_dump(mode="json", exclude={"rubric"}, exclude_none=True))
    translated, states = _with_translations(questionnaire, path, english)
    return LoadedDefinition(translated, path, digest, states, english)


def _with_translations(questionnaire: Questionnaire, path: Path, english: dict[str, str]
                       ) -> tuple[Questionnaire, dict[str, LanguageState]]:
    """The definition with the translation files beside it merged in, and the editorial
    corrections of its English (app.questionnaire.translations); DefinitionError naming
    file and text path for a bad entry."""
    data = questionnaire.model_dump(mode="json", exclude={"rubric"}, exclude_none=True)
    states, problems = {}, []
    for lang in (CORRECTIONS, *UN_LANGUAGES[1:]):
        state, found = read_language(path, lang, english)
        problems += found
        if state.path is not None:
            states[lang] = state
    if problems:
        raise DefinitionError(problems)
    if not any(s.translations for s in states.values()):
        return questionnaire, states
    apply(data, list(states.values()))
    data["languages"] = list(dict.fromkeys(
        [*questionnaire.languages, *(lang for lang, s in states.items() if "title" in s.translations)]))
    try:
        merged = Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_validation_problems(path, exc)) from None
    return merged.model_copy(update={"rubric": questionnaire.rubric}), states


def _content_checks(path: Path) -> ContentChecks | None:
    """The checks file beside a definition, if it has one (see app.questionnaire.checks)."""
    checks = checks_path(path)
    if not checks.exists():
        return None
    try:
        return ContentChecks.model_validate(_read_yaml(checks) or {})
    except ValidationError as exc:
        raise DefinitionError(_validation_problems(checks, exc)) from None


def definition_files(directory: Path = DEFAULT_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml")
                  if not p.name.endswith(COMPANION_SUFFIXES) and not p.name.startswith("_"))


#: Files beside the definitions that are not definitions themselves.
COMPANION_SUFFIXES = (".rubric.yaml", ".crosswalk.yaml", ".checks.yaml")


def load_directory(directory: Path = DEFAULT_DIR) -> list[LoadedDefinition]:
    """Load every definition; collect every problem before failing."""
    loaded, problems = [], []
    for path in definition_files(directory):
        try:
            loaded.append(load_definition(path))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    seen: dict[tuple[str, str], Path] = {}
    for d in loaded:
        ref = (d.questionnaire.id, d.questionnaire.version)
        if ref in seen:
            problems.append(f"{d.path}: id/version {ref[0]} {ref[1]} is also defined in {seen[ref].name}")
        seen[ref] = d.path
    if problems:
        raise DefinitionError(problems)
    return loaded
