"""All cases of a node with filters and search, and the node's ledger to and from XLSX/CSV
through the library's export and its all-or-nothing import (the CLI's checks, unchanged).
Exports carry personal data: each one is written to the audit log."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from ..errors import InputError
from ..ledger import domain
from ..ledger.calendar import WorkCalendar
from ..ledger.importexport import Imported, ImportProblems, export_ledger, import_file, warning_lines
from ..ledger.labels import STATUS_NAMES
from ..ledger.models import CASES
from ..ledger.records import APPLICANT_TYPES, OUTCOMES
from ..ledger.store import Ledger
from ..store.audit import record
from ..store.tables import User

SHOWN = 500
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MAX_QUERY = 100


@dataclass
class Filters:
    year: int | None = None
    status: str = ""
    applicant_type: str = ""
    outcome: str = ""
    overdue: bool = False
    q: str = ""

    @classmethod
    def from_query(cls, params: dict[str, str]) -> Filters:
        year = (params.get("year") or "").strip()
        if year and not year.isdecimal():
            raise InputError(f"年度“{year}”应为四位数字")
        found = cls(
            year=int(year) if year else None,
            status=params.get("status") or "",
            applicant_type=params.get("applicant_type") or "",
            outcome=params.get("outcome") or "",
            overdue=params.get("overdue") == "on",
            q=(params.get("q") or "").strip()[:MAX_QUERY],
        )
        for value, choices, what in (
            (found.status, STATUS_NAMES, "状态"),
            (found.applicant_type, APPLICANT_TYPES, "申请人类型"),
            (found.outcome, dict.fromkeys(OUTCOMES), "办理结果"),
        ):
            if value and value not in choices:
                raise InputError(f"未知的{what}“{value}”")
        return found


@dataclass
class Listed:
    states: list[domain.CaseState]
    total: int  # matching cases; only the first SHOWN are in `states`


def find_cases(ledger: Ledger, calendar: WorkCalendar, filters: Filters, today: dt.date) -> Listed:
    """Filters on registration and the text search run in the database; state, outcome and
    overdue need the history replayed, for the cases the database let through."""
    states, total = [], 0
    for case, events in ledger.cases(where=_where(filters)):
        state = domain.case_state(case, events, today, calendar)
        if _keeps(filters, state, today):
            total += 1
            if len(states) < SHOWN:
                states.append(state)
    return Listed(states, total)


def _where(f: Filters):
    conditions = []
    if f.year is not None:
        conditions.append(CASES.c.received.between(dt.date(f.year, 1, 1), dt.date(f.year, 12, 31)))
    if f.applicant_type:
        conditions.append(CASES.c.applicant_type == f.applicant_type)
    if f.q:
        pattern = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                CASES.c.request.ilike(pattern, escape="\\"),
                CASES.c.applicant_name.ilike(pattern, escape="\\"),
            )
        )
    return and_(*conditions) if conditions else None


def _keeps(f: Filters, state: domain.CaseState, today: dt.date) -> bool:
    if f.status and state.status != f.status:
        return False
    if f.outcome and state.outcome != f.outcome:
        return False
    return not f.overdue or bool(state.deadline and state.deadline.due < today)


# ---------------------------------------------------------------- export and import


def export_cases(session: Session, ledger: Ledger, user: User, kind: str) -> tuple[str, bytes]:
    """The node's whole ledger as XLSX or CSV (the CLI's format); audited, since it holds
    every applicant's name and contact."""
    if kind not in EXPORT_TYPES:
        raise InputError(f"不支持的导出格式“{kind}”：请选 XLSX 或 CSV")
    name = f"依申请公开台账-{dt.date.today().isoformat()}.{kind}"
    with tempfile.TemporaryDirectory(prefix="xxgk-export-") as folder:
        path = Path(folder, name)
        cases, events = export_ledger(ledger, path)
        data = path.read_bytes()
    record(
        session, user.login, "ledger.export", f"机构 #{user.org_id}", format=kind, cases=cases, events=events
    )
    return name, data


@dataclass
class ImportOutcome:
    cases: int = 0
    events: int = 0
    lines: list[str] | None = None  # 错误：/警告： lines when nothing was imported
    warnings: list[str] | None = None  # the warnings accepted when it was


def import_cases(
    ledger: Ledger, user: User, filename: str, data: bytes, accept_warnings: bool
) -> ImportOutcome:
    """The CLI's import (every row checked, then all rows or none) on an uploaded file."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError("请上传 .xlsx 或 .csv 文件（台账导出的格式）")
    with tempfile.TemporaryDirectory(prefix="xxgk-import-") as folder:
        path = Path(folder, f"上传的文件{suffix}")
        path.write_bytes(data)

        def shown(lines: list[str]) -> list[str]:
            return [line.replace(str(path), filename) for line in lines]

        try:
            done: Imported = import_file(ledger, path, user.login, accept_warnings=accept_warnings)
        except ImportProblems as problems:
            return ImportOutcome(lines=shown(problems.lines()))
        except InputError as err:
            return ImportOutcome(lines=shown([f"错误：{err}"]))
    return ImportOutcome(done[0], done[1], warnings=shown(warning_lines(done.notes)))
