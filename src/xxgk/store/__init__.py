"""The ONE database of the application: engine, sessions and the Alembic migrations of every
table (the ledger's and the app's). Everything that stores something opens a `Database`
(or, like the ledger, an engine from `engine.py`) and never a second storage layer.

    db = open_database(default_target(None))   # xxgk.sqlite3, XXGK_DB, or --db
    with db.write() as session: ...            # one transaction; SQLite: BEGIN IMMEDIATE
    with db.read() as session: ...
    db.ledger()                                # the 依申请公开 ledger on the same engine
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..errors import InputError
from .engine import DEFAULT_DB, ENV_DB, create_db_engine, default_target
from .migrations import ensure_schema

if TYPE_CHECKING:
    from ..ledger.store import Ledger

WHAT = "应用"


class DatabaseUnavailable(InputError):
    """The database did not answer (server down, file locked too long); try again later."""


class Database:
    def __init__(self, engine: Engine, label: str):
        self.engine = engine
        self.label = label
        self._reader = sessionmaker(bind=engine, expire_on_commit=False)
        self._writer = sessionmaker(bind=engine.execution_options(xxgk_write=True), expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._session(self._reader) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, committed when the block ends without an exception."""
        with self._session(self._writer) as session, session.begin():
            yield session

    @contextmanager
    def _session(self, factory: sessionmaker) -> Iterator[Session]:
        try:
            with factory() as session:
                yield session
        except exc.OperationalError as err:
            raise DatabaseUnavailable(f"数据库暂时无法访问（{_first_line(err)}）") from None

    def ledger(self) -> Ledger:
        """The 依申请公开 ledger stored in this database (shares the engine)."""
        from ..ledger.store import Ledger

        return Ledger(self.engine, self.label)

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: str | os.PathLike[str], *, create: bool = True) -> Database:
    """A path is a SQLite file; a ``postgresql://`` URL a PostgreSQL database. The schema
    is created or upgraded to the newest revision first."""
    engine, label = create_db_engine(os.fspath(target), create=create, what="数据库")
    try:
        ensure_schema(engine, label, WHAT)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, label)


def _first_line(err: Exception) -> str:
    orig = getattr(err, "orig", None) or err
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


__all__ = ["DEFAULT_DB", "ENV_DB", "Database", "DatabaseUnavailable", "default_target", "open_database"]
