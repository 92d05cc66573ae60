"""The one application database: the ledger's schema is revision 0001 of its history and the
app's tables 0002; a ledger made before the app upgrades in place and keeps its cases; the
ledger opens on the app's database (same engine); foreign databases are refused."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from xxgk.errors import InputError
from xxgk.ledger.records import CaseRecord
from xxgk.ledger.store import Ledger
from xxgk.store import open_database
from xxgk.store.engine import create_db_engine
from xxgk.store.migrations import alembic_config, head_revision
from xxgk.store.tables import all_metadata


def test_the_migrations_create_exactly_the_declared_tables(db):
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), all_metadata()) == []
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            == head_revision()
            == "0004"
        )


def test_a_ledger_made_before_the_app_is_upgraded_in_place(db_url):
    engine, _ = create_db_engine(db_url)
    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.commit()
    engine.dispose()
    with Ledger.open(db_url) as ledger:  # opening upgrades to the head: one history
        case = CaseRecord("", date(2025, 3, 3), "online", "natural_person", "张三", "某文件")
        ledger.add_case(case, "李四")
    database = open_database(db_url)
    assert [c.number for c, _ in database.ledger().cases()] == ["2025-0001"]
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0004"
    database.close()


def test_a_database_of_something_else_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    folder = tmp_path / "dir"
    folder.mkdir()
    missing = tmp_path / "no" / "x.sqlite3"
    for target, message in [
        (str(path), f"{path}：不是 xxgk 应用数据库（其中已有其他数据表）"),
        (str(folder), f"{folder}：是目录，不是数据库文件"),
        (str(missing), f"{missing}：数据库所在的目录不存在"),
        ("mysql://u@h/db", "mysql://u@h/db：不支持的数据库类型“mysql”（支持 SQLite 文件和 postgresql://）"),
    ]:
        with pytest.raises(InputError) as info:
            open_database(target)
        assert str(info.value) == message
