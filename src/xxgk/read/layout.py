"""Page geometry shared by the PDF and OCR readers: words -> lines -> cells.

Words, lines and segments (cell candidates) come from layoutlines.py, re-exported here.
`page_blocks` turns the lines of a page into blocks: runs of lines that look tabular
(several cells, numbers in columns) become TableBlocks rebuilt from positions, every other
line a Paragraph whose cells are separated by two spaces.

Rows of a borderless table: every line with values anchors a row. A text-only line joins
the row above when it continues a wrapped label (no list marker, only over text columns),
or the row below when it opens an item whose values sit on a later line (centred labels).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from typing import Any

from ..text.cells import parse_number
from .document import Block, Paragraph, TableBlock, TableCell
from .layoutlines import Line, Segment, Word, bbox_of, clean_text, is_wide, line_text, make_lines

__all__ = [
    "Line",
    "Segment",
    "Word",
    "bbox_of",
    "borderless_table",
    "cell_text",
    "clean_text",
    "grid_rows",
    "is_wide",
    "line_text",
    "make_lines",
    "mean_conf",
    "page_blocks",
    "region_rows",
    "row_cells",
    "table_regions",
]

_LIST_MARKER = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d{1,2}[.、．])")

LINE_GAP = 1.6  # a continuation line is at most this many line heights from its row
ROW_GAP = 3.0  # rows of one table are at most this many line heights apart
HEADER_LINES = 8  # lines of header above the first row with values


# ---------------------------------------------------------------- tabular regions


def _tabular(line: Line) -> bool:
    return len(line.segments) >= 2 and (line.values >= 1 or len(line.segments) >= 3)


def table_regions(lines: list[Line]) -> list[tuple[int, int]]:
    """Runs [start, end) of lines that look like a borderless table: runs of tabular lines,
    joined across (and extended by) lines that continue wrapped labels."""
    regions: list[tuple[int, int]] = []
    for start, end in _cores(lines):
        if regions and _bridges(lines, regions[-1], (start, end)):
            regions[-1] = (regions[-1][0], end)
        else:
            regions.append((start, end))
    out: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(regions):
        limit = regions[i + 1][0] if i + 1 < len(regions) else len(lines)
        end = _extend(lines, start, end, limit)
        run = lines[start:end]
        rows = sum(line.values >= 1 for line in run)
        if (rows >= 2 and sum(line.numbers for line in run) >= 3) or max(line.numbers for line in run) >= 5:
            floor = out[-1][1] if out else 0
            out.append((_header_start(lines, _label_above(lines, start, floor), floor), end))
    return out


def _label_above(lines: list[Line], start: int, floor: int) -> int:
    """A label centred on its row starts on the line above the values: take that line in."""
    above = lines[start - 1] if start > floor else None
    if above is None or len(above.segments) != 1 or not _opens(above):
        return start
    unlabelled = lines[start].segments[0].is_value  # the values' own line has no label
    return start - 1 if unlabelled and _close(above, lines[start], LINE_GAP) else start


def _header_start(lines: list[Line], start: int, floor: int) -> int:
    """Take in the header above a table: lines of several cells, or one cell between such."""
    first = start
    while first > max(floor, start - HEADER_LINES) and _close(lines[first - 1], lines[first], ROW_GAP):
        line = lines[first - 1]
        above = lines[first - 2] if first - 2 >= floor else None
        sandwiched = above is not None and len(above.segments) >= 2 and _close(above, line, ROW_GAP)
        if len(line.segments) < 2 and not sandwiched:
            break
        first -= 1
    return first


def _cores(lines: list[Line]) -> list[tuple[int, int]]:
    cores: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if not _tabular(line):
            continue
        if cores and cores[-1][1] == i and _close(lines[i - 1], line, ROW_GAP):
            cores[-1] = (cores[-1][0], i + 1)
        else:
            cores.append((i, i + 1))
    return cores


def _close(a: Line, b: Line, factor: float) -> bool:
    """The vertical distance between two lines is at most `factor` line heights."""
    gap = max(a.top, b.top) - min(a.bottom, b.bottom)
    return gap <= factor * max(a.height, b.height)


def _columns(lines: list[Line]) -> tuple[list[Segment], list[Segment]]:
    """Text and value segments of the lines that carry values: the table's columns."""
    rows = [line for line in lines if line.values]
    text = [s for line in rows for s in line.segments if not s.is_value]
    # Numbers only: a blank mark (无, —) may as well be a piece of a label.
    values = [s for line in rows for s in line.segments if parse_number(s.text) is not None]
    return text, values


def _in_text_columns(line: Line, columns: tuple[list[Segment], list[Segment]]) -> bool:
    text, values = columns
    return not line.values and all(
        any(_x_overlap(seg, t) for t in text) and not any(_x_overlap(seg, v) for v in values)
        for seg in line.segments
    )


def _bridges(lines: list[Line], left: tuple[int, int], right: tuple[int, int]) -> bool:
    gap = lines[left[1] : right[0]]
    if len(gap) > 4:
        return False
    columns = _columns(lines[left[0] : right[1]])
    chain = lines[left[1] - 1 : right[0] + 1]
    return all(_close(a, b, ROW_GAP) for a, b in zip(chain, chain[1:], strict=False)) and all(
        _in_text_columns(line, columns) for line in gap
    )


