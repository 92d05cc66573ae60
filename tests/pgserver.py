"""A throw-away PostgreSQL server for the test session (the ledger's and the web app's suites
run on SQLite and on PostgreSQL).

The server is the distribution's PostgreSQL (scripts/setup-system.sh installs it): initdb
into a temporary directory, started on a free port of 127.0.0.1 with its socket in that
directory. initdb refuses to run as root, so as root the server runs as `postgres`.
Without the binaries the PostgreSQL half is skipped locally and fails under CI.
The `pg_server` fixture (tests/conftest.py) yields a `PgServer` from `start()`.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_GLOB = "/usr/lib/postgresql/*/bin"


@dataclass
class PgServer:
    host: str
    port: int
    counter: itertools.count

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{database}"

    def create_database(self) -> str:
        import psycopg

        name = f"db_{next(self.counter)}"
        with psycopg.connect(self.url("postgres").replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _pg_bin() -> Path | None:
    dirs = sorted(
        glob.glob(PG_GLOB), key=lambda d: int(Path(d).parent.name) if Path(d).parent.name.isdigit() else 0
    )
    for d in reversed(dirs):
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def start():
    bindir = _pg_bin()
    if bindir is None:
        message = f"PostgreSQL 未安装（{PG_GLOB}/initdb 不存在）：运行 scripts/setup-system.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, log, port = root / "data", root / "server.log", _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run(
            _as_server_user(
                [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
                + ["--no-locale", "--no-sync"]
            ),
            **run,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        start = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]
        subprocess.run(_as_server_user(start), **run)
    except subprocess.CalledProcessError as err:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL 启动失败：{err.stderr.decode(errors='replace')}")
    try:
        yield PgServer("127.0.0.1", port, itertools.count(1))
    finally:
        stop = [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_server_user(stop), capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


