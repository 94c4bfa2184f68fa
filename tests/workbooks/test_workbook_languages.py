"""The workbook's drop-down lists in the workbook's language, read back as codes: a French or
Arabic workbook filled in with the words its lists offer saves the right codes; codes (a
workbook downloaded before the lists were translated, or typed by hand) still read; an unknown
word is refused naming its cell, nothing saved."""
from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest

from app.extensions import db
from app.models import User
from tests.clients import answers, download, fill, upload


def column(wb, name):
    return openpyxl.utils.get_column_letter([c.value for c in wb["answers"][1]].index(name) + 1)


def row_of(wb, key):
    ws = wb["answers"]
    letter = column(wb, "_key")
    return next(r for r in range(2, ws.max_row + 1) if ws[f"{letter}{r}"].value == key)


def offered(wb, key, name):
    """The words the drop-down of ``name`` offers in the row of ``key``."""
    ws = wb["answers"]
    ref = f"{column(wb, name)}{row_of(wb, key)}"
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and ref in {str(r) for r in dv.sqref.ranges} | _expanded(dv):
            sheet, cells = dv.formula1.split("!")
            assert sheet == "'_lists'"
            return [r[0].value for r in wb["_lists"][cells.replace("$", "")]]
    raise AssertionError(f"no list at {ref}")


def _expanded(dv):
    out = set()
    for rng in dv.sqref.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            out.add(f"{openpyxl.utils.get_column_letter(rng.min_col)}{row}")
    return out


def set_locale(app, uid, lang):
    with app.app_context():
        db.session.get(User, uid).locale = lang
        db.session.commit()


def test_a_french_workbook_offers_french_words_and_saves_codes(app, client, people, make_assessment):
    ids, h = people
    set_locale(app, ids["ana"], "fr")
    aid = make_assessment(ids["ana"], {"a1": {"level": 2, "confidence": "high", "evidence": [
        {"type": "law", "reference": "Loi 12", "note": ""}]}, "b3": {"option": "partial"}})
    wb = download(client, aid, h["ana"])
    ws = wb["answers"]
    assert dict(wb["_meta"].iter_rows(values_only=True))["language"] == "fr"
    assert offered(wb, "a2", "confidence") == ["Élevé", "Moyen", "Faible"]
    assert offered(wb, "b3", "dont_know") == ["oui", "non"]
    assert "Loi" in offered(wb, "a2", "evidence_type")
    levels = offered(wb, "a2", "level")
    assert [v[:4] for v in levels] == ["0 – ", "1 – ", "2 – ", "3 – ", "4 – "]
    # What was stored is written in French too, and left alone it changes nothing.
    a1 = row_of(wb, "a1")
    assert ws[f"{column(wb, 'level')}{a1}"].value == offered(wb, "a1", "level")[2]
    assert ws[f"{column(wb, 'evidence_type')}{a1}"].value == "Loi"
    assert ws[f"{column(wb, 'confidence')}{a1}"].value == offered(wb, "a1", "confidence")[0]
    assert ws[f"{column(wb, 'option')}{row_of(wb, 'b3')}"].value == offered(wb, "b3", "option")[1]
    assert ws[f"{column(wb, 'level')}1"].comment.text == "Niveau"
    untouched = upload(client, aid, h["ana"], wb)
    assert untouched.status_code == 200 and untouched.get_json()["saved"] == []
    # Filled with the words of the lists: saved as codes, even by someone reading in English.
    fill(wb, "a2", level=levels[3], confidence=offered(wb, "a2", "confidence")[1],
         evidence_type="\n".join(offered(wb, "a2", "evidence_type")[:2]), evidence_reference="Loi 1\nPlan 2")
    fill(wb, "b3", option=offered(wb, "b3", "option")[0])
    fill(wb, "b4", dont_know="Ne sait pas")  # the column's own name says yes too
    fill(wb, "b6", not_applicable="oui", reason="Pas de tribunal pour enfants")
    set_locale(app, ids["ana"], "en")
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 200, r.get_json()
    assert sorted(r.get_json()["saved"]) == ["a2", "b3", "b4", "b6"]
    now = answers(client, aid, h["ana"])
    assert now["a2"] == {"level": 3, "confidence": "medium", "evidence": [
        {"type": "law", "reference": "Loi 1", "note": ""}, {"type": "policy", "reference": "Plan 2", "note": ""}]}
    assert now["b3"] == {"option": "all_under_18"} and now["b4"] == {"dont_know": True}
    assert now["b6"] == {"not_applicable": True, "reason": "Pas de tribunal pour enfants"}


def test_an_arabic_workbook_is_right_to_left_and_its_arabic_words_save_codes(app, client, people, make_assessment):
    ids, h = people
    set_locale(app, ids["ana"], "ar")
    aid = make_assessment(ids["ana"])
    wb = download(client, aid, h["ana"])
    assert wb["answers"].sheet_view.rightToLeft and wb["instructions"].sheet_view.rightToLeft
    arabic = offered(wb, "a1", "confidence") + offered(wb, "b3", "option") + offered(wb, "b4", "dont_know")
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in word) for word in arabic), arabic
    fill(wb, "a1", level=offered(wb, "a1", "level")[4], confidence=offered(wb, "a1", "confidence")[2],
         evidence_type=offered(wb, "a1", "evidence_type")[3], evidence_reference="مسح 2025")
    fill(wb, "b3", option=offered(wb, "b3", "option")[2])
    fill(wb, "b4", dont_know=offered(wb, "b4", "dont_know")[0])
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 200, r.get_json()
    now = answers(client, aid, h["ana"])
    assert now["a1"] == {"level": 4, "confidence": "low",
                         "evidence": [{"type": "data", "reference": "مسح 2025", "note": ""}]}
    assert now["b3"] == {"option": "below_18"} and now["b4"] == {"dont_know": True}


