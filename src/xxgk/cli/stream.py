"""Many inputs, one at a time or on several processes, written as each result is ready.

Each input becomes an `Outcome`: the text to print for it (a text block, a JSON element, JSON
Lines, CSV rows), or the Chinese error line when it could not be read, plus its finding counts.
Workers render their own output, so the parent only writes strings in input order; nothing is
kept per report, so memory does not grow with the number of files.
"""

from __future__ import annotations

import json
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import XxgkError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..model import Report


@dataclass
class Outcome:
    path: str
    output: str = ""
    error: str | None = None
    severities: dict[str, int] = field(default_factory=dict)


def outcome(path: str, read: Callable[[str], Report], render: Callable[[Report], str]) -> Outcome:
    """Read one input and render it; unreadable input gives its error line, never a traceback."""
    try:
        report = read(path)
    except XxgkError as exc:
        return Outcome(path, error=str(exc) if exc.path else f"{path}：{exc.message}")
    except Exception as exc:  # a bug must not show the user a traceback
        if os.environ.get("XXGK_DEBUG"):
            raise
        return Outcome(path, error=f"{path}：内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    counts: dict[str, int] = {}
    for finding in report.findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return Outcome(path, render(report), severities=counts)


CHUNK = 4  # inputs per pool task: a task's round trip costs about as much as writing a report's JSON
CHUNKS_PER_JOB = 3  # tasks in flight per process: enough to keep it busy, few outputs held


def run(paths: list[str], task: Callable[[str], Outcome], jobs: int = 1) -> Iterator[Outcome]:
    """Outcomes in input order. With jobs > 1, a bounded window of inputs is in flight on a
    process pool, a few inputs per task (`task` must be picklable: a module-level function or
    a partial of one)."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield task(path)
        return
    from concurrent.futures import ProcessPoolExecutor  # start-up: only with --jobs

    size = max(1, min(CHUNK, len(paths) // jobs))  # a handful of inputs still spreads over the jobs
    chunks = (paths[i : i + size] for i in range(0, len(paths), size))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        window: deque[Future] = deque()
        for chunk in chunks:
            window.append(pool.submit(run_chunk, task, chunk))
            if len(window) >= jobs * CHUNKS_PER_JOB:
                break
        while window:
            done = window.popleft().result()
            nxt = next(chunks, None)
            if nxt is not None:
                window.append(pool.submit(run_chunk, task, nxt))
            yield from done


def run_chunk(task: Callable[[str], Outcome], paths: list[str]) -> list[Outcome]:
    return [task(path) for path in paths]


class Progress:
    """A progress bar on stderr, only when stderr is a terminal and there is more than one file."""

    def __init__(self, total: int):
        self.bar = None
        if total > 1 and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task("读取", total=total)
            self.bar.start()

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def write_json_stream(outcomes: Iterable[Outcome], single: bool, out=sys.stdout) -> Iterator[Outcome]:
    """One input: its object, indented. Several: an array written element by element (an
    unreadable input is `null`)."""
    first = True
    for item in outcomes:
        if single:
            out.write("null\n" if item.error else item.output + "\n")
        else:
            out.write("[\n" if first else ",\n")
            out.write("null" if item.error else item.output)
        first = False
        yield item
    if not single:
        out.write("[]\n" if first else "\n]\n")


def json_element(report: Report, indent: int | None) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=indent)


_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)  # a report is a tree


def json_line(report: Report) -> str:
    return _LINE.encode(report.to_json())
