"""XLSForm export and the import of ODK Central / KoboToolbox submissions (issue 15).

pyxform, the converter ODK Central and KoboToolbox run on upload, turns the XLSForm of every
shipped questionnaire version into an XForm; submission CSVs in both servers' shapes become
new drafts, through the API, the page and the command line, on both databases."""
from __future__ import annotations


import io
import json
import re

import openpyxl
import pytest
from lxml import etree
from pyxform.xls2xform import convert

from app.extensions import db
from app.models import Assessment, User
from app.workbooks import odk_import, xlsform
from app.workbooks.import_views import SAMPLE
from tests.factories import csrf_token

XF = "{http://www.w3.org/2002/xforms}"
IMPORT = "/api/v1/imports/odk?questionnaire=prevention-readiness&version=1.1&jurisdiction=KE&period=2026&title=Field"


@pytest.fixture(scope="module")
def catalog_app():
    from app import create_app
    from config import TestConfig

    return create_app(TestConfig)


def test_every_shipped_version_converts_with_pyxform_into_a_valid_xform(catalog_app):
    with catalog_app.app_context():
        versions = catalog_app.extensions["catalog"].all()
        assert len(versions) >= 2
        for q in versions:
            warnings: list[str] = []
            result = convert(xlsform=io.BytesIO(xlsform.build(q, "fr")), warnings=warnings, file_type=".xlsx")
            assert warnings == [], (q.version, warnings[:5])
            root = etree.fromstring(result.xform.encode())
            binds = {b.get("nodeset").rsplit("/", 1)[-1]: b for b in root.iter(f"{XF}bind")}
            for item in q.items:
                assert item.key in binds, (q.version, item.key)
                assert f"{item.key}__comment" in binds
                if item.type == "number":
                    assert binds[item.key].get("constraint") == f". >= {int(item.min)} and . <= {int(item.max)}"
            languages = {t.get("lang") for t in root.iter(f"{XF}translation")}
            assert languages == {"English (en)", "Français (fr)", "Español (es)", "Русский (ru)", "中文 (zh)",
                                 "العربية (ar)"}
            assert [t.get("lang") for t in root.iter(f"{XF}translation") if t.get("default")] == ["Français (fr)"]


def test_the_xlsform_sheets_hints_and_choices(catalog_app):
    with catalog_app.app_context():
        q = catalog_app.extensions["catalog"].get("prevention-readiness", "1.1")
        wb = openpyxl.load_workbook(io.BytesIO(xlsform.build(q)))
    assert wb.sheetnames == ["survey", "choices", "settings"]
    survey = [r for r in wb["survey"].iter_rows(values_only=True)]
    header = survey[0]
    assert {"label::English (en)", "label::Français (fr)", "hint::العربية (ar)"} <= set(header)
    rows = {r[header.index("name")]: r for r in survey[1:]}
    a1 = q.item_map["a1"]
    assert rows["a1"][header.index("type")] == "select_one lv_a1"
    assert rows["a1"][header.index("hint::Français (fr)")] == a1.guidance["fr"]
    choices = [r for r in wb["choices"].iter_rows(values_only=True)]
    names = [(r[0], r[1]) for r in choices[1:]]
    assert ("lv_a1", "dont_know") in names and ("lv_a1", "4") in names
    na_item = next(it for it in q.items if it.allow_na)
    assert (f"{'lv' if na_item.type == 'scale' else 'op'}_{na_item.key}", "not_applicable") in names or \
        (f"st_{na_item.key}", "not_applicable") in names
    settings = list(wb["settings"].iter_rows(values_only=True))
    assert dict(zip(*settings))["form_id"] == "prevention-readiness-1_1"


def test_the_import_reads_every_field_the_xlsform_asks(catalog_app):
    """The two ends agree: every question name of the form is a column the import reads."""
    with catalog_app.app_context():
        for q in catalog_app.extensions["catalog"].all():
            wb = openpyxl.load_workbook(io.BytesIO(xlsform.build(q)))
            rows = list(wb["survey"].iter_rows(values_only=True))
            names = [r[rows[0].index("name")] for r in rows[1:] if not str(r[0]).endswith("group")]
            known = odk_import.known_fields(q)
            assert names and all(n in known for n in names), [n for n in names if n not in known][:5]


