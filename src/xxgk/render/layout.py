"""The official layout of the three tables as a grid of merged cells.

`table_grid(spec, key)` walks a table of the format declaration (rows, their `block` or
`group`, their fields) and returns every cell of the printed table with its position and
spans, the way the official Word files of 国办公开办函〔2019〕60号 and〔2021〕30号 lay it out.
The HTML and DOCX renderers both walk this grid, so the two outputs have the same merges.

The shapes:

* 表二 (`active`): per block a caption row across the table, a header row (信息内容 and the
  block's fields), then one row per 信息内容 row. The value columns are shared by all blocks:
  as many as the widest block has fields, widened by one when a narrower block would not
  split them evenly. The 2021 format gets 1 + 3 columns (a single-field block spans all
  three); the 2019 format gets 1 + 4 (three fields as 1, 2, 1 columns, two fields as 2, 2),
  the grid of the official 2019 table as published (e.g. 上海市人民政府办公厅 2019).
* 表三 (`applications`): 3 label columns + one column per field. Three header rows: the
  勾稽关系 note (rowspan 3, colspan 3), 申请人情况 over all fields; the first and last field
  (自然人, 总计) rowspan 2 and 法人或其他组织 over the fields between them; then those
  fields. The rows of the table's first group (三、本年度办理结果) share one cell in column 0;
  rows of a nested group (（三）不予公开 …) share one cell in column 1; a label spans the label
  columns its row's groups leave free.
* 表四 (`reviews`, header-then-values): each row of the declaration is a column group. A row
  without a group (行政复议) prints its label over its fields and its fields with rowspan 2;
  rows with a group (行政诉讼) print the group over all of them, each row label over its own
  fields, then the fields. One row of values follows.

Captions that the declaration lists in `header_labels` without giving them a place (信息内容,
申请人情况, 法人或其他组织) are found there: they are the header labels that are not a block,
group, row or field label. Renderer-layer defaults stand in when a declaration lacks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from ..formats import AMOUNT, AMOUNT_TEXT, FORMAT_2021, Format, Row, Table

# Header captions of the official tables that no row, group, block or field carries.
CONTENT_CAPTION = "信息内容"  # 表二: the caption over the row labels of each block
APPLICANT_CAPTION = "申请人情况"  # 表三: over all applicant columns
ORG_CAPTION = "法人或其他组织"  # 表三: over the applicant columns between 自然人 and 总计

LABEL_COLUMNS_APPLICATIONS = 3

NUMERALS = "一二三四五六七八九十"


@dataclass
class GridCell:
    """One cell of a table grid; `row`/`col` are 0-based, of the cell's top-left slot.

    `header` is True for every caption and label cell (rendered as `th`); `ref` is set for
    value cells (e.g. ``applications/received/commercial``); `scope` says what a header
    cell heads: "col" (captions over columns) or "row" (row labels and row groups).
    """

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    ref: str | None = None
    scope: str | None = None

    @property
    def slots(self) -> list[tuple[int, int]]:
        return [
            (r, c)
            for r in range(self.row, self.row + self.rowspan)
            for c in range(self.col, self.col + self.colspan)
        ]


def grid_shape(cells: list[GridCell]) -> tuple[int, int]:
    """(rows, columns) of a grid."""
    if not cells:
        return 0, 0
    return (
        max(c.row + c.rowspan for c in cells),
        max(c.col + c.colspan for c in cells),
    )


def table_grid(spec: Format, table_key: str) -> list[GridCell]:
    """The official layout of one table of `spec`, cells in row-major order."""
    table = spec.table(table_key)
    if table.layout == "header_then_values":
        cells = _column_groups_grid(table)
    elif any(row.block for row in table.rows):
        cells = _blocks_grid(table)
    else:
        cells = _row_groups_grid(table)
    cells.sort(key=lambda c: (c.row, c.col))
    return cells


# ---------------------------------------------------------------- captions


def _free_captions(table: Table) -> list[str]:
    """Header labels that the declaration does not place: not a block, group, row or field."""
    placed = {b for r in table.rows if (b := r.block)}
    placed |= {g for r in table.rows if (g := r.group)}
    placed |= set(table.group_labels)
    placed |= {r.label for r in table.rows}
    placed |= {f.label for r in table.rows for f in r.fields}
    return [h for h in table.header_labels if h not in placed]


def _caption(table: Table, index: int, default: str) -> str:
    free = _free_captions(table)
    return free[index] if index < len(free) else default


# ---------------------------------------------------------------- 表二: blocks


def _split(width: int, parts: int) -> list[int]:
    """`width` columns over `parts` cells as evenly as possible; extra columns go to the
    middle cells (three fields over four columns: 1, 2, 1)."""
    base, extra = divmod(width, parts)
    spans = [base] * parts
    start = (parts - extra) // 2
    for i in range(start, start + extra):
        spans[i] += 1
    return spans


def value_columns(table: Table) -> int:
    """Value columns of a block table: the widest block's field count, widened until every
    other block's fields split the columns evenly (the widest block may be uneven)."""
    counts = {len(r.fields) for r in table.rows}
    widest = max(counts)
    width = widest
    while any(width % n for n in counts if n != widest):
        width += 1
    return width


