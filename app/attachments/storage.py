"""Attached files on disk, outside the database, each named by its SHA-256 (never by the
name a user gave it), under ``ATTACHMENT_DIR``: the same document attached twice is stored
once, and no name a user chooses ever reaches the file system."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from ..files import write_atomically


def directory() -> Path:
    configured = current_app.config.get("ATTACHMENT_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "attachments"


def path_of(sha256: str) -> Path:
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValueError("invalid digest")
    return directory() / sha256[:2] / sha256


def store(data: bytes) -> str:
    """Writes ``data`` (atomically, once per content) and returns its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(digest)
    if not target.is_file():
        write_atomically(target, data)
    return digest
