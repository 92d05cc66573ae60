"""The ledger's CSV and XLSX files as rows of cells: the column layout, and reading and writing
it. XLSX has two sheets, 申请 (one row per case) and 事件 (one row per event); CSV is one file,
written as UTF-8 with BOM for Excel and read as UTF-8, GBK or UTF-16, where the column 记录类型
says whether a row is a 申请 or an 事件. Reading maps the header to the columns and gives each
row its place in the file for messages; it checks the header but not the values, which is
`importexport`'s work.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..read.ziplimits import open_safe_zip
from .models import FIELD_LABELS

CASE_SHEET, EVENT_SHEET = "申请", "事件"
KIND_COLUMN = "记录类型"
CASE_COLUMNS = tuple(FIELD_LABELS.values())
EVENT_COLUMNS = ("登记号", "序号", "事件", "日期", "更正对象", "数据", "记录人", "记录时间")
CSV_COLUMNS = (KIND_COLUMN, *CASE_COLUMNS[:-2], *EVENT_COLUMNS[1:])


@dataclass
class Row:
    place: str  # "第 5 行" or "工作表“事件”第 5 行"
    values: dict[str, Any]
    kind: str = ""  # 申请 or 事件 (the sheet, or the CSV's 记录类型)
    extra: bool = False  # cells beyond the header


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError("文件名须以 .csv 或 .xlsx 结尾", str(path))
    return suffix[1:]


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number Excel turned into a number
    return str(value).strip()


# -- writing ---------------------------------------------------------------------------


def write_csv(histories: Iterable[tuple[dict, list[dict]]], stream: Any) -> None:
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


def write_xlsx(histories: Iterable[tuple[dict, list[dict]]], stream: Any) -> None:
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


# -- reading ---------------------------------------------------------------------------


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


def read_csv(data: bytes, label: str, *, max_rows: int) -> list[Row]:
    text = _decode(data, label)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","  # Excel's "Unicode text"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        header = _header(next(reader, []), CSV_COLUMNS, label, "")
        for number, record in enumerate(reader, start=2):
            if number > max_rows:
                raise InputError(f"行数过多（上限 {max_rows} 行）", label)
            if any(cell.strip() for cell in record):
                row = _make_row(f"第 {number} 行", header, record)
                row.kind = cell_text(row.values.pop(KIND_COLUMN, None))
                rows.append(row)
    except csv.Error as err:
        raise InputError(f"第 {reader.line_num} 行：CSV 格式错误（{err}）", label) from None
    return rows


def _header(cells: Iterable[Any], allowed: tuple[str, ...], label: str, where: str) -> list[str]:
    names = [cell_text(cell) for cell in cells]
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
    extra = any(cell_text(c) for c in cells[len(header) :])
    return Row(place, dict(zip(header, cells, strict=False)), kind, extra)


def read_xlsx(data: bytes, label: str, *, max_rows: int) -> list[Row]:
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
        rows = _sheet_rows(book[CASE_SHEET], CASE_COLUMNS, label, max_rows)
        if EVENT_SHEET in book.sheetnames:
            rows += _sheet_rows(book[EVENT_SHEET], EVENT_COLUMNS, label, max_rows)
    except InputError:
        raise
    except Exception:  # a damaged sheet inside a sound zip
        raise InputError("XLSX 文件已损坏，无法读取", label) from None
    finally:
        book.close()
    return rows


def _sheet_rows(sheet: Any, columns: tuple[str, ...], label: str, max_rows: int) -> list[Row]:
    where = f"工作表“{sheet.title}”"
    rows = sheet.iter_rows(values_only=True)
    header = _header(next(rows, ()), columns, label, where)
    out = []
    for number, cells in enumerate(rows, start=2):
        if number > max_rows:
            raise InputError(f"{where}行数过多（上限 {max_rows} 行）", label)
        if any(cell_text(c) for c in cells):
            out.append(_make_row(f"{where}第 {number} 行", header, cells, sheet.title))
    return out
