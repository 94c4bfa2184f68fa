"""The authorization matrix: each role x each route x own or other organisation.

Every route of the app must have an entry in ``MATRIX``; adding a route without
one fails ``test_every_route_has_an_entry``. Each entry runs on a fresh copy of
a seeded database, so that a request allowed for one subject (a submit, say)
cannot change what the next subject sees.

Subjects:  anon; R = respondent of the owning organisation (org A);
O = respondent of another organisation (org B); V = reviewer; A = admin (of a
third organisation); and people of a fourth organisation given {section} of {draft}
(issue 13): C as contributor, I as informant, D as reader.  Unless an entry says
otherwise, C, I and D are expected what O is (a respondent of another organisation).  Expectations: OK = any 2xx/3xx that is not a redirect to
the login page (payloads may still be refused with 400/409/422: authorization
passed); DENY = 403 or 404 (404 hides that the resource exists); LOGIN = a
redirect to the login page (pages) or 401 (API); or an exact status code.

Placeholders in paths: {draft} = org A's draft, {submitted} = org A's
submitted assessment, {draft_b} = org B's draft, {section} = a section key,
{item} = an item key, {token} = R's API token id, {user} = O's user id, {org} = org B's id.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from config import TestConfig

OK, DENY, LOGIN = "ok", "deny", "login"
SUBJECTS = ("anon", "R", "O", "V", "A", "C", "I", "D")
EMAILS = {"R": "r@a.example", "O": "o@b.example", "V": "v@un.example", "A": "admin@site.example",
          "C": "c@justice.example", "I": "i@justice.example", "D": "d@justice.example"}
GIVEN = {"C": "contributor", "I": "informant", "D": "reader"}
PASSWORD = "correct-horse-battery"


@dataclass
class Entry:
    method: str
    path: str
    expect: dict[str, object]          # subject -> OK / DENY / LOGIN / int
    json: dict | None = None
    data: dict | None = field(default=None)


def e(method, path, anon=LOGIN, R=OK, O=OK, V=OK, A=OK, C=None, I=None, D=None, json=None, data=None):  # noqa: E741 - O and I name the roles in the matrix's columns
    return Entry(method, path, {"anon": anon, "R": R, "O": O, "V": V, "A": A,
                                "C": O if C is None else C, "I": O if I is None else I,
                                "D": O if D is None else D}, json, data)


def own_only(method, path, **kw):
    """An org A page or API call on org A's draft: only R (and nobody else) may."""
    return e(method, path, R=OK, O=DENY, V=DENY, A=DENY, **kw)


