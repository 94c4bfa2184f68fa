"""People and organisations: ids by name, signing in (the CSRF token of a form, a session
login), the four people of the report world and their bearer tokens."""
from __future__ import annotations

import re

PASSWORD = "correct-horse-battery"


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


def login(client, email: str) -> None:
    token = csrf_token(client, "/login")
    r = client.post("/login", data={"email": email, "password": "correct-horse-battery",
                                    "csrf_token": token})
    assert r.status_code == 302, r.status_code


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
