"""Running the CLI on one file in a child process, with its wall time and peak memory.

`run_cli(*args, timeout=…)` starts `python -m xxgk.cli …` and reaps it with os.wait4, whose
resource usage covers the process and every descendant it waited for (the readers' sandbox
children included): `peak_mb` is the largest resident set among them. A run past `timeout`
is killed and reported with `timed_out`. Used by tests/test_hostile_readers.py and
bench/hostile.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


# Linux keeps a process's peak RSS across execve (the old image's high-water mark is folded in),
# so a CLI started straight from a large pytest process would report pytest's size. A small
# launcher forks the CLI from itself and reports the CLI's own peak, read with wait4.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run_cli(*args: str, timeout: float = 60.0) -> Run:
    env = {k: v for k, v in os.environ.items() if k != "XXGK_DEBUG"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as peak:
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, peak.name, "-m", "xxgk.cli", *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            start_new_session=True,  # its sandbox child is killed with it at the timeout
        )
        status, usage = _reap(proc, started + timeout)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        returncode = None if status is None else os.waitstatus_to_exitcode(status)
        reported = Path(peak.name).read_text().strip()
        kb = int(reported) if reported else (usage.ru_maxrss if usage is not None else 0)  # KB on Linux
        return Run(returncode, _text(out.read()), _text(err.read()), seconds, kb / 1024)


def _reap(proc: subprocess.Popen, deadline: float):
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return status, usage
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            _, _, usage = os.wait4(proc.pid, 0)
            proc.returncode = -signal.SIGKILL
            return None, usage
        time.sleep(0.02)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")
