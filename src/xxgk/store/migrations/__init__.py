"""The Alembic migrations of every table of the application database, shipped in the
package and run on open. 0001 is the ledger's first schema; 0002 adds the application's
tables (organisation tree, accounts, sessions, reports, jobs, reviews, audit log).

`upgrade(connection)` runs inside the caller's transaction (Alembic sees an external
transaction and does not open its own), so a schema change and the lock that guards it
commit together: two processes opening a new database at once cannot both create it.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import exc, inspect, text
from sqlalchemy.engine import Connection, Engine

from ...errors import InputError

SCRIPT_LOCATION = Path(__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None  # the package ships at least one revision
    return head


@cache
def known_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


# Any constant: serialises schema upgrades of one PostgreSQL database across processes.
_PG_LOCK_KEY = 0x7867_6B6C  # "xgkl"


def ensure_schema(engine: Engine, label: str, what: str = "台账") -> None:
    """Create or upgrade the schema; refuse a database that is not xxgk's or that a newer
    xxgk has upgraded. `what` names the database in messages (台账 for the ledger).

    SQLite answers "database is locked" at once, without its busy handler, when another
    process is turning a new file into WAL mode; that moment passes, so it is tried again."""
    for attempt in range(_LOCKED_RETRIES):
        try:
            return _ensure_schema(engine, label, what)
        except InputError as err:
            if "database is locked" not in err.message or attempt == _LOCKED_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


_LOCKED_RETRIES = 20


def _ensure_schema(engine: Engine, label: str, what: str) -> None:
    try:
        with engine.connect() as conn:
            if current_revision(conn) == head_revision():
                return
        with engine.connect() as conn:
            conn.execution_options(xxgk_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                _check_and_upgrade(conn, label, what)
    except exc.DBAPIError as err:
        raise InputError(_open_error(err, what), label) from None


def _check_and_upgrade(conn: Connection, label: str, what: str) -> None:
    revision = current_revision(conn)
    if revision == head_revision():
        return  # another process upgraded it while we waited for the lock
    if revision is None and inspect(conn).get_table_names():
        raise InputError(f"不是 xxgk {what}数据库（其中已有其他数据表）", label)
    if revision is not None and revision not in known_revisions():
        raise InputError(f"{what}由较新版本的 xxgk 建立（结构版本 {revision}），请升级 xxgk", label)
    upgrade(conn)


def _open_error(err: exc.DBAPIError, what: str) -> str:
    detail = str(err.orig).strip().splitlines()[0] if str(err.orig).strip() else type(err.orig).__name__
    if "file is not a database" in detail:
        return f"不是{what}数据库（无法作为 SQLite 数据库读取）"
    if "unable to open database file" in detail or "readonly database" in detail:
        return f"无法打开或写入{what}数据库文件（请检查权限）"
    return f"无法打开{what}数据库（{detail}）"
