"""Exports read back with csv and openpyxl: one row per assessment and item, a scores
sheet, comments and history, questionnaire version and review status, and no cell a
spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from app.review import export
from tests.factories import LATEST, clone_submitted, count_queries, full_answers, questionnaire

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
NASTY_TITLE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def selection(app, client, make_assessment, world):
    """The two 2025 assessments, with comments and a started review, and a third whose
    texts try formula injection."""
    q = questionnaire(app)
    nasty = make_assessment(world.gov, full_answers(q, 3) | {
        "a1": {"level": 1, "comment": "@SUM(A1:A9)"},
        "b6": {"not_applicable": True, "reason": "-2+3 no such sector"},
        "a2": {"level": 2, "evidence": [{"type": "law", "reference": "+cmd|' /C calc'!A0", "note": ""}]},
    }, submit=True, period="2025", title=NASTY_TITLE)
    h = world.headers("reviewer")
    client.post(f"/api/v1/assessments/{world.gov_submitted}/review", json={"action": "start"}, headers=h)
    client.post(f"/api/v1/assessments/{world.gov_submitted}/comments",
                json={"item": "a1", "text": "Where is the data for level 4?"}, headers=h)
    client.post(f"/api/v1/assessments/{world.gov_submitted}/comments",
                json={"item": None, "text": "=1+1 overall remark"}, headers=h)
    return [world.gov_submitted, world.ngo_submitted, nasty]


def _csv(client, world, ids, sheet=None):
    url = f"/api/v1/export.csv?ids={','.join(map(str, ids))}" + (f"&sheet={sheet}" if sheet else "")
    r = client.get(url, headers=world.headers("reviewer"))
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    text = r.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_answers_one_row_per_assessment_and_item(app, client, world, selection):
    rows = _csv(client, world, selection)
    header, body = rows[0], rows[1:]
    assert tuple(header) == export.ANSWER_COLUMNS
    q = questionnaire(app)
    assert len(body) == 3 * len(q.items)
    col = {name: i for i, name in enumerate(header)}
    by = {(int(r[col["assessment_id"]]), r[col["item_key"]]): r for r in body}
    gov_a1 = by[(world.gov_submitted, "a1")]
    assert gov_a1[col["questionnaire"]] == "prevention-readiness" and gov_a1[col["questionnaire_version"]] == LATEST
    assert gov_a1[col["review_status"]] == "in_review" and gov_a1[col["submission"]] == "1"
    assert gov_a1[col["answer"]] == "4" and gov_a1[col["claimed_level"]] == "4.0"
    assert gov_a1[col["effective_level"]] == "4.0" and gov_a1[col["item_score"]] == "1.0"
    assert gov_a1[col["evidence"]] == "data: CPIMS report 2025"
    assert "Where is the data for level 4?" in gov_a1[col["reviewer_comments"]]
    ngo_a2 = by[(world.ngo_submitted, "a2")]
    assert ngo_a2[col["dont_know"]] == "true" and ngo_a2[col["answer"]] == ""
    assert by[(world.ngo_submitted, "a1")][col["review_status"]] == "submitted"
    assert by[(world.gov_submitted, "b1")][col["item_type"]] == "checklist"
    # formula injection: prefixed with a quote, everywhere
    nasty = selection[2]
    assert by[(nasty, "a1")][col["title"]] == "'" + NASTY_TITLE
    assert by[(nasty, "a1")][col["respondent_comment"]] == "'@SUM(A1:A9)"
    assert by[(nasty, "b6")][col["na_reason"]] == "'-2+3 no such sector"
    assert by[(nasty, "a2")][col["evidence"]] == "law: +cmd|' /C calc'!A0"    # not at the start: harmless
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS), cell


def test_csv_scores_comments_history(app, client, world, selection):
    from app.extensions import db
    from app.models import Assessment

    rows = _csv(client, world, selection, "scores")
    header = rows[0]
    col = {name: i for i, name in enumerate(header)}
    assert len(rows) == 4 and "area_i_score" in col and "layer_tertiary_band" in col
    with app.app_context():
        stored = db.session.get(Assessment, world.gov_submitted).score
    gov = next(r for r in rows[1:] if r[0] == str(world.gov_submitted))
    # issue 18: rounded as the pages show them, the unrounded value beside, labels beside codes
    assert float(gov[col["overall_score_raw"]]) == pytest.approx(stored["overall"]["score"])
    assert gov[col["overall_score"]] == str(round(stored["overall"]["score"], 1))
    assert float(gov[col["area_c_score_raw"]]) == pytest.approx(stored["areas"]["c"]["score"])
    assert float(gov[col["area_c_score"]]) == round(stored["areas"]["c"]["score"], 1)
    assert gov[col["overall_band"]] == stored["overall"]["band"]
    assert gov[col["overall_band_label"]] == stored["overall"]["band"].capitalize()
    assert gov[col["organisation_kind_label"]] == "Government" and gov[col["review_status_label"]] == "In review"
    assert gov[col["assessment_comments"]].endswith("=1+1 overall remark")
    comments = _csv(client, world, selection, "comments")
    assert tuple(comments[0]) == export.COMMENT_COLUMNS and len(comments) == 3
    assert [c[1] for c in comments[1:]] == ["a1", ""]
    assert comments[2][-1] == "'=1+1 overall remark"
    history = _csv(client, world, selection, "history")
    actions = [(h[0], h[2]) for h in history[1:]]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", history[1][1])     # no microseconds, no "T"
    assert (str(world.gov_submitted), "start") in actions and (str(world.ngo_submitted), "submit") in actions


def test_xlsx_reads_back(app, client, world, selection):
    r = client.get(f"/api/v1/export.xlsx?ids={','.join(map(str, selection))}", headers=world.headers("reviewer"))
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(r.get_data()))
    assert wb.sheetnames == ["answers", "scores", "comments", "history", "codebook"]
    for ws in wb.worksheets:    # a filter row over the whole sheet, and set column widths
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    assert wb["answers"].column_dimensions["A"].width >= 10
    answers = list(wb["answers"].iter_rows(values_only=True))
    assert tuple(answers[0]) == export.ANSWER_COLUMNS
    assert len(answers) == 1 + 3 * len(questionnaire(app).items)
    col = {name: i for i, name in enumerate(answers[0])}
    gov_a1 = next(row for row in answers[1:] if row[0] == world.gov_submitted and row[col["item_key"]] == "a1")
    assert gov_a1[col["claimed_level"]] == 4 and gov_a1[col["item_score"]] == 1   # numbers stay numbers
    assert gov_a1[col["questionnaire_version"]] == LATEST and gov_a1[col["review_status"]] == "in_review"
    nasty = next(row for row in answers[1:] if row[0] == selection[2])
    assert nasty[col["title"]] == NASTY_TITLE       # kept as text, never a formula
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    scores = list(wb["scores"].iter_rows(values_only=True))
    assert len(scores) == 4 and scores[0][:3] == ("assessment_id", "title", "organisation")
    comments = list(wb["comments"].iter_rows(values_only=True))
    assert comments[-1][-1] == "=1+1 overall remark"
    assert isinstance(comments[1][3], datetime) and comments[1][3].microsecond == 0


def test_the_codebook_says_what_every_item_key_means(app, client, world, selection):
    """Issue 18: no question text or codebook, internal codes only."""
    rows = _csv(client, world, selection, "codebook")
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    q = questionnaire(app)
    assert len(body) == len(q.items)           # one questionnaire version in the selection
    a1 = next(r for r in body if r[col["item_key"]] == "a1")
    assert a1[col["question"]] == q.item_map["a1"].prompt["en"] and a1[col["item_type"]] == "scale"
    assert a1[col["options"]].startswith("0 = ") and "(0.25)" in a1[col["options"]]
    assert a1[col["areas"]] == " ".join(q.item_map["a1"].areas) and a1[col["scored"]] == "true"
    checklist = next(i for i in q.items if i.type == "checklist")
    options = next(r for r in body if r[col["item_key"]] == checklist.key)[col["options"]]
    assert options.count(" = ") == len(checklist.options)
    # the answers sheet carries the question and the answer's words beside the codes
    answers = _csv(client, world, selection)
    acol = {name: i for i, name in enumerate(answers[0])}
    gov_a1 = next(r for r in answers[1:] if r[0] == str(world.gov_submitted) and r[acol["item_key"]] == "a1")
    assert gov_a1[acol["question"]] == a1[col["question"]] and gov_a1[acol["answer_label"]].startswith("Level 4: ")


def test_export_rules(client, world):
    h = world.headers("reviewer")
    assert client.get(f"/api/v1/export.csv?ids={world.gov_submitted}&sheet=bogus", headers=h).status_code == 422
    assert client.get("/api/v1/export.csv?ids=", headers=h).status_code == 422
    assert client.get(f"/api/v1/export.csv?ids={world.gov_draft}", headers=h).status_code == 404
    assert client.get(f"/api/v1/export.xlsx?ids={world.ngo_submitted}", headers=world.headers("gov")).status_code == 404
    many = ",".join(str(i) for i in range(1, 202))
    assert client.get(f"/api/v1/export.csv?ids={many}", headers=h).status_code == 422
    assert client.get(f"/api/v1/export.csv?ids={world.gov_submitted}").status_code == 401
    # an organisation exports its own, draft included
    assert client.get(f"/api/v1/export.csv?ids={world.gov_draft}", headers=world.headers("gov")).status_code == 200


def test_export_takes_the_same_number_of_queries_for_2_and_30(app, client, world):
    ids = [world.gov_submitted, world.ngo_submitted] + clone_submitted(app, world.ngo_submitted, 28)
    h = world.headers("reviewer")
    client.get(f"/api/v1/export.xlsx?ids={ids[0]}", headers=h)
    counts = []
    for n in (2, 30):
        with count_queries(app) as statements:
            assert client.get(f"/api/v1/export.xlsx?ids={','.join(map(str, ids[:n]))}", headers=h).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_csv_safe_unit():
    assert export.csv_safe("=1") == "'=1" and export.csv_safe("+1") == "'+1"
    assert export.csv_safe("-1") == "'-1" and export.csv_safe("@x") == "'@x"
    assert export.csv_safe("\tx") == "'\tx" and export.csv_safe("a=b") == "a=b"
    assert export.csv_safe(-1.5) == -1.5 and export.csv_safe(None) is None
    assert export.to_csv(["a", "b"], [[True, None], ["=x", 2.5]]).splitlines() == ["a,b", "true,", "'=x,2.5"]
