"""Who gave each answer, for the exports: from the audit log, which records every saved
answer with its author (a submitted assessment: as of the revision it was submitted at)."""
from __future__ import annotations

from collections.abc import Sequence

from . import queries


def answerers(subjects: Sequence) -> dict[int, dict[str, str]]:
    """Per assessment id, item key -> "name (organisation)" of whoever last saved the answer
    compared (``subjects``: app.review.compare.Subject values).  Two queries."""
    ids = [s.id for s in subjects]
    numbers = {s.id: s.submission for s in subjects if s.submission is not None}
    bound = {aid: revision for aid, number, revision in queries.submission_revisions(numbers)
             if numbers.get(aid) == number}
    rows = queries.answer_saves(ids)
    out: dict[int, dict[str, str]] = {i: {} for i in ids}
    for aid, key, revision, new, name, email, org in rows:
        if aid in bound and (revision or 0) > bound[aid]:
            continue  # saved after the submission compared
        if new is None or email is None:
            out[aid].pop(key, None)
        else:
            out[aid][key] = f"{name or email} ({org})"
    return out
