"""Demo data: a ministry and an NGO of the same country, a reviewer, an admin;
a draft and submitted assessments with realistic answers (the government's 2024
and 2025 self-assessments, the NGO's 2025 shadow assessment with its key messages).
Idempotent.

Answers are generated deterministically from the definition, with a profile
per organisation (a government tends to rate itself higher than civil society
does) so that the comparison views have real divergences to show.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import update

from .assessments import operations as ops
from .assessments.queries import assessment_titled
from .auth import operations as accounts
from .auth.queries import user_with_email
from .extensions import db
from .models import Answer, Assessment, AuditEntry, ReviewEvent, Submission, User
from .models._common import utcnow
from .questionnaire.answers import AnswerData, Evidence
from .shadow.operations import save_key_messages

DEMO_PASSWORD = "demo-password-2026"
COUNTRY = "KE"
QUESTIONNAIRE = "prevention-readiness"

ACCOUNTS = [
    # email, name, organisation, kind, role
    ("official@ministry.example", "Amina Odhiambo", "Ministry of Social Protection (demo)", "government", "respondent"),
    ("analyst@ngo.example", "Daniel Kiprop", "Child Rights Coalition (demo)", "ngo", "respondent"),
    ("reviewer@un.example", "Marie Lefèvre", "UN Human Rights Office (demo)", "other", "reviewer"),
    ("admin@readiness.example", "Site Administrator", "Platform administration (demo)", "other", "admin"),
]


@dataclass(frozen=True)
class Profile:
    mean_level: float      # where this organisation's answers centre
    dont_know_rate: float
    seed: int


GOVERNMENT_2024 = Profile(mean_level=1.9, dont_know_rate=0.08, seed=2024)
GOVERNMENT = Profile(mean_level=2.4, dont_know_rate=0.04, seed=2025)
NGO = Profile(mean_level=1.6, dont_know_rate=0.08, seed=7)
GOVERNMENT_DRAFT = Profile(mean_level=2.6, dont_know_rate=0.05, seed=2026)

# The NGO's key messages (issue 18), on its shadow assessment's scorecard and gap report.
NGO_KEY_MESSAGES = [
    "Civil society rates national prevention readiness markedly lower than the government's own "
    "self-assessment for the same year, most of all on data and on services for child victims.",
    "The Children Act 2022 is in force, but county child protection officers lack the budget "
    "and training to apply it.",
    "Nobody collects disaggregated data on online sexual exploitation of children: the number of "
    "children affected is not known.",
    "We call for an independent evaluation of the National Plan of Action before its renewal, "
    "with children and survivors consulted.",
]

_EVIDENCE = {
    "law": "Children Act 2022, sections 13-22",
    "policy": "National Plan of Action for Children 2025-2029",
    "budget": "Programme-based budget FY2025/26, vote 1185",
    "data": "Child protection information management system, annual report 2025",
    "evaluation": "Independent mid-term evaluation of the national plan (2025)",
    "expert_judgement": "Assessment by the national child protection working group",
}


def _answer(item, profile: Profile, rng: random.Random, national_only: frozenset = frozenset()) -> AnswerData:
    if item.allow_dont_know and rng.random() < profile.dont_know_rate:
        return AnswerData(dont_know=True, comment="Data held by another ministry; requested.")
    if item.allow_na and item.key not in national_only and rng.random() < 0.3:
        return AnswerData(not_applicable=True, na_reason="No significant sector of this kind in the country.")
    level = max(0, min(4, round(rng.gauss(profile.mean_level, 1.0))))
    value = item.example_value(level, rng)  # the item's type makes a value at this level
    if not item.scored:
        return AnswerData(value=value)
    evidence = ()
    if level >= 2:
        types = ["policy", "law"] if level < 4 else ["policy", "data", "evaluation"]
        if rng.random() < 0.25:
            types = ["expert_judgement"]  # some claims lack documents: the caps show
        evidence = tuple(Evidence(t, _EVIDENCE[t], "") for t in types[: 1 + (level >= 3)])
    confidence = ("low", "medium", "high")[min(2, level // 2 + (rng.random() < 0.3))]
    return AnswerData(value=value, evidence=evidence, confidence=confidence)


def demo_answers(questionnaire, profile: Profile, share: float = 1.0) -> dict[str, dict]:
    rng = random.Random(profile.seed)
    out = {}
    # The demo is a national assessment: questions whose N/A is for provinces get answers.
    national_only = frozenset(questionnaire.rubric.na_subnational_only if questionnaire.rubric else ())
    for item in questionnaire.items:
        answer = _answer(item, profile, rng, national_only)
        if rng.random() <= share:
            out[item.key] = answer.to_json(item.value_key)
    return out


def seed() -> list[str]:
    """Create what is missing; return a line per thing created."""
    created: list[str] = []
    users = _accounts(created)
    catalog = current_app.extensions["catalog"]
    latest = catalog.latest(QUESTIONNAIRE) or (catalog.all() or [None])[-1]
    if latest is None:
        return created
    # The years already submitted were answered on the first version; this year's draft is on
    # the latest, started from last year's (the crosswalk carries the comparable answers).
    first = catalog.get(latest.id, "1.0") or latest
    gov, ngo = users["official@ministry.example"], users["analyst@ngo.example"]
    last_year = "National prevention readiness self-assessment 2025"
    plans = [
        # A year earlier, so that a reviewer's trend view has a country over time.
        (gov, "National prevention readiness self-assessment 2024", "2024", GOVERNMENT_2024, True, first, None),
        (gov, last_year, "2025", GOVERNMENT, True, first, None),
        (ngo, "Civil society shadow assessment 2025", "2025", NGO, True, first, None),
        (gov, "National prevention readiness self-assessment 2026", "2026", GOVERNMENT_DRAFT, False, latest,
         last_year),
    ]
    for user, title, period, profile, submit, questionnaire, based_on in plans:
        exists = assessment_titled(user.organisation_id, title)
        if exists:
            if user is ngo and not exists.key_messages:  # a demo seeded before key messages
                exists.key_messages = list(NGO_KEY_MESSAGES)
                created.append(f"key messages of {title!r}")
            continue
        source = assessment_titled(user.organisation_id, based_on) if based_on else None
        assessment = ops.create_assessment(user, {
            "questionnaire": questionnaire.id, "version": questionnaire.version,
            "jurisdiction": COUNTRY, "period": period, "title": title,
            "based_on": source.id if source is not None else None})
        carried = {row.item_key for row in assessment.answers}
        answers = {k: v for k, v in demo_answers(questionnaire, profile, share=1.0 if submit else 0.6).items()
                   if k not in carried}
        ops.save_answers(assessment, user, assessment.revision, answers)
        if user is ngo:
            save_key_messages(assessment, user, list(NGO_KEY_MESSAGES))
        if title == last_year:  # issue 13: a finished informant round, for the reviewers' comparisons
            from .contributors import demo as contributors_demo

            created += contributors_demo.seed_round(gov, assessment, DEMO_PASSWORD)
        if submit:
            ops.submit(assessment, user)
            _date_within_period(assessment, period)
        created.append(f"assessment {title!r} ({'submitted' if submit else 'draft'})")
    # Issue 13: this year's draft with two other ministries' contributors and three informants.
    draft = assessment_titled(gov.organisation_id, plans[-1][1])
    if draft is not None and draft.questionnaire_version.questionnaire_id == QUESTIONNAIRE:
        from .contributors import demo as contributors_demo

        created += contributors_demo.seed(gov, draft, DEMO_PASSWORD)
    return created


def _accounts(created: list[str]) -> dict[str, User]:
    """The demo's users by email, made where missing (a line in ``created`` for each)."""
    users = {}
    for email, name, org_name, kind, role in ACCOUNTS:
        user = user_with_email(email)
        if user is None:
            org = accounts.get_or_create_organisation(org_name, kind, COUNTRY if kind != "other" else None)
            user = accounts.create_user(email, DEMO_PASSWORD, org, role, name)
            created.append(f"user {email}")
        users[email] = user
    return users


def _date_within_period(assessment: Assessment, period: str) -> None:
    """A past year's demo assessment was made in that year, not on the day the demo was
    seeded (issue 18: the 2024 and 2025 assessments said "Submitted 4 Dec 2026"): started
    in October, submitted in late November of its period.  The current year is left as is."""
    if not period.isdigit() or int(period) >= utcnow().year:
        return
    submitted = datetime(int(period), 11, 28, 10, 30, tzinfo=timezone.utc)
    started = submitted - timedelta(days=45)
    assessment.created_at = started
    assessment.updated_at = assessment.submitted_at = assessment.scored_at = submitted
    for model, column in ((Answer, Answer.updated_at), (AuditEntry, AuditEntry.at), (ReviewEvent, ReviewEvent.at),
                          (Submission, Submission.submitted_at)):
        db.session.execute(update(model).where(model.assessment_id == assessment.id).values({column: submitted}))


def logins() -> list[tuple[str, str, str]]:
    from .contributors import demo as contributors_demo

    return [(email, DEMO_PASSWORD, f"{role}, {org}") for email, _n, org, _k, role in ACCOUNTS] + [
        (email, DEMO_PASSWORD, what) for email, what in contributors_demo.logins()]
