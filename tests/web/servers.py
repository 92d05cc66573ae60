"""Real app processes for the multi-process and browser tests: `xxgk serve` on a free port of
127.0.0.1 against a given database, stopped (by its own PID) when the test ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    base: str
    pid: int

    def children(self) -> list[int]:
        """PIDs of the processes this server started (its workers)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                found.append(int(stat.parent.name))
        return found


@contextmanager
def serving(db_url: str, log_dir: Path, *, workers: int = 1, env: dict | None = None):
    """Yield a running `xxgk serve` (its base URL and PID)."""
    port = free_port()
    log = (log_dir / f"serve-{port}.log").open("wb")
    command = [
        sys.executable,
        "-m",
        "xxgk.cli",
        "serve",
        "--port",
        str(port),
        "--db",
        db_url,
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc, log_dir / f"serve-{port}.log")
        yield Served(base, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def _wait_until_up(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"xxgk serve exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("xxgk serve did not start within 60 s")