def test_codes_and_english_words_still_read_in_a_french_workbook(app, client, people, make_assessment):
    """A workbook downloaded before the lists were translated holds codes; a person may also
    type them by hand, or paste English words."""
    ids, h = people
    set_locale(app, ids["ana"], "fr")
    aid = make_assessment(ids["ana"])
    wb = download(client, aid, h["ana"])
    fill(wb, "a1", level=2, confidence="high", evidence_type="law\nexpert_judgement",
         evidence_reference="Act 1\nPanel")
    fill(wb, "a2", level="3", confidence="Medium", evidence_type="Policy, plan or strategy",
         evidence_reference="Plan")
    fill(wb, "b1", selected="crc; opsc")
    fill(wb, "b3", option="partial")
    fill(wb, "b4", dont_know="yes")
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 200, r.get_json()
    now = answers(client, aid, h["ana"])
    assert now["a1"] == {"level": 2, "confidence": "high", "evidence": [
        {"type": "law", "reference": "Act 1", "note": ""},
        {"type": "expert_judgement", "reference": "Panel", "note": ""}]}
    assert now["a2"]["level"] == 3 and now["a2"]["confidence"] == "medium"
    assert now["a2"]["evidence"][0]["type"] == "policy"
    assert now["b1"] == {"selected": ["crc", "opsc"]} and now["b3"] == {"option": "partial"}
    assert now["b4"] == {"dont_know": True}


def test_an_english_code_workbook_without_lists_still_uploads(app, client, people, make_assessment):
    """As the workbook of the earlier format was: codes in the cells, no _lists sheet."""
    ids, h = people
    aid = make_assessment(ids["ana"], {"a1": {"level": 1, "confidence": "low"}})
    wb = download(client, aid, h["ana"])
    ws = wb["answers"]
    for dv in list(ws.data_validations.dataValidation):
        ws.data_validations.dataValidation.remove(dv)
    del wb["_lists"]
    fill(wb, "a1", level=3, confidence="high")
    fill(wb, "c2", option="fees")
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 200, r.get_json()
    now = answers(client, aid, h["ana"])
    assert now["a1"] == {"level": 3, "confidence": "high"} and now["c2"] == {"option": "fees"}


def test_an_unknown_word_is_refused_naming_its_cell_and_nothing_is_saved(app, client, people, make_assessment):
    ids, h = people
    set_locale(app, ids["ana"], "fr")
    aid = make_assessment(ids["ana"], {"a1": {"level": 1}})
    wb = download(client, aid, h["ana"])
    fill(wb, "a2", level=offered(wb, "a2", "level")[3])          # valid, but nothing may be saved
    ro = fill(wb, "b3", option="Peut-être")
    rc = fill(wb, "a3", level=1, confidence="Très élevée")
    re_ = fill(wb, "a4", level=1, evidence_type="Rumeur", evidence_reference="x")
    rl = fill(wb, "a5", level="cinq – excellent")
    rd = fill(wb, "a6", dont_know="peut-être")
    r = upload(client, aid, h["ana"], wb)
    assert r.status_code == 422
    body = r.get_json()
    details = body["details"]
    assert set(details) == {f"answers!{column(wb, 'option')}{ro}", f"answers!{column(wb, 'confidence')}{rc}",
                            f"answers!{column(wb, 'evidence_type')}{re_}", f"answers!{column(wb, 'level')}{rl}",
                            f"answers!{column(wb, 'dont_know')}{rd}"}
    assert body["error"] == "Certaines cellules du classeur ne sont pas valides\u00a0; rien n'a été enregistré."
    assert answers(client, aid, h["ana"]) == {"a1": {"level": 1}}


def test_words_and_levels_read_back():
    from app.workbooks.vocabulary import Reader, shorten

    assert Reader.level("3 – Un système national") == 3 and Reader.level(" 2 ") == 2
    assert Reader.level(4) == 4 and Reader.level("3: partly") == 3
    assert Reader.level("3.5") == "3.5" and Reader.level("cinq") == "cinq"
    assert shorten("word " * 30, 20) == "word word word word…" and shorten("short") == "short"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed "
                    "(apt-get install libreoffice-calc-nogui)")
@pytest.mark.slow  # LibreOffice
def test_french_and_arabic_workbooks_open_in_libreoffice_and_survive_its_save(app, client, people,
                                                                               make_assessment, tmp_path):
    ids, h = people
    for lang in ("fr", "ar"):
        set_locale(app, ids["ana"], lang)
        aid = make_assessment(ids["ana"], {"a1": {"level": 2, "confidence": "high"}}, title=lang)
        wb = download(client, aid, h["ana"])
        fill(wb, "a2", level=offered(wb, "a2", "level")[1], confidence=offered(wb, "a2", "confidence")[0])
        source = tmp_path / f"{lang}.xlsx"
        wb.save(source)
        out = tmp_path / f"out-{lang}"
        for target in ("pdf", "xlsx"):
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                            "--convert-to", target, "--outdir", str(out), str(source)],
                           check=True, capture_output=True, timeout=180)
        assert (out / f"{lang}.pdf").stat().st_size > 1000
        saved = openpyxl.load_workbook(io.BytesIO((out / f"{lang}.xlsx").read_bytes()))
        assert saved["answers"].sheet_view.rightToLeft == (lang == "ar")
        r = upload(client, aid, h["ana"], (out / f"{lang}.xlsx").read_bytes())
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["saved"] == ["a2"]
        assert answers(client, aid, h["ana"])["a2"] == {"level": 1, "confidence": "high"}
