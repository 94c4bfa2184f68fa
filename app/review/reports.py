"""The list's "Download reports (ZIP)": the reports of a selection in one ZIP, with a page
showing its progress (issue 14 point 4).

The batch starts through :func:`app.reports.batch.start_batch`, the operation behind
``POST /api/v1/reports/batch``; its page shows the job as ``GET /api/v1/jobs/{id}`` does
(:func:`app.reports.web.job_json`), for people: refreshed without JavaScript, polled with it."""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..errors import RequestError
from ..http_input import assessment_ids
from ..i18n import LANGUAGE_NAMES
from ..models import User
from ..reports import KINDS, render_locale
from ..reports.batch import MAX_BATCH, load_job, start_batch
from ..reports.web import job_json, parse_kind, parse_lang
from .pages import FILTER_ARGS

#: How often the progress page reloads itself when JavaScript does not poll (seconds).
REFRESH_SECONDS = 3


def batch_choices() -> dict[str, Any]:
    """The list's choices for a batch: the report kinds and the languages (the page's first)."""
    languages = current_app.config.get("LANGUAGES", ["en"])
    kinds = {"gap": _("Gap report"), "scorecard": _("Scorecard")}
    return {"batch_kinds": [(k, kinds.get(k, k)) for k in KINDS],
            "batch_languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in languages],
            "batch_lang": render_locale(), "batch_max": MAX_BATCH}


def _selection(form: MultiDict) -> tuple[list[int] | None, str]:
    """The selected ids (None: none or too many, said in a flash) and the list's address."""
    back = url_for("review.index", **{k: form.getlist(k) for k in FILTER_ARGS if k in form})
    try:
        return assessment_ids(form.getlist("ids"), minimum=1, maximum=MAX_BATCH), back
    except RequestError:
        flash(_("Select from 1 to %(max)d assessments to download their reports.", max=MAX_BATCH), "warning")
        return None, back


def confirm_from_args(args: MultiDict):
    """The page that starts the batch of the list's selection by POST (with the CSRF token);
    nothing selected (or too much), back to the list saying so."""
    ids, back = _selection(args)
    if ids is None:
        return redirect(back)
    lang = parse_lang(args.get("report_lang")) or render_locale()
    return render_template("review/batch_confirm.html", ids=ids, back=back, lang=lang,
                           kind=parse_kind(args.get("report_kind"), default="gap"),
                           language_name=LANGUAGE_NAMES.get(lang, lang),
                           filter_args=[(k, v) for k in FILTER_ARGS for v in args.getlist(k)])


def start_from_form(user: User, form: MultiDict):
    """Starts the batch of the list's selection and redirects to its progress page; nothing
    selected (or too much), or an assessment ``user`` may not see, back to the list saying so."""
    ids, back = _selection(form)
    if ids is None:
        return redirect(back)
    kind = parse_kind(form.get("report_kind"), default="gap")
    lang = parse_lang(form.get("report_lang")) or render_locale()
    try:
        state = start_batch(user, ids, kind, lang)
    except RequestError as exc:
        if exc.status != 404:
            raise
        flash(_("Some of the selected assessments are not ones you may see. Select again from the list."),
              "warning")
        return redirect(back)
    return redirect(url_for("review.batch", job_id=state.id), 303)


def batch_context(user: User, job_id: str) -> dict[str, Any]:
    """The progress page of a batch ``user`` asked for (404 for anyone else's)."""
    state = load_job(user, job_id)
    if state.meta.get("owner") != user.id:  # a single report's job: not a batch page
        abort(404)
    return {"job": job_json(state), "kind": state.meta.get("kind"), "refresh": REFRESH_SECONDS,
            "status_url": url_for("api.job_status", job_id=state.id)}
