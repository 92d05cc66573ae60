"""A time limit on one file's reading and checking in a batch worker.

The readers of untrusted binary media (PDF, DOCX, DOC, OCR) already run in a child process
with their own deadline and memory cap (read/sandbox.py); this limit covers everything else a
worker does with a file (text and HTML reading, extraction, the checks) and is the last word
when a reader's deadline is longer. When it passes, `Overtime` is raised in the worker at the
next Python instruction, and the file becomes a failure with a Chinese reason:

- in a process's main thread (a pool worker, `--jobs 1`) by SIGALRM, which also stops a
  regular expression in the middle of its matching (CPython checks for signals there) and a
  wait for a sandboxed reader's child (which is then killed);
- in another thread (a Dask worker's task threads) by a timer thread that sets an
  asynchronous exception on the worker thread (`PyThreadState_SetAsyncExc`); code that never
  returns to the interpreter (one long C call) is stopped only when it does.

`Overtime` is a BaseException, so that no library's `except Exception` swallows it.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
from collections.abc import Iterator

DEFAULT_SECONDS = 900.0  # above the OCR reader's own 600 s, so the readers' limits speak first


class Overtime(BaseException):
    """The file's time is up."""


def overtime_message(seconds: float) -> str:
    return f"读取和检查此文件超过 {seconds:g} 秒，已停止（文件可能过大、已损坏或过于复杂）"


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `Overtime` in this thread if the enclosed code runs longer than `seconds`."""
    if not seconds or seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _async_timer(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum, frame):
        raise Overtime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def _set_async(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None
    )


@contextlib.contextmanager
def _async_timer(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async(target, Overtime)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:  # fired as the work ended: take back what was not yet raised
                _set_async(target, None)
