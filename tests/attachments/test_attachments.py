"""Evidence documents (issue 18): attached to an item's evidence, checked by their content,
kept outside the database behind the assessment's authorization, listed on the answers and
review pages, sent back as downloads only.  Both databases, real requests."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import AuthActions, full_answers
from tests.servers import seed_user_with_token

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _h(token):
    return {"Authorization": f"Bearer {token}"}


def _ooxml(main: str, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'<Types><Override PartName="/x" ContentType="{main}"/></Types>')
        z.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


DOCX = _ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


@pytest.fixture
def world(app, client):
    _, org_token = seed_user_with_token(app, "official@gov.example", "respondent", "Ministry")
    _, other_token = seed_user_with_token(app, "other@ngo.example", "respondent", "Other org")
    _, reviewer_token = seed_user_with_token(app, "reviewer@un.example", "reviewer", "UN")
    questionnaire = app.extensions["catalog"].latest("prevention-readiness")
    r = client.post("/api/v1/assessments", headers=_h(org_token), json={
        "questionnaire": questionnaire.id, "version": questionnaire.version, "jurisdiction": "KE",
        "period": "2026", "title": "With documents"})
    aid = r.get_json()["id"]
    return {"aid": aid, "org": org_token, "other": other_token, "reviewer": reviewer_token,
            "q": questionnaire, "key": questionnaire.scored_items[0].key}


def multipart(fields: dict) -> tuple[bytes, str]:
    # Encoded in memory: the test client would spool a large body to a temporary file it
    # never closes.
    boundary, body = encode_multipart(fields)
    return body, f"multipart/form-data; boundary={boundary}"


def upload(client, world, data, name="law.pdf", item=None, token=None):
    body, ctype = multipart({"item": item or world["key"], "file": FileStorage(io.BytesIO(data), name)})
    return client.post(f"/api/v1/assessments/{world['aid']}/attachments", headers=_h(token or world["org"]),
                       data=body, content_type=ctype)


def test_a_document_is_kept_by_content_and_sent_back_as_a_download(app, client, world):
    r = upload(client, world, PDF, name="../../etc/Loi n°5.exe")
    assert r.status_code == 201, r.get_json()
    doc = r.get_json()
    assert doc["media_type"] == "application/pdf" and doc["filename"] == "Loi n°5.pdf"
    assert doc["size"] == len(PDF) and len(doc["sha256"]) == 64
    stored = list(Path(app.config["ATTACHMENT_DIR"]).rglob("*"))
    assert any(p.name == doc["sha256"] for p in stored)          # named by its digest, not by the user
    got = client.get(doc["url"], headers=_h(world["org"]))
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in got.headers["Content-Security-Policy"]
    listed = client.get(f"/api/v1/assessments/{world['aid']}/attachments", headers=_h(world["org"])).get_json()
    assert [d["id"] for d in listed["items"]] == [doc["id"]]
    assert upload(client, world, DOCX, name="plan.docx").get_json()["filename"] == "plan.docx"
    assert upload(client, world, PNG, name="chart.png").get_json()["media_type"] == "image/png"


@pytest.mark.parametrize("data, name, needle", [
    (b"<html><script>alert(1)</script></html>", "evidence.pdf", "cannot be attached"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.png", "cannot be attached"),
    (b"MZ\x90\x00" + b"\x00" * 100, "report.docx", "cannot be attached"),
    (_ooxml("application/vnd.ms-excel.sheet.macroEnabled.main+xml"), "budget.xlsx", "macros"),
    (_ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            {"word/vbaProject.bin": b"x"}), "plan.docx", "macros"),
    (b"PK\x03\x04garbage", "plan.docx", "damaged"),
    (b"", "empty.pdf", "empty"),
])
def test_files_are_judged_by_their_content_not_their_name(app, client, world, data, name, needle):
    r = upload(client, world, data, name=name)
    assert r.status_code == 422, r.get_json()
    assert needle in r.get_json()["error"]
    assert client.get(f"/api/v1/assessments/{world['aid']}/attachments",
                      headers=_h(world["org"])).get_json()["items"] == []


def test_a_zip_bomb_is_refused_before_it_is_inflated(app, client, world):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * (30 * 1024 * 1024))
    r = upload(client, world, buf.getvalue(), name="plan.docx")
    assert r.status_code == 422 and "expand" in r.get_json()["error"]


def test_the_same_document_twice_on_one_question_is_refused(app, client, world):
    assert upload(client, world, PDF).status_code == 201
    again = upload(client, world, PDF, name="copy.pdf")
    assert again.status_code == 422
    assert again.get_json()["error"] == "This document is already attached to this question."
    other_item = world["q"].scored_items[1].key
    assert upload(client, world, PDF, item=other_item).status_code == 201  # evidence for another question
    listed = client.get(f"/api/v1/assessments/{world['aid']}/attachments", headers=_h(world["org"])).get_json()
    assert len(listed["items"]) == 2


def test_size_limits_and_unknown_items(app, client, world):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    r = upload(client, world, PDF + b"x" * 2000)
    assert r.status_code == 413
    app.config["ATTACHMENT_MAX_BYTES"] = 10 * 1024 * 1024
    big = PDF + b"x" * (3 * 1024 * 1024)               # over the app's 2 MB request limit: this route allows more
    assert upload(client, world, big).status_code == 201
    app.config["ATTACHMENT_MAX_TOTAL_BYTES"] = 4 * 1024 * 1024
    assert "exceed" in upload(client, world, big + b"y").get_json()["error"]
    assert upload(client, world, PDF, item="zz99").status_code == 422


def test_only_who_may_see_the_assessment_sees_its_documents(app, client, world):
    doc = upload(client, world, PDF).get_json()
    # Another organisation: the assessment and its documents do not exist for it.
    assert client.get(doc["url"], headers=_h(world["other"])).status_code == 404
    assert upload(client, world, PDF, token=world["other"]).status_code == 404
    # A reviewer: nothing while it is a draft; read-only once submitted.
    assert client.get(doc["url"], headers=_h(world["reviewer"])).status_code == 404
    answers = full_answers(world["q"])
    assert client.patch(f"/api/v1/assessments/{world['aid']}/answers", headers=_h(world["org"]),
                        json={"base_revision": 0, "answers": answers}).status_code == 200
    assert client.post(f"/api/v1/assessments/{world['aid']}/submit", headers=_h(world["org"])).status_code == 200
    assert client.get(doc["url"], headers=_h(world["reviewer"])).data == PDF
    assert upload(client, world, PDF, token=world["reviewer"]).status_code == 403
    assert client.delete(doc["url"], headers=_h(world["reviewer"])).status_code == 403
    # Submitted: the organisation cannot change its documents either.
    assert upload(client, world, PDF).status_code == 409


def test_a_reviewer_of_a_returned_assessment_sees_the_documents_it_was_submitted_with(app, client, world):
    kept = upload(client, world, PDF, name="kept.pdf").get_json()
    dropped = upload(client, world, PNG, name="dropped.png").get_json()
    answers = full_answers(world["q"])
    client.patch(f"/api/v1/assessments/{world['aid']}/answers", headers=_h(world["org"]),
                 json={"base_revision": 0, "answers": answers})
    assert client.post(f"/api/v1/assessments/{world['aid']}/submit", headers=_h(world["org"])).status_code == 200
    for action, body in (("start", {}), ("return", {"reason": "More evidence please."})):
        assert client.post(f"/api/v1/assessments/{world['aid']}/review", headers=_h(world["reviewer"]),
                           json={"action": action} | body).status_code == 200
    assert client.delete(dropped["url"], headers=_h(world["org"])).status_code == 204
    added = upload(client, world, DOCX, name="new.docx").get_json()

    def names(token):
        return {d["filename"] for d in client.get(f"/api/v1/assessments/{world['aid']}/attachments",
                                                  headers=_h(token)).get_json()["items"]}

    assert names(world["org"]) == {"kept.pdf", "new.docx"}
    assert names(world["reviewer"]) == {"kept.pdf", "dropped.png"}
    assert client.get(added["url"], headers=_h(world["reviewer"])).status_code == 404
    assert client.get(kept["url"], headers=_h(world["reviewer"])).status_code == 200

    # The review page lists what the reviewer may open.
    reviewer = app.test_client()
    AuthActions(reviewer).login("reviewer@un.example", "a-long-test-passphrase-9")
    page = reviewer.get(f"/review/assessments/{world['aid']}").get_data(as_text=True)
    assert "kept.pdf" in page and "dropped.png" in page and "new.docx" not in page


def test_the_page_attaches_lists_and_removes(app, client, world):
    page = app.test_client()
    AuthActions(page).login("official@gov.example", "a-long-test-passphrase-9")
    app.config["WTF_CSRF_ENABLED"] = False
    r = page.post(f"/assessments/{world['aid']}/attachments", content_type="multipart/form-data",
                  data={"item": world["key"], "file": (io.BytesIO(b"<html>"), "x.pdf")})
    assert r.status_code == 422 and "cannot be attached" in r.get_data(as_text=True)
    r = page.post(f"/assessments/{world['aid']}/attachments", content_type="multipart/form-data",
                  data={"item": world["key"], "file": (io.BytesIO(PDF), "<img src=x onerror=alert(1)>Act.pdf")})
    assert r.status_code == 303
    html = page.get(f"/assessments/{world['aid']}/attachments").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;Act.pdf" in html and "<img src=x" not in html
    answers = page.get(f"/assessments/{world['aid']}/answers").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;Act.pdf" in answers
    doc = client.get(f"/api/v1/assessments/{world['aid']}/attachments", headers=_h(world["org"])).get_json()["items"][0]
    assert page.post(f"/assessments/{world['aid']}/attachments/{doc['id']}/remove").status_code == 303
    assert "No document is attached yet" in page.get(f"/assessments/{world['aid']}/attachments").get_data(as_text=True)


def test_the_gap_report_lists_the_documents_with_their_fingerprints(app, client, world):
    """The annex names each document the viewer may open with its SHA-256; the PDF never
    embeds the file (rendered from the report's HTML through the test client's API download)."""
    doc = upload(client, world, PDF, name="Plan d'action <2025>.pdf").get_json()
    with app.app_context():
        from app.extensions import db
        from app.models import Assessment, User
        from app.reports import gather
        from app.reports.render import render_html

        assessment = db.session.get(Assessment, world["aid"])
        viewer = db.session.scalar(db.select(User).where(User.email == "official@gov.example"))
        html = render_html(gather(assessment, "gap", "en", viewer=viewer).context())
    assert "Annex: evidence documents" in html and doc["sha256"] in html
    assert "Plan d&#39;action &lt;2025&gt;.pdf" in html and "<2025>" not in html
    assert "data:application/pdf" not in html


def test_after_an_upload_the_page_keeps_the_question_chosen(app, world):
    """QA pass: the question list went back to the first question after each upload."""
    page = app.test_client()
    AuthActions(page).login("official@gov.example", "a-long-test-passphrase-9")
    app.config["WTF_CSRF_ENABLED"] = False
    html = page.get(f"/assessments/{world['aid']}/attachments").get_data(as_text=True)
    keys = re.findall(r'<option value="([^"]+)"', html.split('id="attach-item"', 1)[1].split("</select>", 1)[0])
    chosen = keys[-1]
    assert len(keys) > 1 and chosen != keys[0]
    r = page.post(f"/assessments/{world['aid']}/attachments", content_type="multipart/form-data",
                  data={"item": chosen, "file": (io.BytesIO(PDF), "later.pdf")})
    assert r.status_code == 303
    after = page.get(r.headers["Location"]).get_data(as_text=True)
    assert re.findall(r'<option value="([^"]+)" selected>', after) == [chosen]
