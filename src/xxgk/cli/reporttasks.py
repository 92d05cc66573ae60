"""The work of `parse` and `check` for one input, as picklable functions for `--jobs`.

A worker process loads the check's context (last year's reports, member reports) once and
keeps it; every input is then read, checked and rendered in the worker, which hands back
only the text to print (see stream.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import api
from .stream import Outcome, json_element, json_line, outcome


@dataclass(frozen=True)
class CheckSetup:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: dict[str, Any] | None = None
    previous: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    def __hash__(self) -> int:  # options is a dict: hash what identifies the context
        return hash((self.select, self.ignore, self.previous, self.members))


_CONTEXTS: dict[tuple, tuple] = {}


def load_context(setup: CheckSetup) -> tuple:
    """(previous reports, member reports), loaded once per process."""
    key = (setup.previous, setup.members)
    if key not in _CONTEXTS:
        previous = api.PreviousReports(api.load_reports(list(setup.previous))) if setup.previous else None
        members = api.load_reports(list(setup.members)) if setup.members else []
        _CONTEXTS[key] = (previous, members)
    return _CONTEXTS[key]


def _render(fmt: str, single: bool, color: bool, draw: str):
    def render(report) -> str:
        if fmt == "json":
            return json_element(report, 2 if single else None)
        if fmt == "jsonl":
            return json_line(report) + "\n"
        if fmt == "csv":
            from ..csvout import findings_csv_rows

            return findings_csv_rows(report)
        from .. import show  # Rich loads only for text output

        return show.rendered(getattr(show, draw), report, color)

    return render


def parse_task(path: str, fmt: str, single: bool, color: bool) -> Outcome:
    return outcome(path, api.load_report, _render(fmt, single, color, "print_parse_summary"))


def check_task(path: str, setup: CheckSetup, fmt: str, single: bool, color: bool) -> Outcome:
    from ..check import Context, check_report

    previous, members = load_context(setup)

    def read(p: str):
        report = api.load_report(p)
        context = Context(
            previous=previous.find(report) if previous else None, members=members, options=setup.options or {}
        )
        check_report(report, context, select=list(setup.select), ignore=list(setup.ignore))
        return report

    return outcome(path, read, _render(fmt, single, color, "print_check_block"))
