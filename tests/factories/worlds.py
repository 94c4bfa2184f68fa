"""The worlds some test areas share: the report modules' (tests/reports/conftest.py), the
review modules' (the ``world`` fixture of tests/conftest.py) and the shadow modules'
(tests/shadow/conftest.py), with the calls their tests make as one of their people."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .accounts import PASSWORD, csrf_token, make_people
from .apps import FIXTURES, seed_app
from .assessments import new_assessment


# -- the report modules' world: an app on SQLite and four people --------------------------------
#: A few answers to the small test questionnaire (FIXTURES), one of each type.
MINI_ANSWERS = {"a1": {"level": 2, "evidence": [{"type": "law", "reference": "Act 5 of 2019"}]},
                "b1": {"selected": ["crc", "opsc"]}, "c1": {"value": 70}, "d1": {"option": "partly"}}


def mini_world(tmp_path: Path) -> dict:
    """The small test questionnaire, the four people of :func:`make_people`, and a draft and a
    submitted assessment of R's: the world of the report and review-report tests."""
    app = seed_app(tmp_path, questionnaire_dir=FIXTURES)
    people = make_people(app)
    return {"app": app, "people": people, "tmp": tmp_path,
            "draft": new_assessment(app, people["R"], MINI_ANSWERS, title="A draft"),
            "submitted": new_assessment(app, people["R"], MINI_ANSWERS, submit=True, title="A submitted")}


def api(world, who, path):
    """GET ``path`` with the bearer token of ``who`` in a report world (tests/reports/conftest.py)."""
    client = world["app"].test_client()
    return client.get(path, headers={"Authorization": f"Bearer {world['tokens'][who]}"})


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
