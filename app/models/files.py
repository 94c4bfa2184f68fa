"""Finished report PDFs in the database, for a PDF cache every web and worker machine shares
(``PDF_SHARED_STORE``; app.reports.store).  Content-addressed: the key digests everything that
shapes the PDF, so a row never changes once written."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import UTCDateTime, utcnow


class ReportFile(db.Model):
    __tablename__ = "report_files"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
