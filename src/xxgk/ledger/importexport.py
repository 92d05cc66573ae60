"""Cases with their events to and from CSV and XLSX, with Chinese headers and values.

The files' layout, and reading and writing their rows, are in `tabular`: XLSX has a sheet 申请
and a sheet 事件; in CSV each case's events follow its row. Events are numbered within their
case (序号); 更正对象 names the 序号 an event voids or replaces, so files do not depend on
database ids.

Import checks every row before writing anything — fields, cross references, and each case's
history replayed through `domain.validate_event` — and reports every problem with its file,
sheet, row and column. Then it writes all rows in one transaction, or none.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..read.limits import read_input_bytes
from . import domain
from .calendar import parse_day
from .models import FIELD_LABELS, case_problems, normalize_case, normalize_data
from .records import APPLICANT_TYPES, CHANNELS, EVENT_KINDS, CaseRecord, EventRecord, choice_key
from .store import Ledger, event_numbers
from .tabular import (
    CASE_COLUMNS,
    CASE_SHEET,
    EVENT_COLUMNS,
    EVENT_SHEET,
    KIND_COLUMN,
    Row,
    cell_text,
    file_kind,
    read_csv,
    read_xlsx,
    write_csv,
    write_xlsx,
)
from .tabular import CSV_COLUMNS as CSV_COLUMNS  # re-exported for callers that import it from here

SHARED_COLUMNS = {"登记号", "记录人", "记录时间"}
CHOICES = {"渠道": CHANNELS, "申请人类型": APPLICANT_TYPES, "事件": EVENT_KINDS}

MAX_IMPORT_BYTES = 100 * 1024 * 1024
MAX_ROWS = 500_000
MAX_SHOWN = 100  # problems listed; the rest are counted


class ImportProblems(InputError):
    """Rows that cannot be imported; nothing was written. `problems` are full lines."""

    def __init__(self, problems: list[str], path: str):
        super().__init__(f"共 {len(problems)} 处错误，未导入任何记录", path)
        self.problems = problems

    def lines(self) -> list[str]:
        shown = self.problems[:MAX_SHOWN]
        more = len(self.problems) - len(shown)
        return shown + ([f"{self.path}：……另有 {more} 处错误未列出"] if more else []) + [str(self)]


def format_time(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().isoformat(sep=" ")


# -- export ----------------------------------------------------------------------------


def export_ledger(ledger: Ledger, path: str | os.PathLike[str], *, force: bool = False) -> tuple[int, int]:
    """Write every case and event; returns (cases, events). Refuses to overwrite without force."""
    target = Path(path)
    kind = file_kind(target)
    if target.exists() and not force:
        raise InputError("文件已存在（如需覆盖，请加 --force）", str(target))
    if not target.parent.is_dir():
        raise InputError("所在的目录不存在", str(target))
    counts = [0, 0]

    def rows() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        for case, events in ledger.all_histories():
            counts[0] += 1
            counts[1] += len(events)
            yield _case_row(case), _event_rows(case, events)

    with tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=".xxgk-", suffix=target.suffix, delete=False
    ) as tmp:
        try:
            (write_csv if kind == "csv" else write_xlsx)(rows(), tmp)
            tmp.close()
            os.replace(tmp.name, target)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    return counts[0], counts[1]


def _case_row(case: CaseRecord) -> dict[str, Any]:
    row = {label: getattr(case, name) for name, label in FIELD_LABELS.items()}
    row["渠道"] = CHANNELS[case.channel]
    row["申请人类型"] = APPLICANT_TYPES[case.applicant_type]
    row["记录时间"] = format_time(case.recorded_at)
    return row


def _event_rows(case: CaseRecord, events: list[EventRecord]) -> list[dict[str, Any]]:
    numbers = event_numbers(events)
    return [
        {
            "登记号": case.number,
            "序号": numbers[e.id],
            "事件": EVENT_KINDS[e.kind],
            "日期": e.date,
            "更正对象": "" if e.supersedes is None else numbers[e.supersedes],
            "数据": json.dumps(e.data, ensure_ascii=False, sort_keys=True) if e.data else "",
            "记录人": e.recorded_by,
            "记录时间": format_time(e.recorded_at),
        }
        for e in sorted(events, key=lambda e: numbers[e.id])
    ]


# -- import ----------------------------------------------------------------------------


@dataclass
class Parsed:
    cases: list[tuple[Row, CaseRecord]] = field(default_factory=list)
    events: list[tuple[Row, str, int | None, EventRecord]] = field(default_factory=list)
    numbers: set[str] = field(default_factory=set)  # of every case row, good or bad


def import_file(ledger: Ledger, path: str | os.PathLike[str], by: str) -> tuple[int, int]:
    """Import a CSV or XLSX file of new cases with their events: all rows, or none."""
    label = os.fspath(path)
    kind = file_kind(Path(label))
    data, label = read_input_bytes(label, max_bytes=MAX_IMPORT_BYTES)
    rows = (read_csv if kind == "csv" else read_xlsx)(data, label, max_rows=MAX_ROWS)
    checker = _Checker(label)
    histories = checker.histories(checker.parse(rows), ledger)
    if checker.problems:
        raise ImportProblems(checker.problems, label)
    ledger.import_histories(histories, by)
    return len(histories), sum(len(events) for _, events in histories)


# -- import: checking rows -------------------------------------------------------------


class _Checker:
    def __init__(self, label: str):
        self.label = label
        self.problems: list[str] = []

    def problem(self, row: Row, column: str | None, message: str) -> None:
        where = f"{row.place}，“{column}”列" if column else row.place
        self.problems.append(f"{self.label}：{where}：{message}")

    def parse(self, rows: list[Row]) -> Parsed:
        parsed = Parsed()
        for row in rows:
            kind = {"case": CASE_SHEET, "event": EVENT_SHEET}.get(row.kind, row.kind)
            if row.extra:
                self.problem(row, None, "单元格多于表头的列数")
            if kind not in (CASE_SHEET, EVENT_SHEET):
                self.problem(
                    row, KIND_COLUMN, f"应为“申请”或“事件”，不是“{row.kind}”" if row.kind else "不能为空"
                )
                continue
            other = (set(EVENT_COLUMNS) if kind == CASE_SHEET else set(CASE_COLUMNS)) - SHARED_COLUMNS
            for column in sorted(c for c in other if cell_text(row.values.get(c))):
                self.problem(row, column, f"{kind}行不填此列")
            if kind == CASE_SHEET:
                parsed.numbers.add(cell_text(row.values.get("登记号")))
                case = self._case(row)
                if case is not None:
                    parsed.cases.append((row, case))
            elif (item := self._event(row)) is not None:
                parsed.events.append((row, *item))
        return parsed

    def _date(self, row: Row, column: str, required: bool = True) -> date | None:
        value = row.values.get(column)
        if isinstance(value, datetime) and value.time() == datetime.min.time():
            return value.date()
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        text = cell_text(value)
        day = parse_day(text) if text else None
        if day is None and (text or required):
            self.problem(row, column, f"不是有效的日期“{text}”（应为 YYYY-MM-DD）" if text else "不能为空")
        return day

    def _time(self, row: Row, column: str) -> datetime | None:
        value = row.values.get(column)
        if isinstance(value, datetime):
            return value.astimezone()
        text = cell_text(value)
        try:
            return datetime.fromisoformat(text).astimezone() if text else None
        except ValueError:
            self.problem(row, column, f"不是有效的时间“{text}”（应为 YYYY-MM-DD HH:MM:SS）")
            return None

    def _choice(self, row: Row, column: str) -> str:
        text = cell_text(row.values.get(column))
        key = choice_key(text, CHOICES[column])
        if key is None:
            choices = "、".join(CHOICES[column].values())
            self.problem(row, column, f"未知的{column}“{text}”（可选：{choices}）" if text else "不能为空")
        return key or ""

    def _count(self, row: Row, column: str) -> int | None:
        text = cell_text(row.values.get(column))
        if not text:
            return None
        if not text.isdigit() or int(text) < 1:
            self.problem(row, column, f"应为正整数，不是“{text}”")
            return None
        return int(text)

    def _case(self, row: Row) -> CaseRecord | None:
        before = len(self.problems)
        values = {name: cell_text(row.values.get(label)) for name, label in FIELD_LABELS.items()}
        values["received"] = self._date(row, "收到日期")
        values["channel"] = self._choice(row, "渠道")
        values["applicant_type"] = self._choice(row, "申请人类型")
        values["recorded_at"] = self._time(row, "记录时间")
        case = normalize_case(CaseRecord(**values))
        if not case.number:
            self.problem(row, "登记号", "不能为空")
        for name, message in case_problems(case):
            if name not in ("received", "channel", "applicant_type"):  # reported above
                self.problem(row, FIELD_LABELS[name], message)
        return case if len(self.problems) == before else None

    def _event(self, row: Row) -> tuple[str, int | None, EventRecord] | None:
        before = len(self.problems)
        number = cell_text(row.values.get("登记号"))
        if not number:
            self.problem(row, "登记号", "不能为空")
        seq, target = self._count(row, "序号"), self._count(row, "更正对象")
        kind, day = self._choice(row, "事件"), self._date(row, "日期")
        data: dict[str, Any] = {}
        text = cell_text(row.values.get("数据"))
        try:
            data = normalize_data(json.loads(text)) if text else {}
        except (ValueError, InputError) as err:
            message = err.message if isinstance(err, InputError) else "不是有效的 JSON 对象"
            self.problem(row, "数据", message)
        by, at = cell_text(row.values.get("记录人")), self._time(row, "记录时间")
        if len(self.problems) > before:
            return None
        event = EventRecord(kind, day, data, supersedes=target, recorded_by=by, recorded_at=at)
        return number, seq, event

    def histories(self, parsed: Parsed, ledger: Ledger) -> list[tuple[CaseRecord, list[EventRecord]]]:
        """Group events under their cases, number them, and replay each case's history."""
        cases: dict[str, tuple[Row, CaseRecord]] = {}
        for row, case in parsed.cases:
            if case.number in cases:
                self.problem(
                    row, "登记号", f"登记号 {case.number} 在文件中重复（又见{cases[case.number][0].place}）"
                )
            else:
                cases[case.number] = (row, case)
        existing = ledger.existing_numbers(list(cases))
        for number in (n for n in cases if n in existing):
            self.problem(cases[number][0], "登记号", f"登记号 {number} 已在台账中（导入只能新增申请）")
        grouped: dict[str, list[tuple[Row, int | None, EventRecord]]] = {n: [] for n in cases}
        for row, number, seq, event in parsed.events:
            if number in grouped:
                grouped[number].append((row, seq, event))
            elif number not in parsed.numbers:  # else its case row is bad, and reported
                self.problem(row, "登记号", f"文件中没有登记号为 {number} 的申请")
        return [(case, self._replay(case, grouped[number])) for number, (_, case) in cases.items()]

    def _replay(
        self, case: CaseRecord, items: list[tuple[Row, int | None, EventRecord]]
    ) -> list[EventRecord]:
        given = [seq for _, seq, _ in items if seq is not None]
        free = iter(n for n in range(1, len(items) + len(given) + 1) if n not in given)
        numbered = sorted([(seq or next(free), row, event) for row, seq, event in items], key=lambda t: t[0])
        history: list[EventRecord] = []
        rows: dict[int, Row] = {}
        for seq, row, event in numbered:
            if seq in rows:
                self.problem(
                    row, "序号", f"申请 {case.number} 的事件序号 {seq} 重复（又见{rows[seq].place}）"
                )
                continue
            rows[seq] = row
            event.id = seq
            if event.supersedes is not None and event.supersedes not in rows:
                self.problem(
                    row, "更正对象", f"申请 {case.number} 在此之前没有序号为 {event.supersedes} 的事件"
                )
                continue
            problems = domain.validate_event(case, history, event)
            for message in problems:
                self.problem(row, "事件", message)
            if not problems:
                history.append(event)
        return history
