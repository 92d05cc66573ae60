"""Where the ledger is (`--db`, else XXGK_LEDGER_DB, else a SQLite file here) and who is
writing (`--by`, else XXGK_USER, else the login name). Kept apart from the store so the
command line can name them without loading SQLAlchemy."""

from __future__ import annotations

import getpass
import os

DEFAULT_DB = "xxgk-ledger.sqlite3"
ENV_DB = "XXGK_LEDGER_DB"
ENV_USER = "XXGK_USER"


def default_target(db: str | None) -> str:
    return db or os.environ.get(ENV_DB) or DEFAULT_DB


def default_actor(by: str | None) -> str:
    if by:
        return by
    if os.environ.get(ENV_USER):
        return os.environ[ENV_USER]
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a bare container
        return "未知"
