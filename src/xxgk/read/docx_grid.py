"""DOCX tables -> TableBlock grids: each distinct cell once, in the row where it starts.

Grid columns come from w:gridBefore/w:gridSpan; w:vMerge continuations become rowspans and
w:hMerge continuations widen the cell to their left. Deleted table rows (tracked changes) are
not rows: they become "revision" artifacts. Content controls and custom XML around rows and
cells are looked through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Artifact
from .document import TableBlock, TableCell
from .docx_xml import (
    CUSTOM_XML,
    DEL,
    GRID_BEFORE,
    GRID_SPAN,
    H_MERGE,
    SDT,
    SDT_CONTENT,
    TC,
    TC_PR,
    TR,
    TR_PR,
    V_MERGE,
    VAL,
    plain_text,
    revision_text,
)

if TYPE_CHECKING:
    from .docx import _Reader


def _rows(container):
    """w:tr children, looking through content controls and custom XML around rows/cells."""
    for child in container:
        if child.tag in (TR, TC):
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _rows(content)
        elif child.tag == CUSTOM_XML:
            yield from _rows(child)


def _int_val(element, tag: str, default: int) -> int:
    node = element.find(tag) if element is not None else None
    try:
        return max(int(node.get(VAL)), 0) if node is not None else default
    except (TypeError, ValueError):
        return default


class GridBuilder:
    """Distinct cells with grid coordinates and spans; vertical merges become rowspans."""

    def __init__(self, reader: _Reader, block: TableBlock, number: int) -> None:
        self.reader, self.block, self.number = reader, block, number
        self.open: dict[int, tuple[TableCell, int]] = {}  # start column -> (cell, last row)
        self.row = 0

    def build(self, tbl) -> None:
        for tr in _rows(tbl):
            if tr.tag != TR:
                continue
            trpr = tr.find(TR_PR)
            deleted = trpr.find(DEL) if trpr is not None else None
            if deleted is not None:
                text = plain_text(tr).strip()
                where = dict(self.block.where)
                self.reader.artifacts.append(
                    Artifact("revision", revision_text("删除表格行", deleted, text), where)
                )
                continue
            self.row += 1
            self.block.rows.append(self._row(tr))

    def _row(self, tr) -> list[TableCell]:
        cells: list[TableCell] = []
        col = _int_val(tr.find(TR_PR), GRID_BEFORE, 0)
        for tc in _rows(tr):
            if tc.tag != TC:
                continue
            tcpr = tc.find(TC_PR)
            span = max(_int_val(tcpr, GRID_SPAN, 1), 1)
            self._cell(tc, tcpr, col, span, cells)
            col += span
        return cells

    def _cell(self, tc, tcpr, col: int, span: int, cells: list[TableCell]) -> None:
        vmerge = tcpr.find(V_MERGE) if tcpr is not None else None
        hmerge = tcpr.find(H_MERGE) if tcpr is not None else None
        above = self.open.get(col)
        if (
            vmerge is not None
            and vmerge.get(VAL, "continue") == "continue"
            and above
            and above[1] == self.row - 1
        ):
            cell = above[0]
            cell.rowspan += 1
            self.open[col] = (cell, self.row)
            self._append_text(cell, tc)
        elif hmerge is not None and hmerge.get(VAL, "continue") == "continue" and cells:
            cells[-1].colspan += span
            self._append_text(cells[-1], tc)
        else:
            where = {"table": self.number, "row": self.row, "col": col + 1}
            cell = TableCell(self.reader.cell_text(tc, where), where, 1, span)
            cells.append(cell)
            self.open[col] = (cell, self.row)

    def _append_text(self, cell: TableCell, tc) -> None:
        extra = self.reader.cell_text(tc, cell.where)
        if extra.strip():
            cell.text = f"{cell.text}\n{extra}" if cell.text else extra
