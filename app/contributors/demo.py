"""Demo data for issue 13: the government's 2026 draft worked on by two other ministries
(contributors of one section each) and one section in informant mode, rated by three
informants of three more ministries, with a consensus recorded on some of its questions.
The same three informants rated that section of the 2025 self-assessment before it was
submitted, and the consensus settled every question they rated (:func:`seed_round`): a
reviewer's comparisons show that round's spread.  Idempotent; called by app.demo.seed."""
from __future__ import annotations

import random

from ..assessments import operations as assessment_ops, store
from ..auth import operations as accounts, queries as account_queries
from ..models import Assessment, Contributor, User
from . import operations as ops, queries, ratings

#: email, name, organisation, role, section, due date
PEOPLE = [
    ("justice@justice.example", "Grace Wanjiru", "Ministry of Justice (demo)", "contributor",
     "s_b_law_justice", "2027-01-31"),
    ("police@interior.example", "Peter Mwangi", "Ministry of Interior and National Police Service (demo)",
     "contributor", "s_h_cooperation", "2027-02-15"),
    ("informant@health.example", "Fatuma Hassan", "Ministry of Health (demo)", "informant",
     "s_e_social_norms", "2027-01-15"),
    ("informant@education.example", "John Otieno", "Ministry of Education (demo)", "informant",
     "s_e_social_norms", "2027-01-15"),
    ("informant@tourism.example", "Lucy Achieng", "Ministry of Tourism (demo)", "informant",
     "s_e_social_norms", "2027-01-15"),
]
#: Where each informant's ratings centre: they disagree on some questions, as informants do.
INFORMANT_MEANS = {"informant@health.example": 2.2, "informant@education.example": 1.6,
                   "informant@tourism.example": 2.6}
CONSENSUS_ITEMS = 3


def seed(owner: User, assessment: Assessment, password: str) -> list[str]:
    if queries.has_contributors(assessment):
        return []
    questionnaire = store.questionnaire_of(assessment)
    sections = {s.key for s in questionnaire.sections}
    created, rows = [], {}
    for email, name, org_name, role, section, due in PEOPLE:
        if section not in sections:
            continue
        rows[email] = _given(owner, assessment, password, (email, name, org_name, role, section, due))
        created.append(f"{role} {email} ({section})")
    _contributors_answer(assessment, questionnaire, rows)
    _informants_rate(assessment, questionnaire, rows)
    _consensus(owner, assessment, questionnaire)
    return created


def seed_round(owner: User, assessment: Assessment, password: str) -> list[str]:
    """A finished informant round on an assessment about to be submitted: the informants of
    :data:`PEOPLE` rate their section around the answers already given (they disagree on
    some questions), and the owner records each rated question's answer as the consensus."""
    if queries.has_contributors(assessment):
        return []
    questionnaire = store.questionnaire_of(assessment)
    people = [p for p in PEOPLE if p[3] == "informant" and p[4] in {s.key for s in questionnaire.sections}]
    rows = {p[0]: _given(owner, assessment, password, (*p[:5], None)) for p in people}  # no due date: done
    answers = store.answers_json(questionnaire, store.answers_of(assessment))
    rated: set[str] = set()
    for email, row in rows.items():
        rng = random.Random(f"{email} {assessment.period}")
        mine = {k: {"level": max(0, min(4, answers[k]["level"] + rng.choice((-2, -1, 0, 0, 1))))}
                for k in _scale_items(questionnaire, row.sections[0]) if "level" in answers.get(k, {})}
        ops.save_ratings(assessment, row, row.revision, mine)
        rated |= set(mine)
    if rated:
        ops.record_consensus(assessment, owner, {
            "base_revision": assessment.revision, "answers": {k: answers[k] for k in sorted(rated)},
            "rationale": {k: "Consensus meeting of the three informants: the ministry's answer stands on "
                             "the evidence it lists." for k in rated}})
    return [f"informant {email} ({row.sections[0]}, {assessment.period})" for email, row in rows.items()]


def _given(owner: User, assessment: Assessment, password: str, person) -> Contributor:
    """``person`` (a line of :data:`PEOPLE`) given their section of ``assessment``."""
    email, name, org_name, role, section, due = person
    if account_queries.user_with_email(email) is None:
        accounts.create_user(email, password, accounts.get_or_create_organisation(org_name, "government", "KE"),
                             "respondent", name)
    row, _created, _new = ops.invite(owner, assessment, {
        "email": email, "role": role, "sections": [section], "due_date": due})
    return row


def _scale_items(questionnaire, section_key: str) -> list[str]:
    section = next(s for s in questionnaire.sections if s.key == section_key)
    return [k for k in section.items if questionnaire.item_map[k].type == "scale"]


def _contributors_answer(assessment, questionnaire, rows) -> None:
    """Each contributor answers the first questions of their section (their name shows)."""
    for row in rows.values():
        if row.role != "contributor":
            continue
        rng = random.Random(row.user.email)
        answers = {k: {"level": rng.randint(1, 3), "comment": "Checked with our legal department."}
                   for k in _scale_items(questionnaire, row.sections[0])[:4]}
        assessment_ops.save_answers(assessment, row.user, assessment.revision, answers)


def _informants_rate(assessment, questionnaire, rows) -> None:
    for email, row in rows.items():
        if row.role != "informant":
            continue
        rng = random.Random(email)
        answers = {k: {"level": max(0, min(4, round(rng.gauss(INFORMANT_MEANS.get(email, 2.0), 0.9)))),
                       "comment": f"Seen from the {row.user.organisation.name.removesuffix(' (demo)')}."}
                   for k in _scale_items(questionnaire, row.sections[0])}
        ops.save_ratings(assessment, row, row.revision, answers)


def _consensus(owner, assessment, questionnaire) -> None:
    """The owner settles the first questions on the middle of the ratings, with a reason."""
    by_item = ratings.ratings_by_item(assessment, queries.informants_of(assessment))
    answers, rationale = {}, {}
    for key in _scale_items(questionnaire, "s_e_social_norms")[:CONSENSUS_ITEMS]:
        levels = sorted(r["level"] for r in by_item.get(key, []) if r.get("level") is not None)
        if not levels:
            continue
        answers[key] = {"level": levels[len(levels) // 2], "confidence": "medium"}
        rationale[key] = ("Consensus meeting of the three informants: the median rating, as the "
                          "evidence supports it.")
    if answers:
        ops.record_consensus(assessment, owner, {"base_revision": assessment.revision, "answers": answers,
                                                     "rationale": rationale})


def logins() -> list[tuple[str, str]]:
    """What ``make run`` prints beside each login: the section as people name it, (b), not
    its key (the keys are ``s_<letter>_...`` in every version of the questionnaire)."""
    return [(email, f"{role} of section ({section.split('_')[1]}) of the 2026 draft, {org}")
            for email, _n, org, role, section, _d in PEOPLE]