@pytest.fixture
def tokens(app, make_user):
    from app.auth import operations as accounts

    ids = {"ana": make_user("ana@a.example"), "rita": make_user("rita@un.example", role="reviewer", org="UN")}
    with app.app_context():
        out = {k: {"Authorization": f"Bearer {accounts.issue_token(db.session.get(User, v), 't')}"}
               for k, v in ids.items()}
        db.session.commit()
    return out


def test_xlsform_api(client, tokens):
    r = client.get("/api/v1/questionnaires/prevention-readiness/xlsform.xlsx?version=1.0&lang=ar", headers=tokens["rita"])
    assert r.status_code == 200 and r.data.startswith(b"PK")
    assert client.get("/api/v1/questionnaires/prevention-readiness/xlsform.xlsx?lang=xx",
                      headers=tokens["ana"]).status_code == 400
    assert client.get("/api/v1/questionnaires/nope/xlsform.xlsx", headers=tokens["ana"]).status_code == 404
    assert client.get("/api/v1/questionnaires/prevention-readiness/xlsform.xlsx").status_code == 401


CENTRAL = (
    "SubmissionDate,s_a_knowledge-a1,s_a_knowledge-a1__confidence,s_a_knowledge-a1__evidence_type,"
    "s_a_knowledge-a1__evidence_reference,s_a_knowledge-a2,s_b_law_justice-b1,s_c_basic_services-c1__status,"
    "s_c_basic_services-c1,s_a_knowledge-a3__comment,surprise,meta-instanceID,KEY\n"
    "2026-11-02,3,high,law,Act 5 of 2020,9,crc opsc,value,55.5,\"seen, checked\",x,uuid:1,uuid:1\n"
    "2026-11-03,dont_know,,,,,dont_know,dont_know,,,,uuid:2,uuid:2\n"
    "2026-11-04,,,,,,,,,,y,uuid:3,uuid:3\n")
KOBO = (
    "start;end;grp_a/a1;grp_a/a2;grp_b/b1;grp_b/b1/crc;grp_b/b1/opsc;_id;_uuid;_submission_time;__version__\n"
    "2026-11-02;2026-11-02;2;1;crc;1;0;17;abc-1;2026-11-02;v1\n")


def _import(client, headers, text: str, url: str = IMPORT):
    return client.post(url, data=text.encode(), headers=headers | {"Content-Type": "text/csv"})


def test_an_odk_central_csv_becomes_drafts_with_a_report(app, client, tokens):
    r = _import(client, tokens["ana"], CENTRAL)
    assert r.status_code == 201, r.get_json()
    report = r.get_json()
    created, skipped = report["created"], report["skipped"]
    assert [c["row"] for c in created] == [2, 3] and [s["row"] for s in skipped] == [4]
    assert created[0]["imported"] == ["a1", "a3", "b1", "c1"]
    assert created[0]["not_imported"] == {"s_a_knowledge-a2": "Choose a level from 0 to 4."}
    assert report["columns"]["ignored"]["surprise"].startswith("No question")
    assert "meta-instanceID" in report["columns"]["ignored"] and report["columns"]["read"]["s_a_knowledge-a1"] == "a1"
    first = client.get(f"/api/v1/assessments/{created[0]['assessment']}", headers=tokens["ana"]).get_json()
    assert first["status"] == "draft" and first["title"] == "Field (uuid:1)"
    assert first["answers"]["a1"] == {"level": 3, "confidence": "high",
                                      "evidence": [{"type": "law", "reference": "Act 5 of 2020", "note": ""}]}
    assert first["answers"]["b1"] == {"selected": ["crc", "opsc"]} and first["answers"]["c1"] == {"value": 55.5}
    assert first["answers"]["a3"] == {"comment": "seen, checked"}
    second = client.get(f"/api/v1/assessments/{created[1]['assessment']}", headers=tokens["ana"]).get_json()
    assert second["answers"] == {"a1": {"dont_know": True}, "b1": {"dont_know": True}, "c1": {"dont_know": True}}
    with app.app_context():
        assert db.session.query(Assessment).count() == 2