MATRIX: dict[str, list[Entry]] = {
    "static": [e("GET", "/static/css/app.css", anon=200, R=200, O=200, V=200, A=200)],
    "main.home": [e("GET", "/")],
    "main.health": [e("GET", "/healthz", anon=200, R=200, O=200, V=200, A=200)],
    "auth.login": [e("GET", "/login", anon=200)],
    "auth.logout": [e("POST", "/logout", R=302, O=302, V=302, A=302)],
    "auth.account": [e("GET", "/account", R=200, O=200, V=200, A=200)],
    "auth.revoke_token": [e("POST", "/account/tokens/{token}/revoke", R=OK, O=404, V=404, A=OK)],
    "auth.change_password": [
        e("POST", "/account/password", R=422, O=422, V=422, A=422, data={}),
        e("POST", "/account/password", R=303, O=303, V=303, A=303, data={
            "current_password": PASSWORD, "new_password": "a-fresh-passphrase-77",
            "confirm": "a-fresh-passphrase-77"})],
    "auth.set_time_zone": [e("POST", "/account/time-zone", R=303, O=303, V=303, A=303,
                             data={"time_zone": "Africa/Nairobi"})],
    "auth.set_language": [e("POST", "/account/language", R=303, O=303, V=303, A=303, data={"language": "fr"})],
    "auth.users": [e("GET", "/admin/users", R=403, O=403, V=403, A=200)],
    "auth.toggle_user": [e("POST", "/admin/users/{user}/toggle", R=403, O=403, V=403, A=OK)],
    "auth.reset_password": [e("POST", "/admin/users/{user}/reset-password", R=403, O=403, V=403, A=200)],
    "auth.confirm_user_action": [e("GET", "/admin/users/{user}/confirm/reset-password", R=403, O=403, V=403, A=200),
                                 e("GET", "/admin/users/{user}/confirm/delete", R=403, O=403, V=403, A=404)],
    "auth.edit_user": [e("GET", "/admin/users/{user}/edit", R=403, O=403, V=403, A=200)],
    "auth.create_organisation": [e("POST", "/admin/organisations", R=403, O=403, V=403, A=200,
                                   data={"org_name": "Matrix organisation", "org_kind": "ngo"})],
    "auth.organisations": [e("GET", "/admin/organisations", R=403, O=403, V=403, A=200)],
    "auth.rename_organisation": [
        e("GET", "/admin/organisations/{org}/rename", R=403, O=403, V=403, A=200),
        e("POST", "/admin/organisations/{org}/rename", R=403, O=403, V=403, A=303, data={"name": "Org B renamed"})],
    "api.questionnaires": [e("GET", "/api/v1/questionnaires", anon=401, R=200, O=200, V=200, A=200)],
    "api.openapi": [e("GET", "/api/v1/openapi.yaml", anon=401, R=200, O=200, V=200, A=200)],
    "api.score": [
        e("GET", "/api/v1/assessments/{draft}/score", anon=401, R=200, O=DENY, V=DENY, A=DENY),
        e("GET", "/api/v1/assessments/{submitted}/score", anon=401, R=200, O=DENY, V=200, A=200),
    ],
    "assessments.index": [e("GET", "/assessments")],
    # results page (results.results): org A's draft only for R; the submitted one for all who see it
    "results.results": [
        own_only("GET", "/assessments/{draft}/results"),
        e("GET", "/assessments/{submitted}/results", R=200, O=DENY, V=200, A=200),
    ],
    # -- filling in (assessments area) --
    "assessments.new": [e("GET", "/assessments/new", V=403),
                        e("POST", "/assessments/new", V=403, data={"title": ""})],
    "assessments.overview": [
        own_only("GET", "/assessments/{draft}", C=302, I=302, D=302),  # to their tasks
        e("GET", "/assessments/{submitted}", O=DENY)],
    "assessments.section": [
        own_only("GET", "/assessments/{draft}/sections/{section}", C=200, I=302, D=302),
        own_only("GET", "/assessments/{draft}/sections/{other_section}"),
        e("GET", "/assessments/{submitted}/sections/{section}", R=302, O=DENY, V=302, A=302)],
    "assessments.save_section": [
        own_only("POST", "/assessments/{draft}/sections/{section}", C=OK, data={"base_revision": "0"}),
        own_only("POST", "/assessments/{draft}/sections/{other_section}", data={"base_revision": "0"}),
        e("POST", "/assessments/{submitted}/sections/{section}", R=409, O=DENY, V=403, A=403,
          data={"base_revision": "0"})],
    "assessments.answers": [
        own_only("GET", "/assessments/{draft}/answers", C=200, D=200),
        e("GET", "/assessments/{submitted}/answers", O=DENY)],
    "assessments.submit_confirm": [
        own_only("GET", "/assessments/{draft}/submit"),
        e("GET", "/assessments/{submitted}/submit", R=302, O=DENY, V=302, A=302)],
    "assessments.submit": [
        e("POST", "/assessments/{draft}/submit", R=303, O=DENY, V=DENY, A=DENY),
        e("POST", "/assessments/{submitted}/submit", R=409, O=DENY, V=403, A=403)],
    "api.create_assessment": [e("POST", "/api/v1/assessments", anon=401, R=201, O=201, V=403, A=201, json={
        "questionnaire": "prevention-readiness", "version": "1.0", "jurisdiction": "KE", "period": "2027",
        "title": "Matrix"})],
    "api.list_assessments": [e("GET", "/api/v1/assessments", anon=401, R=200, O=200, V=200, A=200)],
    "api.get_assessment": [
        e("GET", "/api/v1/assessments/{draft}", anon=401, R=200, O=DENY, V=DENY, A=DENY, C=200, I=200, D=200),
        e("GET", "/api/v1/assessments/{submitted}", anon=401, R=200, O=DENY, V=200, A=200)],
    "api.patch_answers": [
        e("PATCH", "/api/v1/assessments/{draft}/answers", anon=401, R=200, O=DENY, V=DENY, A=DENY, C=200,
          json={"base_revision": 0, "answers": {}}),
        e("PATCH", "/api/v1/assessments/{draft}/answers", anon=401, R=200, O=DENY, V=DENY, A=DENY, C=403,
          json={"base_revision": 0, "answers": {"{other_item}": None}}),
        e("PATCH", "/api/v1/assessments/{submitted}/answers", anon=401, R=409, O=DENY, V=403, A=403,
          json={"base_revision": 0, "answers": {}})],
    "api.submit_assessment": [
        e("POST", "/api/v1/assessments/{draft}/submit", anon=401, R=422, O=DENY, V=DENY, A=DENY),
        e("POST", "/api/v1/assessments/{submitted}/submit", anon=401, R=409, O=DENY, V=403, A=403)],
    # -- review area (review issue): list, comparisons, review page, workflow, comments, exports --
    "review.index": [e("GET", "/review", R=403, O=403, V=200, A=200)],
    "review.compare": [
        e("GET", "/review/compare?ids={submitted},{draft}", R=403, O=403, V=DENY, A=DENY),
        e("GET", "/review/compare?ids={submitted},{submitted}", R=403, O=403, V=302, A=302)],
    "review.export": [e("GET", "/review/export?format=csv&ids={submitted}", R=403, O=403, V=303, A=303)],
    # the list's batch of reports: refused ids go back to the list (302); a real batch's page
    # is its asker's only (tests/review/test_review_reports.py)
    "review.batch_start": [e("POST", "/review/reports", R=403, O=403, V=302, A=302,
                             data={"ids": "999999", "report_kind": "scorecard"})],
    "review.batch_confirm": [e("GET", "/review/reports/confirm?ids={submitted}", R=403, O=403, V=200, A=200)],
    "review.batch": [e("GET", "/review/reports/batch-0123456789abcdef", R=403, O=403, V=404, A=404)],
    "review.divergence": [e("GET", "/review/divergence?jurisdiction=KE&period=2026", R=403, O=403, V=200, A=200)],
    "review.trend": [e("GET", "/review/trend?jurisdiction=KE", R=403, O=403, V=200, A=200)],
    "review.assessment": [
        own_only("GET", "/review/assessments/{draft}"),
        e("GET", "/review/assessments/{submitted}", R=200, O=DENY, V=200, A=200)],
    "review.submission": [
        e("GET", "/review/assessments/{draft}/submissions/1", R=404, O=DENY, V=DENY, A=DENY),
        e("GET", "/review/assessments/{submitted}/submissions/1", R=200, O=DENY, V=200, A=200)],
    "review.transition": [
        e("POST", "/review/assessments/{draft}/transition", R=403, O=DENY, V=DENY, A=DENY, data={"action": "start"}),
        e("POST", "/review/assessments/{submitted}/transition", R=403, O=DENY, V=302, A=302,
          data={"action": "start"})],
    "review.comment": [
        e("POST", "/review/assessments/{draft}/comments", R=403, O=DENY, V=DENY, A=DENY, data={"text": "x"}),
        e("POST", "/review/assessments/{submitted}/comments", R=302, O=DENY, V=302, A=302, data={"text": "x"})],
    "api.review_compare": [
        e("GET", "/api/v1/compare?ids={submitted},{draft}", anon=401, R=200, O=DENY, V=DENY, A=DENY)],
    "api.review_export_csv": [
        e("GET", "/api/v1/export.csv?ids={draft}", anon=401, R=200, O=DENY, V=DENY, A=DENY),
        e("GET", "/api/v1/export.csv?ids={submitted}", anon=401, R=200, O=DENY, V=200, A=200)],
    "api.review_export_xlsx": [
        e("GET", "/api/v1/export.xlsx?ids={submitted},{draft}", anon=401, R=200, O=DENY, V=DENY, A=DENY),
        e("GET", "/api/v1/export.xlsx?ids={submitted}", anon=401, R=200, O=DENY, V=200, A=200)],
    "api.review_transition": [
        e("POST", "/api/v1/assessments/{draft}/review", anon=401, R=403, O=DENY, V=DENY, A=DENY,
          json={"action": "start"}),
        e("POST", "/api/v1/assessments/{submitted}/review", anon=401, R=403, O=DENY, V=200, A=200,
          json={"action": "start"})],
    "api.review_comments": [
        e("GET", "/api/v1/assessments/{draft}/comments", anon=401, R=200, O=DENY, V=DENY, A=DENY),
        e("GET", "/api/v1/assessments/{submitted}/comments", anon=401, R=200, O=DENY, V=200, A=200)],
    "api.review_post_comment": [
        e("POST", "/api/v1/assessments/{draft}/comments", anon=401, R=403, O=DENY, V=DENY, A=DENY,
          json={"text": "x"}),
        e("POST", "/api/v1/assessments/{submitted}/comments", anon=401, R=201, O=DENY, V=201, A=201,
          json={"text": "x"})],
    # -- reports (reports issue): PDF downloads (scorecards: the quick kind) and the logo page --
    "results.report_pdf": [
        e("GET", "/assessments/{submitted}/report.pdf?kind=scorecard", R=200, O=DENY, V=200, A=200)],
    "api.report_pdf": [own_only("GET", "/api/v1/assessments/{draft}/report.pdf?kind=scorecard", anon=401)],
    # jobs (renders off the web workers): an unknown job is 404 to everyone signed in; who may
    # see a real one is tested in tests/reliability/test_jobs.py
    "api.job_status": [e("GET", "/api/v1/jobs/pdf-0123456789", anon=401, R=404, O=404, V=404, A=404)],
    "api.job_result": [e("GET", "/api/v1/jobs/pdf-0123456789/result", anon=401, R=404, O=404, V=404, A=404)],
    # (bodies are not filled from the seed: an assessment nobody has is 404 to everyone)
    "api.reports_batch": [e("POST", "/api/v1/reports/batch", anon=401, R=404, O=404, V=404, A=404,
                            json={"ids": [999999], "kind": "scorecard"})],
    # -- evidence documents (issue 18): viewed like the answers, changed by who may edit --
    # (a real document's download for each subject: tests/attachments/test_attachments.py)
    "api.list_attachments": [
        own_only("GET", "/api/v1/assessments/{draft}/attachments", anon=401),
        e("GET", "/api/v1/assessments/{submitted}/attachments", anon=401, R=OK, O=DENY, V=OK, A=OK)],
    "api.add_attachment": [
        own_only("POST", "/api/v1/assessments/{draft}/attachments", anon=401, data={}),
        e("POST", "/api/v1/assessments/{submitted}/attachments", anon=401, R=409, O=DENY, V=403, A=403, data={})],
    "api.get_attachment": [
        e("GET", "/api/v1/assessments/{draft}/attachments/999999", anon=401, R=404, O=DENY, V=DENY, A=DENY)],
    "api.delete_attachment": [
        e("DELETE", "/api/v1/assessments/{draft}/attachments/999999", anon=401, R=404, O=DENY, V=DENY, A=DENY),
        e("DELETE", "/api/v1/assessments/{submitted}/attachments/999999", anon=401, R=409, O=DENY, V=403, A=403)],
    "attachments.page": [
        own_only("GET", "/assessments/{draft}/attachments"),
        e("GET", "/assessments/{submitted}/attachments", R=OK, O=DENY, V=OK, A=OK)],
    "attachments.upload": [own_only("POST", "/assessments/{draft}/attachments", data={})],
    "attachments.remove": [
        e("POST", "/assessments/{draft}/attachments/999999/remove", R=404, O=DENY, V=DENY, A=DENY, data={})],
    "attachments.download": [
        e("GET", "/assessments/{submitted}/attachments/999999", R=404, O=DENY, V=404, A=404)],
    # -- working offline (issue 15): workbooks are for who may change the answers (a
    # contributor: the workbook of their sections, issue 13) --
    "api.get_workbook": [
        own_only("GET", "/api/v1/assessments/{draft}/workbook.xlsx", anon=401, C=200),
        own_only("GET", "/api/v1/assessments/{draft}/workbook.xlsx?section={section}", anon=401, C=200),
        own_only("GET", "/api/v1/assessments/{draft}/workbook.xlsx?section={other_section}", anon=401, C=403),
        e("GET", "/api/v1/assessments/{submitted}/workbook.xlsx", anon=401, R=409, O=DENY, V=403, A=403)],
    "api.put_workbook": [
        own_only("PUT", "/api/v1/assessments/{draft}/workbook", anon=401, C=OK, data={}),
        e("PUT", "/api/v1/assessments/{submitted}/workbook", anon=401, R=409, O=DENY, V=403, A=403, data={})],
    "workbooks.page": [
        own_only("GET", "/assessments/{draft}/workbook", C=200),
        e("GET", "/assessments/{submitted}/workbook", R=409, O=DENY, V=403, A=403)],
    "workbooks.upload": [own_only("POST", "/assessments/{draft}/workbook", C=OK, data={})],
    "workbooks.resolve": [own_only("POST", "/assessments/{draft}/workbook/resolve", C=OK, data={})],
    # the XLSForm is for everyone signed in; importing creates drafts: respondents and admins
    "api.get_xlsform": [e("GET", "/api/v1/questionnaires/prevention-readiness/xlsform.xlsx?version=1.0", anon=401,
                          R=200, O=200, V=200, A=200)],
    "api.import_odk": [e("POST", "/api/v1/imports/odk?questionnaire=prevention-readiness&version=1.1", anon=401,
                         R=422, O=422, V=403, A=422, json={})],
    # the printable questionnaire: blank for everyone signed in; filled in for who may view
    "api.questionnaire_form_pdf": [e("GET", "/api/v1/questionnaires/prevention-readiness/form.pdf?version=1.0&lang=en",
                                     anon=401, R=OK, O=OK, V=OK, A=OK)],
    "api.assessment_form_pdf": [own_only("GET", "/api/v1/assessments/{draft}/form.pdf?lang=en", anon=401)],
    "workbooks.imports": [e("GET", "/imports/odk", R=200, O=200, V=403, A=200)],
    "workbooks.run_import": [e("POST", "/imports/odk", R=400, O=400, V=403, A=400, data={})],
    "workbooks.xlsform_download": [e("GET", "/imports/odk/xlsform.xlsx?ref=prevention-readiness@1.0",
                                     R=200, O=200, V=200, A=200)],
    "workbooks.sample_csv": [e("GET", "/imports/odk/example.csv", R=200, O=200, V=200, A=200)],
    "organisation.logo": [e("GET", "/organisation/logo", R=200, O=200, V=403, A=200)],
    "organisation.logo_upload": [e("POST", "/organisation/logo", R=400, O=400, V=403, A=400, data={})],
    "organisation.logo_remove": [e("POST", "/organisation/logo/remove", R=302, O=302, V=403, A=302)],
    # -- contributors, informants, consensus (issue 13) --
    "contributors.tasks": [e("GET", "/tasks", R=200, O=200, V=200, A=200)],
    "contributors.manage": [
        own_only("GET", "/assessments/{draft}/contributors", C=403, I=403, D=403),
        own_only("POST", "/assessments/{draft}/contributors", C=403, I=403, D=403, data={"email": ""})],
    "contributors.remove": [own_only("POST", "/assessments/{draft}/contributors/{contributor}/remove",
                                     C=403, I=403, D=403)],
    "contributors.remind": [own_only("POST", "/assessments/{draft}/contributors/{contributor}/remind",
                                     C=403, I=403, D=403)],
    "contributors.rate": [
        e("GET", "/assessments/{draft}/ratings/{section}", R=403, O=DENY, V=DENY, A=DENY, C=403, I=200, D=403),
        e("POST", "/assessments/{draft}/ratings/{section}", R=403, O=DENY, V=DENY, A=DENY, C=403, I=OK, D=403,
          data={"base_revision": "0"}),
        e("GET", "/assessments/{draft}/ratings/{other_section}", R=403, O=DENY, V=DENY, A=DENY, C=403, I=403,
          D=403)],
    "contributors.consensus": [
        own_only("GET", "/assessments/{draft}/consensus/{section}", C=403, I=403, D=403),
        own_only("POST", "/assessments/{draft}/consensus/{section}", C=403, I=403, D=403, data={})],
    "api.add_contributor": [own_only("POST", "/api/v1/assessments/{draft}/contributors", anon=401, C=403, I=403,
                                     D=403, json={"email": "new@x.example", "role": "reader", "sections": ["{section}"]})],
    "api.list_contributors": [own_only("GET", "/api/v1/assessments/{draft}/contributors", anon=401, C=403, I=403,
                                       D=403)],
    "api.remove_contributor": [own_only("DELETE", "/api/v1/assessments/{draft}/contributors/{contributor}",
                                        anon=401, C=403, I=403, D=403)],
    "api.patch_ratings": [
        e("PATCH", "/api/v1/assessments/{draft}/ratings", anon=401, R=403, O=DENY, V=DENY, A=DENY, C=403, I=200,
          D=403, json={"base_revision": 0, "answers": {}}),
        e("PATCH", "/api/v1/assessments/{submitted}/ratings", anon=401, R=409, O=DENY, V=DENY, A=DENY,
          json={"base_revision": 0, "answers": {}})],
    "api.get_ratings": [e("GET", "/api/v1/assessments/{draft}/ratings", anon=401, R=200, O=DENY, V=DENY, A=DENY,
                          C=403, I=200, D=403)],
    "api.post_consensus": [own_only("POST", "/api/v1/assessments/{draft}/consensus", anon=401, C=403, I=403, D=403,
                                    json={"base_revision": 0, "answers": {}, "rationale": {}})],
    # signed links from mails: anyone may open them; a bad token is refused with a page
    "auth.invitation": [e("GET", "/invitation/not-a-token", anon=400, R=400, O=400, V=400, A=400)],
    "auth.reset_with_link": [e("GET", "/password/reset/not-a-token", anon=400, R=400, O=400, V=400, A=400)],
    "auth.forgot_password": [e("GET", "/password/forgot", anon=200, R=200, O=200, V=200, A=200)],
    # -- shadow assessments (issue 18): key messages edited by who may edit the assessment --
    "api.get_key_messages": [
        own_only("GET", "/api/v1/assessments/{draft}/key-messages", anon=401),
        e("GET", "/api/v1/assessments/{submitted}/key-messages", anon=401, R=200, O=DENY, V=200, A=200)],
    "api.put_key_messages": [
        own_only("PUT", "/api/v1/assessments/{draft}/key-messages", anon=401, json={"key_messages": ["x"]}),
        e("PUT", "/api/v1/assessments/{submitted}/key-messages", anon=401, R=409, O=DENY, V=403, A=403,
          json={"key_messages": ["x"]})],
    "api.get_shadow": [
        own_only("GET", "/api/v1/assessments/{draft}/shadow", anon=401),
        e("GET", "/api/v1/assessments/{submitted}/shadow", anon=401, R=200, O=DENY, V=200, A=200)],
    "shadow.page": [
        own_only("GET", "/assessments/{draft}/key-messages"),
        # a visit to a submitted one's goes to where the messages are shown, for whoever sees
        # them (a save is refused as before: shadow.save)
        e("GET", "/assessments/{submitted}/key-messages", R=303, O=DENY, V=303, A=303)],
    "shadow.save": [own_only("POST", "/assessments/{draft}/key-messages", data={"message": ["x"]}),
                    e("POST", "/assessments/{submitted}/key-messages", R=409, O=DENY, V=403, A=403,
                      data={"message": ["x"]})],
}