def _blocks_grid(table: Table) -> list[GridCell]:
    width = value_columns(table)
    total = 1 + width
    caption = _caption(table, 0, CONTENT_CAPTION)
    cells: list[GridCell] = []
    r = 0
    for block, rows_iter in groupby(table.rows, key=lambda row: row.block):
        rows = list(rows_iter)
        if block:
            cells.append(GridCell(block, r, 0, colspan=total, header=True, scope="col"))
            r += 1
        fields = rows[0].fields
        spans = _split(width, len(fields))
        cells.append(GridCell(caption, r, 0, header=True, scope="col"))
        col = 1
        for fld, span in zip(fields, spans, strict=True):
            cells.append(GridCell(fld.label, r, col, colspan=span, header=True, scope="col"))
            col += span
        r += 1
        for row in rows:
            cells.append(GridCell(row.label, r, 0, header=True, scope="row"))
            col = 1
            for fld, span in zip(row.fields, _split(width, len(row.fields)), strict=True):
                cells.append(GridCell("", r, col, colspan=span, ref=f"{table.key}/{row.key}/{fld.key}"))
                col += span
            r += 1
    return cells


# ---------------------------------------------------------------- 表三: row groups


def _row_groups_grid(table: Table) -> list[GridCell]:
    fields = table.rows[0].fields
    labels = LABEL_COLUMNS_APPLICATIONS
    ncols = labels + len(fields)
    cells: list[GridCell] = [
        GridCell(table.note or "", 0, 0, rowspan=3, colspan=labels, header=True, scope="col"),
        GridCell(
            _caption(table, 0, APPLICANT_CAPTION), 0, labels, colspan=len(fields), header=True, scope="col"
        ),
    ]
    # Second and third header rows: first and last field stand alone, the rest under a caption.
    first, *middle, last = fields
    cells.append(GridCell(first.label, 1, labels, rowspan=2, header=True, scope="col"))
    cells.append(
        GridCell(
            _caption(table, 1, ORG_CAPTION), 1, labels + 1, colspan=len(middle), header=True, scope="col"
        )
    )
    cells.append(GridCell(last.label, 1, ncols - 1, rowspan=2, header=True, scope="col"))
    for i, fld in enumerate(middle):
        cells.append(GridCell(fld.label, 2, labels + 1 + i, header=True, scope="col"))

    outer = table.group_labels[0] if table.group_labels else None
    r = 3
    for in_outer, run_iter in groupby(table.rows, key=lambda row: row.group is not None):
        run = list(run_iter)
        col0 = 0
        outer_text = None
        if in_outer:
            outer_text = outer if outer is not None else run[0].group
            cells.append(GridCell(outer_text or "", r, 0, rowspan=len(run), header=True, scope="row"))
            col0 = 1
        for group, sub_iter in groupby(run, key=lambda row: row.group):
            sub = list(sub_iter)
            col = col0
            if in_outer and group != outer_text:
                cells.append(GridCell(group or "", r, col, rowspan=len(sub), header=True, scope="row"))
                col += 1
            for row in sub:
                cells.append(GridCell(row.label, r, col, colspan=labels - col, header=True, scope="row"))
                for i, fld in enumerate(row.fields):
                    cells.append(GridCell("", r, labels + i, ref=f"{table.key}/{row.key}/{fld.key}"))
                r += 1
    return cells


# ---------------------------------------------------------------- 表四: column groups


