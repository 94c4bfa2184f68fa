"""A property-based fuzz of /api/v1 against its OpenAPI file (issue 11, point 7).

Schemathesis generates requests from ``app/api/openapi.yaml`` (valid ones, and invalid
ones for the negative mode), sends them through the WSGI app as a respondent and as a
reviewer, on SQLite and on PostgreSQL with a couple of seeded assessments, and checks every
response: never a server error, always the documented status codes and schema. Half the
generated path ids and ``ids=`` lists are replaced by real ones, so that requests get past
the 404 into validation and storage. Bounded: a fixed number of examples per operation.

Every finding is collected (not only the first), so that the failure message lists them
all with the figures: requests, server errors, schema violations, seconds.
"""
from __future__ import annotations

import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from app.extensions import db
from tests.factories import full_answers, make_app

pytestmark = pytest.mark.slow

# The binary and text bodies of the offline routes (workbooks, submission CSVs), sent as they are.
schemathesis.serializer.alias("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              "application/octet-stream")
schemathesis.serializer.alias("text/csv", "text/plain")

EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}  # per operation and role
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def fuzz_app(db_url, tmp_path):
    # Unexpected errors answer 500 (as in production) instead of raising into the test, so
    # that the not_a_server_error check sees and counts them.
    app = make_app(db_url, tmp_path, PROPAGATE_UNEXPECTED=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _seed(app) -> tuple[dict[str, dict[str, str]], list[int]]:
    """A respondent's draft and two submitted assessments, one of them in review; a reviewer.
    Returns the bearer headers by role and the assessment ids."""
    from app.assessments import operations as ops
    from app.auth import operations as accounts
    from app.review import operations as review

    with app.app_context():
        q = app.extensions["catalog"].latest("prevention-readiness")
        org = accounts.get_or_create_organisation("Fuzz ministry", "government", "KE")
        un = accounts.get_or_create_organisation("Fuzz UN", "other", "KE")
        ana = accounts.create_user("ana@fuzz.example", "correct-horse-battery", org, "respondent")
        rita = accounts.create_user("rita@fuzz.example", "correct-horse-battery", un, "reviewer")
        db.session.flush()
        base = {"questionnaire": q.id, "version": q.version, "jurisdiction": "KE", "period": "2025"}
        ids = []
        for n, title in enumerate(("Draft", "Submitted", "In review")):
            a = ops.create_assessment(ana, base | {"title": title, "period": str(2024 + n)})
            if n:
                ops.save_answers(a, ana, a.revision, full_answers(q, level=n + 1))
                ops.submit(a, ana)
            if n == 2:
                review.apply_review(a, rita, "start")
            ids.append(a.id)
        # identity: the WSGI client schemathesis uses does not undo a Content-Encoding, and
        # compression is the transport's business (tests/api/test_wire.py), not the contract's.
        headers = {role: {"Authorization": f"Bearer {accounts.issue_token(user, 'fuzz')}",
                          "Accept-Encoding": "identity"}
                   for role, user in (("respondent", ana), ("reviewer", rita))}
        db.session.commit()
    return headers, ids


def _realistic(case, ids: list[int], pick: int) -> None:
    """Point half the cases at seeded assessments, so they reach the code behind the 404.
    Not the PDF downloads: a render takes seconds (tests/reports/test_reports_routes.py and
    tests/workbooks/test_printable_form.py cover them;
    here their parameters are fuzzed against missing assessments)."""
    if pick < 0 or case.formatted_path.endswith(".pdf"):
        return
    if case.path_parameters and "id" in case.path_parameters:
        case.path_parameters["id"] = ids[pick % len(ids)]
    if case.query and "ids" in case.query:
        case.query["ids"] = ",".join(str(i) for i in (ids[pick % len(ids):] + ids[:pick % len(ids)]))


def test_the_api_fuzzed_from_its_openapi_file_never_errs_and_keeps_to_its_schema(fuzz_app):
    headers, ids = _seed(fuzz_app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.yaml", fuzz_app, headers=headers["reviewer"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    started = time.monotonic()
    requests: Counter[str] = Counter()
    findings: dict[str, str] = {}

    spent: Counter[str] = Counter()
    for operation in operations:
        op_started = time.monotonic()
        for role, auth in headers.items():
            for mode, examples in EXAMPLES.items():
                if not (len(operation.query) or len(operation.path_parameters) or len(operation.body)):
                    if mode is GenerationMode.NEGATIVE:
                        continue
                    examples = 1  # nothing to vary: one request says it all
                try:
                    strategy = operation.as_strategy(generation_mode=mode)
                except Exception as exc:
                    if mode is GenerationMode.NEGATIVE:
                        continue
                    raise AssertionError(f"{operation.label}: {exc}") from exc

                @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                          phases=[Phase.explicit, Phase.generate],
                          suppress_health_check=list(HealthCheck))
                @given(case=strategy, pick=st.integers(-len(ids), len(ids) - 1))
                def run(case, pick):
                    _realistic(case, ids, pick)
                    response = case.call(headers=auth)
                    requests[operation.label] += 1
                    if response.status_code >= 500:
                        requests["server errors"] += 1
                    try:
                        case.validate_response(response, checks=CHECKS, headers=auth)
                    except BaseException as exc:
                        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                            raise
                        key = f"{operation.label} as {role} ({mode.value}) -> {response.status_code}"
                        findings.setdefault(key, f"{type(exc).__name__}: {str(exc)[:600]}\n"
                                                 f"  {case.method} {case.formatted_path} query={case.query!r} "
                                                 f"body={str(case.body)[:200]!r}")

                run()
        spent[operation.label] = time.monotonic() - op_started

    seconds = time.monotonic() - started
    total = sum(n for label, n in requests.items() if label != "server errors")
    violations = sum(1 for k in findings if not k.endswith("-> 500"))
    figures = (f"{total} requests, {requests['server errors']} server errors, "
               f"{violations} schema/status violations, {seconds:.1f} s")
    print("\nAPI fuzz:", figures, "; slowest:",
          ", ".join(f"{label} {t:.1f} s" for label, t in spent.most_common(4)))
    assert not findings, figures + "\n" + "\n".join(f"- {k}: {v}" for k, v in sorted(findings.items()))