def _extend(lines: list[Line], start: int, end: int, limit: int) -> int:
    """Take in up to four following lines that continue the last row's labels."""
    columns = _columns(lines[start:end])
    stop = min(limit, end + 4)
    while end < stop and _close(lines[end - 1], lines[end], LINE_GAP):
        if _opens(lines[end]) or not _in_text_columns(lines[end], columns):
            break
        end += 1
    return end


def _opens(line: Line) -> bool:
    return _LIST_MARKER.match(clean_text(line.segments[0].text)) is not None


def region_rows(lines: list[Line]) -> list[list[Line]]:
    """Group the lines of a region into rows: value lines anchor rows, text lines attach."""
    owner = list(range(len(lines)))
    columns = _columns(lines)
    for i, line in enumerate(lines):
        if line.values or not _in_text_columns(line, columns):
            continue
        target = _attach_target(lines, owner, i)
        if target is not None:
            owner[i] = target
    rows: dict[int, list[Line]] = {}
    for i, line in enumerate(lines):
        rows.setdefault(owner[i], []).append(line)
    return [rows[k] for k in sorted(rows)]


def _attach_target(lines: list[Line], owner: list[int], i: int) -> int | None:
    """The value row a text line belongs to: the row above it continues (wrapped label), or
    the row below when the line opens an item whose values sit lower (centred labels)."""
    above = owner[i - 1] if i > 0 and lines[owner[i - 1]].values else None
    below = i + 1 if i + 1 < len(lines) and lines[i + 1].values and not _opens(lines[i + 1]) else None
    order = (below, above) if _opens(lines[i]) else (above, below)
    for target in order:
        if target is not None and _near(lines, owner, i, target):
            return target
    return None


def _near(lines: list[Line], owner: list[int], i: int, target: int) -> bool:
    line = lines[i]
    group = [lines[k] for k in range(len(lines)) if owner[k] == target or k == target]
    return any(_close(other, line, LINE_GAP) for other in group)


def _x_overlap(a: Segment, b: Segment) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def row_cells(group: list[Line]) -> list[list[Segment]]:
    """Cells of one row: value segments alone, text segments clustered by x-overlap."""
    cells: list[list[Segment]] = []
    for seg in sorted((s for line in group for s in line.segments), key=lambda s: s.x0):
        last = cells[-1] if cells else None
        if (
            last is not None
            and not seg.is_value
            and not last[0].is_value
            and seg.x0 < max(s.x1 for s in last)
        ):
            last.append(seg)
            continue
        cells.append([seg])
    return cells


def cell_text(parts: list[Segment]) -> str:
    ordered = sorted(parts, key=lambda s: (s.words[0].top, s.x0))
    return clean_text("\n".join(s.text for s in ordered))


def mean_conf(words: list[Word]) -> float | None:
    confs = [w.conf for w in words if w.conf is not None]
    return round(statistics.fmean(confs), 1) if confs else None


# ---------------------------------------------------------------- ruled grids

BBox = tuple[float, float, float, float]
_SPAN_EPS = 1.0  # a cell covers a grid line it does not merely touch (units of the boxes)


def grid_rows(rows: list[list[BBox | None]], make_cell: Callable[[BBox, int, int], TableCell]):
    """Distinct cells per row of a ruled grid (pdfplumber's `Table.rows`: None in the slots a
    cell does not start in); rowspan/colspan count the grid lines each box covers."""
    boxes = [b for row in rows for b in row if b is not None]
    xs = sorted({b[0] for b in boxes})
    ys = sorted({b[1] for b in boxes})
    out: list[list[TableCell]] = []
    for row in rows:
        cells = []
        for box in row:
            if box is None:
                continue
            colspan = sum(1 for x in xs if box[0] <= x < box[2] - _SPAN_EPS)
            rowspan = sum(1 for y in ys if box[1] <= y < box[3] - _SPAN_EPS)
            cells.append(make_cell(box, max(rowspan, 1), max(colspan, 1)))
        if cells:
            out.append(cells)
    return out


# ---------------------------------------------------------------- blocks


WhereFn = Callable[[list[Word]], dict[str, Any]]


def page_blocks(lines: list[Line], where: WhereFn) -> list[tuple[float, Block]]:
    """(top, block) for each line or borderless table; `where(words)` gives provenance."""
    out: list[tuple[float, Block]] = []
    regions = table_regions(lines)
    starts = {start: end for start, end in regions}
    i = 0
    while i < len(lines):
        if i in starts:
            region = lines[i : starts[i]]
            out.append((region[0].top, borderless_table(region, where)))
            i = starts[i]
            continue
        line = lines[i]
        out.append((line.top, Paragraph(line_text(line), where(line.words))))
        i += 1
    return out


def borderless_table(lines: list[Line], where: WhereFn) -> TableBlock:
    rows: list[list[TableCell]] = []
    for group in region_rows(lines):
        row = []
        for parts in row_cells(group):
            words = [w for s in parts for w in s.words]
            row.append(TableCell(cell_text(parts), where(words)))
        rows.append(row)
    all_words = [w for line in lines for w in line.words]
    block_where = where(all_words)
    block_where.pop("confidence", None)
    return TableBlock(rows, block_where)
