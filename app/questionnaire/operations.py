"""The questionnaires' record in the database: publishing the loaded definitions (an
immutable row per id and version).  Flushes; the caller commits."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ..models import QuestionnaireVersion
from .loader import LoadedDefinition
from .queries import published_versions


def publish(definitions: Iterable[LoadedDefinition], session: Session) -> list[QuestionnaireVersion]:
    """Record every definition not recorded yet; refuse (VersionConflict, nothing written)
    one whose content differs from what was recorded for its id and version."""
    from .catalog import VersionConflict

    rows = published_versions(session)
    problems, created = [], []
    for d in definitions:
        qid, version = d.questionnaire.id, d.questionnaire.version
        row = rows.get((qid, version))
        if row is None:
            row = QuestionnaireVersion(
                questionnaire_id=qid, version=version, title=d.questionnaire.title["en"],
                content_hash=d.content_hash, rubric_version=d.questionnaire.rubric.rubric_version,
                item_count=len(d.questionnaire.scored_items))
            session.add(row)
            created.append(row)
        elif row.content_hash != d.content_hash:
            problems.append(
                f"{d.path}: questionnaire {qid} version {version} was published with different "
                f"content (hash {row.content_hash[:12]}, now {d.content_hash[:12]}). A published "
                "version is immutable: bump `version` (and the file name) to publish the change.")
    if problems:
        raise VersionConflict("\n".join(problems))
    session.flush()
    return created
