"""Running an untrusted reader where it can be stopped: a child process with a memory cap and
a deadline.

`run(reader, data, path, budget, ...)` forks; the child caps its address space
(RLIMIT_AS) so that its resident memory stays under `budget.memory` (512 MB, the parent's
resident pages included), arms a timer for `budget.seconds`, reads, and sends the Document
back pickled. The parent waits `budget.seconds` plus a grace period, then kills the child.
Whatever happens in the child comes back as one of:

- the Document;
- an InputError (the reader's own, or "读取超时…" when the timer fired, or "…内存超过上限…"
  on MemoryError);
- another exception, re-raised in the parent as it was (our own bug: the CLI reports it as
  "内部错误"), with the child's traceback as a note;
- nothing: the child died (a C library crashed, the parent killed it) -> an InputError.

Inside the child, `deadline(seconds, message)` sets a shorter limit on a phase (opening a
PDF, one page): when it passes, the phase's message is the error. The timer raises
`Expired`, a BaseException, so that no library's `except Exception` swallows it; a loop in C
code is stopped by the parent's kill. Outside a child `deadline` does nothing.

Fork is cheap (the child shares the parent's pages; 15-30 ms per document). In a process with
other threads (a web server) the child could inherit a lock one of them held at the fork;
CPython guards its own (the import lock, the allocator), and the child takes no other lock
the parent's threads share, so the worst that could happen is a child that waits until the
parent kills it at the deadline. (The 'forkserver' and 'spawn' methods would re-run the
caller's main module in the child, which a script without a __main__ guard does not
survive.) `XXGK_SANDBOX=0` in the environment, or
`inline()` in tests of the readers' internals, runs readers in the calling process; a
reader called inside a child (DOC -> DOCX) runs inline too. Library warnings written to
the standard error by the child are discarded unless XXGK_DEBUG is set.
"""

from __future__ import annotations

import contextlib
import faulthandler
import importlib
import multiprocessing
import os
import pickle
import resource
import signal
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import InputError

MEMORY_LIMIT = 512 * 1024 * 1024  # resident bytes of one document's reading
MIN_ALLOWANCE = 256 * 1024 * 1024  # new memory for the child even when the parent is large
GRACE = 3.0  # seconds the parent waits past the child's own timer before killing it

_MIB = 1024 * 1024
_ENV = "XXGK_SANDBOX"


def timeout_message(seconds: float) -> str:
    return f"读取超时（超过 {seconds:g} 秒），文件可能已损坏或过于复杂"


def memory_message(limit: int = MEMORY_LIMIT) -> str:
    return f"读取此文件需要的内存超过上限（{limit // _MIB} MB），文件可能已损坏或含有压缩炸弹"


def crash_message(exitcode: int | None) -> str:
    how = f"退出码 {exitcode}"
    if exitcode is not None and exitcode < 0:
        try:
            how = f"信号 {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"信号 {-exitcode}"
    return f"读取此文件的进程异常退出（{how}），文件可能已损坏，或需要的内存超过上限"


@dataclass(frozen=True)
class Budget:
    seconds: float
    message: str  # the error when the time is up
    memory: int = MEMORY_LIMIT


class Expired(BaseException):
    """The child's timer fired. A BaseException: libraries catch Exception broadly."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- switches

_inline = False
_in_child = False


def enabled() -> bool:
    """Whether readers run in a child: not when turned off, nor inside a child already, nor
    in a daemonic process (a multiprocessing.Pool worker may have no children)."""
    return (
        not _inline
        and not _in_child
        and hasattr(os, "fork")
        and not multiprocessing.current_process().daemon
        and os.environ.get(_ENV, "1").lower() not in ("0", "false", "no", "off")
    )


@contextlib.contextmanager
def inline() -> Iterator[None]:
    """Run readers in this process (tests of their internals: monkeypatching, tracemalloc)."""
    global _inline
    saved, _inline = _inline, True
    try:
        yield
    finally:
        _inline = saved


def in_child() -> bool:
    return _in_child


# ---------------------------------------------------------------- the parent's side


def run(
    reader: Callable[..., Any],
    data: bytes,
    path: str | None,
    budget: Budget,
    *args: Any,
    preload: tuple[str, ...] = (),
    **kwargs: Any,
) -> Any:
    """`reader(data, path, *args, **kwargs)` in a child process within `budget`."""
    if not enabled():
        return reader(data, path, *args, **kwargs)
    for module in preload:  # imported once here, inherited by every child
        importlib.import_module(module)
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_child_main, args=(sender, reader, data, path, args, kwargs, budget), daemon=True
    )
    with warnings.catch_warnings():
        # Python 3.12+ warns on fork in a process with threads: see the module docstring
        warnings.simplefilter("ignore", DeprecationWarning)
        child.start()
    sender.close()
    try:
        answer = _receive(receiver, budget.seconds + GRACE)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if answer is None:
        raise InputError(budget.message, path)
    if answer is _DIED:
        raise InputError(crash_message(child.exitcode), path)
    return _unpack(answer, path)


_DIED = object()


def _receive(receiver, seconds: float) -> Any:
    """The child's answer; None when the time is up, _DIED when the child died first."""
    if not receiver.poll(seconds):
        return None
    try:
        return receiver.recv()
    except (EOFError, OSError, pickle.UnpicklingError):
        return _DIED