# -- machinery ------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A seeded SQLite file: orgs A and B, a draft and a submitted assessment of
    A, a draft of B, the five subjects, and an API token for each user."""
    from app import create_app
    from app.assessments import operations as ops
    from app.auth import operations as accounts
    from app.extensions import db
    from tests.factories import full_answers

    path = tmp_path_factory.mktemp("authz") / "seed.sqlite3"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    ids: dict[str, object] = {}
    with app.app_context():
        db.create_all()
        catalog = app.extensions["catalog"]
        catalog.publish(db.session)
        orgs = {
            "R": accounts.get_or_create_organisation("Org A", "government", "KE"),
            "O": accounts.get_or_create_organisation("Org B", "ngo", "KE"),
            "V": accounts.get_or_create_organisation("UN", "other"),
            "A": accounts.get_or_create_organisation("Site", "other"),
        }
        roles = {"R": "respondent", "O": "respondent", "V": "reviewer", "A": "admin"}
        orgs |= dict.fromkeys(GIVEN, accounts.get_or_create_organisation("Ministry of Justice", "government", "KE"))
        roles |= dict.fromkeys(GIVEN, "respondent")
        users = {s: accounts.create_user(EMAILS[s], PASSWORD, orgs[s], roles[s]) for s in roles}
        ids["tokens"] = {s: accounts.issue_token(users[s], "matrix") for s in roles}
        q = catalog.latest("prevention-readiness")
        meta = {"questionnaire": q.id, "version": q.version, "jurisdiction": "KE", "period": "2026"}
        draft = ops.create_assessment(users["R"], meta | {"title": "A draft"})
        submitted = ops.create_assessment(users["R"], meta | {"title": "A submitted"})
        ops.save_answers(submitted, users["R"], 0, full_answers(q))
        ops.submit(submitted, users["R"])
        draft_b = ops.create_assessment(users["O"], meta | {"title": "B draft"})
        from app.contributors import operations as contributors

        given = {s: contributors.invite(users["R"], draft, {"email": EMAILS[s], "role": role,
                                                            "sections": [q.sections[0].key]})[0]
                 for s, role in GIVEN.items()}
        db.session.commit()
        from app.models import ApiToken

        ids.update(draft=draft.id, submitted=submitted.id, draft_b=draft_b.id,
                   section=q.sections[0].key, item=q.sections[0].items[0],
                   other_section=q.sections[1].key, other_item=q.sections[1].items[0],
                   contributor=given["D"].id,
                   token=db.session.query(ApiToken).filter_by(user_id=users["R"].id).one().id,
                   user=users["O"].id, org=orgs["O"].id)
        # WAL mode: fold the log into the main file so that a plain copy has everything.
        db.session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
        db.engine.dispose()
    return path, ids


def _app_on_copy(seed_path, tmp_path):
    from app import create_app

    copy = tmp_path / "copy.sqlite3"
    shutil.copy(seed_path, copy)
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}", WTF_CSRF_ENABLED=False,
                      PDF_CACHE_DIR=str(tmp_path / "pdf"), PROPAGATE_UNEXPECTED=False)


def _check(status: int, location: str, expected, api: bool) -> bool:
    if isinstance(expected, int):
        return status == expected
    if expected == LOGIN:
        return status == 401 if api else (status == 302 and "/login" in location)
    if expected == DENY:
        return status in (403, 404)
    return (200 <= status < 400 or status in (400, 409, 413, 422)) and "/login" not in location


def _fill(value, values):
    """``value`` with "{name}" strings and keys replaced from the seed's ids."""
    if isinstance(value, dict):
        return {_fill(k, values): _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    return str(values[value[1:-1]]) if isinstance(value, str) and value[1:-1] in values and value.startswith("{") \
        else value


def _all_entries():
    for endpoint, entries in MATRIX.items():
        for n, entry in enumerate(entries):
            yield pytest.param(endpoint, entry, id=f"{endpoint}[{n}]")


def test_every_route_has_an_entry():
    from app import create_app

    app = create_app(TestConfig)
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(MATRIX))
    assert not missing, f"routes without an authorization-matrix entry: {missing}"


