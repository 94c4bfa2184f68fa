"""What a file is, judged by its bytes, never by its name or the type the browser claims.

Evidence documents may be PDFs, office documents (Office Open XML or OpenDocument text and
spreadsheets, presentations) and PNG or JPEG images.  Everything else is refused: HTML and
SVG (script in a page of ours), executables, archives, and office files with macros
(``vbaProject.bin``, ``.xlsm``/``.docm`` content types).  Zip-based formats are opened with
:mod:`zipfile` only to read their directory and one small part; a file whose parts would
inflate beyond :data:`MAX_UNCOMPRESSED` or too steeply is refused as a zip bomb before
anything is decompressed.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _

MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100          # uncompressed / compressed, over the whole archive
MAX_ENTRIES = 5000


class Refused(ValueError):
    """Not a kind of document we keep; the message says why, for the user."""


@dataclass(frozen=True)
class Kind:
    media_type: str
    extension: str
    label: str


PDF = Kind("application/pdf", "pdf", "PDF")
PNG = Kind("image/png", "png", "PNG image")
JPEG = Kind("image/jpeg", "jpg", "JPEG image")

#: Office Open XML main content types (from [Content_Types].xml) -> kind.  The
#: macro-enabled variants are deliberately absent.
OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":
        Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word document"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
        Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel workbook"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml":
        Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
             "PowerPoint presentation"),
}
#: OpenDocument: the ``mimetype`` entry, stored first and uncompressed -> kind.
ODF = {
    "application/vnd.oasis.opendocument.text": Kind("application/vnd.oasis.opendocument.text", "odt",
                                                     "OpenDocument text"),
    "application/vnd.oasis.opendocument.spreadsheet": Kind("application/vnd.oasis.opendocument.spreadsheet",
                                                            "ods", "OpenDocument spreadsheet"),
    "application/vnd.oasis.opendocument.presentation": Kind(
        "application/vnd.oasis.opendocument.presentation", "odp", "OpenDocument presentation"),
}

ACCEPTED = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG"


def sniff(data: bytes) -> Kind:
    """The kind of ``data``; :class:`Refused` when it is none we keep."""
    if not data:
        raise Refused(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    raise Refused(_("This kind of file cannot be attached. Accepted: %(kinds)s.", kinds=ACCEPTED))


def _zip_kind(data: bytes) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused(_("The file looks like an office document but is damaged.")) from None
    _check_not_a_bomb(infos, len(data))
    names = {info.filename for info in infos}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Refused(_("Office files with macros cannot be attached; save the document without macros."))
    if "[Content_Types].xml" in names:
        types = _read_small(archive, "[Content_Types].xml").decode("utf-8", "replace")
        if "macroEnabled" in types or "vbaProject" in types:
            raise Refused(_("Office files with macros cannot be attached; save the document without macros."))
        for main, kind in OOXML.items():
            if main in types:
                return kind
    if "mimetype" in names:
        mimetype = _read_small(archive, "mimetype").decode("ascii", "replace").strip()
        if mimetype in ODF:
            return ODF[mimetype]
    raise Refused(_("This kind of file cannot be attached. Accepted: %(kinds)s.", kinds=ACCEPTED))


def _check_not_a_bomb(infos: list[zipfile.ZipInfo], compressed: int) -> None:
    total = sum(info.file_size for info in infos)
    if len(infos) > MAX_ENTRIES or total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(compressed, 1):
        raise Refused(_("The file would expand to far more than its size; it cannot be attached."))


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 256 * 1024) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise Refused(_("The file looks like an office document but is damaged."))
    with archive.open(info) as fh:
        return fh.read(limit + 1)[:limit]