def _unpack(answer: tuple, path: str | None) -> Any:
    kind, value = answer
    if kind == "ok":
        return value
    if kind == "input":
        message, error_path = value
        raise InputError(message, error_path)
    exc, child_traceback = value
    exc.add_note(f"（读取子进程中的调用栈）\n{child_traceback}")
    raise exc


# ---------------------------------------------------------------- the child's side


def _child_main(sender, reader, data, path, args, kwargs, budget: Budget) -> None:
    global _in_child
    _in_child = True
    _quiet()
    _cap_memory(budget.memory)
    signal.signal(signal.SIGALRM, _on_alarm)
    _deadlines.append((time.monotonic() + budget.seconds, budget.message))
    _arm()
    try:
        answer = _call(reader, data, path, args, kwargs, budget)
    except Expired as exc:  # the timer fired while a failure was being put into words
        answer = ("input", (exc.message, path))
    signal.setitimer(signal.ITIMER_REAL, 0)
    _send(sender, answer, path, budget)


def _call(reader, data, path, args, kwargs, budget: Budget) -> tuple:
    """The reader's answer, the timer stopped as soon as there is one."""
    try:
        result = reader(data, path, *args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 (everything goes back to the parent)
        signal.setitimer(signal.ITIMER_REAL, 0)
        return _failure(exc, path, budget)
    signal.setitimer(signal.ITIMER_REAL, 0)
    return ("ok", result)


def _failure(exc: BaseException, path: str | None, budget: Budget) -> tuple:
    if isinstance(exc, Expired):
        return ("input", (exc.message, path))
    if isinstance(exc, InputError):
        return ("input", (exc.message, exc.path))
    if isinstance(exc, MemoryError):
        return ("input", (memory_message(budget.memory), path))
    return ("error", (exc, "".join(traceback.format_exception(exc))))


def _send(sender, answer: tuple, path: str | None, budget: Budget) -> None:
    try:
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        if answer[0] == "error":
            pickle.loads(payload)  # an exception must also unpickle in the parent
    except MemoryError:
        payload = pickle.dumps(("input", (memory_message(budget.memory), path)))
    except Exception:  # noqa: BLE001 (an exception that does not pickle: send what it said)
        exc, child_traceback = answer[1] if answer[0] == "error" else (answer[1], "")
        stand_in = RuntimeError(f"{type(exc).__name__}: {exc}")
        payload = pickle.dumps(("error", (stand_in, child_traceback)))
    sender.send_bytes(payload)
    sender.close()


def _quiet() -> None:
    """Library warnings (pdfminer's logging, Pillow's, C libraries' messages) stay silent."""
    warnings.simplefilter("ignore")
    if os.environ.get("XXGK_DEBUG"):
        return
    faulthandler.disable()  # a crash is reported by the parent, in one line
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _cap_memory(limit: int) -> None:
    """Cap the address space so that resident memory stays within `limit`: what the process
    maps now (shared with the parent) plus what it may still map."""
    size, rss = _vm_status()
    if size is None or rss is None:
        return
    allowance = max(limit - rss, MIN_ALLOWANCE)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size + allowance
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or cap < soft:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _vm_status() -> tuple[int | None, int | None]:
    values: dict[str, int] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                name, _, rest = line.partition(":")
                if name in ("VmSize", "VmRSS"):
                    values[name] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return None, None
    return values.get("VmSize"), values.get("VmRSS")


# ---------------------------------------------------------------- deadlines inside the child

_deadlines: list[tuple[float, str]] = []  # (monotonic time, message), outermost first


def _arm() -> None:
    if not _deadlines:
        return
    left = min(end for end, _ in _deadlines) - time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def _on_alarm(signum, frame) -> None:
    now = time.monotonic()
    due = [(end, message) for end, message in _deadlines if end <= now + 0.001]
    if due:
        raise Expired(min(due)[1])
    _arm()  # woke early: wait for the rest


@contextlib.contextmanager
def deadline(seconds: float, message: str) -> Iterator[None]:
    """Within a child, the enclosed code must finish within `seconds`, or `message` is the
    error. Elsewhere, no limit."""
    if not _in_child:
        yield
        return
    entry = (time.monotonic() + seconds, message)
    _deadlines.append(entry)
    _arm()
    expired = False
    try:
        yield
    except Expired:
        expired = True
        raise
    finally:
        _deadlines.remove(entry)
        if expired:
            signal.setitimer(signal.ITIMER_REAL, 0)  # unwinding to the top: no second alarm
        else:
            _arm()  # the enclosing deadline again


__all__ = [
    "Budget",
    "Expired",
    "MEMORY_LIMIT",
    "deadline",
    "enabled",
    "in_child",
    "inline",
    "memory_message",
    "run",
    "timeout_message",
]