@pytest.mark.parametrize("endpoint,entry", list(_all_entries()))
def test_matrix(seeded, tmp_path, endpoint, entry):
    seed_path, ids = seeded
    values = {k: v for k, v in ids.items() if k != "tokens"}
    path = entry.path.format(**values)
    if entry.json is not None:  # placeholders in bodies too ("{section}", "{other_item}")
        entry = Entry(entry.method, entry.path, entry.expect, _fill(entry.json, values), entry.data)
    api = path.startswith("/api/")
    failures = []
    for n, subject in enumerate(SUBJECTS):
        sub = tmp_path / f"{n}"
        sub.mkdir()
        app = _app_on_copy(seed_path, sub)
        client = app.test_client()
        headers = {}
        if subject != "anon":
            if api:
                headers["Authorization"] = f"Bearer {ids['tokens'][subject]}"
            else:
                r = client.post("/login", data={"email": EMAILS[subject], "password": PASSWORD})
                r.close()
                assert r.status_code == 302, f"login failed for {subject}"
        r = client.open(path, method=entry.method, headers=headers, json=entry.json, data=entry.data)
        r.close()
        expected = entry.expect[subject]
        if not _check(r.status_code, r.headers.get("Location", ""), expected, api):
            failures.append(f"{subject}: expected {expected}, got {r.status_code} "
                            f"{r.headers.get('Location', '')}")
        from app.extensions import db

        with app.app_context():
            db.engine.dispose()
    assert not failures, f"{entry.method} {path}: " + "; ".join(failures)
