"""What the API and the pages share about attachments: reading an upload from the request,
and sending a file back."""
from __future__ import annotations

from io import BytesIO

from flask import current_app, request, send_file
from flask_babel import gettext as _

from ..errors import RequestError
from ..http_input import BODY_LIMITS
from ..models.attachments import Attachment
from . import storage

#: Room for the multipart envelope and the other form fields around the file.
ENVELOPE = 64 * 1024
#: The routes that take an upload (the API's and the page's).
UPLOAD_ENDPOINTS = ("api.add_attachment", "attachments.upload")


def upload_limit() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"]) + ENVELOPE


for _endpoint in UPLOAD_ENDPOINTS:
    BODY_LIMITS[_endpoint] = upload_limit


def read_upload() -> tuple[str | None, bytes, str | None]:
    """The ``item`` field, the file's bytes and its name, from a multipart request (the
    upload routes take ATTACHMENT_MAX_BYTES instead of the app's request limit: BODY_LIMITS)."""
    try:
        upload = request.files.get("file")
        if upload is None:
            raise RequestError(422, _("Choose a file to attach."), {"file": _("required")})
        data = upload.read(int(current_app.config["ATTACHMENT_MAX_BYTES"]) + 1)
        return request.form.get("item"), data, upload.filename
    finally:
        # Large parts are spooled to temporary files: closed now, not whenever they are collected.
        for part in request.files.values():
            part.close()


def send(row: Attachment):
    """The file as a download, whatever its kind: never shown inline by the browser."""
    path = storage.path_of(row.sha256)
    if not path.is_file():
        raise RequestError(404, _("The file of this attachment is missing from the server."))
    # Read whole (at most ATTACHMENT_MAX_BYTES): no file handle outlives the request.
    response = send_file(BytesIO(path.read_bytes()), mimetype=row.media_type, as_attachment=True,
                         download_name=row.filename, etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
