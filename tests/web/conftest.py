"""Web fixtures: a fresh application database on SQLite and on PostgreSQL (`db_url`), an
organisation tree with one account per role, an app client per account, and a way to run
the queued jobs now (a real worker, children and all). Helpers live in websupport.py."""

from __future__ import annotations

import pytest
from websupport import ACCOUNTS, PASSWORD, TREE, Browser, sign_in

from xxgk.accounts.users import add_user
from xxgk.jobs.worker import Worker
from xxgk.orgs import add_org
from xxgk.store import open_database
from xxgk.web import create_app


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "app.sqlite3")
    return request.getfixturevalue("pg_server").create_database()


@pytest.fixture
def db(db_url):
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def world(db):
    """The tree and one account per entry of ACCOUNTS (password PASSWORD)."""
    with db.write() as session:
        for spec in TREE:
            add_org(session, "测试", spec)
        for login, (role, org) in ACCOUNTS.items():
            add_user(session, "测试", login, role, org, PASSWORD)
    return db


@pytest.fixture
def app(world):
    return create_app(world)


@pytest.fixture
def as_user(app):
    made: dict[str, Browser] = {}

    def get(login: str) -> Browser:
        if login not in made:
            made[login] = sign_in(app, login)
        return made[login]

    return get


@pytest.fixture
def run_jobs(world):
    """Run every queued job now, in real child processes; returns how many ran."""
    worker = Worker(world, timeout=120)
    return worker.run_pending
