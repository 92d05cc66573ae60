"""The tables the web app adds around the ledger (revision 0004): files kept with a case
(scanned applications and the letters produced), each office's own letter templates, and
the calendar override file as uploaded by an admin.

All three are append-only like the ledger itself: a new template or calendar is a new row
and the newest one counts, so what a letter or deadline was built from can be traced.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..store.base import Base, UTCDateTime


class CaseFile(Base):
    """An attachment (kind "attachment") or a produced letter (kind "letter") of a case."""

    __tablename__ = "case_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    letter: Mapped[str | None] = mapped_column(String(32), nullable=True)  # letters.LETTERS key
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LetterTemplate(Base):
    """One office's version of a letter template file (e.g. ``correction.txt``)."""

    __tablename__ = "letter_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarOverride(Base):
    """The holiday override file (calendar.py's YAML) as uploaded; the newest row counts."""

    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
