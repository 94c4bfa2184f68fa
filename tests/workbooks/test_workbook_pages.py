"""The workbook page (issue 15): upload through the browser form, conflicts shown side by side
and resolved by the person, cell errors listed; on both databases."""
from __future__ import annotations

import io
import re

import pytest

from tests.clients import answers, download, fill
from tests.factories import csrf_token


def _bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _post_file(client, aid, data: bytes):
    token = csrf_token(client, f"/assessments/{aid}/workbook")
    return client.post(f"/assessments/{aid}/workbook", content_type="multipart/form-data",
                       data={"csrf_token": token, "workbook": (io.BytesIO(data), "filled.xlsx")})


def test_upload_page_shows_conflicts_side_by_side_and_saves_the_chosen_version(client, auth, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"], {"a1": {"level": 1}, "a2": {"level": 1}})
    auth.login("ana@a.example")
    overview = client.get(f"/assessments/{aid}").get_data(as_text=True)
    assert f"/assessments/{aid}/workbook" in overview
    page = client.get(f"/assessments/{aid}/workbook").get_data(as_text=True)
    assert f"/api/v1/assessments/{aid}/workbook.xlsx" in page
    wb = download(client, aid, {})                        # with the session cookie
    bob = client.application.test_client()                # Bob, online, meanwhile
    assert bob.patch(f"/api/v1/assessments/{aid}/answers", headers=h["bob"], json={
        "base_revision": 1, "answers": {"a1": {"level": 4}, "a2": {"level": 4}}}).status_code == 200
    fill(wb, "a1", level=0, comment="from the workbook")
    fill(wb, "a2", level=2)
    fill(wb, "a3", level=3)
    r = _post_file(client, aid, _bytes(wb))
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'name="keep-a1"' in html and 'name="keep-a2"' in html and "keep-a3" not in html
    assert "Level 4" in html and "Level 0" in html
    assert answers(client, aid, h["ana"])["a3"] == {"level": 3}
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form = {"csrf_token": token, "keep-a1": "workbook", "keep-a2": "online"}
    for key in ("a1", "a2"):
        form[f"answer-{key}"] = re.search(rf'name="answer-{key}" value="([^"]+)"', html).group(1).replace("&#34;", '"')
        form[f"base-{key}"] = re.search(rf'name="base-{key}" value="([^"]+)"', html).group(1)
    # Bob changes a1 yet again before the choice is saved: shown again, nothing overwritten.
    assert bob.patch(f"/api/v1/assessments/{aid}/answers", headers=h["bob"], json={
        "base_revision": 3, "answers": {"a1": {"level": 3}}}).status_code == 200
    r = client.post(f"/assessments/{aid}/workbook/resolve", data=form)
    assert r.status_code == 409 and "Level 3" in r.get_data(as_text=True)
    assert answers(client, aid, h["ana"])["a1"] == {"level": 3}
    html = r.get_data(as_text=True)
    form["base-a1"] = re.search(r'name="base-a1" value="([^"]+)"', html).group(1)
    form["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post(f"/assessments/{aid}/workbook/resolve", data=form)
    assert r.status_code == 303
    now = answers(client, aid, h["ana"])
    assert now["a1"] == {"level": 0, "comment": "from the workbook"} and now["a2"] == {"level": 4}


def test_upload_page_lists_refused_cells_and_files(client, auth, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"])
    auth.login("ana@a.example")
    wb = download(client, aid, {})
    row = fill(wb, "a1", level=9)
    r = _post_file(client, aid, _bytes(wb))
    assert r.status_code == 422
    assert f"answers!E{row}" in r.get_data(as_text=True)
    r = _post_file(client, aid, b"not a workbook")
    assert r.status_code == 400 and "not an Excel workbook" in r.get_data(as_text=True)
    assert answers(client, aid, h["ana"]) == {}


@pytest.mark.parametrize("who,status", [("rita@un.example", 404), ("olga@b.example", 404)])
def test_the_page_is_for_who_may_change_the_answers(client, auth, people, make_assessment, who, status):
    ids, _h = people
    aid = make_assessment(ids["ana"])
    auth.login(who)
    assert client.get(f"/assessments/{aid}/workbook").status_code == status


def test_a_workbook_with_nothing_changed_says_so(client, auth, people, make_assessment):
    """Uploading the workbook as downloaded said "0 answers saved from the workbook.", as if
    something had failed; it says that nothing in it differs."""
    ids, _h = people
    aid = make_assessment(ids["ana"], {"a1": {"level": 1}})
    auth.login("ana@a.example")
    r = _post_file(client, aid, _bytes(download(client, aid, {})))
    assert r.status_code == 303
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "0 answers saved" not in page
    assert "No answer in the workbook differs from the answers it was downloaded with: nothing to save." in page
