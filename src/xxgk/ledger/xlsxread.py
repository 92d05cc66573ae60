"""The ledger's XLSX workbook read as a stream of rows, in bounded memory.

A real office's multi-year ledger has hundreds of thousands of rows: its sheet XML is tens or
hundreds of MB. The sheets are therefore never built into trees: each is parsed with lxml's
iterparse, one <row> at a time (about five times faster than openpyxl's read-only mode, which
also parses every sheet twice when it has no <dimension>). What is held in memory is the
shared-string table and the set of date styles.

Untrusted input is bounded as the report readers bound it (`read.ziplimits`): encrypted
members, too many members, zip-bomb ratios and any DTD or entity declaration are refused.
The readers' 64 MB cap on XML is kept for the parts built into trees (the workbook, the
relationships); the streamed sheets may use the whole uncompressed budget, and the shared
strings, which are kept as a list, their own cap.

Nothing is lost silently: a workbook that lists a sheet or a part its archive does not
contain is refused whole, and so is a cell beyond the header that holds a value is an
error of its row.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any, BinaryIO

from lxml import etree

from ..errors import InputError
from ..read.limits import format_limit
from ..read.ziplimits import ZipLimits, check_members, check_xml_members, corrupt_message
from ..safecell import restore
from .tabular import CASE_COLUMNS, CASE_SHEET, EVENT_COLUMNS, EVENT_SHEET, Row, cell_text, check_header
from .xlsxstyles import date_styles, excel_date

_MIB = 1024 * 1024
LIMITS = ZipLimits(max_total=1024 * _MIB, max_xml=1024 * _MIB)  # the sheets are streamed
MAX_TREE_PART = 16 * _MIB  # workbook.xml, relationships and styles, parsed into trees
MAX_SHARED_STRINGS = 128 * _MIB  # kept in memory as a list of strings

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CORRUPT = corrupt_message("XLSX")
_COLUMN_LETTERS = re.compile(r"[A-Za-z]{1,3}")
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
COLUMNS = {CASE_SHEET: CASE_COLUMNS, EVENT_SHEET: EVENT_COLUMNS}


def iter_xlsx(stream: BinaryIO, label: str, *, max_rows: int) -> Iterator[Row]:
    """The rows of sheet 申请, then of sheet 事件 (if the workbook has it), after their headers."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError):
        raise InputError(_CORRUPT, label) from None
    with archive:
        check_members(archive.infolist(), label, LIMITS)
        check_xml_members(archive, label, "XLSX")
        book = _Workbook(archive, label)
        for name in book.sheets:
            if name not in COLUMNS:
                raise InputError(f"工作表“{name}”不是台账的工作表（应为“申请”和“事件”）", label)
        if CASE_SHEET not in book.sheets:
            raise InputError("缺少工作表“申请”", label)
        for name in (CASE_SHEET, EVENT_SHEET):
            if name in book.sheets:
                yield from book.rows(name, COLUMNS[name], max_rows)


