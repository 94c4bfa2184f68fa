"""Locust users for the load test (run by tests/perf/loadtest.py, which seeds the accounts and
writes their plan to ``LOADTEST_PLAN``).

Officials open a section of their own assessment and autosave it the way the page's script
does (the whole section, ``Accept: application/json``), each save changing one comment; every
value the server acknowledged is written to ``LOADTEST_ACKS`` at the end, so that the driver
can check none was lost. Reviewers compare three assessments, export them as CSV and ask for
a PDF report (rendered by the queue worker in the background: a 202 is an answer, not an error).
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import _rebased, section_form

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
_officials = itertools.cycle(PLAN["officials"])
_reviewers = itertools.cycle(PLAN["reviewers"])
ACKS: dict[str, str] = {}  # "assessment:field" -> the last comment the server acknowledged


def log_in(user: HttpUser, email: str) -> None:
    # A connection per request: a kept-alive connection that the server closes (gunicorn's
    # 2 s keep-alive) just as the client reuses it fails without a response, a race browsers
    # retry by themselves and requests does not.
    user.client.headers["Connection"] = "close"
    page = user.client.get("/login", name="login page").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    user.client.post("/login", data={"csrf_token": token, "email": email, "password": PLAN["password"]},
                     name="sign in", allow_redirects=False)


class Official(HttpUser):
    weight = 10
    wait_time = between(1, 3)

    def on_start(self):
        self.account = next(_officials)
        log_in(self, self.account["email"])
        self.saves = 0

    @task
    def open_and_autosave(self):
        key = random.choice(PLAN["sections"])
        path = f"/assessments/{self.account['assessment']}/sections/{key}"
        page = self.client.get(path, name="section page")
        if page.status_code != 200:
            return  # counted as a failure by Locust already
        fields = section_form(page.content)
        comment = next(name for name, _v in fields if name.endswith("-comment"))
        for _ in range(3):
            self.saves += 1
            value = f"load test {self.account['email']} {self.saves}"
            sent = [(k, value if k == comment else v) for k, v in fields]
            with self.client.post(path, data=sent, name="autosave", catch_response=True,
                                  headers={"Accept": "application/json", "X-Requested-With": "fetch"}) as r:
                if r.status_code != 200:
                    r.failure(f"autosave {r.status_code}")
                    return
                ACKS[f"{self.account['assessment']}:{comment}"] = value
                fields = _rebased(sent, r.json())


class Reviewer(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        log_in(self, next(_reviewers))

    @task(3)
    def compare(self):
        ids = random.sample(PLAN["submitted"], 3)
        self.client.get("/review/compare?" + "&".join(f"ids={i}" for i in ids), name="compare page")

    @task(2)
    def export(self):
        ids = ",".join(map(str, random.sample(PLAN["submitted"], 3)))
        self.client.get(f"/api/v1/export.csv?ids={ids}", name="export csv")

    @task(1)
    def report(self):
        with self.client.get(f"/assessments/{random.choice(PLAN['submitted'])}/report.pdf?wait=0",
                             name="report pdf", catch_response=True, allow_redirects=False) as r:
            if r.status_code in (200, 202, 303):
                r.success()


@events.test_stop.add_listener
def _write_acks(**_kwargs):
    Path(os.environ["LOADTEST_ACKS"]).write_text(json.dumps(ACKS))
