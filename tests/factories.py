"""Builders shared by the tests: plain functions that make apps, users, assessments and
answers through the real operations, and read back what the app produced (CONTRACTS.md: tests
assert through the real stack).  Fixtures live in tests/conftest.py and call these."""
from __future__ import annotations

import contextlib
import io
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, insert, select

from config import TestConfig

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The version new assessments start on by default (the latest installed), as tests create them.
LATEST = "1.1"
PASSWORD = "correct-horse-battery"


# -- apps, users, assessments -----------------------------------------------------------------
def make_app(url: str, tmp_path: Path, **overrides):
    from app import create_app
    from app.extensions import db

    overrides.setdefault("PDF_CACHE_DIR", str(tmp_path / "pdf-cache"))
    overrides.setdefault("ATTACHMENT_DIR", str(tmp_path / "attachments"))
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, **overrides)
    with app.app_context():
        db.create_all()
        app.extensions["catalog"].publish(db.session)
        db.session.commit()
    return app


def create_assessment(app, user_id, answers=None, submit=False, **meta) -> int:
    """Create (and optionally answer and submit) an assessment through the real operations."""
    from app.assessments import operations as ops
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        q = app.extensions["catalog"].latest("prevention-readiness") or app.extensions["catalog"].all()[-1]
        data = {"questionnaire": q.id, "version": q.version, "jurisdiction": "KE",
                "period": "2026", "title": "Test assessment"} | meta
        a = ops.create_assessment(user, data)
        if answers:
            ops.save_answers(a, user, a.revision, answers)
        if submit:
            ops.submit(a, user)
        db.session.commit()
        return a.id


def org_id(app, name: str) -> int:
    """The id of the organisation called ``name``."""
    from app.extensions import db
    from app.models import Organisation

    with app.app_context():
        return db.session.query(Organisation).filter_by(name=name).one().id


def org_of(app, user_id: int) -> int:
    """The id of a user's organisation."""
    from app.extensions import db
    from app.models import User

    with app.app_context():
        return db.session.get(User, user_id).organisation_id


def csrf_token(client, path="/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email, password="correct-horse-battery"):
        token = csrf_token(self.client, "/login")
        return self.client.post("/login", data={"email": email, "password": password,
                                                "csrf_token": token})

    def logout(self):
        token = csrf_token(self.client, "/account")
        return self.client.post("/logout", data={"csrf_token": token})


def full_answers(questionnaire, level=2) -> dict:
    """A complete, valid answer patch for every scored item (a helper for tests)."""
    from app.questionnaire.answers import AnswerData

    return {item.key: AnswerData(value=item.example_value(level)).to_json(item.value_key)
            for item in questionnaire.scored_items}


def full_answer_data(questionnaire, level=2) -> dict:
    """``full_answers`` as parsed AnswerData (for the pure functions); scale levels come with a
    law as evidence, so that no evidence cap applies."""
    from app.questionnaire.answers import AnswerData, Evidence

    law = (Evidence("law", "Act 1 of 2020"),)
    return {item.key: AnswerData(value=item.example_value(level), evidence=law if item.type == "scale" else ())
            for item in questionnaire.scored_items}


def na_for_a_country(questionnaire, item) -> bool:
    """Whether a national assessment (the tests' KE) may answer ``item`` "not applicable":
    the item allows it, and not only for province assessments (rubric 1.1)."""
    only = questionnaire.rubric.na_subnational_only if questionnaire.rubric else ()
    return item.allow_na and item.key not in only


# -- the report modules' world: an app on SQLite and four people --------------------------------
#: A few answers to the small test questionnaire (FIXTURES), one of each type.
MINI_ANSWERS = {"a1": {"level": 2, "evidence": [{"type": "law", "reference": "Act 5 of 2019"}]},
                "b1": {"selected": ["crc", "opsc"]}, "c1": {"value": 70}, "d1": {"option": "partly"}}


def seed_app(tmp_path: Path, questionnaire_dir: Path | None = None, **overrides):
    if questionnaire_dir is not None:
        overrides["QUESTIONNAIRE_DIR"] = str(questionnaire_dir)
    return make_app(f"sqlite:///{tmp_path / 'reports.sqlite3'}", tmp_path, **overrides)


def make_people(app) -> dict[str, int]:
    """R: respondent of org A; O: respondent of org B; V: reviewer; A: admin (other org)."""
    from app.auth import operations as ops
    from app.extensions import db

    people = {}
    with app.app_context():
        for key, email, org, kind, role in (
                ("R", "r@a.example", "Ministry of Justice (A)", "government", "respondent"),
                ("O", "o@b.example", "Child Rights Network (B)", "ngo", "respondent"),
                ("V", "v@un.example", "UN Office", "other", "reviewer"),
                ("A", "admin@site.example", "Site", "other", "admin")):
            organisation = ops.get_or_create_organisation(org, kind, "KE")
            people[key] = ops.create_user(email, PASSWORD, organisation, role, f"User {key}").id
        db.session.commit()
    return people


def issue_tokens(app, people: dict[str, int]) -> dict[str, str]:
    """A bearer token for each of ``make_people``'s users, by the same letter."""
    from app.auth import operations as ops
    from app.extensions import db
    from app.models import User

    with app.app_context():
        tokens = {key: ops.issue_token(db.session.get(User, uid), "test") for key, uid in people.items()}
        db.session.commit()
    return tokens


def new_assessment(app, user_id: int, answers: dict | None = None, submit: bool = False,
                   **meta) -> int:
    return create_assessment(app, user_id, answers, submit, **({"title": "Report test assessment"} | meta))


def mini_world(tmp_path: Path) -> dict:
    """The small test questionnaire, the four people of :func:`make_people`, and a draft and a
    submitted assessment of R's: the world of the report and review-report tests."""
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES)
    people = make_people(app)
    return {"app": app, "people": people, "tmp": tmp_path,
            "draft": new_assessment(app, people["R"], MINI_ANSWERS, title="A draft"),
            "submitted": new_assessment(app, people["R"], MINI_ANSWERS, submit=True, title="A submitted")}


