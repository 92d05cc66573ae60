"""The effective history of a case: which recorded events count, and the case as amended (pure).
A ``void`` event removes the event it names (``supersedes``); any other event that names one
replaces it. Both are corrections of the *record*, not facts in time, so they apply whatever
their own date: a reply voided in March is gone from last year's statistics as well. Voiding a
void restores the event it had voided. ``case_amended`` changes registration fields from its
date on; `amend` applies the amendments among the events it is given, so the caller chooses
the day by the events it passes.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from .calendar import parse_day
from .records import APPLICANT_TYPES, CHANNELS, CaseRecord, EventRecord

AMENDABLE = ("received", "channel", "applicant_type", "applicant_name", "applicant_contact", "request")


def effective_events(events: list[EventRecord]) -> list[EventRecord]:
    """Recorded events minus voided and replaced ones (and minus the voids), by date."""
    alive = active_ids(events)
    kept = [
        (e.date, i, e) for i, e in enumerate(events) if e.kind != "void" and (e.id is None or e.id in alive)
    ]
    return [e for _, _, e in sorted(kept, key=lambda t: t[:2])]


def active_ids(events: list[EventRecord]) -> set[int]:
    """Ids of the events (voids included) that no active event voids or replaces."""
    replacers: dict[int, list[EventRecord]] = {}
    for e in events:
        if e.supersedes is not None:
            replacers.setdefault(e.supersedes, []).append(e)
    memo: dict[int, bool] = {}
    limit = len(events)

    def active(e: EventRecord, depth: int = 0) -> bool:
        if e.id is None:
            return True
        if e.id not in memo:
            # Histories are acyclic when ids grow with recording; the depth guard keeps a
            # corrupt cycle from recursing forever.
            memo[e.id] = depth > limit or not any(active(r, depth + 1) for r in replacers.get(e.id, ()))
        return memo[e.id]

    return {e.id for e in events if e.id is not None and active(e)}


def amend(case: CaseRecord, history: list[EventRecord]) -> CaseRecord:
    """The case with the amendments among `history` applied in order."""
    changes: dict[str, Any] = {}
    for event in history:
        if event.kind == "case_amended":
            fields = event.data.get("fields") or {}
            if isinstance(fields, dict):
                changes.update({k: v for k, v in fields.items() if k in AMENDABLE and _field_ok(k, v)})
    if "received" in changes:
        changes["received"] = _as_date(changes["received"])
    return dataclasses.replace(case, **changes) if changes else case


def amendment_problems(data: dict) -> list[str]:
    """Chinese messages on the data of a ``case_amended`` event; [] when fine."""
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        return ["更正登记信息时没有给出要更正的字段"]
    problems = []
    for name, value in fields.items():
        if name not in AMENDABLE:
            problems.append(f"不能更正的登记字段“{name}”（可更正：{'、'.join(AMENDABLE)}）")
        elif not _field_ok(name, value):
            problems.append(f"登记字段“{name}”的新值“{value}”无效")
    return problems


def _field_ok(name: str, value: Any) -> bool:
    if name == "received":
        return _as_date(value) is not None
    if name == "applicant_type":
        return value in APPLICANT_TYPES
    if name == "channel":
        return value in CHANNELS
    return isinstance(value, str) and (name == "applicant_contact" or bool(value.strip()))


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return parse_day(value) if isinstance(value, str) else None


def as_recorded(histories, moment: datetime) -> list[tuple[CaseRecord, list[EventRecord]]]:
    """The ledger as it stood at `moment` (an aware datetime): the cases and events recorded
    by then, so a report published from it can be reproduced after later corrections. A record
    without a recording time counts as always there."""
    out = []
    for case, events in histories:
        if case.recorded_at is not None and case.recorded_at > moment:
            continue
        kept = [e for e in events if e.recorded_at is None or e.recorded_at <= moment]
        out.append((case, kept))
    return out
