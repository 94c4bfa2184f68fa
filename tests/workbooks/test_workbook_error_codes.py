"""A refused workbook (422) names each refused cell by a machine code too: ``errors`` beside
``details`` (message by cell, unchanged), each with its cell; the parser's refusals as the
answers patch gives them, the workbook's own (a formula, a changed key...) with codes of their
own (app.workbooks.refusals.CELL_CODES, listed in openapi.yaml)."""
from __future__ import annotations

from pathlib import Path

import yaml

from app.questionnaire.answer_errors import KINDS
from app.workbooks.refusals import CELL_CODES
from tests.clients import download, fill, upload

ROOT = Path(__file__).resolve().parents[2]


def _column(wb, name):
    import openpyxl

    return openpyxl.utils.get_column_letter([c.value for c in wb["answers"][1]].index(name) + 1)


def test_each_refused_cell_has_its_code_and_cell(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"])
    wb = download(client, aid, h["ana"])
    r7 = fill(wb, "a1", level=7)
    rd = fill(wb, "a4", dont_know="perhaps")
    rk = fill(wb, "a2", key="a9", level=1)
    rf = fill(wb, "a3")
    wb["answers"][f"{_column(wb, 'level')}{rf}"] = "=1+1"
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 422
    body = r.get_json()
    level = f"answers!{_column(wb, 'level')}{r7}"
    by_cell = {e["cell"]: e for e in body["errors"]}
    assert set(by_cell) == set(body["details"])                         # one coded error per cell
    assert by_cell[level] == {"code": "level_out_of_range", "cell": level, "path": "answers.a1.level",
                              "item": "a1", "field": "level", "message": body["details"][level]}
    assert by_cell[f"answers!{_column(wb, 'dont_know')}{rd}"]["code"] == "flag_not_yes_no"
    assert by_cell[f"answers!A{rk}"] | {"message": ""} == {
        "code": "key_changed", "cell": f"answers!A{rk}", "item": "a2", "field": "key", "message": ""}
    formula = by_cell[f"answers!{_column(wb, 'level')}{rf}"]
    assert (formula["code"], formula["item"], formula["field"]) == ("formula_not_accepted", "a3", "level")


def test_codes_do_not_follow_the_language(client, people, make_assessment):
    ids, h = people
    aid = make_assessment(ids["ana"])
    wb = download(client, aid, h["ana"])
    row = fill(wb, "a1", level=7)
    r = upload(client, aid, h["ana"] | {"Accept-Language": "fr"}, wb)
    [error] = r.get_json()["errors"]
    assert error["code"] == "level_out_of_range" and error["message"] == "Choisissez un niveau de 0 à 4."
    assert error["cell"] == f"answers!{_column(wb, 'level')}{row}"


def test_openapi_lists_the_workbook_codes():
    spec = yaml.safe_load((ROOT / "app/api/openapi.yaml").read_text())
    schemas = spec["components"]["schemas"]
    assert schemas["CellError"]["properties"]["code"]["enum"] == list(KINDS) + [
        c for c in CELL_CODES if c not in KINDS]
    put = spec["paths"]["/assessments/{id}/workbook"]["put"]["responses"]["422"]
    assert put["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/WorkbookError"}
    workbook_error = schemas["WorkbookError"]
    assert workbook_error["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/CellError"}
    assert workbook_error["required"] == ["error", "details"]
