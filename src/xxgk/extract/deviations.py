"""What the reader saw but could not take as the format declares: template deviations and
tables that are visibly there yet could not be read.

- XG209: the report departs from its template — a row of the other year's template (a 2021
  report that collapses 三(六) into the 2019 row “（六）其他处理”), or a table 二 without one
  of its columns. The values that are there are read; the finding names the deviation.
- XG009: the document shows a table's row labels, but no number of the table was read. A
  report is never “no problems” because its tables were unreadable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats import get_format
from ..formats.base import Format, Row, Table
from ..model import ERROR, WARNING, Finding, Report
from ..text.normalize import label_key
from .notes import TABLE_NAMES
from .tokens import NUM, TEXT, Token

TEMPLATE_NAMES = {
    "2021": "2021 年格式（国办公开办函〔2021〕30号）",
    "2019": "2019 年格式（国办公开办函〔2019〕60号）",
}
_OTHER_TEMPLATE = {"2021": "2019", "2019": "2021"}


@dataclass
class ForeignRow:
    """A row of the other year's template found in this report's table."""

    row: Row
    label: Token
    values: list[Token]


def foreign_rows(
    spec: Format, table: Table, tokens: list[Token], start: int, end: int, gather, texts=None
) -> list[ForeignRow]:
    """Rows that only the other year's template has, found by exact label with numbers after them.
    `texts`: the positions of the text cells in start..end, when the caller has them."""
    candidates = _foreign_labels(spec, table)
    if candidates is None:
        return []
    out: list[ForeignRow] = []
    seen: set[str] = set()
    get = candidates.get
    for i in range(start, end) if texts is None else texts:
        token = tokens[i]
        row = get(token.key) if token.kind == TEXT else None
        if row is None or row.key in seen:
            continue
        values = gather(tokens, i, end)
        if any(t.kind == NUM for t in values):
            seen.add(row.key)
            out.append(ForeignRow(row, token, values))
    return out


_FOREIGN: dict[tuple[int, int], tuple[Format, Table, dict[str, Row] | None]] = {}
_PER_TABLE = 64  # tables kept by the caches here (a few are in use)


def _foreign_labels(spec: Format, table: Table) -> dict[str, Row] | None:
    """Label keys of the other template's rows that this table lacks (None: no other
    template), built once per format and table."""
    found = _FOREIGN.get((id(spec), id(table)))
    if found is None or found[0] is not spec or found[1] is not table:
        other_id = _OTHER_TEMPLATE.get(spec.id)
        other = get_format(other_id) if other_id else None
        candidates = None
        if other is not None:
            own = {r.key for r in table.rows} | {
                label_key(x) for r in table.rows for x in (r.label, *r.variants)
            }
            candidates = {
                label_key(x): r
                for r in other.table(table.key).rows
                if r.key not in own
                for x in (r.label, *r.variants)
                if label_key(x) not in own
            }
        if len(_FOREIGN) >= _PER_TABLE:
            _FOREIGN.clear()
        found = _FOREIGN[(id(spec), id(table))] = (spec, table, candidates)
    return found[2]


def foreign_row_finding(spec: Format, table: Table, found: ForeignRow) -> Finding:
    replaced = [r for r in table.rows if r.group == found.row.label]
    numbers = " ".join(t.text for t in found.values if t.kind == NUM)
    other = TEMPLATE_NAMES[_OTHER_TEMPLATE[spec.id]]
    own = TEMPLATE_NAMES[spec.id]
    message = f"{TABLE_NAMES[table.key]}有{other}的“{found.row.label}”行（读到 {numbers}），{own}没有该行"
    if replaced:
        names = "、".join(f"“{r.name}”" for r in replaced)
        message += f"，应分列为{names}；这些行的数值无法从合并的一行得出，未填"
    return Finding(
        "XG209",
        WARNING,
        message,
        [f"{table.key}/{r.key}/{f.key}" for r in replaced for f in r.fields],
        hint="请按本年度适用的格式填报该表。",
        where=dict(found.label.where),
    )


def missing_columns(
    table: Table, tokens: list[Token], start: int, end: int, texts=None
) -> dict[tuple, list[int]]:
    """Field sets whose header shows some columns but not others: {fields: indices present}.
    Only narrow blocks (table 二's three columns): the wide header of table 三 is too often
    broken over lines for its absence to mean anything. `texts`: as for foreign_rows."""
    blocks = _narrow_blocks(table)
    if not blocks:
        return {}
    if texts is None:
        header = {t.key for t in tokens[start:end] if t.kind == TEXT}
    else:
        header = {tokens[i].key for i in texts}
    out: dict[tuple, list[int]] = {}
    for fields, keys in blocks:
        present = [n for n, key in enumerate(keys) if key in header]
        if 0 < len(present) < len(fields):
            out[fields] = present
    return out


_NARROW_BLOCKS: dict[int, tuple[Table, list[tuple[tuple, list[str]]]]] = {}


def _narrow_blocks(table: Table) -> list[tuple[tuple, list[str]]]:
    """The distinct narrow field sets of a table with their label keys, computed once per
    table object (kept with it, so a reused id cannot mislead)."""
    found = _NARROW_BLOCKS.get(id(table))
    if found is None or found[0] is not table:
        blocks = {r.fields: None for r in table.rows if 1 < len(r.fields) <= _NARROW}
        if len(_NARROW_BLOCKS) >= _PER_TABLE:
            _NARROW_BLOCKS.clear()
        found = _NARROW_BLOCKS[id(table)] = (table, [(f, [label_key(x.label) for x in f]) for f in blocks])
    return found[1]


def missing_column_finding(
    table: Table, fields: tuple, present: list[int], rows: list[Row], where
) -> Finding:
    absent = [f for n, f in enumerate(fields) if n not in present]
    names = "、".join(f"“{f.label}”" for f in absent)
    row_names = "、".join(r.name for r in rows)
    return Finding(
        "XG209",
        WARNING,
        f"{TABLE_NAMES[table.key]}缺少{names}列（{row_names}），已按表头读取其余各列，缺少的列未填",
        [f"{table.key}/{r.key}/{f.key}" for r in rows for f in absent],
        hint="请按格式文件补全表格的各列。",
        where=dict(where),
    )


_NARROW = 3

# ------------------------------------------------------------------ XG009

# A label glued to the numbers of its row ("…申请数量801000081二、…"): a table cell, not prose,
# which would write a unit after the number.
_GLUED_NUMBER = r"[:：]?\d+(?![\d.件项个次条人万元%％])"


def unread_tables(report: Report, spec: Format, norm_lines: list[str], wheres: list[dict]) -> list[Finding]:
    out = []
    for table in spec.tables:
        if _read_some(report.cells, table):
            continue
        seen = _read_blank(report, table) or _seen_labels(spec, table, norm_lines)
        if len(seen) < 2:
            continue
        first_line = min(line for _, line in seen)
        names = "、".join(f"“{row.label}”" for row, _ in seen[:3])
        refs = [f"{table.key}/{row.key}/{f.key}" for row, _ in seen for f in row.fields]
        out.append(
            Finding(
                "XG009",
                ERROR,
                f"文档中有{TABLE_NAMES[table.key]}（见{names}等 {len(seen)} 个行标签），但未能读出表中数值",
                refs,
                hint="表格可能在转换或复制中损坏（单元格粘连、错位、成为图片），请对照原文核对或提供原始文件。",
                where=dict(wheres[first_line]),
            )
        )
    return out


def _read_some(cells: dict, table: Table) -> bool:
    """Some cell of the table holds a number. The table's own references are looked up first
    (a table read: its first cells answer), then every cell of the table's prefix, since
    a report may hold references its format does not list."""
    get = cells.get
    for refs in table.row_refs.values():
        for ref in refs:
            cell = get(ref)
            if cell is not None and cell.value is not None:
                return True
    prefix = table.key + "/"
    return any(c.value is not None for r, c in cells.items() if r.startswith(prefix))


def _read_blank(report: Report, table: Table) -> list[tuple[Row, int]]:
    """Rows the reader found, every cell blank: labels without a single readable number."""
    out = []
    for row in table.rows:
        cell = report.cells.get(f"{table.key}/{row.key}/{row.fields[0].key}")
        if cell is not None:
            out.append((row, cell.where.get("line", 1) - 1 if "line" in cell.where else 0))
    return out


def _seen_labels(spec: Format, table: Table, norm_lines: list[str]) -> list[tuple[Row, int]]:
    titles = {label_key(x) for s in spec.sections for x in (s.title, *s.variants)}
    patterns = []
    for row in table.rows:
        keys = {label_key(x) for x in (row.label, *row.variants)}
        keys = [k for k in keys if len(k) >= 4 and not any(k in t for t in titles)]
        if keys:
            alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
            patterns.append((row, re.compile(f"(?:^(?:{alternatives})$|(?:{alternatives}){_GLUED_NUMBER})")))
    seen: list[tuple[Row, int]] = []
    compact = [re.sub(r"\s+", "", line) for line in norm_lines]
    if table.layout == "header_then_values":
        return _seen_header(table, compact, titles)
    for row, pattern in patterns:
        for n, line in enumerate(compact):
            if pattern.search(line):
                seen.append((row, n))
                break
    return seen


def _seen_header(table: Table, compact: list[str], titles: set[str]) -> list[tuple[Row, int]]:
    """Table 四 shows its header words (结果维持, 尚未审结…), which prose never uses."""
    words = {label_key(x) for x in table.header_labels}
    words = [w for w in words if len(w) >= 4 and not any(w in t for t in titles)]
    hits = [(n, w) for w in words for n, line in enumerate(compact) if w in line]
    if len({w for _, w in hits}) < 2:
        return []
    line = min(n for n, _ in hits)
    return [(row, line) for row in table.rows]


READ_RULES = {
    "XG009": dict(
        name="table-unreadable",
        severity=ERROR,
        summary="文档中有统计表（能看到行标签），却未能读出表中数值",
        doc=(
            "文档中能看到某张统计表的行标签（如“一、本年新收政府信息公开申请数量”紧接着一串数字），"
            "读取器却没能读出该表的任何数值：单元格粘连成一串、表格错位或损坏。"
            "这不是“未发现问题”：表中数字无法核对，请对照原文或提供原始文件。"
        ),
    ),
    "XG209": dict(
        name="template-deviation",
        severity=WARNING,
        family="completeness",
        summary="统计表与所用格式不符：用了另一年度格式的行，或缺少规定的列",
        doc=(
            "报告所用格式规定了每张表的行和列。2021 年格式把“（六）其他处理”分为三行，"
            "有的报告仍按 2019 年格式写成一行；有的表二少了一列。读取器读取现有的数值，并指出与格式不符之处；"
            "无法从合并的行得出的单元格不填。"
            "例：洪泽区人民政府2023年报表三只有一行“（六）其他处理 0 0 0 0 0 0 0”。"
            "依据：国办公开办函〔2021〕30号；〔2019〕60号。"
        ),
    ),
}