def test_a_kobotoolbox_csv_with_semicolons_and_group_paths(client, tokens):
    r = _import(client, tokens["ana"], KOBO)
    assert r.status_code == 201, r.get_json()
    report = r.get_json()
    assert report["created"][0]["imported"] == ["a1", "a2", "b1"] and report["created"][0]["instance"] == "abc-1"
    ignored = report["columns"]["ignored"]
    assert ignored["grp_b/b1/crc"].startswith("One column per option")
    assert all(ignored[c].startswith("Submission metadata") for c in ("_id", "_uuid", "start", "__version__"))


def test_refused_imports(client, tokens):
    assert _import(client, tokens["rita"], CENTRAL).status_code == 403
    assert _import(client, tokens["ana"], CENTRAL, IMPORT.replace("KE", "XX")).status_code == 422
    assert _import(client, tokens["ana"], CENTRAL, IMPORT.replace("1.1", "9.9")).status_code == 422
    r = client.post(IMPORT, data=b"\xff\xfe\x00bad", headers=tokens["ana"] | {"Content-Type": "text/csv"})
    assert r.status_code == 400
    assert _import(client, tokens["ana"], "").status_code == 422
    assert _import(client, tokens["ana"], "a1,a2\n2,\x003\n").status_code == 400          # NUL
    assert _import(client, tokens["ana"], 'a1,a2\n"' + "x" * 200_000 + '",1\n').status_code == 400  # a huge field
    assert _import(client, tokens["ana"], "a1\n" + "2\n" * 201).status_code == 422         # too many rows
    assert client.get("/api/v1/assessments", headers=tokens["ana"]).get_json()["total"] == 0


def test_the_example_file_and_the_page(client, auth, tokens):
    auth.login("ana@a.example")
    page = client.get("/imports/odk")
    assert page.status_code == 200 and "xlsform" in page.get_data(as_text=True).lower()
    html = page.get_data(as_text=True)
    for name in ("jurisdiction", "period", "title"):  # styled like every other text field
        assert re.search(rf'<div class="field"><label for="im-{name}">[^<]*</label>\s*<input type="text" id="im-{name}"',
                         html), name
    assert client.get("/imports/odk/example.csv").data == SAMPLE.read_bytes()
    xf = client.get("/imports/odk/xlsform.xlsx?ref=prevention-readiness@1.1&lang=fr")
    assert xf.status_code == 200 and xf.data.startswith(b"PK")
    token = csrf_token(client, "/imports/odk")
    r = client.post("/imports/odk", content_type="multipart/form-data", data={
        "csrf_token": token, "ref": "prevention-readiness@1.1", "jurisdiction": "KE", "period": "2026",
        "title": "County interviews", "submissions": (io.BytesIO(SAMPLE.read_bytes()), "subs.csv")})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert html.count("County interviews (uuid:") == 3 and "Choose a level from 0 to 4." in html
    auth.logout()
    auth.login("rita@un.example")
    assert client.get("/imports/odk").status_code == 403


def test_command_line_export_and_import(app, make_user, tmp_path):
    make_user("ana@a.example")
    runner = app.test_cli_runner()
    out = tmp_path / "form.xlsx"
    result = runner.invoke(args=["questionnaire", "export", "prevention-readiness", "--version", "1.0",
                                 "--format", "xlsform", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["survey", "choices", "settings"]
    csv_file = tmp_path / "subs.csv"
    csv_file.write_text(CENTRAL, encoding="utf-8")
    result = runner.invoke(args=["odk", "import", str(csv_file), "--user", "ana@a.example", "--version", "1.1",
                                 "--jurisdiction", "KE", "--period", "2026", "--title", "CLI"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["created"]) == 2
    result = runner.invoke(args=["odk", "import", str(csv_file), "--user", "nobody@x.example", "--version", "1.1",
                                 "--jurisdiction", "KE", "--period", "2026"])
    assert result.exit_code != 0 and "nobody@x.example" in result.output
