"""Running cases in forked children and classifying what happened.

Each case forks a child from this process (xxgk already imported, so a fork costs a few
milliseconds), in its own process group, with RLIMIT_AS set and standard output and error
sent to a file. The parent runs up to `workers` children at once, kills a child's whole
group when its wall-clock limit passes (a hang), and reads back one JSON line: what the
target returned or raised. Outcomes:

- ok: the input was accepted;
- error: an XxgkError whose message is one line in Chinese and is not "内部错误";
- fail, by kind: hang, oom (MemoryError, or killed by the kernel), crash (died without
  answering), traceback (any other exception), internal ("内部错误"), unclear (an XxgkError
  not in Chinese, or more than one line), stderr (anything written to the standard error or
  output: a library warning), dtd (an XML part with a DTD accepted), formula (a live formula
  in an export).
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

CJK = re.compile(r"[\u4e00-\u9fff]")
DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY = 3 * 1024**3  # address space; the readers' own sandboxes cap themselves lower
MAX_ANSWER = 16_000


@dataclass
class Job:
    key: str  # e.g. "pdf-00042"
    target: Callable[[str, str], str]
    data: bytes
    suffix: str
    hostile_xml: bool = False
    extra: dict = field(default_factory=dict)  # carried through to the outcome (medium, ops)


@dataclass
class Outcome:
    job: Job
    status: str  # ok | error | fail
    kind: str  # ok | error | hang | oom | crash | traceback | internal | unclear | stderr | dtd | formula
    message: str
    seconds: float
    rss_mb: float
    stderr: str = ""


def _child(job: Job, path: str, scratch: str, writer: int, err_path: str, memory: int) -> None:
    """In the forked child: never returns."""
    code = 0
    try:
        os.setpgid(0, 0)
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(err, 1)
        os.dup2(err, 2)
        os.close(err)
        # Python's own streams on those descriptors too (pytest replaces them with its capture)
        sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)  # noqa: SIM115
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        faulthandler.enable(
            sys.stderr
        )  # a crash's stack goes with the saved input, not to the caller's terminal
        if memory:
            # on top of what the parent has mapped already: forked from a large process (a whole
            # pytest session maps gigabytes of libraries), a flat cap would leave nothing to allocate
            limit = _mapped_bytes() + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        import warnings

        # Python's own defaults, whatever the caller (pytest) set: a warning a user would see
        # on stderr is caught there; ResourceWarning and DeprecationWarning stay hidden
        warnings.resetwarnings()
        warnings.simplefilter("default")
        for hidden in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.simplefilter("ignore", hidden)
        warnings.showwarning = _show_warning  # not pytest's recorder
        began = time.monotonic()
        answer = _run_target(job, path, scratch)
        answer["seconds"] = time.monotonic() - began  # the parent may be busy making a big case
    except BaseException as exc:  # noqa: BLE001 - the child must answer whatever happened
        answer = {"kind": "traceback", "message": "".join(traceback.format_exception(exc))}
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        answer["message"] = str(answer.get("message", ""))[-MAX_ANSWER:]  # a traceback's end matters most
        os.write(writer, json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    finally:
        os._exit(code)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    import warnings

    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _run_target(job: Job, path: str, scratch: str) -> dict:
    from xxgk.errors import XxgkError

    from .targets import LiveFormula

    try:
        detail = job.target(path, scratch)
    except XxgkError as exc:
        return {"kind": "error", "message": str(exc), "type": type(exc).__name__}
    except MemoryError:
        return {"kind": "oom", "message": "MemoryError"}
    except LiveFormula as exc:
        return {"kind": "formula", "message": str(exc)}
    except BaseException as exc:  # noqa: BLE001
        return {"kind": "traceback", "message": "".join(traceback.format_exception(exc))}
    return {"kind": "ok", "message": str(detail)}


def classify(
    job: Job, answer: dict | None, timed_out: bool, status: int, stderr: str
) -> tuple[str, str, str]:
    """(status, kind, message) of one case."""
    if timed_out:
        return "fail", "hang", "超过时间上限，子进程已被终止"
    if answer is None:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            return "fail", "oom", "子进程被系统终止（SIGKILL，多为内存耗尽）"
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        return "fail", "crash", f"子进程无应答退出（{how}）"
    kind, message = answer.get("kind", "traceback"), answer.get("message", "")
    if kind in ("oom", "traceback", "formula"):
        return "fail", kind, message
    if kind == "error":
        if "内部错误" in message:
            return "fail", "internal", message
        if not CJK.search(message) or "\n" in message.strip() or "Traceback" in message:
            return "fail", "unclear", message
    if stderr.strip():
        return "fail", "stderr", stderr.strip()[:4000]
    if kind == "ok" and job.hostile_xml:
        return "fail", "dtd", "含 DTD 的 XML 部件被接受：" + message
    return ("ok", "ok", message) if kind == "ok" else ("error", "error", message)


@dataclass
class _Running:
    job: Job
    pid: int
    reader: int
    folder: str
    started: float


def run_jobs(
    jobs: Iterable[Job],
    *,
    workers: int = 2,
    timeout: float = DEFAULT_TIMEOUT,
    memory: int = DEFAULT_MEMORY,
    deadline: float | None = None,
    workdir: str | None = None,
) -> Iterator[Outcome]:
    """Run the jobs, `workers` at a time; yield each outcome as its case ends. No new case is
    started after `deadline` (time.monotonic())."""
    base = tempfile.mkdtemp(prefix="xxgk-fuzz-run-", dir=workdir)
    source = iter(jobs)
    running: list[_Running] = []
    exhausted = False
    try:
        while running or not exhausted:
            while not exhausted and len(running) < workers:
                if deadline is not None and time.monotonic() >= deadline:
                    exhausted = True
                    break
                job = next(source, None)
                if job is None:
                    exhausted = True
                    break
                running.append(_start(job, base, memory))
                del job  # its bytes are on disk now (see _start)
            finished = []
            for item in running:
                pid, status, usage = os.wait4(item.pid, os.WNOHANG)
                timed_out = False
                if pid == 0:
                    if time.monotonic() - item.started <= timeout:
                        continue
                    _kill_group(item.pid)
                    _, status, usage = os.wait4(item.pid, 0)
                    timed_out = True
                finished.append(item)
                yield _finish(item, status, usage, timed_out)
            for item in finished:
                running.remove(item)
            if running and not finished:
                time.sleep(0.003)
    finally:
        for item in running:
            _kill_group(item.pid)
            os.waitpid(item.pid, 0)
            os.close(item.reader)
        shutil.rmtree(base, ignore_errors=True)


def _start(job: Job, base: str, memory: int) -> _Running:
    folder = tempfile.mkdtemp(prefix=job.key + "-", dir=base)
    path = os.path.join(folder, "input" + job.suffix)
    with open(path, "wb") as stream:
        stream.write(job.data)
    # A forked child counts the parent's resident pages as its own: a 780 MB mutant still held
    # here would show as every concurrent case's peak. On disk it is; the bytes go now (the
    # generator holds no other reference) and come back from the file if the case fails.
    job.data = b""
    scratch = os.path.join(folder, "scratch")
    os.mkdir(scratch)
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        _child(job, path, scratch, writer, os.path.join(folder, "stderr"), memory)
    os.close(writer)
    return _Running(job, pid, reader, folder, time.monotonic())


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _finish(item: _Running, status: int, usage, timed_out: bool) -> Outcome:
    seconds = time.monotonic() - item.started
    _kill_group(item.pid)  # any grandchild still holding the pipe
    chunks = []
    while chunk := os.read(item.reader, 65536):
        chunks.append(chunk)
    os.close(item.reader)
    answer = None
    if chunks and not timed_out:
        try:
            answer = json.loads(b"".join(chunks).decode("utf-8", errors="replace"))
        except ValueError:
            answer = {"kind": "traceback", "message": "无法解析子进程的应答"}
    try:
        with open(os.path.join(item.folder, "stderr"), encoding="utf-8", errors="replace") as stream:
            stderr = stream.read(8000)
    except OSError:
        stderr = ""
    verdict, kind, message = classify(item.job, answer, timed_out, status, stderr)
    if answer and isinstance(answer.get("seconds"), float):
        seconds = answer["seconds"]
    if verdict == "fail":  # the input, to save for reproduction
        with open(os.path.join(item.folder, "input" + item.job.suffix), "rb") as stream:
            item.job.data = stream.read()
    shutil.rmtree(item.folder, ignore_errors=True)
    return Outcome(item.job, verdict, kind, message, seconds, usage.ru_maxrss / 1024, stderr)


def _mapped_bytes() -> int:
    """This process's virtual size (VmSize), 0 where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
