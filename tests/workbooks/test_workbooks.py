"""The workbook round trip (issue 15): download, fill in with openpyxl (or LibreOffice), upload;
merges, conflicts and refused cells, on SQLite and PostgreSQL, through the real API."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from app.extensions import db
from app.models import User
from tests.clients import answers, download, fill, upload


def column(wb, name):
    return openpyxl.utils.get_column_letter([c.value for c in wb["answers"][1]].index(name) + 1)


def listed(wb, formula):
    """The words of a drop-down list: its range in the hidden sheet _lists."""
    sheet, cells = formula.split("!")
    assert sheet == "'_lists'"
    return [row[0].value for row in wb["_lists"][cells.replace("$", "")]]


def test_the_workbook_has_the_columns_validation_hidden_columns_and_instructions(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"], {"a1": {"level": 2, "confidence": "high"}})
    wb = download(client, aid, h["ana"])
    assert wb.sheetnames[:2] == ["answers", "instructions"]
    ws = wb["answers"]
    header = [c.value for c in ws[1]]
    for name in ("key", "level", "option", "selected", "value", "dont_know", "not_applicable", "reason",
                 "confidence", "comment", "evidence_type", "evidence_reference"):
        assert name in header
    assert ws.protection.sheet
    for name in ("_key", "_fingerprint", "_cells"):
        letter = column(wb, name)
        assert ws.column_dimensions[letter].hidden
        assert ws[f"{letter}2"].protection.locked
    assert not ws[f"{column(wb, 'level')}2"].protection.locked
    rules = {(tuple(listed(wb, dv.formula1)), str(dv.sqref).split()[0][:1])
             for dv in ws.data_validations.dataValidation if dv.type == "list"}
    levels = next(values for values, col in rules if col == column(wb, "level"))
    assert [v[:4] for v in levels] == ["0 – ", "1 – ", "2 – ", "3 – ", "4 – "]
    assert (("High", "Medium", "Low"), column(wb, "confidence")) in rules
    row = fill(wb, "a1")
    assert ws[f"{column(wb, 'level')}{row}"].value.startswith("2 – ")
    assert ws[f"{column(wb, 'confidence')}{row}"].value == "High"
    assert wb["_meta"].sheet_state == "hidden" and wb["_lists"].sheet_state == "hidden"
    assert not ws.sheet_view.rightToLeft


def test_arabic_workbook_is_right_to_left_with_arabic_questions(app, client, people, make_assessment):
    ids, h = people
    with app.app_context():
        db.session.get(User, ids["ana"]).locale = "ar"
        db.session.commit()
    aid = make_assessment(ids["ana"])
    wb = download(client, aid, h["ana"])
    ws = wb["answers"]
    assert ws.sheet_view.rightToLeft and wb["instructions"].sheet_view.rightToLeft
    question = ws[f"{column(wb, 'question')}2"].value
    assert any("\u0600" <= ch <= "\u06ff" for ch in question)


def test_round_trip_saves_changed_rows_and_keeps_untouched_ones_exactly(client, people, make_assessment):
    ids, h = people
    note = "first line\nsecond line"  # a note the cells show on one line
    aid = make_assessment(ids["ana"], {"a1": {"level": 2, "evidence": [
        {"type": "law", "reference": "Act 12 of 2010", "note": note}]}, "a3": {"level": 1}})
    before = answers(client, aid, h["ana"])
    wb = download(client, aid, h["ana"])
    fill(wb, "a1", comment="=checked with the ministry")  # the evidence cells stay as they were
    fill(wb, "a2", level=3, confidence="medium", evidence_type="policy\nlaw",
         evidence_reference="National plan 2024\nAct 3")
    fill(wb, "b1", selected="crc; opsc")
    fill(wb, "c1", value="87,5")
    fill(wb, "b3", dont_know="yes")
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert sorted(body["saved"]) == ["a1", "a2", "b1", "b3", "c1"] and body["conflicts"] == []
    assert body["revision"] == 2
    now = answers(client, aid, h["ana"])
    assert now["a1"] == before["a1"] | {"comment": "=checked with the ministry"}
    assert now["a1"]["evidence"][0]["note"] == note
    assert now["a2"] == {"level": 3, "confidence": "medium", "evidence": [
        {"type": "policy", "reference": "National plan 2024", "note": ""},
        {"type": "law", "reference": "Act 3", "note": ""}]}
    assert now["a3"] == before["a3"]
    assert now["b1"] == {"selected": ["crc", "opsc"]} and now["c1"] == {"value": 87.5}
    assert now["b3"] == {"dont_know": True}
    # The same workbook again changes nothing more: what it says is stored.
    again = upload(client, aid, h["ana"], wb)
    assert again.status_code == 200 and again.get_json()["saved"] == [] and again.get_json()["revision"] == 2


def test_an_item_changed_online_since_the_download_is_a_conflict_never_overwritten(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"], {"a1": {"level": 1}, "a2": {"level": 1}})
    wb = download(client, aid, h["ana"])
    # Meanwhile Bob changes a1 and a3 online.
    r = client.patch(f"/api/v1/assessments/{aid}/answers", headers=h["bob"],
                     json={"base_revision": 1, "answers": {"a1": {"level": 4}, "a3": {"level": 2}}})
    assert r.status_code == 200
    fill(wb, "a1", level=0)       # conflict: both changed it
    fill(wb, "a2", level=3)       # nobody else touched it: saved
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["saved"] == ["a2"] and body["conflicts"] == ["a1"]
    assert body["conflict_answers"]["a1"]["online"] == {"level": 4}
    assert body["conflict_answers"]["a1"]["workbook"]["level"] == 0
    now = answers(client, aid, h["ana"])
    assert now["a1"] == {"level": 4} and now["a2"] == {"level": 3} and now["a3"] == {"level": 2}


def test_invalid_cells_refuse_the_whole_workbook_naming_each_cell(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"], {"a1": {"level": 1}})
    wb = download(client, aid, h["ana"])
    fill(wb, "a2", level=3)                                   # valid, but nothing may be saved
    r7 = fill(wb, "a1", level=7)
    rb = fill(wb, "b3", option="no-such-option")
    rn = fill(wb, "c1", value=1000)
    rd = fill(wb, "a4", dont_know="perhaps")
    rl = fill(wb, "a5", option="partly")                      # a scale item answered as a choice
    re_ = fill(wb, "a6", level=1, evidence_type="law")        # a type without its reference
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 422
    details = r.get_json()["details"]
    assert set(details) == {f"answers!{column(wb, 'level')}{r7}", f"answers!{column(wb, 'option')}{rb}",
                            f"answers!{column(wb, 'value')}{rn}", f"answers!{column(wb, 'dont_know')}{rd}",
                            f"answers!{column(wb, 'option')}{rl}", f"answers!{column(wb, 'evidence_reference')}{re_}"}
    assert "0 to 4" in details[f"answers!{column(wb, 'level')}{r7}"]
    assert answers(client, aid, h["ana"]) == {"a1": {"level": 1}}


def test_formulas_are_refused_and_text_starting_with_equals_is_text(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"])
    wb = download(client, aid, h["ana"])
    row = fill(wb, "a1")
    wb["answers"][f"{column(wb, 'level')}{row}"] = "=1+1"     # a real formula cell
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 422
    assert r.get_json()["details"] == {f"answers!{column(wb, 'level')}{row}":
                                       "Formulas are not accepted: type the value itself."}
    assert answers(client, aid, h["ana"]) == {}


def test_structural_changes_are_refused(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"])
    other = make_assessment(ids["ana"], title="Another")
    wb = download(client, aid, h["ana"])
    assert upload(client, other, h["ana"], wb).status_code == 422   # another assessment's workbook
    row = fill(wb, "a1", key="a2", level=1)
    ws = wb["answers"]
    ws.cell(row=ws.max_row + 1, column=5, value=2)                  # an added row
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 422
    assert f"answers!A{row}" in r.get_json()["details"] and f"answers!A{ws.max_row}" in r.get_json()["details"]
    ws.delete_cols(ws.max_column)                                  # the hidden _cells column
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 422 and "_cells" in r.get_json()["details"]["answers"]


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_files_that_are_not_plain_workbooks_are_refused_cleanly(app, client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"])
    buffer = io.BytesIO()
    download(client, aid, h["ana"]).save(buffer)
    good = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    cases = {
        "not a zip": (b"key,level\na1,2\n", 400),
        "empty": (b"", 400),
        "a zip that is no workbook": (_zip({"hello.txt": b"hi"}), 400),
        "broken zip": (good[: len(good) // 2], 400),
        "macros": (_zip(parts | {"xl/vbaProject.bin": b"\0" * 100}), 400),
        "zip bomb": (_zip(parts | {"xl/media/bomb.bin": b"\0" * (21 * 2**20)}), 413),
        "oversized": (good + b"\0" * (app.config["WORKBOOK_MAX_BYTES"]), 413),
    }
    for name, (data, status) in cases.items():
        r = upload(client, aid, h["ana"], data)
        assert r.status_code == status, (name, r.status_code, r.get_data(as_text=True)[:300])
        assert r.get_json()["error"], name
    assert answers(client, aid, h["ana"]) == {}


def test_who_may_download_and_upload(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"])
    buffer = io.BytesIO()
    download(client, aid, h["bob"]).save(buffer)                      # a colleague: yes
    assert client.get(f"/api/v1/assessments/{aid}/workbook.xlsx", headers=h["olga"]).status_code == 404
    assert upload(client, aid, h["olga"], buffer.getvalue()).status_code == 404
    assert client.get(f"/api/v1/assessments/{aid}/workbook.xlsx").status_code == 401
    submitted = make_assessment(ids["ana"], submit=False)
    from tests.factories import full_answers
    from app.questionnaire.catalog import catalog
    with client.application.app_context():
        q = catalog().latest("prevention-readiness")
    r = client.patch(f"/api/v1/assessments/{submitted}/answers", headers=h["ana"],
                     json={"base_revision": 0, "answers": full_answers(q)})
    assert r.status_code == 200
    assert client.post(f"/api/v1/assessments/{submitted}/submit", headers=h["ana"]).status_code == 200
    assert client.get(f"/api/v1/assessments/{submitted}/workbook.xlsx", headers=h["rita"]).status_code == 403
    assert upload(client, submitted, h["rita"], buffer.getvalue()).status_code == 403
    assert client.get(f"/api/v1/assessments/{submitted}/workbook.xlsx", headers=h["ana"]).status_code == 409
    assert upload(client, submitted, h["ana"], buffer.getvalue()).status_code == 409


def test_one_section_only(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"])
    wb = download(client, aid, h["ana"], section="s_b_law_justice")
    keys = [r[0].value for r in wb["answers"].iter_rows(min_row=2)]
    assert keys and all(k.startswith("b") for k in keys)
    assert client.get(f"/api/v1/assessments/{aid}/workbook.xlsx?section=nope", headers=h["ana"]).status_code == 400


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed "
                    "(apt-get install libreoffice-calc-nogui)")
@pytest.mark.slow  # LibreOffice
def test_a_workbook_saved_by_libreoffice_still_uploads(client, people, make_assessment, tmp_path):
    ids, h = people
    aid = make_assessment(ids["ana"], {"a1": {"level": 1, "evidence": [{"type": "law", "reference": "Act 1"}]}})
    wb = download(client, aid, h["ana"])
    fill(wb, "a2", level=4, comment="Vérifié — «ok»", evidence_type="data", evidence_reference="Survey 2025")
    fill(wb, "c1", value=42)
    fill(wb, "b1", selected="(none)")
    source = tmp_path / "filled.xlsx"
    wb.save(source)
    out = tmp_path / "out"
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    r = upload(client, aid, h["ana"], (out / "filled.xlsx").read_bytes())
    assert r.status_code == 200, r.get_json()
    assert sorted(r.get_json()["saved"]) == ["a2", "b1", "c1"]
    now = answers(client, aid, h["ana"])
    assert now["a1"] == {"level": 1, "evidence": [{"type": "law", "reference": "Act 1", "note": ""}]}
    assert now["a2"]["comment"] == "Vérifié — «ok»" and now["c1"] == {"value": 42.0}
    assert now["b1"] == {"selected": []}