class _Workbook:
    """The parts of the workbook: its sheets by name, shared strings, date styles."""

    def __init__(self, archive: zipfile.ZipFile, label: str):
        self.archive, self.label = archive, label
        self.names = set(archive.namelist())
        main = self._targets("_rels/.rels", "")
        workbook = next((t for kind, t in main.values() if kind == "officeDocument"), None)
        if workbook is None or workbook not in self.names:
            raise InputError("不是有效的 XLSX 文件", label)
        parts = self._targets(_rels_of(workbook), posixpath.dirname(workbook))
        root = self._tree(workbook)
        self.sheets = self._sheets(root, parts)
        pr = root.find(f"{_MAIN}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        by_kind = {kind: target for kind, target in parts.values()}
        self.strings = self._strings(self._present(by_kind.get("sharedStrings")))
        styles = self._present(by_kind.get("styles"))
        if styles is not None:
            self._part_size(styles, MAX_TREE_PART)
        self.dates = date_styles(archive, styles, label)

    def _sheets(self, root: Any, parts: dict[str, tuple[str, str]]) -> dict[str, str]:
        """Sheet name -> its part; a sheet listed without its part in the archive is an error,
        not an empty sheet."""
        sheets: dict[str, str] = {}
        for sheet in root.iter(f"{_MAIN}sheet"):
            name = sheet.get("name") or ""
            target = parts.get(sheet.get(_R_ID) or "", ("", ""))[1]
            if target not in self.names:
                raise InputError(
                    f"工作簿列出了工作表“{name}”，但文件中没有它的内容（文件不完整），未导入", self.label
                )
            if name in sheets:
                raise InputError(f"工作表名称“{name}”重复", self.label)
            sheets[name] = target
        return sheets

    def _present(self, part: str | None) -> str | None:
        if part is not None and part not in self.names:
            raise InputError(f"工作簿列出的部件 {part} 不存在（文件不完整），未导入", self.label)
        return part

    def _part_size(self, name: str, limit: int) -> None:
        size = self.archive.getinfo(name).file_size
        if size > limit:
            raise InputError(f"部件 {name} 过大（超过上限 {format_limit(limit)}）", self.label)

    def _tree(self, name: str) -> Any:
        self._part_size(name, MAX_TREE_PART)
        try:
            return etree.fromstring(self.archive.read(name), _parser())
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise InputError(_CORRUPT, self.label) from None

    def _targets(self, rels: str, base: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (kind, part name) of the internal relationships in `rels`."""
        if rels not in self.names:
            return {}
        out = {}
        for rel in self._tree(rels).iter(f"{_REL_NS}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], posixpath.normpath(path))
        return out

    def _strings(self, name: str | None) -> list[str]:
        if name is None:
            return []
        self._part_size(name, MAX_SHARED_STRINGS)
        with self.archive.open(name) as source:
            return [_text(item) for item in _elements(source, f"{_MAIN}si", _TEXT_TAGS, self.label)]

    def rows(self, sheet: str, columns: tuple[str, ...], max_rows: int) -> Iterator[Row]:
        where = f"工作表“{sheet}”"
        header: list[str] | None = None
        count = 0
        with self.archive.open(self.sheets[sheet]) as source:
            for number, cells in self._cells(source):
                if not any(cell_text(v) for v in cells.values()):
                    continue
                if header is None:
                    values = [cells.get(i) for i in range(max(cells) + 1)]
                    header = check_header(values, columns, self.label, where)
                    continue
                count += 1
                if count > max_rows:
                    raise InputError(f"{where}行数过多（上限 {max_rows} 行）", self.label)
                width = len(header)
                values = {name: cells.get(i) for i, name in enumerate(header)}
                extra = any(cell_text(v) for i, v in cells.items() if i >= width)
                yield Row(f"{where}第 {number} 行", values, sheet, extra)

    def _cells(self, source: Any) -> Iterator[tuple[int, dict[int, Any]]]:
        """(row number, {0-based column: value}) of each <row>, holding only the cells present."""
        number = 0
        for row in _elements(source, f"{_MAIN}row", _CELL_TAGS, self.label):
            number = _int(row.get("r"), number + 1, self.label)
            cells: dict[int, Any] = {}
            column = -1
            for cell in row.iterchildren(f"{_MAIN}c"):
                column = _column(cell.get("r"), column + 1, self.label)
                value = self._value(cell)
                if value is not None:
                    cells[column] = value
            yield number, cells

    def _value(self, cell: Any) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(f"{_MAIN}is")
            return None if inline is None else restore(_text(inline))
        raw = cell.findtext(f"{_MAIN}v")
        if raw is None:
            return None
        if kind == "s":
            index = _int(raw, -1, self.label)
            if not 0 <= index < len(self.strings):
                raise InputError(f"{_CORRUPT}（共享字符串编号 {raw} 不存在）", self.label)
            return restore(self.strings[index])
        if kind in ("str", "e"):
            return restore(_unescape(raw))
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return _iso_datetime(raw)
        return self._number(raw, cell.get("s"))

    def _number(self, raw: str, style: str | None) -> Any:
        text = raw.strip()
        try:
            number: int | float = int(text) if text.lstrip("-").isdigit() else float(text)
        except ValueError:
            return restore(raw)
        if style is not None and _int(style, -1, self.label) in self.dates:
            return excel_date(number, self.date1904)
        return number


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# What a string item (<si>, <is>) and a cell hold; kept until their item is read.
_TEXT_TAGS = frozenset(f"{_MAIN}{t}" for t in ("t", "r", "rPh", "rPr"))
_CELL_TAGS = _TEXT_TAGS | frozenset(f"{_MAIN}{t}" for t in ("c", "v", "f", "is"))


def _elements(source: Any, tag: str, inner: frozenset[str], label: str) -> Iterator[Any]:
    """Each complete `tag` element of a streamed part. Memory stays bounded whatever the part
    holds: an item is freed once the caller is done with it, and every other element once it
    is complete (unless it lies inside an item, whose `inner` tags are kept for the caller)."""
    keep = inner | {tag}
    try:
        for _, element in etree.iterparse(
            source, events=("end",), resolve_entities=False, no_network=True, load_dtd=False
        ):
            name = element.tag
            if name in inner:
                continue
            if name == tag:
                yield element
            else:
                parent = element.getparent()
                if parent is not None and parent.tag in keep:
                    continue  # an unknown element inside an item: freed with the item
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise InputError(_CORRUPT, label) from None


def _text(item: Any) -> str:
    """The text of a string item (<si> or <is>): its <t> and rich-text runs, not the phonetic
    guide (<rPh>) some editors add to Chinese text."""
    parts = []
    for child in item:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.append(child.findtext(f"{_MAIN}t") or "")
    return _unescape("".join(parts))


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x)."""
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _int(text: str | None, default: int, label: str) -> int:
    if text is None:
        return default
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise InputError(f"{_CORRUPT}（“{text[:20]}”不是有效的编号）", label)
    return int(text)


def _column(ref: str | None, default: int, label: str) -> int:
    if ref is None:
        return default
    column = _column_of(ref.rstrip("0123456789"))
    if column < 0:
        raise InputError(f"{_CORRUPT}（单元格位置“{ref[:20]}”无效）", label)
    return column


@lru_cache(maxsize=4096)
def _column_of(letters: str) -> int:
    """0-based column of "A", "B", … "XFD"; -1 if `letters` are not a column."""
    if _COLUMN_LETTERS.fullmatch(letters) is None:
        return -1
    column = 0
    for char in letters.upper():
        column = column * 26 + ord(char) - 64
    return column - 1


def _iso_datetime(raw: str) -> Any:
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return raw


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")
