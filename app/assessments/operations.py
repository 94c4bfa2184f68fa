"""Writes to assessments: create, save answers, submit, copy. One code path for
pages, autosave and the API. Operations flush; the request commits once."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from ..auth.policy import check_items
from ..errors import RequestError
from ..extensions import db
from ..jurisdictions import valid_jurisdiction
from ..i18n import locale_code
from ..lifecycle import COPYABLE, DRAFT, EDITABLE
from ..models import Answer, Assessment, AuditEntry, QuestionnaireVersion, Submission, User
from ..questionnaire.queries import questionnaire_version_row
from ..models._common import utcnow
from ..questionnaire.answers import AnswerData
from ..questionnaire.catalog import catalog
from ..questionnaire.answer_errors import AnswerError, details_of, refusal
from ..questionnaire.patch import parse_patch
from . import queries, store
from .locking import lock_assessment


def version_row(questionnaire_id: str, version: str) -> QuestionnaireVersion | None:
    catalog().publish(db.session)
    return questionnaire_version_row(questionnaire_id, version)


PERIOD = re.compile(r"^(\d{4})(?:[-/](\d{2}|\d{4})|\s?(?:Q[1-4]|H[12]))?$", re.IGNORECASE)
PERIOD_YEARS = (1990, 2100)


def valid_period(period: str) -> bool:
    """A year (2026), a range of years (2025-2026, 2025/26) or a year with a quarter or
    half (2026 Q1, 2026H2); every year within PERIOD_YEARS, a range going forwards."""
    match = PERIOD.match((period or "").strip())
    if not match:
        return False
    first, end = int(match.group(1)), match.group(2)
    low, high = PERIOD_YEARS
    if not low <= first <= high:
        return False
    if end is None:
        return True
    last = int(end) if len(end) == 4 else first // 100 * 100 + int(end)
    return first < last <= high


def new_errors(user: User, data: dict[str, Any], based_on: Assessment | None = None
               ) -> tuple[dict[str, str], Assessment | None]:
    """Every problem with the input of a new assessment at once (and the copy source)."""
    errors = validate_new(data)
    if based_on is None and data.get("based_on") not in (None, ""):
        based_on = _assessment_by_id(data["based_on"])
        if based_on is None:
            errors["based_on"] = _("Choose an earlier assessment of your own organisation.")
    if based_on is not None:
        problem = copy_source_problem(user, based_on, str(data.get("questionnaire", "")))
        if problem:
            errors["based_on"] = problem
    return errors, based_on


def validate_new(data: dict[str, Any]) -> dict[str, str]:
    # Only text counts: str() of a JSON null, list or number was stored as "None" or "[]".
    data = data | {key: "" for key in ("questionnaire", "version", "jurisdiction", "period", "title")
                   if not isinstance(data.get(key, ""), str)}
    errors = {}
    if catalog().get(str(data.get("questionnaire", "")), str(data.get("version", ""))) is None:
        errors["questionnaire"] = _("Choose a published questionnaire and version.")
    if not valid_jurisdiction(str(data.get("jurisdiction", ""))):
        errors["jurisdiction"] = _("Give an ISO 3166-1 country code (e.g. KE) or an ISO 3166-2 "
                                   "subdivision code (e.g. KE-30).")
    if not valid_period(str(data.get("period", ""))):
        errors["period"] = _("Give the period as a year (2026), a range (2025-2026) or a quarter (2026 Q1).")
    title = str(data.get("title", "")).strip()
    if not title or len(title) > 200:
        errors["title"] = _("Give a title of at most 200 characters.")
    return errors


def create_assessment(user: User, data: dict[str, Any], based_on: Assessment | None = None) -> Assessment:
    """A new draft. ``based_on`` (or ``data["based_on"]``, an assessment id) seeds it with
    the answers of an earlier submitted assessment of the same organisation and
    questionnaire; any other source is refused (422)."""
    errors, based_on = new_errors(user, data, based_on)
    if errors:
        raise RequestError(422, _("the assessment could not be created"), errors)
    row = version_row(str(data["questionnaire"]), str(data["version"]))
    assessment = Assessment(
        organisation_id=user.organisation_id, questionnaire_version=row,
        jurisdiction=str(data["jurisdiction"]).strip().upper(), period=str(data["period"]).strip(),
        title=str(data["title"]).strip(), status=DRAFT, revision=0, created_by_id=user.id,
        updated_by_id=user.id, based_on_id=based_on.id if based_on else None)
    db.session.add(assessment)
    db.session.flush()
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id, action="assessment.create",
                              revision=0, new_value={k: assessment_meta(assessment)[k] for k in
                                                     ("jurisdiction", "period", "title", "questionnaire")}))
    if based_on is not None:
        copy_answers(based_on, assessment, user)
    return assessment



def _assessment_by_id(raw: Any) -> Assessment | None:
    try:
        ident = int(raw)
    except (TypeError, ValueError):
        return None
    if isinstance(raw, bool) or not 0 < ident < 2**31:
        return None
    return queries.assessment_by_id(ident)


def assessment_meta(a: Assessment) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "jurisdiction": a.jurisdiction, "period": a.period,
            "status": a.status, "revision": a.revision,
            "questionnaire": {"id": a.questionnaire_version.questionnaire_id,
                              "version": a.questionnaire_version.version},
            "organisation": {"id": a.organisation.id, "name": a.organisation.name,
                             "kind": a.organisation.kind},
            "created_at": a.created_at.isoformat(), "updated_at": a.updated_at.isoformat(),
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None}


def changes_since(assessment: Assessment, base_revision: int) -> list[dict[str, Any]]:
    """What others saved after ``base_revision``: shown when a stale save is refused."""
    rows = queries.answer_changes_since(assessment, base_revision)
    return [{"item": r.item_key, "revision": r.revision, "by": r.user.display_name if r.user else None,
             "by_id": r.user_id, "at": r.at.isoformat(), "old": r.old_value, "new": r.new_value} for r in rows]


def _checked_changes(assessment: Assessment, base_revision: Any, answers_payload: Any):
    """What every save does first: refuse a locked assessment, a missing base
    revision or any invalid answer (nothing saved), then take the assessment's write lock
    (:mod:`.locking`) so that concurrent saves and a submit serialise on every backend."""
    if assessment.status not in EDITABLE:
        raise RequestError(409, _("the assessment is not open for changes"), {"status": assessment.status})
    if isinstance(base_revision, bool) or not isinstance(base_revision, int):
        raise RequestError(422, _("base_revision must be the integer revision your changes are based on"),
                       {"base_revision": "required"})
    if not 0 <= base_revision <= 2**31 - 1:  # the revision column's range: 10**20 overflowed it
        raise RequestError(422, _("base_revision must be a revision from 0 to 2147483647"),
                       {"base_revision": "out of range"})
    questionnaire = store.questionnaire_of(assessment)
    changes, errors = parse_patch(questionnaire, answers_payload)
    errors = errors or national_na_errors(questionnaire, assessment.jurisdiction, changes)
    if errors:
        raise RequestError(422, _("some answers are not valid; nothing was saved"), details_of(errors), errors)
    lock_assessment(assessment)
    if assessment.status not in EDITABLE:  # submitted while we waited for the lock
        raise RequestError(409, _("the assessment is not open for changes"), {"status": assessment.status})
    return questionnaire, changes


def national_na_errors(questionnaire, jurisdiction: str, changes: dict[str, AnswerData | None]
                       ) -> list[AnswerError]:
    """The refusals of "not applicable" on a question whose N/A the rubric keeps for a
    province or state assessment (``na_subnational_only``), in a national one (``KE``)."""
    rubric = questionnaire.rubric
    if rubric is None or "-" in (jurisdiction or ""):
        return []
    only = set(rubric.na_subnational_only)
    return [refusal("not_applicable_national", key, "not_applicable")
            for key, answer in changes.items() if key in only and answer is not None and answer.not_applicable]


def save_answers(assessment: Assessment, user: User, base_revision: Any,
                 answers_payload: Any) -> dict[str, Any]:
    """Validate every entry, then apply all or nothing. Returns {"revision", "changed"}."""
    if isinstance(answers_payload, dict):  # a contributor's save: their sections only (403)
        check_items(user, assessment, answers_payload)
    questionnaire, changes = _checked_changes(assessment, base_revision, answers_payload)
    if base_revision != assessment.revision:
        raise RequestError(409, _("the assessment changed since you loaded it; nothing was saved"),
                       {"current_revision": assessment.revision, "base_revision": base_revision,
                        "changes": changes_since(assessment, base_revision)})
    rows = store.answer_rows(assessment)
    new_revision = assessment.revision + 1
    changed = []
    now = utcnow()
    for key, answer in changes.items():
        item = questionnaire.item_map[key]
        row = rows.get(key)
        old = store.to_answer_data(row) if row is not None else None
        if old == answer or (old is None and answer is None):
            continue
        if answer is None:
            assessment.answers.remove(row)
        else:
            if row is None:
                row = Answer(item_key=key)
                assessment.answers.append(row)
            store.apply_to_row(row, answer)
            row.updated_by_id, row.updated_at, row.language = user.id, now, locale_code()
        db.session.add(AuditEntry(
            user_id=user.id, assessment_id=assessment.id, item_key=key, action="answer.update",
            revision=new_revision, at=now,
            old_value=old.to_json(item.value_key) if old else None,
            new_value=answer.to_json(item.value_key) if answer else None))
        changed.append(key)
    if changed:
        assessment.revision = new_revision
        assessment.updated_at, assessment.updated_by_id = now, user.id
    db.session.flush()
    return {"revision": assessment.revision, "changed": changed}


def missing_items(assessment: Assessment, answers: dict[str, AnswerData] | None = None) -> list[str]:
    """Scored items without an answer, in the working copy (or in ``answers``)."""
    questionnaire = store.questionnaire_of(assessment)
    answers = store.answers_of(assessment) if answers is None else answers
    return [it.key for it in questionnaire.scored_items
            if not answers.get(it.key, AnswerData()).has_answer]


def submit(assessment: Assessment, user: User) -> Submission:
    """Lock the assessment at full completeness, keep a snapshot (answers, their languages,
    the key messages), store the score."""
    from ..scoring import score_assessment
    from ..shadow import messages as key_messages

    # The same lock as saves: a save waiting for it finds the assessment submitted (409), and
    # the snapshot and score below are of the answers at the submitted revision.
    lock_assessment(assessment)
    if assessment.status not in EDITABLE:
        raise RequestError(409, _("the assessment is already submitted"), {"status": assessment.status})
    missing = missing_items(assessment)
    if missing:
        raise RequestError(422, _("answer every scored question before submitting (don't know and "
                       "not applicable count as answers)"), {"missing": missing})
    questionnaire = store.questionnaire_of(assessment)
    answers = store.answers_of(assessment)
    score = score_assessment(questionnaire, answers)
    number = 1 + queries.submission_count(assessment)
    now = utcnow()
    previous = assessment.status
    assessment.status = "submitted"
    assessment.submitted_at = now
    assessment.score = score
    assessment.score_rubric_version = questionnaire.rubric.rubric_version
    assessment.scored_at = now
    row = assessment.questionnaire_version
    loaded = catalog().loaded(row.questionnaire_id, row.version)
    submission = Submission(assessment_id=assessment.id, number=number, revision=assessment.revision,
                            submitted_by_id=user.id, submitted_at=now,
                            answers=store.answers_json(questionnaire, answers), score=score,
                            translations=loaded.translation_revisions() if loaded else None,
                            languages=store.answer_languages(assessment),
                            key_messages=key_messages.of(assessment) or None)
    db.session.add(submission)
    from ..models import ReviewEvent

    db.session.add(ReviewEvent(assessment_id=assessment.id, action="submit" if number == 1 else "resubmit",
                               from_status=previous, to_status="submitted", user_id=user.id, at=now))
    db.session.add(AuditEntry(user_id=user.id, assessment_id=assessment.id, action="assessment.submit",
                              revision=assessment.revision, at=now,
                              new_value={"submission": number, "score": score["overall"]}))
    db.session.flush()
    return submission


def copy_source_problem(user: User, source: Assessment | None, questionnaire_id: str) -> str | None:
    """Why ``source`` cannot seed a new assessment of ``questionnaire_id`` for ``user``
    (None when it can): same organisation, same questionnaire id, already submitted."""
    if source is None or source.organisation_id != user.organisation_id:
        return _("Choose an earlier assessment of your own organisation.")
    if source.status not in COPYABLE:
        return _("Only a submitted, in-review or accepted assessment can be copied.")
    if source.questionnaire_version.questionnaire_id != questionnaire_id:
        return _("The earlier assessment must use the same questionnaire.")
    return None


def copy_answers(source: Assessment, target: Assessment, user: User) -> int:
    """Start from a previous assessment (122 (i), the yearly cycle): copy its answers to the
    items of the target's questionnaire that ask the same question -- the same key within a
    version, through the crosswalk across versions (a reworded or renamed item carries over;
    a redefined, split, merged or retired one does not, its levels no longer mean the same).
    An answer that the target's version no longer accepts (an option was renamed, a range
    changed) is left out."""
    from ..questionnaire.patch import parse_answer

    questionnaire = store.questionnaire_of(target)
    keys = catalog().key_map(store.questionnaire_of(source), questionnaire)
    payload = {}
    for old_key, answer in store.answers_of(source).items():
        key = keys.get(old_key)
        item = questionnaire.item_map.get(key) if key else None
        if item is None:
            continue
        entry = answer.to_json(item.value_key)
        parsed, errors = parse_answer(item, entry)
        if not errors and parsed is not None and not national_na_errors(
                questionnaire, target.jurisdiction, {key: parsed}):
            payload[key] = entry
    if payload:
        save_answers(target, user, target.revision, payload)
        # The copied text is in the language it was written in, not the copier's.
        written_in = store.answer_languages(source)
        for row in target.answers:
            if row.item_key in payload and row.item_key in written_in:
                row.language = written_in[row.item_key]
    db.session.add(AuditEntry(user_id=user.id, assessment_id=target.id, action="assessment.copy",
                              revision=target.revision,
                              new_value={"from": source.id, "items": len(payload)}))
    return len(payload)


# -- section saves: per-item three-way merge ------------------------------------------------

def fingerprint(answer_json: Any) -> str:
    """A short, stable digest of one answer in its API form (None: unanswered).
    The section form carries the fingerprint of each answer as it was loaded, so
    that a save can tell what the user changed from what others changed meanwhile."""
    import hashlib
    import json

    raw = json.dumps(answer_json or None, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def answer_fingerprints(assessment: Assessment, keys: list[str] | None = None,
                        answers: dict[str, AnswerData] | None = None) -> dict[str, str]:
    questionnaire = store.questionnaire_of(assessment)
    keys = keys if keys is not None else [it.key for it in questionnaire.items]
    if answers is None:  # only the rows asked for become answers (a save asks for a section's)
        rows = store.answer_rows(assessment)
        answers = {k: store.to_answer_data(rows[k]) for k in keys if k in rows}
    return {k: fingerprint(answers[k].to_json(questionnaire.item_map[k].value_key) if k in answers else None)
            for k in keys}


def merge_plan(questionnaire, changes: dict[str, AnswerData | None], current: dict[str, str],
               loaded: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """The three-way merge of a save against what others saved meanwhile, per item:
    (the user's changes, those of them that are conflicts, items outdated on the page).
    ``current`` and ``loaded`` map item keys to the stored answer's fingerprint now and
    as the user loaded it (section pages, workbooks)."""
    mine, conflicts, outdated = [], [], []
    for key, answer in changes.items():
        posted = fingerprint(answer.to_json(questionnaire.item_map[key].value_key) if answer else None)
        base = loaded.get(key, current[key])
        if posted == current[key]:
            continue  # already stored as the user has it
        if posted == base:
            if current[key] != base:
                outdated.append(key)  # untouched here, changed by someone else meanwhile
            continue
        if current[key] != base:
            conflicts.append(key)
        mine.append(key)
    return mine, conflicts, outdated


def save_section(assessment: Assessment, user: User, base_revision: Any, answers_payload: Any,
                 loaded: dict[str, str]) -> dict[str, Any]:
    """Save what the user changed on a page, merging with what others saved meanwhile.

    ``loaded`` maps each item key to the fingerprint of the answer the page showed.
    An item counts as the user's change when its posted answer differs from that;
    it is a conflict when, in addition, the stored answer differs from it too (someone
    else changed the same item) and from the user's version. Conflicts refuse the whole
    save (409, nothing saved) with what changed, who changed it and the current
    fingerprints, so the user can keep their version (resubmit with those) or reload.
    Items the user did not touch are never written, so a colleague's answers elsewhere
    in the section are never overwritten by a stale page."""
    questionnaire, changes = _checked_changes(assessment, base_revision, answers_payload)
    current = answer_fingerprints(assessment, list(changes))
    keys, conflicts, outdated = merge_plan(questionnaire, changes, current, loaded)
    mine = {key: answers_payload[key] for key in keys}
    others = [c for c in changes_since(assessment, base_revision) if c["item"] not in mine]
    if conflicts:
        raise RequestError(409, _("someone else changed the same answers since you loaded them; "
                       "nothing was saved"),
                       {"current_revision": assessment.revision, "base_revision": base_revision,
                        "conflicts": conflicts,
                        "changes": [c for c in changes_since(assessment, base_revision)
                                    if c["item"] in conflicts],
                        "fingerprints": {k: current[k] for k in conflicts}})
    result = save_answers(assessment, user, assessment.revision, mine) if mine else \
        {"revision": assessment.revision, "changed": []}
    # The page's new fingerprints, except for answers it shows out of date: those keep the
    # fingerprint the page loaded, so that editing one later is a conflict, not an overwrite
    # of the colleague's answer.
    result["fingerprints"] = answer_fingerprints(assessment, [k for k in changes if k not in outdated])
    result["outdated"] = outdated
    result["others"] = others
    return result
