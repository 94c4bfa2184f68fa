"""The field data page: the XLSForm for ODK and KoboToolbox, and the import of their
submission CSVs into new drafts (:mod:`.odk_import`)."""
from __future__ import annotations

from pathlib import Path

from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..assessments.forms import translator
from ..auth.policy import can_create_assessment
from ..errors import RequestError
from ..questionnaire.catalog import catalog
from ..models._common import utcnow
from ..transaction import attempt
from . import bp, odk_import, service, xlsform

SAMPLE = Path(__file__).with_name("samples") / "odk-central-submissions.csv"


def _allowed() -> None:
    if not can_create_assessment(current_user):
        abort(403)


def _page(status: int = 200, **context):
    questionnaires = list(reversed(catalog().all()))
    values = {"ref": questionnaires[0].ref if questionnaires else "",
              "jurisdiction": current_user.organisation.country or "", "period": str(utcnow().year),
              "title": ""} | context.pop("values", {})
    return render_template("workbooks/imports.html", questionnaires=questionnaires, t=translator(),
                           languages=[(c, n) for c, n in xlsform.LANGUAGE_NAMES.items()],
                           current_lang=str(get_locale() or "en"), values=values, **context), status


@bp.route("/imports/odk")
@login_required
def imports():
    _allowed()
    return _page()


@bp.route("/imports/odk", methods=["POST"])
@login_required
def run_import():
    _allowed()
    values = {name: request.form.get(name, "").strip() for name in ("ref", "jurisdiction", "period", "title")}
    qid, _sep, version = values["ref"].partition("@")
    sent = request.files.get("submissions")
    if sent is None or not sent.filename:
        return _page(400, values=values, problem=_("Choose the CSV file of the submissions."))
    meta = {"questionnaire": qid, "version": version, "jurisdiction": values["jurisdiction"],
            "period": values["period"], "title": values["title"]}
    with attempt(RequestError) as outcome:
        report = odk_import.import_submissions(current_user, sent.read(), meta)
    exc = outcome.refused
    if exc is not None:
        if exc.status not in (400, 413, 422):
            raise exc
        return _page(exc.status, values=values, problem=exc.message,
                     details=[(k, v) for k, v in exc.details.items() if isinstance(v, str)])
    return _page(values=values, report=report)


@bp.route("/imports/odk/xlsform.xlsx")
@login_required
def xlsform_download():
    qid, _sep, version = request.args.get("ref", "").partition("@")
    return service.xlsform_response(qid, version or None, request.args.get("lang") or None)


@bp.route("/imports/odk/example.csv")
@login_required
def sample_csv():
    return Response(SAMPLE.read_bytes(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{SAMPLE.name}"'})
