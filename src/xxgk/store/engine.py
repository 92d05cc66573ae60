"""Engines for the application database: a SQLite file (the default) or a PostgreSQL URL.

`--db` names it on every command, else the environment variable XXGK_DB, else
``xxgk.sqlite3`` in the working directory. SQLite runs in WAL mode with a busy timeout, and a
connection marked ``xxgk_write`` begins with ``BEGIN IMMEDIATE`` so that two writers never
read the same state and then both write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError

from ..errors import InputError

DEFAULT_DB = "xxgk.sqlite3"
ENV_DB = "XXGK_DB"
SQLITE_BUSY_MS = 30_000


def default_target(db: str | None) -> str:
    return db or os.environ.get(ENV_DB) or DEFAULT_DB


def create_db_engine(
    target: str, *, create: bool = True, what: str = "数据库", missing_hint: str = ""
) -> tuple[Engine, str]:
    """An engine for a SQLite path or a database URL, and the label to show users (no
    password). `what` names the database in messages (台账数据库 for the ledger's commands)."""
    if "://" not in target:
        return _sqlite_engine(_sqlite_path(target, create, what, missing_hint), target)
    try:
        url = make_url(target)
    except ArgumentError:
        raise InputError("数据库地址无效", target) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        path = _sqlite_path(url.database or "", create, what, missing_hint)
        return _sqlite_engine(path, url.database or target)
    if backend not in ("postgresql", "postgres"):
        raise InputError(f"不支持的数据库类型“{backend}”（支持 SQLite 文件和 postgresql://）", target)
    label = url.render_as_string(hide_password=True)
    try:
        engine = create_engine(url.set(drivername="postgresql+psycopg"), pool_pre_ping=True)
    except ModuleNotFoundError:
        raise InputError("使用 PostgreSQL 需要安装 psycopg（pip install 'xxgk[postgres]'）", label) from None
    return engine, label


def _sqlite_path(target: str, create: bool, what: str, missing_hint: str) -> Path:
    if not target or target == ":memory:":
        raise InputError(f"请指定{what}文件", target or None)
    path = Path(target).expanduser()
    if path.is_dir():
        raise InputError(f"是目录，不是{what}文件", target)
    if not path.exists():
        if not create:
            raise InputError(f"{what}不存在{missing_hint}", target)
        if not path.parent.is_dir():
            raise InputError(f"{what}所在的目录不存在", target)
    return path.resolve()


def _sqlite_engine(path: Path, label: str) -> tuple[Engine, str]:
    url = URL.create("sqlite+pysqlite", database=str(path))
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver's own BEGIN would be DEFERRED; see _on_begin
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that reads and then writes fails at once (SQLITE_BUSY, no
        # retry) when another writer committed in between; IMMEDIATE takes the lock up front.
        write = conn.get_execution_options().get("xxgk_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine, label
