"""Cases with their events to and from CSV and XLSX, with Chinese headers and values.

The files' layout, and writing and reading their rows, are in `tabular` (and `xlsxread`):
XLSX has a sheet 申请 and a sheet 事件; in CSV each case's events follow its row. Events are
numbered within their case (序号); 更正对象 names the 序号 an event voids or replaces, so files
do not depend on database ids. Text that a spreadsheet would run as a formula is exported with
a leading quote, which import removes (`safecell`).

Import checks every row before writing anything — fields (`importcheck`), cross references,
and each case's history replayed through `domain.validate_event` — and reports every problem
with its file, sheet, row and column. Valid but unlikely values (a date before 2008 or in the
future) are warnings the user must accept. Then it writes all rows in one transaction, or
none. Rows stream from the file into a temporary staging database (`staging`), so a ledger of
hundreds of thousands of rows is checked and imported in bounded memory.
"""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..read.limits import os_error_message, read_input_bytes, too_large_message
from . import domain
from .importcheck import Notes, RowChecker
from .models import FIELD_LABELS, check_actor
from .records import APPLICANT_TYPES, CHANNELS, EVENT_KINDS, CaseRecord, EventRecord
from .staging import Item, Staging
from .store import Ledger, event_numbers
from .tabular import CASE_COLUMNS as CASE_COLUMNS  # re-exported for callers that import it from here
from .tabular import CASE_SHEET, EVENT_SHEET, Row, cell_text, file_kind, iter_csv, write_csv, write_xlsx
from .tabular import CSV_COLUMNS as CSV_COLUMNS
from .tabular import EVENT_COLUMNS as EVENT_COLUMNS
from .xlsxread import iter_xlsx

MAX_IMPORT_BYTES = 100 * 1024 * 1024
MAX_ROWS = 500_000  # per sheet (CSV: per file)
MAX_EVENTS_PER_CASE = 200  # each is checked against the history before it: quadratic per case

ACCEPT_HINT = "核对无误后，加 --accept-warnings 重新导入"


class ImportProblems(InputError):
    """Rows that cannot be imported, or warnings not accepted; nothing was written."""

    def __init__(self, notes: Notes):
        if notes.error_count:
            message = f"共 {notes.error_count} 处错误，未导入任何记录"
        else:
            message = f"共 {notes.warning_count} 处警告需要确认，未导入任何记录；{ACCEPT_HINT}"
        super().__init__(message, notes.label)
        self.problems = notes.errors
        self.warnings = notes.warnings
        self.notes = notes

    def lines(self) -> list[str]:
        """What to show, each line with its 错误：/警告： tag; the summary last."""
        notes = self.notes
        out = [f"错误：{line}" for line in notes.errors]
        if notes.error_count > len(notes.errors):
            out.append(f"错误：{notes.label}：……另有 {notes.error_count - len(notes.errors)} 处错误未列出")
        out += warning_lines(notes)
        return [*out, f"错误：{self}"]


def warning_lines(notes: Notes) -> list[str]:
    out = [f"警告：{line}" for line in notes.warnings]
    if notes.warning_count > len(notes.warnings):
        out.append(f"警告：{notes.label}：……另有 {notes.warning_count - len(notes.warnings)} 处警告未列出")
    return out


class Imported(tuple):
    """(cases, events) imported; `notes` holds the warnings the user accepted."""

    notes: Notes

    def __new__(cls, cases: int, events: int, notes: Notes) -> Imported:
        self = super().__new__(cls, (cases, events))
        self.notes = notes
        return self


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


def import_file(
    ledger: Ledger,
    path: str | os.PathLike[str],
    by: str,
    *,
    accept_warnings: bool = False,
    today: date | None = None,
) -> Imported:
    """Import a CSV or XLSX file of new cases with their events: all rows, or none."""
    kind = file_kind(Path(os.fspath(path)))
    by = check_actor(by)  # before reading: a long file is not checked only to fail here
    with _opened(os.fspath(path)) as (stream, label), Staging() as stage:
        notes = Notes(label)
        checker = RowChecker(notes, today or date.today(), datetime.now(UTC))
        for row in (iter_csv if kind == "csv" else iter_xlsx)(stream, label, max_rows=MAX_ROWS):
            _stage(checker, stage, row)
        stage.finish()
        _check_across(notes, stage, ledger)
        if notes.error_count or (notes.warning_count and not accept_warnings):
            raise ImportProblems(notes)
        counter = [0]
        cases = ledger.import_histories(_histories(stage, counter), by)
    return Imported(cases, counter[0], notes)