def _column_groups_grid(table: Table) -> list[GridCell]:
    depth = 3 if any(row.group for row in table.rows) else 2
    cells: list[GridCell] = []
    values_row = depth
    c = 0
    for group, run_iter in groupby(table.rows, key=lambda row: row.group):
        run: list[Row] = list(run_iter)
        if group is None:
            for row in run:
                n = len(row.fields)
                cells.append(GridCell(row.label, 0, c, colspan=n, header=True, scope="col"))
                for i, fld in enumerate(row.fields):
                    cells.append(GridCell(fld.label, 1, c + i, rowspan=depth - 1, header=True, scope="col"))
                    cells.append(GridCell("", values_row, c + i, ref=f"{table.key}/{row.key}/{fld.key}"))
                c += n
            continue
        width = sum(len(row.fields) for row in run)
        cells.append(GridCell(group, 0, c, colspan=width, header=True, scope="col"))
        for row in run:
            n = len(row.fields)
            cells.append(GridCell(row.label, 1, c, colspan=n, header=True, scope="col"))
            for i, fld in enumerate(row.fields):
                cells.append(GridCell(fld.label, 2, c + i, header=True, scope="col"))
                cells.append(GridCell("", values_row, c + i, ref=f"{table.key}/{row.key}/{fld.key}"))
            c += n
    return cells


# ---------------------------------------------------------------- values and titles


def format_value(value: int | Decimal | float | None, kind: str = "count") -> str:
    """A cell value as printed: integers plainly, amounts without trailing zeros
    (``Decimal("12.50")`` -> ``12.5``, zero -> ``0``), None blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if kind in (AMOUNT, AMOUNT_TEXT) or isinstance(value, Decimal | float):
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f")
    return str(int(value))


def value_text(report, ref: str) -> str:
    """The printed text of a value cell of `report` (blank when absent or None). An amount
    kept with its unit (2019 政府集中采购 采购总金额, e.g. ``251000元``) prints as written."""
    cell = report.cells.get(ref)
    if cell is None:
        return ""
    spec = report.spec
    kind = "count"
    if spec is not None and ref in spec.fields_by_ref:
        kind = spec.fields_by_ref[ref][2].kind
    if kind == AMOUNT_TEXT and cell.text and cell.value is not None:
        return cell.text
    return format_value(cell.value, kind)


def report_title(report) -> str:
    """meta.title, else 〈机关〉〈年〉年政府信息公开工作年度报告."""
    meta = report.meta
    if meta.title:
        return meta.title
    agency = meta.agency or ""
    year = f"{meta.year}年" if meta.year else ""
    return f"{agency}{year}政府信息公开工作年度报告"


# Characters of a 二号 (22 pt) title line in the 156 mm text block of GB/T 9704.
TITLE_LINE_CHARS = 20
_TITLE_TAIL = "政府信息公开工作年度报告"


def title_lines(title: str) -> list[str]:
    """The title as printed: one line when it fits, else broken where the meaning breaks
    (GB/T 9704: 回行时词意完整、排列对称), i.e. before 政府信息公开工作年度报告, so no line holds a
    lone 报告."""
    if len(title) <= TITLE_LINE_CHARS:
        return [title]
    head, tail, rest = title.partition(_TITLE_TAIL)
    if tail and head and len(head) <= TITLE_LINE_CHARS and len(tail + rest) <= TITLE_LINE_CHARS:
        return [head, tail + rest]
    return [title]


def section_heading(number: int, title: str) -> str:
    """一、总体情况 …"""
    return f"{NUMERALS[number - 1]}、{title}"


def report_sections(report) -> list[tuple[int, str, list[Table]]]:
    """(number, heading, tables placed in the section) for the six sections. A report without
    a national format (pre-2019) gets the 2021 headings and no tables; a table appears only
    when the report holds it (`tables_present`)."""
    spec = report.spec
    sections = (spec or FORMAT_2021).sections
    out = []
    for section in sections:
        tables = []
        if spec is not None:
            tables = [
                t for t in spec.tables if t.section == section.number and t.key in report.tables_present
            ]
        out.append((section.number, section_heading(section.number, section.title), tables))
    return out


def paragraphs(text: str | None) -> list[str]:
    """Non-empty lines of a section text, each one paragraph."""
    if not text:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]
