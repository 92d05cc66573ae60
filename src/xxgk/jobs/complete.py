"""The end of a successful job: check the report (with last year's report of the same node,
when there is one, so the cross-year rules run) and store the result with its source lines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..check import Context, check_report
from ..model import Report
from ..store import Database
from ..store.tables import Job, StoredReport
from .queue import DONE, _finish

MAX_SOURCE_LINES = 50_000


def complete(db: Database, job_id: int, report: Report) -> None:
    with db.write() as session:
        job = session.get(Job, job_id)
        stored = session.get(StoredReport, job.report_id)
        previous = previous_report(session, stored.org_id, report.meta.year, stored.id)
        check_report(report, Context(previous=Report.from_json(previous.report_json) if previous else None))
        stored.previous_id = previous.id if previous else None
        stored.report_json = report.to_json()
        stored.source_lines = source_lines(report)
        stored.agency, stored.year = (report.meta.agency or "")[:300] or None, report.meta.year
        stored.errors = sum(f.severity == "error" for f in report.findings)
        stored.warnings = sum(f.severity == "warning" for f in report.findings)
        _finish(session, job, DONE, None)


def previous_report(session, org_id: int, year: int | None, exclude: int) -> StoredReport | None:
    """The newest checked report of the same node for the year before."""
    if year is None:
        return None
    query = (
        select(StoredReport)
        .where(StoredReport.org_id == org_id, StoredReport.year == year - 1)
        .where(StoredReport.status == DONE, StoredReport.id != exclude)
        .order_by(StoredReport.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def source_lines(report: Report) -> list[list[Any]]:
    """[anchor, place, text] per line of the source, for the page that shows it."""
    out = []
    for line in report.lines[:MAX_SOURCE_LINES]:
        anchor = source_anchor(line.where)
        out.append([anchor, place_label(line.where), line.text])
    return out


def source_anchor(where: dict | None) -> str | None:
    where = where or {}
    if "line" in where:
        return f"L{where['line']}"
    if "page" in where:
        return f"P{where['page']}"
    return None


def place_label(where: dict | None) -> str:
    where = where or {}
    parts = []
    if "page" in where:
        parts.append(f"第 {where['page']} 页")
    if "line" in where:
        parts.append(f"第 {where['line']} 行")
    return " ".join(parts)