@contextmanager
def _opened(name: str) -> Iterator[tuple[BinaryIO, str]]:
    """The file as a seekable stream within MAX_IMPORT_BYTES (a pipe or a device is read into
    memory within the same bound)."""
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("是目录，不是文件", name)
        if not stat.S_ISREG(info.st_mode):
            data, _ = read_input_bytes(name, max_bytes=MAX_IMPORT_BYTES)
            stream: BinaryIO = io.BytesIO(data)
        elif info.st_size > MAX_IMPORT_BYTES:
            raise InputError(too_large_message(info.st_size, MAX_IMPORT_BYTES), name)
        else:
            stream = open(name, "rb")  # noqa: SIM115 (closed below)
    except OSError as err:
        raise InputError(os_error_message(err), name) from err
    except ValueError as err:  # e.g. a NUL character inside the path
        raise InputError("文件名无效", name) from err
    with stream:
        yield stream, name


def _stage(checker: RowChecker, stage: Staging, row: Row) -> None:
    kind = checker.kind(row)
    if kind == CASE_SHEET:
        stage.add_case(row.place, cell_text(row.values.get("登记号")), checker.case(row))
    elif kind == EVENT_SHEET and (item := checker.event(row)) is not None:
        stage.add_event(row.place, *item)


def _check_across(notes: Notes, stage: Staging, ledger: Ledger) -> None:
    """Repeated and existing numbers, events of unknown cases, and each case's history."""
    for place, number, first in stage.repeats():
        notes.error(place, "登记号", f"登记号 {number} 在文件中重复（又见{first}）")
    for chunk in stage.numbers():
        existing = ledger.existing_numbers([number for number, _ in chunk])
        for number, place in chunk:
            if number in existing:
                notes.error(place, "登记号", f"登记号 {number} 已在台账中（导入只能新增申请）")
    for place, number in stage.orphans():
        notes.error(place, "登记号", f"文件中没有登记号为 {number} 的申请")
    for place, case, items in stage.histories(MAX_EVENTS_PER_CASE):
        if items is None:
            notes.error(place, None, f"申请 {case.number} 的事件过多（上限 {MAX_EVENTS_PER_CASE} 条）")
        else:
            _replay(notes, case, items)


def _histories(stage: Staging, counter: list[int]) -> Iterator[tuple[CaseRecord, list[EventRecord]]]:
    """The checked histories, with event ids set to their 序号; counts the events."""
    for _, case, items in stage.histories(MAX_EVENTS_PER_CASE):
        events = []
        for seq, _, event in _number_events(items or []):
            event.id = seq
            events.append(event)
        counter[0] += len(events)
        yield case, events


def _number_events(items: list[Item]) -> list[tuple[int, str, EventRecord]]:
    """(序号, place, event) in 序号 order: events without one take the free numbers in file order."""
    given = {seq for _, seq, _ in items if seq is not None}
    free = (n for n in range(1, len(items) + len(given) + 1) if n not in given)
    return sorted(((seq or next(free), place, event) for place, seq, event in items), key=lambda t: t[0])


def _replay(notes: Notes, case: CaseRecord, items: list[Item]) -> None:
    history: list[EventRecord] = []
    places: dict[int, str] = {}
    for seq, place, event in _number_events(items):
        if seq in places:
            notes.error(place, "序号", f"申请 {case.number} 的事件序号 {seq} 重复（又见{places[seq]}）")
            continue
        places[seq] = place
        event.id = seq
        if event.supersedes is not None and event.supersedes not in places:
            notes.error(place, "更正对象", f"申请 {case.number} 在此之前没有序号为 {event.supersedes} 的事件")
            continue
        problems = domain.validate_event(case, history, event)
        for message in problems:
            notes.error(place, "事件", message)
        if not problems:
            history.append(event)
