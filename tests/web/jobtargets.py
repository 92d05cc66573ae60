"""Stand-ins for the reader in a job's child process: one that dies, one that hangs. Imported
by name in the worker's fork server, so they live in a module of their own."""

from __future__ import annotations

import os
import time


def die(conn, content: bytes, filename: str) -> None:
    conn.send(("stage", "reading"))
    os._exit(3)


def hang(conn, content: bytes, filename: str) -> None:
    conn.send(("stage", "reading"))
    time.sleep(600)
