"""The ledger's storage: cases and their events in SQLite (default) or PostgreSQL.

Append-only: there is no method that updates or deletes a case or an event. A correction
is a new event (`void`, a superseding event, or `case_amended`), and every row records
who wrote it and when. Writes take a lock first (SQLite ``BEGIN IMMEDIATE``; PostgreSQL
``SELECT … FOR UPDATE`` on the case or the year's counter row), so two writers never
validate against the same stale history and case numbers stay unique and gapless.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import exc, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ..errors import InputError
from ..store.migrations import ensure_schema
from . import domain
from .models import (
    CASES,
    COUNTERS,
    EVENTS,
    FIELD_LABELS,
    INFO,
    case_problems,
    check_actor,
    create_ledger_engine,
    normalize_case,
    normalize_data,
)
from .records import EVENT_KINDS, CaseRecord, EventRecord
from .settings import DEFAULT_DB, ENV_DB, ENV_USER, default_actor, default_target  # noqa: F401  (re-exported)

_AUTO_NUMBER = re.compile(r"^(\d{4})-(\d+)$")
IMPORT_BATCH = 1000  # cases per insert while importing
# Columns a ledger opened without personal data never reads (the web app's supervisors).
PERSONAL = ("applicant_name", "applicant_contact", "request", "id_doc_type", "id_doc_number")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)  # whole seconds: what users read


def event_numbers(events: Sequence[EventRecord]) -> dict[int, int]:
    """Event id -> its number within the case (1, 2, …, in the order recorded). Stable,
    because events are never deleted; users and exports refer to events by it."""
    ordered = sorted(e.id for e in events if e.id is not None)
    return {event_id: n for n, event_id in enumerate(ordered, start=1)}


def _case_from_row(row: Any) -> CaseRecord:
    return CaseRecord(
        number=row.number,
        received=row.received,
        channel=row.channel,
        applicant_type=row.applicant_type,
        applicant_name=getattr(row, "applicant_name", ""),
        applicant_contact=getattr(row, "applicant_contact", ""),
        request=getattr(row, "request", ""),
        id=row.id,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def _event_from_row(row: Any) -> EventRecord:
    return EventRecord(
        kind=row.kind,
        date=row.date,
        data=dict(row.data or {}),
        case_id=row.case_id,
        id=row.id,
        supersedes=row.supersedes,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def _case_values(case: CaseRecord) -> dict[str, Any]:
    return {name: getattr(case, name) for name in FIELD_LABELS} | {"id": case.id}


class Ledger:
    """One ledger database. Thread-safe: each call takes its own pooled connection. The web
    app's nodes share it: `for_org` sees (and adds to) one node's cases, without `personal`
    never reading the PERSONAL columns; the command line's ledger sees every case."""

    def __init__(self, engine: Engine, label: str, *, org_id: int | None = None, personal: bool = True):
        self.engine = engine
        self.label = label  # the database as shown to users (no password)
        self.org_id = org_id
        self.personal = personal

    def for_org(self, org_id: int, *, personal: bool = True) -> Ledger:
        return Ledger(self.engine, self.label, org_id=org_id, personal=personal)

    def scoped(self, query: Any) -> Any:
        return query if self.org_id is None else query.where(CASES.c.org_id == self.org_id)

    def _select_cases(self) -> Any:
        if self.personal:
            return self.scoped(select(CASES))
        return self.scoped(select(*(c for c in CASES.c if c.name not in PERSONAL)))

    @classmethod
    def open(cls, target: str | os.PathLike[str], *, create: bool = True) -> Ledger:
        """A path is a SQLite file; a ``postgresql://`` URL is a PostgreSQL database.
        With create=False a missing SQLite file is an error instead of a new ledger."""
        engine, label = create_ledger_engine(os.fspath(target), create=create)
        try:
            ensure_schema(engine, label)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, label)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(xxgk_write=True)  # SQLite: BEGIN IMMEDIATE (see models.py)
            try:
                with conn.begin():
                    yield conn
            except exc.OperationalError as err:
                raise InputError(f"无法写入台账数据库（{_first_line(err)}）", self.label) from None

    # -- cases -------------------------------------------------------------------------

    def add_case(self, case: CaseRecord, by: str, *, extra: dict[str, Any] | None = None) -> CaseRecord:
        """Register an application; gives it the next ``<year>-<seq:04d>`` when `number` is empty.
        `extra`: the web app's columns (the applicant's ID document)."""
        case = normalize_case(case)
        problems = case_problems(case)
        if problems:
            raise InputError("；".join(message for _, message in problems))
        by = check_actor(by)
        try:
            with self._writing() as conn:
                number = case.number or self._next_number(conn, case.received.year)
                if case.number and self._number_taken(conn, number):
                    raise InputError(f"登记号 {number} 已存在")
                stored = replace(case, number=number, recorded_by=by, recorded_at=utc_now(), id=None)
                values = _case_values(stored) | (extra or {}) | {"org_id": self.org_id}
                del values["id"]
                case_id = conn.execute(insert(CASES).values(values).returning(CASES.c.id)).scalar_one()
        except exc.IntegrityError:  # the same number entered at the same moment elsewhere
            raise InputError(f"登记号 {case.number} 已存在") from None
        return replace(stored, id=case_id)

    def _number_taken(self, conn: Connection, number: str) -> bool:
        return conn.execute(select(CASES.c.id).where(CASES.c.number == number)).first() is not None

    def _next_number(self, conn: Connection, year: int) -> str:
        while True:
            seq = self._increment(conn, year)
            number = f"{year}-{seq:04d}"
            if not self._number_taken(conn, number):  # skip numbers typed in by hand
                return number

    def _increment(self, conn: Connection, year: int) -> int:
        bump = update(COUNTERS).where(COUNTERS.c.year == year).values(last_seq=COUNTERS.c.last_seq + 1)
        if conn.execute(bump).rowcount == 0:
            self._insert_counter(conn, year)
            conn.execute(bump)
        return conn.execute(select(COUNTERS.c.last_seq).where(COUNTERS.c.year == year)).scalar_one()

    def _insert_counter(self, conn: Connection, year: int) -> None:
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        conn.execute(dialect_insert(COUNTERS).values(year=year, last_seq=0).on_conflict_do_nothing())

    def _raise_counters(self, conn: Connection, numbers: Sequence[str]) -> None:
        """After an import: auto numbers continue after the highest imported one per year."""
        highest: dict[int, int] = {}
        for number in numbers:
            if m := _AUTO_NUMBER.match(number):
                year, seq = int(m[1]), int(m[2])
                highest[year] = max(highest.get(year, 0), seq)
        for year, seq in sorted(highest.items()):
            self._insert_counter(conn, year)
            conn.execute(
                update(COUNTERS)
                .where(COUNTERS.c.year == year, COUNTERS.c.last_seq < seq)
                .values(last_seq=seq)
            )

    # -- events ------------------------------------------------------------------------

    def add_event(self, case_number: str, event: EventRecord, by: str) -> EventRecord:
        """Append a dated event to a case, after `domain.validate_event` accepts it."""
        if event.kind not in EVENT_KINDS:
            raise InputError(f"未知的事件类型“{event.kind}”")
        if event.kind == "void" and event.supersedes is None:
            raise InputError("作废事件必须指明被作废的事件")
        by = check_actor(by)
        data = normalize_data(event.data)
        case_number = case_number.strip()
        with self._writing() as conn:
            query = self.scoped(select(CASES).where(CASES.c.number == case_number))
            row = conn.execute(query.with_for_update()).first()
            if row is None:
                raise InputError(f"登记号 {case_number} 不存在")
            case = _case_from_row(row)
            events = self._events_of(conn, [row.id])[row.id]
            if event.supersedes is not None and event.supersedes not in {e.id for e in events}:
                raise InputError(f"事件 #{event.supersedes} 不属于申请 {case_number}")
            new = replace(event, data=data, case_id=row.id, id=None, recorded_by=by, recorded_at=utc_now())
            problems = domain.validate_event(case, events, new)
            if problems:
                raise InputError(f"申请 {case_number}：" + "；".join(problems))
            values = {name: getattr(new, name) for name in ("case_id", "kind", "date", "data", "supersedes")}
            values |= {"recorded_by": by, "recorded_at": new.recorded_at}
            event_id = conn.execute(insert(EVENTS).values(values).returning(EVENTS.c.id)).scalar_one()
        return replace(new, id=event_id)

    def _events_of(self, conn: Connection, case_ids: Sequence[int]) -> dict[int, list[EventRecord]]:
        out: dict[int, list[EventRecord]] = {case_id: [] for case_id in case_ids}
        query = select(EVENTS).where(EVENTS.c.case_id.in_(case_ids)).order_by(EVENTS.c.id)
        for row in conn.execute(query):
            out[row.case_id].append(_event_from_row(row))
        return out

    # -- reading -----------------------------------------------------------------------

    def case(self, number: str) -> tuple[CaseRecord, list[EventRecord]]:
        """The case as registered and all its events (voided ones included), in recorded order."""
        number = number.strip()
        with self.engine.connect() as conn:
            row = conn.execute(self._select_cases().where(CASES.c.number == number)).first()
            if row is None:
                raise InputError(f"登记号 {number} 不存在")
            return _case_from_row(row), self._events_of(conn, [row.id])[row.id]

    def cases(
        self,
        *,
        received_before: date | None = None,
        open_on: date | None = None,
        batch_size: int = 500,
        where: Any = None,
    ) -> Iterator[tuple[CaseRecord, list[EventRecord]]]:
        """Histories in registration order, read in batches from one snapshot.

        `received_before` (exclusive) also keeps cases whose registration was amended, since
        the amended date decides; `open_on` keeps the cases not closed on that date; `where`
        is a further condition on the cases table (the web app's filters and search).
        """
        limit = received_before
        if open_on is not None:
            limit = min(limit or date.max, date.fromordinal(open_on.toordinal() + 1))
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":  # SQLite's read transaction is a snapshot already
                conn.execution_options(isolation_level="REPEATABLE READ")
            last_id = 0
            while True:
                query = self._select_cases().where(CASES.c.id > last_id)
                query = query.order_by(CASES.c.id).limit(batch_size)
                if limit is not None:
                    amended = select(EVENTS.c.case_id).where(EVENTS.c.kind == "case_amended")
                    query = query.where(or_(CASES.c.received < limit, CASES.c.id.in_(amended)))
                if where is not None:
                    query = query.where(where)
                rows = conn.execute(query).all()
                if not rows:
                    return
                events = self._events_of(conn, [row.id for row in rows])
                for row in rows:
                    history = (_case_from_row(row), events[row.id])
                    if open_on is None or _is_open(history, open_on):
                        yield history
                last_id = rows[-1].id

    def all_histories(self) -> Iterator[tuple[CaseRecord, list[EventRecord]]]:
        return self.cases()

    def count_cases(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(self.scoped(select(func.count()).select_from(CASES))).scalar_one()

    def existing_numbers(self, numbers: Sequence[str]) -> set[str]:
        with self.engine.connect() as conn:
            return self._taken(conn, numbers)

    def _taken(self, conn: Connection, numbers: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(numbers), 500):
            chunk = numbers[start : start + 500]
            found.update(conn.scalars(select(CASES.c.number).where(CASES.c.number.in_(chunk))))
        return found

    # -- settings ----------------------------------------------------------------------

    def get_info(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(INFO.c.value).where(INFO.c.key == key)).scalar_one_or_none()

    def set_info(self, key: str, value: str) -> None:
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        stmt = dialect_insert(INFO).values(key=key, value=value)
        with self._writing() as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=[INFO.c.key], set_={"value": value}))

    # -- bulk import -------------------------------------------------------------------

    def import_histories(self, histories: Iterable[tuple[CaseRecord, list[EventRecord]]], by: str) -> int:
        """Insert whole histories in one transaction: all of them or, on any error, none.

        The caller has validated them. Event ids in `histories` are provisional (unique within
        a case, in recorded order) and `supersedes` refers to them; real ids keep that order.
        `histories` is read once, IMPORT_BATCH cases at a time, so that a generator of any
        length is imported in bounded memory.
        """
        by = check_actor(by)
        now = utc_now()
        count = 0
        with self._writing() as conn:
            source = iter(histories)
            while batch := list(islice(source, IMPORT_BATCH)):
                self._insert_histories(conn, batch, by, now)
                count += len(batch)
        return count

    def _insert_histories(
        self, conn: Connection, batch: list[tuple[CaseRecord, list[EventRecord]]], by: str, now: datetime
    ) -> None:
        numbers = [case.number for case, _ in batch]
        taken = sorted(self._taken(conn, numbers), key=numbers.index)
        if taken:
            raise InputError(f"登记号已在台账中：{'、'.join(taken[:10])}")
        case_ids = self._reserve_ids(conn, "cases", len(batch))
        event_ids = iter(self._reserve_ids(conn, "events", sum(len(events) for _, events in batch)))
        case_rows, event_rows = [], []
        for (case, events), case_id in zip(batch, case_ids, strict=True):
            stamp = {"recorded_by": case.recorded_by or by, "recorded_at": case.recorded_at or now}
            case_rows.append(_case_values(case) | stamp | {"id": case_id, "org_id": self.org_id})
            real = {}
            for event in events:
                real[event.id] = next(event_ids)
                event_rows.append(_event_values(event, real, case_id, by, now))
        conn.execute(insert(CASES), case_rows)
        for start in range(0, len(event_rows), IMPORT_BATCH):
            conn.execute(insert(EVENTS), event_rows[start : start + IMPORT_BATCH])
        self._raise_counters(conn, numbers)

    def _reserve_ids(self, conn: Connection, table: str, count: int) -> list[int]:
        if count == 0:
            return []
        if self.dialect == "postgresql":
            query = (
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {count})"
            )
            return sorted(conn.exec_driver_sql(query).scalars())
        # SQLite: this transaction holds the write lock, so nobody else takes these ids.
        top = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one()
        return list(range(top + 1, top + 1 + count))


def _event_values(
    event: EventRecord, real: dict[int | None, int], case_id: int, by: str, now: datetime
) -> dict[str, Any]:
    return {
        "id": real[event.id],
        "case_id": case_id,
        "kind": event.kind,
        "date": event.date,
        "data": event.data,
        "supersedes": None if event.supersedes is None else real[event.supersedes],
        "recorded_by": event.recorded_by or by,
        "recorded_at": event.recorded_at or now,
    }


def _is_open(history: tuple[CaseRecord, list[EventRecord]], on: date) -> bool:
    case, events = history
    return domain.case_state(case, events, on).status != "closed"


def _first_line(err: Exception) -> str:
    orig = getattr(err, "orig", None) or err
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
