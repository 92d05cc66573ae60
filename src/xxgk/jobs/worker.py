"""The worker loop: claim a queued job, read the report in a child process with a time
limit, store the checked result or the reason it failed. Run by `xxgk worker` (and by
`xxgk serve`); any number of workers on any machine may share one database.

Children come from a fork server that has the readers imported already, so a child starts
in milliseconds and never inherits the web server's threads or database connections.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from ..errors import XxgkError
from ..store import Database
from .child import read_upload
from .complete import complete
from .queue import Claimed, beat, claim, fail, reap

DEFAULT_TIMEOUT = 600
ENV_TIMEOUT = "XXGK_JOB_TIMEOUT"
BEAT_EVERY = 5.0
REAP_EVERY = 30.0
PRELOAD = ["xxgk.api", "xxgk.jobs.child", "xxgk.read.text", "xxgk.read.html", "xxgk.read.docx", "xxgk.check"]

_context: Any = None
log = logging.getLogger("xxgk.jobs")


def _mp_context() -> Any:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def default_timeout() -> int:
    try:
        return max(1, int(os.environ.get(ENV_TIMEOUT, DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


class Worker:
    def __init__(
        self,
        db: Database,
        *,
        name: str | None = None,
        timeout: int | None = None,
        poll: float = 0.2,
        target: Callable[..., None] = read_upload,
        parent: int | None = None,
    ):
        self.db = db
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.timeout = timeout or default_timeout()
        self.poll = poll
        self.target = target
        self._last_reap = 0.0
        self.parent = parent  # a process whose end ends this worker (`xxgk serve` that started it)

    def run(self, stop: threading.Event | None = None) -> None:
        """Until `stop` is set; a database that does not answer is waited for, not fatal."""
        stop = stop or threading.Event()
        while not stop.is_set() and self._parent_alive():
            try:
                busy = self.run_once()
            except XxgkError as err:
                log.warning("worker %s: %s", self.name, err)
                busy = False
                stop.wait(5)
            if not busy:
                stop.wait(self.poll)

    def _parent_alive(self) -> bool:
        return self.parent is None or os.getppid() == self.parent

    def run_pending(self) -> int:
        """Run queued jobs until none is left; returns how many ran (for tests and scripts)."""
        count = 0
        while self.run_once():
            count += 1
        return count

    def run_once(self) -> bool:
        if time.monotonic() - self._last_reap > REAP_EVERY:
            reap(self.db)
            self._last_reap = time.monotonic()
        claimed = claim(self.db, self.name)
        if claimed is None:
            return False
        self._run(claimed)
        return True

    def _run(self, job: Claimed) -> None:
        ctx = _mp_context()
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=self.target, args=(sender, job.content, job.filename))
        proc.start()
        sender.close()
        try:
            result = self._wait(job, proc, receiver)
        finally:
            receiver.close()
            if proc.is_alive():
                proc.kill()
            proc.join(5)
        if result is None:
            fail(self.db, job.job_id, f"读取进程异常退出（退出码 {proc.exitcode}），可重新读取")
        elif result[0] == "timeout":
            fail(self.db, job.job_id, f"读取超时（超过 {self.timeout} 秒），可重新读取")
        elif result[0] == "error":
            fail(self.db, job.job_id, str(result[1]))
        else:
            self._complete(job, result[1])

    def _complete(self, job: Claimed, report: Any) -> None:
        beat(self.db, job.job_id, "checking")
        try:
            complete(self.db, job.job_id, report)
        except XxgkError:
            raise
        except Exception as err:  # a rule's bug must fail the job, not the worker
            log.exception("checking job %s failed", job.job_id)
            fail(self.db, job.job_id, f"检查时程序出错（{type(err).__name__}），可重新读取")

    def _wait(self, job: Claimed, proc: Any, receiver: Any) -> tuple[str, Any] | None:
        deadline = time.monotonic() + self.timeout
        last_beat = time.monotonic()
        while True:
            now = time.monotonic()
            if now > deadline:
                return ("timeout", None)
            if now - last_beat > BEAT_EVERY:
                beat(self.db, job.job_id)
                last_beat = now
            if not receiver.poll(min(0.5, max(0.01, deadline - now))):
                if not proc.is_alive() and not receiver.poll(0):
                    return None
                continue
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                return None
            if message[0] != "stage":
                return message
            beat(self.db, job.job_id, message[1])
