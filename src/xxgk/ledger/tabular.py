"""The ledger's CSV and XLSX files as rows of cells: the column layout, writing both, and
reading CSV (XLSX is read by `xlsxread`). XLSX has two sheets, 申请 (one row per case) and 事件
(one row per event); CSV is one file, written as UTF-8 with BOM for Excel and read as UTF-8,
GBK or UTF-16, where the column 记录类型 says whether a row is a 申请 or an 事件.

Reading yields rows one at a time (a file of any length is never held in memory), maps the
header to the columns and gives each row its place in the file for messages; it checks the
header but not the values, which is `importcheck`'s work.

Text cells that a spreadsheet would run as a formula are written with a leading quote and
read back without it (`safecell`), so an export opens safely and imports as it was.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..safecell import neutralise, restore
from .models import FIELD_LABELS

CASE_SHEET, EVENT_SHEET = "申请", "事件"
KIND_COLUMN = "记录类型"
CASE_COLUMNS = tuple(FIELD_LABELS.values())
EVENT_COLUMNS = ("登记号", "序号", "事件", "日期", "更正对象", "数据", "记录人", "记录时间")
CSV_COLUMNS = (KIND_COLUMN, *CASE_COLUMNS[:-2], *EVENT_COLUMNS[1:])

_CHUNK = 1024 * 1024


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


def _csv_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else neutralise(value)


def write_xlsx(histories: Iterable[tuple[dict, list[dict]]], stream: Any) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    cases, events = book.create_sheet(CASE_SHEET), book.create_sheet(EVENT_SHEET)
    cases.append(CASE_COLUMNS)
    events.append(EVENT_COLUMNS)
    for case_row, event_rows in histories:
        cases.append([_xlsx_cell(case_row[c]) for c in CASE_COLUMNS])
        for row in event_rows:
            events.append([_xlsx_cell(row[c]) for c in EVENT_COLUMNS])
    book.save(stream)


# Excel's escape for characters XML cannot hold; text that looks like one is escaped itself.
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _xlsx_cell(value: Any) -> Any:
    # Plain values are much faster to write than cell objects: a date gets yyyy-mm-dd by itself,
    # a number stays a numeric cell, and neutralised text never starts with "=" (which openpyxl
    # would write as a formula).
    if not isinstance(value, str):
        return value
    return _ESCAPE_LIKE.sub(r"_x005F_\1", neutralise(value))


# -- reading CSV -----------------------------------------------------------------------


def iter_csv(stream: BinaryIO, label: str, *, max_rows: int) -> Iterator[Row]:
    """The rows of a CSV file after its header, decoded as the whole file allows."""
    text = io.TextIOWrapper(stream, encoding=_encoding(stream, label), newline="")
    first = text.readline()
    delimiter = "\t" if "\t" in first and "," not in first else ","  # Excel's "Unicode text"
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    try:
        header = check_header(next(reader, []), CSV_COLUMNS, label, "")
        for number, record in enumerate(reader, start=2):
            if number > max_rows:
                raise InputError(f"行数过多（上限 {max_rows} 行）", label)
            if any(cell.strip() for cell in record):
                row = make_row(f"第 {number} 行", header, [restore(cell) for cell in record])
                row.kind = cell_text(row.values.pop(KIND_COLUMN, None))
                yield row
    except csv.Error as err:
        raise InputError(f"第 {reader.line_num} 行：CSV 格式错误（{err}）", label) from None
    finally:
        text.detach()  # the caller owns the stream; a dropped wrapper would warn (ResourceWarning)


def _encoding(stream: BinaryIO, label: str) -> str:
    """UTF-16 by its BOM; else UTF-8 if the whole file decodes so, else GBK (GB18030), which
    Excel in China uses for CSV. The file is read through in chunks (once per encoding tried)
    and rewound, so that decoding never fails halfway through the rows."""
    utf16 = stream.read(2) in (b"\xff\xfe", b"\xfe\xff")
    stream.seek(0)
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := stream.read(_CHUNK):
                if not utf16 and b"\x00" in chunk:
                    raise InputError("不是 CSV 文本文件（含有二进制内容）", label)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
    expected = "UTF-16" if utf16 else "UTF-8 或 GBK"
    raise InputError(f"无法识别 CSV 文件的编码（应为 {expected}）", label)


# -- reading: shared by CSV and XLSX ---------------------------------------------------


def check_header(cells: Iterable[Any], allowed: tuple[str, ...], label: str, where: str) -> list[str]:
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


def make_row(place: str, header: list[str], cells: list[Any], kind: str = "") -> Row:
    extra = any(cell_text(c) for c in cells[len(header) :])
    return Row(place, dict(zip(header, cells, strict=False)), kind, extra)