def add_comment(app, assessment_id: int, author_id: int, text: str, item: str | None = None):
    from app.extensions import db
    from app.models import Comment

    with app.app_context():
        db.session.add(Comment(assessment_id=assessment_id, author_id=author_id, text=text,
                               item_key=item, submission_number=1))
        db.session.commit()


def set_logo(app, user_id: int, data: bytes, mime: str):
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        user.organisation.logo, user.organisation.logo_mime = data, mime
        db.session.commit()


def render(app, assessment_id: int, kind: str) -> tuple[bytes, str]:
    """(PDF, HTML) through the same pipeline as the routes, without the cache."""
    from app import reports
    from app.extensions import db
    from app.models import Assessment

    with app.app_context():
        inputs = reports.gather(db.session.get(Assessment, assessment_id), kind)
        html = reports.render_html(inputs.context())
    return reports.html_to_pdf(html), html


def api(world, who, path):
    """GET ``path`` with the bearer token of ``who`` in a report world (tests/reports/conftest.py)."""
    client = world["app"].test_client()
    return client.get(path, headers={"Authorization": f"Bearer {world['tokens'][who]}"})


def wait_for(predicate, timeout=60.0, step=0.05):
    """``predicate()``'s first true value, polled until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def pdf_pages(pdf: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def pdftotext(pdf: bytes, *args: str) -> str:
    """The PDF's text as poppler's ``pdftotext`` reads it (what a reader copying from the PDF
    gets); pages separated by form feeds.  Skips the test without poppler-utils."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf,
                          capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def png_logo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 60), (8, 48, 107)).save(out, format="PNG")
    return out.getvalue()


# -- the review modules' world (the ``world`` fixture of tests/conftest.py builds it) ----------
@dataclass
class World:
    gov: int            # user ids
    ngo: int
    reviewer: int
    admin: int
    gov_submitted: int  # assessment ids
    ngo_submitted: int
    gov_draft: int
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def questionnaire(app):
    return app.extensions["catalog"].latest("prevention-readiness")


