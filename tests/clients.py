"""What a client sends and reads back, shared by the tests of several areas: the section form
as a browser without script sends it, the workbook as a spreadsheet user fills it in and uploads
it, mail as an SMTP server receives it.  Plain functions and classes (the builders of users and
assessments are in tests/factories/)."""
from __future__ import annotations

import io
from html import unescape
from html.parser import HTMLParser

import openpyxl
from aiosmtpd.handlers import Message

# -- the section form, read and sent as a browser without script does ---------------------------
JSON = {"Accept": "application/json"}


class FormReader(HTMLParser):
    """What a browser would send for the form with id ``form_id`` (no script)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            else:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = [a["name"], None]
        elif tag == "option" and self._select is not None:
            if "selected" in a or self._select[1] is None:
                self._select[1] = a.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            self.fields.append(tuple(self._select))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, unescape(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def form_fields(html: str, form_id: str = "section-form") -> dict[str, list[str]]:
    reader = FormReader(form_id)
    reader.feed(html)
    out: dict[str, list[str]] = {}
    for name, value in reader.fields:
        out.setdefault(name, []).append(value)
    return out


def post_data(fields: dict[str, list[str]], **changes) -> dict[str, list[str]]:
    data = {k: list(v) for k, v in fields.items() if "__i__" not in k}  # not the row template
    for name, value in changes.items():
        name = name.replace("__", "-")
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    return data


def section_url(aid, key="s_a_knowledge"):
    return f"/assessments/{aid}/sections/{key}"


# -- the workbook round trip through the API (issue 15) -----------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, aid, headers, **params):
    r = client.get(f"/api/v1/assessments/{aid}/workbook.xlsx", headers=headers, query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == XLSX
    return openpyxl.load_workbook(io.BytesIO(r.data))


def fill(wb, item_key, **values):
    """Set cells of the row of ``item_key`` (by column name); returns the row number."""
    ws = wb["answers"]
    header = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=header.index("_key") + 1).value == item_key:
            for name, value in values.items():
                cell = ws.cell(row=row, column=header.index(name) + 1, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # typed as text, as a spreadsheet does for '=...
            return row
    raise AssertionError(f"no row for {item_key}")


def upload(client, aid, headers, wb_or_bytes):
    data = wb_or_bytes
    if not isinstance(data, bytes):
        buffer = io.BytesIO()
        wb_or_bytes.save(buffer)
        data = buffer.getvalue()
    return client.put(f"/api/v1/assessments/{aid}/workbook", data=data, headers=headers | {"Content-Type": XLSX})


def answers(client, aid, headers):
    return client.get(f"/api/v1/assessments/{aid}", headers=headers).get_json()["answers"]


# -- mail: an SMTP handler that keeps what it receives (aiosmtpd) -------------------------------
class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)
