"""Cases with their events to and from CSV and XLSX, with Chinese headers and values.

XLSX: two sheets, 申请 (one row per case) and 事件 (one row per event). CSV: one file, UTF-8
with BOM for Excel; the column 记录类型 says whether a row is a 申请 or an 事件, and each case's
events follow it. Events are numbered within their case (序号); 更正对象 names the 序号 an
event voids or replaces, so files do not depend on database ids.

Import checks every row before writing anything — fields, cross references, and each case's
history replayed through `domain.validate_event` — and reports every problem with its file,
sheet, row and column. Then it writes all rows in one transaction, or none.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..read.limits import read_input_bytes
from ..read.ziplimits import open_safe_zip
from . import domain
from .calendar import parse_day
from .models import FIELD_LABELS, case_problems, normalize_case, normalize_data
from .records import APPLICANT_TYPES, CHANNELS, EVENT_KINDS, CaseRecord, EventRecord
from .store import Ledger, event_numbers

CASE_SHEET, EVENT_SHEET = "申请", "事件"
KIND_COLUMN = "记录类型"
CASE_FIELDS = tuple(FIELD_LABELS)  # number … request, recorded_by, recorded_at
CASE_COLUMNS = tuple(FIELD_LABELS.values())
EVENT_COLUMNS = ("登记号", "序号", "事件", "日期", "更正对象", "数据", "记录人", "记录时间")
CSV_COLUMNS = (KIND_COLUMN, *CASE_COLUMNS[:-2], *EVENT_COLUMNS[1:])
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


def choice_key(value: str, choices: dict[str, str]) -> str | None:
    """The key for a value given as key (in_person) or as its Chinese label (当面提交)."""
    value = value.strip()
    if value in choices:
        return value
    return next((key for key, label in choices.items() if label == value), None)


def format_time(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().isoformat(sep=" ")


# -- export ----------------------------------------------------------------------------


def export_ledger(ledger: Ledger, path: str | os.PathLike[str], *, force: bool = False) -> tuple[int, int]:
    """Write every case and event; returns (cases, events). Refuses to overwrite without force."""
    target = Path(path)
    kind = _file_kind(target)
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
            (_write_csv if kind == "csv" else _write_xlsx)(rows(), tmp)
            tmp.close()
            os.replace(tmp.name, target)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    return counts[0], counts[1]


def _file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError("文件名须以 .csv 或 .xlsx 结尾", str(path))
    return suffix[1:]


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


def _write_csv(histories: Iterable[tuple[dict, list[dict]]], stream: Any) -> None:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    for case_row, event_rows in histories:
        for kind, row in [(CASE_SHEET, case_row)] + [(EVENT_SHEET, r) for r in event_rows]:
            writer.writerow([kind] + [_csv_value(row.get(column, "")) for column in CSV_COLUMNS[1:]])
    text.flush()
    text.detach()


def _csv_value(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _write_xlsx(histories: Iterable[tuple[dict, list[dict]]], stream: Any) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    cases, events = book.create_sheet(CASE_SHEET), book.create_sheet(EVENT_SHEET)
    cases.append(CASE_COLUMNS)
    events.append(EVENT_COLUMNS)
    for case_row, event_rows in histories:
        cases.append([_xlsx_cell(cases, case_row[c]) for c in CASE_COLUMNS])
        for row in event_rows:
            events.append([_xlsx_cell(events, row[c]) for c in EVENT_COLUMNS])
    book.save(stream)


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    # Plain values are much faster to write than cell objects; a date gets yyyy-mm-dd by itself.
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text that starts with "=" stays text, never a formula
    return cell


# -- import: reading rows --------------------------------------------------------------


@dataclass
class Row:
    place: str  # "第 5 行" or "工作表“事件”第 5 行"
    values: dict[str, Any]
    kind: str = ""  # 申请 or 事件 (the sheet, or the CSV's 记录类型)
    extra: bool = False  # cells beyond the header


@dataclass
class Parsed:
    cases: list[tuple[Row, CaseRecord]] = field(default_factory=list)
    events: list[tuple[Row, str, int | None, EventRecord]] = field(default_factory=list)
    numbers: set[str] = field(default_factory=set)  # of every case row, good or bad


def import_file(ledger: Ledger, path: str | os.PathLike[str], by: str) -> tuple[int, int]:
    """Import a CSV or XLSX file of new cases with their events: all rows, or none."""
    label = os.fspath(path)
    kind = _file_kind(Path(label))
    data, label = read_input_bytes(label, max_bytes=MAX_IMPORT_BYTES)
    rows = (_read_csv if kind == "csv" else _read_xlsx)(data, label)
    checker = _Checker(label)
    histories = checker.histories(checker.parse(rows), ledger)
    if checker.problems:
        raise ImportProblems(checker.problems, label)
    ledger.import_histories(histories, by)
    return len(histories), sum(len(events) for _, events in histories)


def _decode(data: bytes, label: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise InputError("不是 CSV 文本文件（含有二进制内容）", label)
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("无法识别 CSV 文件的编码（应为 UTF-8 或 GBK）", label)


def _read_csv(data: bytes, label: str) -> list[Row]:
    text = _decode(data, label)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","  # Excel's "Unicode text"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        header = _header(next(reader, []), CSV_COLUMNS, label, "")
        for number, record in enumerate(reader, start=2):
            if number > MAX_ROWS:
                raise InputError(f"行数过多（上限 {MAX_ROWS} 行）", label)
            if any(cell.strip() for cell in record):
                row = _make_row(f"第 {number} 行", header, record)
                row.kind = _text(row.values.pop(KIND_COLUMN, None))
                rows.append(row)
    except csv.Error as err:
        raise InputError(f"第 {reader.line_num} 行：CSV 格式错误（{err}）", label) from None
    return rows


def _header(cells: Iterable[Any], allowed: tuple[str, ...], label: str, where: str) -> list[str]:
    names = [_text(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise InputError(f"{where}表头有未知的列“{unknown[0]}”（可用：{'、'.join(allowed)}）", label)
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise InputError(f"{where}表头中“{duplicated[0]}”列重复", label)
    if "登记号" not in names:
        raise InputError(f"{where}表头缺少“登记号”列", label)
    return names


def _make_row(place: str, header: list[str], cells: Iterable[Any], kind: str = "") -> Row:
    cells = list(cells)
    extra = any(_text(c) for c in cells[len(header) :])
    return Row(place, dict(zip(header, cells, strict=False)), kind, extra)


def _read_xlsx(data: bytes, label: str) -> list[Row]:
    from openpyxl import load_workbook

    open_safe_zip(data, label, kind="XLSX").close()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise InputError("不是有效的 XLSX 文件", label) from None
    try:
        for name in book.sheetnames:
            if name not in (CASE_SHEET, EVENT_SHEET):
                raise InputError(f"工作表“{name}”不是台账的工作表（应为“申请”和“事件”）", label)
        if CASE_SHEET not in book.sheetnames:
            raise InputError("缺少工作表“申请”", label)
        rows = _sheet_rows(book[CASE_SHEET], CASE_COLUMNS, label)
        if EVENT_SHEET in book.sheetnames:
            rows += _sheet_rows(book[EVENT_SHEET], EVENT_COLUMNS, label)
    except InputError:
        raise
    except Exception:  # a damaged sheet inside a sound zip
        raise InputError("XLSX 文件已损坏，无法读取", label) from None
    finally:
        book.close()
    return rows


def _sheet_rows(sheet: Any, columns: tuple[str, ...], label: str) -> list[Row]:
    where = f"工作表“{sheet.title}”"
    rows = sheet.iter_rows(values_only=True)
    header = _header(next(rows, ()), columns, label, where)
    out = []
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise InputError(f"{where}行数过多（上限 {MAX_ROWS} 行）", label)
        if any(_text(c) for c in cells):
            out.append(_make_row(f"{where}第 {number} 行", header, cells, sheet.title))
    return out


# -- import: checking rows -------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number Excel turned into a number
    return str(value).strip()


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
            for column in sorted(c for c in other if _text(row.values.get(c))):
                self.problem(row, column, f"{kind}行不填此列")
            if kind == CASE_SHEET:
                parsed.numbers.add(_text(row.values.get("登记号")))
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
        text = _text(value)
        day = parse_day(text) if text else None
        if day is None and (text or required):
            self.problem(row, column, f"不是有效的日期“{text}”（应为 YYYY-MM-DD）" if text else "不能为空")
        return day

    def _time(self, row: Row, column: str) -> datetime | None:
        value = row.values.get(column)
        if isinstance(value, datetime):
            return value.astimezone()
        text = _text(value)
        try:
            return datetime.fromisoformat(text).astimezone() if text else None
        except ValueError:
            self.problem(row, column, f"不是有效的时间“{text}”（应为 YYYY-MM-DD HH:MM:SS）")
            return None

    def _choice(self, row: Row, column: str) -> str:
        text = _text(row.values.get(column))
        key = choice_key(text, CHOICES[column])
        if key is None:
            choices = "、".join(CHOICES[column].values())
            self.problem(row, column, f"未知的{column}“{text}”（可选：{choices}）" if text else "不能为空")
        return key or ""

    def _count(self, row: Row, column: str) -> int | None:
        text = _text(row.values.get(column))
        if not text:
            return None
        if not text.isdigit() or int(text) < 1:
            self.problem(row, column, f"应为正整数，不是“{text}”")
            return None
        return int(text)

    def _case(self, row: Row) -> CaseRecord | None:
        before = len(self.problems)
        values = {name: _text(row.values.get(label)) for name, label in FIELD_LABELS.items()}
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
        number = _text(row.values.get("登记号"))
        if not number:
            self.problem(row, "登记号", "不能为空")
        seq, target = self._count(row, "序号"), self._count(row, "更正对象")
        kind, day = self._choice(row, "事件"), self._date(row, "日期")
        data: dict[str, Any] = {}
        text = _text(row.values.get("数据"))
        try:
            data = normalize_data(json.loads(text)) if text else {}
        except (ValueError, InputError) as err:
            message = err.message if isinstance(err, InputError) else "不是有效的 JSON 对象"
            self.problem(row, "数据", message)
        by, at = _text(row.values.get("记录人")), self._time(row, "记录时间")
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
