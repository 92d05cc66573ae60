"""Ruled tables in a page image: ruling lines found with Pillow, cells found by pdfplumber.

Ruling lines are long runs of dark pixels, found row by row (horizontal lines) and column by
column (vertical lines) at full resolution: glyph strokes are shorter than the shortest
horizontal ruling, and a vertical stroke inside a cell stops short of the lines above and
below it, so it never closes a cell. The runs
become pdfplumber "edges", and pdfplumber's own lattice algorithm (merge edges, find the
intersections, the smallest cells they enclose, cells grouped into tables) does the rest, so
a scanned table is cut into the same cells as a born-digital one.

Coordinates are image pixels, top-left origin.
"""

from __future__ import annotations

import re
from typing import Any

from PIL import Image

DARK = 160  # grey level below which a pixel is ink
MIN_H_RUN = 0.3  # inches: shortest horizontal ruling segment (glyph strokes are shorter)
MIN_V_RUN = 0.1  # inches: shortest vertical ruling segment
SNAP = 2  # pixels: parallel ruling pieces this close are one line
TOLERANCE = 4  # pixels: collinear pieces this close join; lines this close meet
MAX_THICKNESS = 12  # pixels: thicker runs are bars or glyphs

BBox = tuple[float, float, float, float]
_INK_LUT = [1 if v < DARK else 0 for v in range(256)]


def find_tables(gray: Image.Image, dpi: float = 300) -> list[list[BBox]]:
    """Cell boxes of each ruled table on the page (tables of at least two rows and columns)."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    ink = gray.point(_INK_LUT)
    horizontal = _lines(_runs(ink, int(MIN_H_RUN * dpi)))
    vertical = _lines(_runs(ink.transpose(Image.Transpose.TRANSPOSE), int(MIN_V_RUN * dpi)))
    edges = [_edge("h", a, pos, b, pos) for pos, a, b in horizontal]
    edges += [_edge("v", pos, a, pos, b) for pos, a, b in vertical]
    if not edges:
        return []
    edges = merge_edges(edges, SNAP, SNAP, TOLERANCE, TOLERANCE)
    cells = intersections_to_cells(edges_to_intersections(edges, TOLERANCE, TOLERANCE))
    return [table for table in cells_to_tables(cells) if _plausible(table)]


def _plausible(cells: list[BBox]) -> bool:
    xs = {c[0] for c in cells}
    ys = {c[1] for c in cells}
    return len(xs) >= 2 and len(ys) >= 2


def _runs(ink: Image.Image, min_length: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of runs of ink at least `min_length` long in each pixel row."""
    width, height = ink.size
    data = ink.tobytes()
    pattern = re.compile(rb"\x01{%d,}" % max(2, min_length))
    out = []
    for y in range(height):
        out.extend((y, m.start(), m.end()) for m in pattern.finditer(data, y * width, (y + 1) * width))
    return [(y, start - y * width, end - y * width) for y, start, end in out]


def _lines(runs: list[tuple[int, int, int]]) -> list[tuple[float, int, int]]:
    """Runs on adjacent pixel rows that overlap are one line, drawn at its middle row;
    anything thicker than MAX_THICKNESS is a bar or a glyph, not a ruling line."""
    groups: list[list[int]] = []  # [first row, last row, start, end]
    active: list[list[int]] = []
    for y, start, end in runs:
        active = [g for g in active if g[1] >= y - 1]
        for g in active:
            if g[1] == y - 1 and min(end, g[3]) - max(start, g[2]) > 0.5 * min(end - start, g[3] - g[2]):
                g[1], g[2], g[3] = y, min(start, g[2]), max(end, g[3])
                break
        else:
            group = [y, y, start, end]
            groups.append(group)
            active.append(group)
    return [((g[0] + g[1]) / 2, g[2], g[3]) for g in groups if g[1] - g[0] < MAX_THICKNESS]


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    if orientation == "h":
        bottom = top
    else:
        x1 = x0
    return {
        "x0": float(x0),
        "x1": float(x1),
        "top": float(top),
        "bottom": float(bottom),
        "doctop": float(top),
        "width": float(x1 - x0),
        "height": float(bottom - top),
        "orientation": orientation,
    }


def table_rows(cells: list[BBox]) -> list[list[BBox | None]]:
    """Rows of a table as pdfplumber lays them out: None where no cell starts."""
    from pdfplumber.table import Table

    return [row.cells for row in Table(None, cells).rows]  # type: ignore[arg-type]