def set_scores(app, assessment_id: int, overall: float | None = None, areas: dict | None = None,
               levels: dict | None = None) -> None:
    """Overwrite parts of an assessment's stored score document (the comparisons read it),
    stored anew as every write of a stored score does (a new ``scored_at``: the pages kept
    per stored score, app/results/cache.py and app/review/cache.py, are keyed by it)."""
    import copy

    from app.extensions import db
    from app.models import Assessment
    from app.models._common import utcnow

    with app.app_context():
        a = db.session.get(Assessment, assessment_id)
        doc = copy.deepcopy(a.score)
        if overall is not None:
            doc["overall"]["score"] = overall
        for code, value in (areas or {}).items():
            doc["areas"][code]["score"] = value
        for key, value in (levels or {}).items():
            doc["items"][key].update(claimed_level=value, effective_level=value, status="answered")
        a.score = doc
        a.scored_at = utcnow()
        db.session.commit()


def return_with_comments(app, aid, reviewer_id) -> int:
    """The reviewer starts the review of ``aid``, comments on the whole and on a1, and returns
    it with a reason; the number of its comments."""
    from app.extensions import db
    from app.models import Assessment, Comment, User
    from app.review import operations as review_ops

    with app.app_context():
        a, rev = db.session.get(Assessment, aid), db.session.get(User, reviewer_id)
        review_ops.apply_review(a, rev, "start")
        review_ops.post_comment(a, rev, None, "Please check the whole of section B.")
        review_ops.post_comment(a, rev, "a1", "Cite the act's section number.")
        review_ops.apply_review(a, rev, "return", "Evidence for a1 is missing.")
        db.session.commit()
        return db.session.query(Comment).filter_by(assessment_id=aid).count()


def clone_submitted(app, source_id: int, count: int, **overrides) -> list[int]:
    """``count`` copies of a submitted assessment (its stored score and its latest
    submission), each with the metadata ``overrides`` (values may be callables of the copy's
    index).  Two bulk inserts."""
    from app.extensions import db
    from app.models import Assessment, Submission
    from app.models.assessments import overall_of

    with app.app_context():
        a = db.session.get(Assessment, source_id)
        snap = db.session.scalar(select(Submission).where(Submission.assessment_id == source_id)
                                 .order_by(Submission.number.desc()))
        first = (db.session.scalar(select(Assessment.id).order_by(Assessment.id.desc())) or 0) + 1
        rows = []
        for n in range(count):
            row = {"id": first + n, "organisation_id": a.organisation_id,
                   "questionnaire_version_id": a.questionnaire_version_id,
                   "jurisdiction": a.jurisdiction, "period": a.period, "title": f"{a.title} copy {n}",
                   "status": a.status, "revision": a.revision, "submitted_at": a.submitted_at,
                   "created_at": a.created_at, "updated_at": a.updated_at, "score": a.score,
                   "score_rubric_version": a.score_rubric_version, "scored_at": a.scored_at}
            row.update({k: (v(n) if callable(v) else v) for k, v in overrides.items()})
            # A bulk insert runs no validator: the indexed overall score is set here.
            row["overall_score"] = overall_of(row["score"])
            rows.append(row)
        db.session.execute(insert(Assessment), rows)
        db.session.execute(insert(Submission), [
            {"assessment_id": first + n, "number": 1, "revision": snap.revision,
             "submitted_by_id": snap.submitted_by_id, "submitted_at": snap.submitted_at,
             "answers": snap.answers, "score": snap.score} for n in range(count)])
        if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequence on
            db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('assessments', 'id'), "
                                       "(SELECT max(id) FROM assessments))"))
        db.session.commit()
        return [first + n for n in range(count)]


