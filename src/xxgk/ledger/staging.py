"""The checked rows of one import, kept in a temporary SQLite file while the import runs.

An import is all or nothing, and a real ledger has hundreds of thousands of rows whose
events may come in any order (in XLSX they follow all the cases, in another sheet). Holding
them as Python objects would take gigabytes, so each good row goes to this file as it is
read; the checks across rows (repeated numbers, events of unknown cases, each case's history
replayed in order) are queries over it, and the same queries feed the import, case by case,
in bounded memory. The file is deleted when the import ends.

Positions (`pos`) are the rows' order in the file, which decides which of two rows with the
same number counts (the first) and in which order problems are listed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from .records import CaseRecord, EventRecord

BATCH = 2000

_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE cases (
    pos INTEGER PRIMARY KEY, place TEXT, number TEXT, ok INTEGER, received TEXT, channel TEXT,
    applicant_type TEXT, applicant_name TEXT, applicant_contact TEXT, request TEXT,
    recorded_by TEXT, recorded_at TEXT);
CREATE TABLE events (
    pos INTEGER PRIMARY KEY, place TEXT, number TEXT, seq INTEGER, kind TEXT, date TEXT,
    data TEXT, supersedes INTEGER, recorded_by TEXT, recorded_at TEXT);
"""

# After loading: the first good row of each number is the case; the others are repeats.
_INDEXES = """
CREATE INDEX cases_number ON cases (number);
CREATE TABLE firsts AS SELECT number, min(pos) AS pos FROM cases WHERE ok GROUP BY number;
CREATE UNIQUE INDEX firsts_number ON firsts (number);
CREATE UNIQUE INDEX firsts_pos ON firsts (pos);
CREATE INDEX events_number ON events (number);
"""

_CASE_FIELDS = (
    "received, channel, applicant_type, applicant_name, applicant_contact, request, recorded_by, recorded_at"
)

# A staged event: (place, 序号 or None, event).
Item = tuple[str, int | None, EventRecord]


class Staging:
    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="xxgk-import-")
        self.db = sqlite3.connect(os.path.join(self.folder, "rows.sqlite3"))
        self.db.executescript(_SCHEMA)
        self.pos = 0
        self._cases: list[tuple] = []
        self._events: list[tuple] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- loading -------------------------------------------------------------------------

    def add_case(self, place: str, number: str, case: CaseRecord | None) -> None:
        """A case row; a bad one (None) is kept by number so its events are not 'unknown'."""
        self.pos += 1
        values = (None,) * 8 if case is None else _case_values(case)
        self._cases.append((self.pos, place, case.number if case else number, case is not None, *values))
        if len(self._cases) >= BATCH:
            self._flush()

    def add_event(self, place: str, number: str, seq: int | None, event: EventRecord) -> None:
        self.pos += 1
        self._events.append((self.pos, place, number, seq, *_event_values(event)))
        if len(self._events) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self._cases)
        self.db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self._events)
        self._cases.clear()
        self._events.clear()

    def finish(self) -> None:
        """Call once every row is added, before the queries below."""
        self._flush()
        self.db.executescript(_INDEXES)
        self.db.commit()

    # -- checks across rows --------------------------------------------------------------

    def repeats(self) -> Iterator[tuple[str, str, str]]:
        """(place, number, place of the first) of good case rows whose number came before."""
        yield from self.db.execute(
            "SELECT c.place, c.number, first.place FROM cases c JOIN firsts f ON f.number = c.number "
            "JOIN cases first ON first.pos = f.pos WHERE c.ok AND c.pos > f.pos ORDER BY c.pos"
        )

    def numbers(self, size: int = 500) -> Iterator[list[tuple[str, str]]]:
        """(number, place) of the cases, in file order, in lists of `size`."""
        cursor = self.db.execute(
            "SELECT c.number, c.place FROM firsts f JOIN cases c ON c.pos = f.pos ORDER BY f.pos"
        )
        while chunk := cursor.fetchmany(size):
            yield chunk

    def orphans(self) -> Iterator[tuple[str, str]]:
        """(place, number) of events whose number no case row of the file has."""
        yield from self.db.execute(
            "SELECT e.place, e.number FROM events e "
            "WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.number = e.number) ORDER BY e.pos"
        )

    def histories(self, limit: int) -> Iterator[tuple[str, CaseRecord, list[Item] | None]]:
        """(place, case, its events in file order) of each case in file order; None instead of
        the events when the case has more than `limit` (they are not read into memory)."""
        cases = self.db.execute(
            f"SELECT c.pos, c.place, c.number, {_CASE_FIELDS} FROM firsts f "
            "JOIN cases c ON c.pos = f.pos ORDER BY f.pos"
        )
        events = self.db.cursor().execute(
            "SELECT f.pos, e.place, e.seq, e.kind, e.date, e.data, e.supersedes, e.recorded_by, "
            "e.recorded_at FROM events e JOIN firsts f ON f.number = e.number ORDER BY f.pos, e.pos"
        )
        pending = events.fetchone()
        for pos, place, number, *fields in cases:
            items: list[Item] | None = []
            while pending is not None and pending[0] == pos:
                if items is not None and len(items) >= limit:
                    items = None
                elif items is not None:
                    items.append((pending[1], pending[2], _event(pending[3:])))
                pending = events.fetchone()
            yield place, _case(number, fields), items


def _case_values(case: CaseRecord) -> tuple:
    return (
        case.received.isoformat(),
        case.channel,
        case.applicant_type,
        case.applicant_name,
        case.applicant_contact,
        case.request,
        case.recorded_by,
        _time(case.recorded_at),
    )


def _case(number: str, fields: list[Any]) -> CaseRecord:
    received, channel, applicant_type, name, contact, request, by, at = fields
    return CaseRecord(
        number=number,
        received=date.fromisoformat(received),
        channel=channel,
        applicant_type=applicant_type,
        applicant_name=name,
        request=request,
        applicant_contact=contact,
        recorded_by=by,
        recorded_at=_moment(at),
    )


def _event_values(event: EventRecord) -> tuple:
    data = json.dumps(event.data, ensure_ascii=False)
    return (
        event.kind,
        event.date.isoformat(),
        data,
        event.supersedes,
        event.recorded_by,
        _time(event.recorded_at),
    )


def _event(fields: tuple) -> EventRecord:
    kind, day, data, supersedes, by, at = fields
    return EventRecord(
        kind,
        date.fromisoformat(day),
        json.loads(data),
        supersedes=supersedes,
        recorded_by=by,
        recorded_at=_moment(at),
    )


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
