"""One view of a report shared by the rules of a check run.

Several rules read the same derived text: the prose lines of a section, the joined prose,
the heading scan, the facts a prose line states. Within `check_report` each is computed
once per report (and per argument) and handed to every rule that asks; outside a check run
(a rule called on its own, a test) the functions compute as before. A memoised function
must be pure in its arguments, and its callers must not change what it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_RUNS: list[dict[tuple, Any]] = []


@contextmanager
def shared_view() -> Iterator[None]:
    """Memoise the view functions for the duration of one check run."""
    _RUNS.append({})
    try:
        yield
    finally:
        _RUNS.pop()


def per_report(func: F) -> F:
    """Memoise `func(report, *args)` within a check run, by the report's identity (a report
    is not hashable; it outlives the run's memo, so its id is not reused meanwhile)."""

    @wraps(func)
    def wrapper(report: Any, *args: Any, **kwargs: Any) -> Any:
        if not _RUNS:
            return func(report, *args, **kwargs)
        # Called tens of times per report: the key is built without kwargs when there are none.
        key = (func, id(report), args, *kwargs.items()) if kwargs else (func, id(report), args)
        memo = _RUNS[-1]
        kept = memo.get(key)
        if kept is not None:
            return kept[1]
        value = func(report, *args, **kwargs)
        memo[key] = (report, value)  # the report is kept so its id stays its own
        return value

    return wrapper  # type: ignore[return-value]


# ------------------------------------------------------------------ views of the tables


@per_report
def cell_values(report: Any) -> dict[str, Any]:
    """Each cell's value by reference (None for a blank cell). Callers only read it."""
    return {ref: cell.value for ref, cell in report.cells.items()}
