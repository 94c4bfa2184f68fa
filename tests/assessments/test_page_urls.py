"""URLs built once (issue 14): the section list's (app.assessments.rendering.page_urls, a
stand-in id cut out), the page shell's (app.urls: static files with their fingerprint, routes
without values) are the very URLs url_for builds, under any script root; a changed static
file gets its new fingerprint at once."""
from __future__ import annotations

import os

import pytest
from flask import url_for

from app import urls
from app.assessments.rendering import _STAND_IN, page_urls


def expected(q, assessment_id):
    return (url_for("assessments.overview", assessment_id=assessment_id),
            {s.key: url_for("assessments.section", assessment_id=assessment_id, section_key=s.key)
             for s in q.sections})


@pytest.mark.parametrize("root", ["", "/readiness", f"/x{_STAND_IN}"])
def test_page_urls_are_url_for_under_any_script_root(app, root):
    q = app.extensions["catalog"].latest("prevention-readiness")
    for _ in range(2):  # built, then kept
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for assessment_id in (1, 42, 2_000_000_000):
                got = page_urls(q, assessment_id)
                assert (got.overview, got.sections) == expected(q, assessment_id)


def test_shell_urls_are_url_for_and_follow_a_changed_file(app, tmp_path):
    with app.test_request_context("/", base_url="http://localhost/sub/"):
        for endpoint in ("main.home", "auth.login", "assessments.index", "contributors.tasks", "auth.logout"):
            assert urls.fixed_url(endpoint) == urls.fixed_url(endpoint) == url_for(endpoint)
        assert urls.static_url("css/app.css") == url_for("static", filename="css/app.css")
        assert urls.static_url("css/app.css").startswith("/sub/static/css/app.css?v=")
    app.static_folder = str(tmp_path)
    sheet = tmp_path / "a.css"
    sheet.write_text("a { color: red }")
    with app.test_request_context("/"):
        first = urls.static_url("a.css")
        sheet.write_text("a { color: blue }")
        os.utime(sheet, (1, 1))
        assert urls.static_url("a.css") != first and urls.static_url("a.css") == url_for("static", filename="a.css")
        assert urls.static_url("missing.css") == url_for("static", filename="missing.css")
