"""Ruling lines from pdfium's path objects, classified as pdfminer classifies painted paths.

pdfminer splits a painted path at each move-to and makes of each subpath: a `line` (one
segment, "ml" or "mlh"), a `rect` (a closed loop of four corners on axis-parallel sides), or
a `curve` (anything else) whose points are the end points of its segments. pdfium keeps a
path's points instead: a move, lines, Bézier curves in threes (control, control, end), and
a close flag on the last point, where a closing line back to the start has been added when
the path did not end there. Turned into pdfminer's operators ("m", "l", "c", "h") the
subpath gives the same shapes after pdfminer's own rule: a closing "h" after a line back
to the start drops that line.

Records carry the keys pdfplumber computes (`x0`, `top`, ... in points from the page's
top-left corner, `pts` for curves), so that pdfplumber's table finder sees the same edges.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2.raw as raw

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
Record = dict[str, Any]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MOVE, _BEZIER = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO


def exact(value: float, _known: dict[float, float] = {}) -> float:  # noqa: B006 (a cache)
    """The number the PDF wrote, from pdfium's single-precision copy of it: the shortest
    decimal that reads back to the same float. pdfminer computes in double precision from
    the written numbers; without this, a coordinate of 449.325 written as 449.32501 rounds
    to 449.33 instead of pdfminer's 449.32."""
    found = _known.get(value)
    if found is None:
        single = struct.pack("f", value)
        found = next((d for d in (float(f"{value:.{p}g}") for p in (6, 7, 8)) if struct.pack("f", d) == single), value)
        if len(_known) < 100_000:
            _known[value] = found
    return found


def mult(m: Matrix, n: Matrix) -> Matrix:
    """m, then n (pdfminer's mult_matrix)."""
    a, b, c, d, e, f = m
    a1, b1, c1, d1, e1, f1 = n
    return (
        a * a1 + b * c1,
        a * b1 + b * d1,
        c * a1 + d * c1,
        c * b1 + d * d1,
        e * a1 + f * c1 + e1,
        e * b1 + f * d1 + f1,
    )


def object_matrix(obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return (exact(m.a), exact(m.b), exact(m.c), exact(m.d), exact(m.e), exact(m.f))


def page_objects(page: Any) -> Iterator[tuple[Any, Matrix, int]]:
    """(object, its matrix to page space, form depth) for every object, form XObjects entered."""
    yield from _objects(lambda i: raw.FPDFPage_GetObject(page, i), raw.FPDFPage_CountObjects(page), IDENTITY, 0)


def _objects(get: Callable[[int], Any], count: int, outer: Matrix, depth: int):
    for i in range(count):
        obj = get(i)
        matrix = mult(object_matrix(obj), outer)
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_FORM:
            inner = raw.FPDFFormObj_CountObjects(obj)
            yield from _objects(lambda j, form=obj: raw.FPDFFormObj_GetObject(form, j), inner, matrix, depth + 1)
        else:
            yield obj, matrix, depth


def painted(path: Any) -> bool:
    """Filled or stroked: a path ended by "n" (a clip) paints nothing, pdfminer drops it."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(path, fill, stroke):
        return False
    return fill.value != raw.FPDF_FILLMODE_NONE or bool(stroke.value)


def subpaths(path: Any, matrix: Matrix) -> list[list[tuple[str, Point]]]:
    """The path as pdfminer's operators per subpath, points in page space (y upwards)."""
    a, b, c, d, e, f = matrix
    out = []
    for ops in _raw_subpaths(path):
        points = _rect_literals(ops) or [(exact(x), exact(y)) for _, (x, y) in ops]
        out.append([(op, (a * x + c * y + e, b * x + d * y + f)) for (op, _), (x, y) in zip(ops, points, strict=True)])
    return out


def _raw_subpaths(path: Any) -> list[list[tuple[str, Point]]]:
    """pdfminer's operators per subpath with pdfium's (single-precision) points."""
    out: list[list[tuple[str, Point]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    bezier = 0
    for i in range(raw.FPDFPath_CountSegments(path)):
        seg = raw.FPDFPath_GetPathSegment(path, i)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = (x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == _MOVE or not out:
            out.append([("m", point)])
            bezier = 0
        elif kind == _BEZIER:
            bezier = (bezier + 1) % 3
            if bezier:
                continue  # a control point: pdfminer keeps the end point only
            out[-1].append(("c", point))
        else:
            out[-1].append(("l", point))
        if raw.FPDFPathSegment_GetClose(seg):
            out[-1].append(("h", out[-1][0][1]))
    return out


def _rect_literals(ops: list[tuple[str, Point]]) -> list[Point] | None:
    """The points of an "x y w h re" as pdfminer computes them (x + w in double precision),
    for a subpath shaped as pdfium stores a rectangle; None for any other subpath."""
    if "".join(op for op, _ in ops) != "mllllh":
        return None
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), (x4, y4), _ = (p for _, p in ops)
    if not (y1 == y0 and x2 == x1 and y3 == y2 and x3 == x0 and (x4, y4) == (x0, y0)):
        return None
    x, y = exact(x0), exact(y0)
    right, top = _sum(x, x1), _sum(y, y2)
    return [(x, y), (right, y), (right, top), (x, top), (x, y), (x, y)]


def _sum(base: float, single: float) -> float:
    """base + w, w the shortest decimal with which pdfium's single-precision sum is `single`."""
    target = struct.pack("f", single)
    for digits in range(1, 8):
        width = float(f"{single - base:.{digits}g}")
        if struct.pack("f", struct.unpack("f", struct.pack("f", base))[0] + struct.unpack("f", struct.pack("f", width))[0]) == target:
            return base + width
    return exact(single)


def shape_records(ops: list[tuple[str, Point]], height: float, doctop: float) -> Record:
    """pdfminer's LTLine / LTRect / LTCurve for one subpath, as pdfplumber's record."""
    shape = "".join(op for op, _ in ops)
    pts = [p for _, p in ops]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        return _record("line", pts[:2], height, doctop)
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if pts[0] == pts[4] and square:
            return _record("rect", [pts[0], pts[2]], height, doctop)
    record = _record("curve", pts, height, doctop)
    record["pts"] = [(x, height - y) for x, y in pts]
    return record


def _record(kind: str, pts: list[Point], height: float, doctop: float) -> Record:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    top = height - y1
    return {
        "object_type": kind,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "top": top,
        "bottom": height - y0,
        "doctop": doctop + top,
    }


def path_records(path: Any, matrix: Matrix, height: float, doctop: float) -> list[Record]:
    if not painted(path):
        return []
    parts = subpaths(path, matrix)
    if len(parts) > 1:  # pdfminer's split at each "m" drops a move followed by no segment
        parts = [ops for ops in parts if len(ops) > 1]
    return [shape_records(ops, height, doctop) for ops in parts]


__all__ = ["IDENTITY", "Matrix", "mult", "object_matrix", "page_objects", "path_records"]
