"""The organisation tree as a CSV or XLSX file with the columns 名称, 类型, 层级, 上级.

Import checks every row (names unique in the file and the database, known kinds and levels,
parents that exist in the database or elsewhere in the file, no cycles) and adds all rows
in one transaction, or none. Export writes the whole tree, parents before children; text a
spreadsheet would run as a formula is neutralised (`safecell`), and read back on import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..errors import InputError, XxgkError
from ..read.ziplimits import open_safe_zip
from ..safecell import neutralise, restore
from ..store.audit import record
from ..store.tables import Org
from .tree import OrgSpec, all_orgs, insert_org, spec_problems, tree_order

COLUMNS = ("名称", "类型", "层级", "上级")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


class ImportProblems(XxgkError):
    """Rows that cannot be imported; nothing was imported. One line per problem."""

    def __init__(self, problems: list[str], path: str | None = None):
        super().__init__("\n".join(problems), path)
        self.problems = problems

    def __str__(self) -> str:
        prefix = f"{self.path}：" if self.path else ""
        return "\n".join(prefix + p for p in self.problems)


def file_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError("文件名须以 .csv 或 .xlsx 结尾", name)
    return suffix[1:]


# ---------------------------------------------------------------- reading


def read_rows(data: bytes, name: str) -> list[tuple[int, OrgSpec]]:
    """(line number, node) for each non-empty row after the header."""
    if len(data) > MAX_BYTES:
        raise InputError(f"文件过大（上限 {MAX_BYTES // 1024 // 1024} MB）", name)
    raw = _xlsx_rows(data, name) if file_kind(name) == "xlsx" else _csv_rows(data, name)
    header = [_text(v) for v in next(raw, [])]
    if tuple(header[:4]) != COLUMNS or any(header[4:]):
        raise InputError(
            f"表头应为：{'、'.join(COLUMNS)}（实际：{'、'.join(h for h in header if h) or '空'}）", name
        )
    rows = []
    for number, cells in enumerate(raw, start=2):
        values = [_text(v) for v in cells] + [""] * 4
        if not any(values):
            continue
        if len(rows) >= MAX_ROWS:
            raise InputError(f"行数过多（上限 {MAX_ROWS} 行）", name)
        rows.append((number, OrgSpec(*values[:4]).cleaned()))
    return rows


def _text(value: Any) -> str:
    return "" if value is None else str(restore(str(value))).strip()


def _csv_rows(data: bytes, name: str) -> Iterable[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("无法识别文件编码（请另存为 UTF-8 CSV）", name)
    if "\x00" in text:
        raise InputError("不是 CSV 文本文件", name)
    return iter(list(csv.reader(io.StringIO(text))))


def _xlsx_rows(data: bytes, name: str) -> Iterable[list[Any]]:
    import openpyxl

    open_safe_zip(data, name, "XLSX").close()  # zip bombs, entity declarations
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise InputError("XLSX 文件已损坏或不完整", name) from None
    return iter(rows)


# ---------------------------------------------------------------- importing


def import_orgs(session: Session, actor: str, data: bytes, name: str) -> int:
    """Add every node of the file, all or nothing; returns how many were added."""
    rows = read_rows(data, name)
    existing = {org.name: org for org in all_orgs(session)}
    problems = _problems(rows, existing)
    if problems:
        raise ImportProblems(problems, name)
    ids = {n: org.id for n, org in existing.items()}
    for spec in _parents_first(rows, existing):
        ids[spec.name] = insert_org(session, spec, ids.get(spec.parent)).id
    record(session, actor, "org.import", Path(name).name, added=len(rows))
    return len(rows)


def _problems(rows: list[tuple[int, OrgSpec]], existing: dict[str, Org]) -> list[str]:
    problems: list[str] = []
    first_seen: dict[str, int] = {}
    for number, spec in rows:
        found = list(spec_problems(spec))
        if spec.name in existing:
            found.append(("名称", f"机构“{spec.name}”已存在"))
        elif spec.name in first_seen:
            found.append(("名称", f"名称“{spec.name}”在文件中重复（又见第 {first_seen[spec.name]} 行）"))
        first_seen.setdefault(spec.name, number)
        problems += [f"第 {number} 行，“{column}”列：{message}" for column, message in found]
    in_file = {spec.name for _, spec in rows}
    for number, spec in rows:
        if spec.parent and spec.parent not in existing and spec.parent not in in_file:
            problems.append(f"第 {number} 行，“上级”列：上级机构“{spec.parent}”不存在")
    problems += _cycles(rows, existing)
    return problems


def _cycles(rows: list[tuple[int, OrgSpec]], existing: dict[str, Org]) -> list[str]:
    parent = {spec.name: spec.parent for _, spec in rows}
    out = []
    for number, spec in rows:
        seen, name = set(), spec.name
        while name in parent and parent[name] and name not in seen:
            seen.add(name)
            name = parent[name]
        if name in seen and name == spec.name:
            out.append(f"第 {number} 行，“上级”列：上级关系形成循环（{spec.name}）")
    return out


def _parents_first(rows: list[tuple[int, OrgSpec]], existing: dict[str, Org]) -> list[OrgSpec]:
    placed = set(existing)
    todo = [spec for _, spec in rows]
    ordered: list[OrgSpec] = []
    while todo:
        ready = [s for s in todo if not s.parent or s.parent in placed]
        placed.update(s.name for s in ready)
        ordered += ready
        todo = [s for s in todo if s not in ready]
    return ordered


# ---------------------------------------------------------------- exporting


def export_rows(session: Session) -> list[list[str]]:
    orgs = all_orgs(session)
    names = {org.id: org.name for org in orgs}
    return [[o.name, o.kind, o.level, names.get(o.parent_id, "")] for o, _ in tree_order(orgs)]


def export_bytes(session: Session, name: str) -> bytes:
    """The tree as the bytes of a CSV (UTF-8 with BOM) or XLSX file, by `name`'s extension."""
    rows = [list(COLUMNS)] + [[neutralise(v) for v in row] for row in export_rows(session)]
    if file_kind(name) == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "机构树"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
