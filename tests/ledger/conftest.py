"""Ledger fixtures: `ledger_url`, which runs a test once on SQLite and once on PostgreSQL
(a fresh database each time, from the session's throw-away server: `pg_server` in
tests/conftest.py, tests/pgserver.py)."""

from __future__ import annotations

import pytest

from xxgk.ledger import domain


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path) -> str:
    """Where a fresh, empty ledger lives: a SQLite file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.sqlite3")
    return request.getfixturevalue("pg_server").create_database()


@pytest.fixture
def validation():
    """The domain's event validation, which the store calls on every new event."""
    return domain.validate_event
