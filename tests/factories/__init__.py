"""Builders shared by the tests: plain functions that make apps, users, assessments and
answers through the real operations, and read back what the app produced (CONTRACTS.md: tests
assert through the real stack).  Fixtures live in tests/conftest.py and call these.

One module per area; every name is here too, so that tests import ``from tests.factories``:
  apps            an app on a fresh database, the latest questionnaire, SQL counted, waiting
  accounts        people and organisations, signing in, bearer tokens
  assessments     assessments and answers, stored scores, comments, a review, bulk copies
  reports         a PDF rendered and read back, a logo
  worlds          the report, review and shadow modules' worlds and their calls
  questionnaires  small questionnaires in memory (scoring rules) and on disk (catalogue)
  refusals        entries the answer parser refuses, with the field and code of the refusal"""
from __future__ import annotations

from .accounts import (
    PASSWORD, AuthActions, csrf_token, issue_tokens, login, make_people, org_id, org_of,
)
from .apps import FIXTURES, LATEST, ROOT, count_queries, make_app, questionnaire, seed_app, wait_for
from .assessments import (
    add_comment, clone_submitted, create_assessment, full_answer_data, full_answers, na_for_a_country,
    new_assessment, return_with_comments, set_scores,
)
from .questionnaires import AREAS, LAYERS, LEVELS, choice, item, make, mini_definition, score, translation_po
from .refusals import REFUSED
from .reports import pdf_pages, pdftotext, png_logo, render, set_logo, squash
from .worlds import MINI_ANSWERS, SCRIPT, SHADOW_PEOPLE, World, api, call, mini_world, signed_in, submit

__all__ = [
    "AREAS", "FIXTURES", "LATEST", "LAYERS", "LEVELS", "MINI_ANSWERS", "PASSWORD", "REFUSED", "ROOT", "SCRIPT",
    "SHADOW_PEOPLE", "AuthActions", "World", "add_comment", "api", "call", "choice", "clone_submitted",
    "count_queries", "create_assessment", "csrf_token", "full_answer_data", "full_answers", "issue_tokens",
    "item", "login", "make", "make_app", "make_people", "mini_definition", "mini_world", "na_for_a_country",
    "new_assessment", "org_id", "org_of", "pdf_pages", "pdftotext", "png_logo", "questionnaire", "render",
    "return_with_comments", "score", "seed_app", "set_logo", "set_scores", "signed_in", "squash", "submit",
    "translation_po", "wait_for",
]
