"""Checking the rows of an import one by one: every field of a case or an event row, and the
warnings a user must confirm before anything is imported.

Errors make a row unusable. Warnings are values that are valid but unlikely enough that a
silent import could hide a typing or conversion mistake; the import is refused until the
user confirms them (``xxgk ledger import … --accept-warnings``):

- a date before 2008-05-01, when the 《政府信息公开条例》 took effect (e.g. 1900 from an empty
  Excel date), or after the day of the import;
- a 记录时间 (when a record was entered) after the moment of the import (more than
  CLOCK_SKEW ahead, to allow for another machine's clock), or before 2008-05-01.

Messages are full lines naming the file, the row and the column. Only the first MAX_SHOWN
errors and warnings are kept, the rest are counted: a bad file of a million rows must not
fill memory with messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import InputError
from .calendar import parse_day
from .models import FIELD_LABELS, MAX_DATA_CHARS, case_problems, check_actor, normalize_case, normalize_data
from .records import APPLICANT_TYPES, CHANNELS, EVENT_KINDS, CaseRecord, EventRecord, choice_key
from .tabular import CASE_COLUMNS, CASE_SHEET, EVENT_COLUMNS, EVENT_SHEET, KIND_COLUMN, Row, cell_text

EARLIEST = date(2008, 5, 1)  # 《中华人民共和国政府信息公开条例》施行
CLOCK_SKEW = timedelta(minutes=10)
MAX_SHOWN = 100
MAX_DATA_DEPTH = 10  # event data is a flat object, or two levels for case_amended
MAX_SEQ = 999_999

SHARED_COLUMNS = {"登记号", "记录人", "记录时间"}
CHOICES = {"渠道": CHANNELS, "申请人类型": APPLICANT_TYPES, "事件": EVENT_KINDS}


@dataclass
class Notes:
    """The errors and warnings of one import, as full lines (the first MAX_SHOWN of each)."""

    label: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0

    def line(self, place: str, column: str | None, message: str) -> str:
        where = f"{place}，“{column}”列" if column else place
        return f"{self.label}：{where}：{message}"

    def error(self, place: str, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_SHOWN:
            self.errors.append(self.line(place, column, message))

    def warn(self, place: str, column: str | None, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_SHOWN:
            self.warnings.append(self.line(place, column, message))


class RowChecker:
    """Turns rows into records, noting every problem of a row (not only the first)."""

    def __init__(self, notes: Notes, today: date, now: datetime):
        self.notes, self.today, self.now = notes, today, now

    def kind(self, row: Row) -> str | None:
        """申请 or 事件, after the checks every row gets; None for a row of neither kind."""
        kind = {"case": CASE_SHEET, "event": EVENT_SHEET}.get(row.kind, row.kind)
        if row.extra:
            self.notes.error(row.place, None, "单元格多于表头的列数")
        if kind not in (CASE_SHEET, EVENT_SHEET):
            message = f"应为“申请”或“事件”，不是“{row.kind}”" if row.kind else "不能为空"
            self.notes.error(row.place, KIND_COLUMN, message)
            return None
        other = (set(EVENT_COLUMNS) if kind == CASE_SHEET else set(CASE_COLUMNS)) - SHARED_COLUMNS
        for column in sorted(c for c in other if cell_text(row.values.get(c))):
            self.notes.error(row.place, column, f"{kind}行不填此列")
        return kind

    def case(self, row: Row) -> CaseRecord | None:
        before = self.notes.error_count
        values = {name: cell_text(row.values.get(label)) for name, label in FIELD_LABELS.items()}
        values["received"] = self._date(row, "收到日期")
        values["channel"] = self._choice(row, "渠道")
        values["applicant_type"] = self._choice(row, "申请人类型")
        values["recorded_by"] = self._actor(row)
        values["recorded_at"] = self._time(row, "记录时间")
        case = normalize_case(CaseRecord(**values))
        if not case.number:
            self.notes.error(row.place, "登记号", "不能为空")
        for name, message in case_problems(case):
            if name not in ("received", "channel", "applicant_type"):  # reported above
                self.notes.error(row.place, FIELD_LABELS[name], message)
        return case if self.notes.error_count == before else None

    def event(self, row: Row) -> tuple[str, int | None, EventRecord] | None:
        """(case number, 序号 or None, event) of a good event row."""
        before = self.notes.error_count
        number = cell_text(row.values.get("登记号"))
        if not number:
            self.notes.error(row.place, "登记号", "不能为空")
        seq, target = self._count(row, "序号"), self._count(row, "更正对象")
        kind, day = self._choice(row, "事件"), self._date(row, "日期")
        data = self._data(row)
        by, at = self._actor(row), self._time(row, "记录时间")
        if self.notes.error_count > before or data is None or day is None:
            return None
        event = EventRecord(kind, day, data, supersedes=target, recorded_by=by, recorded_at=at)
        return number, seq, event

    # -- fields --------------------------------------------------------------------------

    def _date(self, row: Row, column: str) -> date | None:
        value = row.values.get(column)
        if isinstance(value, datetime) and value.time() == datetime.min.time():
            day: date | None = value.date()
        elif isinstance(value, date) and not isinstance(value, datetime):
            day = value
        else:
            text = cell_text(value)
            day = parse_day(text) if text else None
            if day is None:
                message = f"不是有效的日期“{text}”（应为 YYYY-MM-DD）" if text else "不能为空"
                self.notes.error(row.place, column, message)
                return None
        if day < EARLIEST:
            self.notes.warn(
                row.place, column, f"日期 {day} 早于 {EARLIEST}（《政府信息公开条例》施行之日），请核对"
            )
        elif day > self.today:
            self.notes.warn(row.place, column, f"日期 {day} 晚于今天（{self.today}），请核对")
        return day

    def _time(self, row: Row, column: str) -> datetime | None:
        value = row.values.get(column)
        text = cell_text(value)
        try:
            if isinstance(value, datetime):
                moment: datetime | None = value.astimezone()
            else:
                moment = datetime.fromisoformat(text).astimezone() if text else None
        except (ValueError, OverflowError):
            self.notes.error(row.place, column, f"不是有效的时间“{text}”（应为 YYYY-MM-DD HH:MM:SS）")
            return None
        if moment is not None and moment > self.now + CLOCK_SKEW:
            self.notes.warn(row.place, column, f"记录时间 {text} 晚于本次导入的时间，请核对")
        elif moment is not None and moment.date() < EARLIEST:
            self.notes.warn(row.place, column, f"记录时间 {text} 早于 {EARLIEST}，请核对")
        return moment

    def _choice(self, row: Row, column: str) -> str:
        text = cell_text(row.values.get(column))
        key = choice_key(text, CHOICES[column])
        if key is None:
            choices = "、".join(CHOICES[column].values())
            self.notes.error(
                row.place, column, f"未知的{column}“{text}”（可选：{choices}）" if text else "不能为空"
            )
        return key or ""

    def _count(self, row: Row, column: str) -> int | None:
        text = cell_text(row.values.get(column))
        if not text:
            return None
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_SEQ:
            self.notes.error(row.place, column, f"应为正整数，不是“{text}”")
            return None
        return int(text)

    def _actor(self, row: Row) -> str:
        by = cell_text(row.values.get("记录人"))
        if by:
            try:
                check_actor(by)
            except InputError as err:
                self.notes.error(row.place, "记录人", err.message)
        return by

    def _data(self, row: Row) -> dict[str, Any] | None:
        text = cell_text(row.values.get("数据"))
        if not text:
            return {}
        if len(text) > MAX_DATA_CHARS:
            self.notes.error(row.place, "数据", f"事件数据过长（{len(text)} 字，上限 {MAX_DATA_CHARS} 字）")
            return None
        if nests_deeper(text, MAX_DATA_DEPTH):
            self.notes.error(row.place, "数据", f"事件数据的嵌套层数过多（上限 {MAX_DATA_DEPTH} 层）")
            return None
        try:
            return normalize_data(json.loads(text))
        except (ValueError, InputError) as err:
            message = err.message if isinstance(err, InputError) else "不是有效的 JSON 对象"
            self.notes.error(row.place, "数据", message)
            return None


def nests_deeper(text: str, limit: int) -> bool:
    """Whether the arrays and objects of a JSON text nest more than `limit` deep (brackets in
    strings do not count); found without parsing, since Python's parser recurses per level."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False