@contextlib.contextmanager
def count_queries(app):
    """Count the SQL statements sent while the block runs."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def login(client, email: str) -> None:
    token = csrf_token(client, "/login")
    r = client.post("/login", data={"email": email, "password": "correct-horse-battery",
                                    "csrf_token": token})
    assert r.status_code == 302, r.status_code


# -- small questionnaires in memory, for the scoring rules (RUBRIC.md) --------------------------
AREAS = "abcdefghi"
LAYERS = ("primary", "secondary", "tertiary")
LEVELS = [{"level": n, "descriptor": {"en": f"Level {n}"}} for n in range(5)]


def item(key, type="scale", areas=("a",), layers=("primary",), weight="core", **extra) -> dict:
    data = {"key": key, "type": type, "prompt": {"en": f"Prompt {key}"},
            "guidance": {"en": "Guidance."}, "areas": list(areas), "layers": list(layers),
            "weight": weight, "action": {"en": f"Act on {key}", "fr": f"Agir sur {key}"},
            "sources": [{"document": "A/68/275", "paragraphs": [82, 122]}]}
    if type == "scale":
        data["levels"] = LEVELS
    data.update(extra)
    return data


def choice(key, scores=(0, 0.25, 0.5, 0.6, 0.75, 1), **kw) -> dict:
    options = [{"code": f"o{int(round(s * 100))}", "label": {"en": str(s)}, "score": s}
               for s in scores]
    return item(key, "choice", options=options, **kw)


def make(items, **rubric):
    """A questionnaire of ``items`` in one section, with a rubric of ``rubric``'s parameters."""
    from app.questionnaire.definition import Questionnaire, Rubric

    data = {"id": "test", "version": "1.0", "title": {"en": "Test"},
            "areas": [{"code": c, "title": {"en": c.upper()}} for c in AREAS],
            "layers": [{"code": c, "title": {"en": c}} for c in LAYERS],
            "sections": [{"key": "s1", "title": {"en": "S"}, "items": [i["key"] for i in items]}],
            "items": items}
    q = Questionnaire.model_validate(data)
    return q.model_copy(update={"rubric": Rubric(rubric_version="test-1", **rubric)})


def score(q, answers, **kw):
    from app.scoring import score_assessment

    doc = score_assessment(q, answers, **kw)
    json.dumps(doc, allow_nan=False)        # always plain JSON
    return doc


# -- the shadow modules' world (tests/shadow/conftest.py builds it) -----------------------------
SCRIPT = "<script>alert('key')</script> & more"
SHADOW_PEOPLE = {  # letter: (email, organisation, kind, role)
    "G": ("g@gov.example", "Ministry of Justice", "government", "respondent"),
    "N": ("n@ngo.example", "Child Rights Network", "ngo", "respondent"),
    "V": ("v@un.example", "UN Office", "other", "reviewer"),
}


def call(world, who, method, path, **kw):
    client = world["app"].test_client()
    return client.open(path, method=method, headers={"Authorization": f"Bearer {world['tokens'][who]}"}, **kw)


def submit(world, who, assessment_id):
    r = call(world, who, "POST", f"/api/v1/assessments/{assessment_id}/submit")
    assert r.status_code == 200, r.get_json()


def signed_in(world, who):
    """A test client signed in (a session, as in a browser) as ``who`` of the shadow world."""
    client = world["app"].test_client()
    token = csrf_token(client, "/login")
    r = client.post("/login", data={"email": SHADOW_PEOPLE[who][0], "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302
    return client


# -- a small definition on disk with translation files beside it (questionnaire modules) ----------
def mini_definition(tmp_path: Path) -> Path:
    """The small test questionnaire and its rubric copied to ``tmp_path``: its definition path."""
    import shutil

    for name in ("mini-1.0.yaml", "mini-1.0.rubric.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path / "mini-1.0.yaml"


def translation_po(path: Path, lang: str, entries: dict[str, tuple[str, str]]) -> Path:
    """Writes ``translations/<definition>.<lang>.po`` beside definition ``path``; entries: text
    path -> (English msgid, translation)."""
    from babel.messages.catalog import Catalog as PoCatalog
    from babel.messages.pofile import write_po

    catalog = PoCatalog(locale=lang)
    for ctx, (msgid, text) in entries.items():
        catalog.add(msgid, text, context=ctx)
    target = path.parent / "translations" / f"{path.stem}.{lang}.po"
    target.parent.mkdir(exist_ok=True)
    with open(target, "wb") as handle:
        write_po(handle, catalog)
    return target
