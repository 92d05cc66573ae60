"""OFD page content (GB/T 33190-2016, a page's Content.xml) -> pdfplumber records.

A page's layers hold TextObjects, PathObjects, ImageObjects and PageBlocks (groups of
objects, nested). A graphic object's Boundary "x y w h" (page millimetres) puts the origin
of the object's own space at its top-left corner; the optional CTM "a b c d e f" maps object
space into that frame: page point = Boundary origin + CTM · point.

- TextObject (Size in mm): each TextCode's X, Y is the baseline origin of its first glyph;
  DeltaX/DeltaY are the offsets from one glyph to the next ("g 3 1.2" stands for three
  times 1.2). A TextCode without X or Y goes on where the previous one stopped. A glyph box
  is one Size tall, ASCENT of it above the baseline, and as wide as the step to the next
  glyph (the last glyph: the room left to the Boundary's right edge) but at most an em, so
  spaced-out text (分散对齐) keeps its gaps, as in a PDF. Without a step or room, a glyph is
  taken as an em (CJK) or half an em wide.
- PathObject: AbbreviatedData ("M x y L x y … C") gives subpaths. A closed axis-parallel
  quadrilateral is a rect record; any other horizontal or vertical straight segment is a
  line record; curves (Q, B, A) and slanted segments are not ruling lines. Paths neither
  stroked nor filled are skipped, as is every object with Visible="false".

Numbers must be finite and at most MAX_COORD mm; anything else is `Damaged`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .layoutlines import is_wide
from .ofdpage import PageRecords

MM = 72 / 25.4  # points per millimetre
ASCENT = 0.86  # share of the font size above the baseline (SimSun/FangSong metrics)
MAX_COORD = 100_000.0  # mm (100 m): larger is not a coordinate on any page
MAX_DEPTH = 32  # nested PageBlocks
MAX_GLYPHS = 30_000  # on one page; a dense A4 page holds about 3,000 (as for PDF)
MAX_SEGMENTS = 100_000  # ruling lines and rectangles on one page
DEFAULT_LINE_WIDTH = 0.353  # mm, the standard's default
_EPS = 0.01  # points: a segment this close to axis-parallel is a ruling line
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_PATH_ARGS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
_BLANKS = str.maketrans("\t\r\n", "   ")
_TOKEN = re.compile(r"\S+")

Affine = tuple[float, float, float, float, float, float]
Point = tuple[float, float]


class Damaged(Exception):
    """Not valid OFD; the message (Chinese) says which part and what."""


def local_name(element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def parse_number(token: str, what: str, part: str) -> float:
    """A finite number of at most MAX_COORD; `what` names it in the error."""
    try:
        value = float(token)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > MAX_COORD:
        raise Damaged(f"{part} 中的 {what} 数值无效（{_clip(token)}）")
    return value


def parse_numbers(text: str | None, count: int, what: str, part: str) -> tuple[float, ...]:
    tokens = (text or "").split()
    if len(tokens) != count:
        raise Damaged(f"{part} 中的 {what} 应为 {count} 个数（{_clip(text or '')}）")
    return tuple(parse_number(t, what, part) for t in tokens)


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


@dataclass
class _Run:
    """What the glyphs of one TextObject share."""

    size: float  # object space units
    t: Affine
    font: str
    right: float | None  # the Boundary's right edge in object space, when known

    @property
    def upright(self) -> bool:
        return abs(self.t[1]) < 1e-9 and abs(self.t[2]) < 1e-9 and self.t[0] > 0 and self.t[3] > 0

    @property
    def points(self) -> float:
        return self.size * math.hypot(self.t[2], self.t[3]) * MM


@dataclass
class _Subpath:
    points: list[Point]
    straight: list[bool] = field(default_factory=list)  # segment i: points[i] -> points[i + 1]
    closed: bool = False


class ContentReader:
    """Adds the objects of Content.xml roots (templates, then the page) to `records`."""

    def __init__(self, records: PageRecords, origin: Point):
        self.records = records
        self.origin = origin  # mm: the page box's top-left corner
        self.part = ""

    def add(self, root, part: str) -> None:
        self.part = part
        for layer in root.iterfind("{*}Content/{*}Layer"):
            self._walk(layer, 0)

    def _walk(self, parent, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise Damaged(f"{self.part} 中的 PageBlock 嵌套过深（超过 {MAX_DEPTH} 层）")
        for element in parent:
            name = local_name(element)
            if name == "PageBlock":
                self._walk(element, depth + 1)
            elif element.get("Visible", "true") == "false":
                continue
            elif name == "TextObject":
                self._text(element)
            elif name == "PathObject":
                self._path(element)
            elif name == "ImageObject":
                self.records.images += 1

    # ------------------------------------------------------------ geometry

    def _numbers(self, element, name: str, count: int, default: tuple[float, ...] | None = None):
        text = element.get(name)
        if text is None and default is not None:
            return default
        return parse_numbers(text, count, name, self.part)

    def _transform(self, element) -> Affine:
        x, y, _, _ = self._numbers(element, "Boundary", 4)
        a, b, c, d, e, f = self._numbers(element, "CTM", 6, _IDENTITY)
        return (a, b, c, d, e + x - self.origin[0], f + y - self.origin[1])

    def _box(self, t: Affine, corners: list[Point]) -> tuple[float, float, float, float]:
        """The page box (points) of object-space points under `t`."""
        xs = [(t[0] * x + t[2] * y + t[4]) * MM for x, y in corners]
        ys = [(t[1] * x + t[3] * y + t[5]) * MM for x, y in corners]
        return min(xs), min(ys), max(xs), max(ys)

    def _room_for_glyphs(self, more: int) -> None:
        if len(self.records.chars) + more > MAX_GLYPHS:
            raise Damaged(f"{self.part} 的文字过多（一页超过 {MAX_GLYPHS} 个），不像报告页面")

    def _too_many_segments(self) -> str:
        return f"{self.part} 的线条过多（一页超过 {MAX_SEGMENTS} 条）"

    # ------------------------------------------------------------ text

    def _text(self, element) -> None:
        size = self._numbers(element, "Size", 1)[0]
        if size < 0:
            raise Damaged(f"{self.part} 中的 Size 数值无效（{element.get('Size')}）")
        run = _Run(size, self._transform(element), element.get("Font", ""), self._right(element))
        x = y = 0.0
        for code in element.iterfind("{*}TextCode"):
            text = (code.text or "").translate(_BLANKS)
            self._room_for_glyphs(len(text))
            x = self._numbers(code, "X", 1, (x,))[0]
            y = self._numbers(code, "Y", 1, (y,))[0]
            if size > 0:
                x, y = self._glyphs(code, text, (x, y), run)

    def _right(self, element) -> float | None:
        """The Boundary's right edge in object space, for a CTM that only scales and moves."""
        _, _, width, _ = self._numbers(element, "Boundary", 4)
        a, b, c, _, e, _ = self._numbers(element, "CTM", 6, _IDENTITY)
        return (width - e) / a if a > 0 and b == c == 0 else None

    def _glyphs(self, code, text: str, start: Point, run: _Run) -> Point:
        need = len(text) - 1
        dx = self._deltas(code.get("DeltaX"), need, "DeltaX")
        dy = self._deltas(code.get("DeltaY"), need, "DeltaY")
        vertical = not dx and bool(dy)
        x, y = start
        for i, char in enumerate(text):
            guess = run.size if is_wide(char) else run.size / 2
            step = dx[i] if i < len(dx) else (0.0 if vertical else guess)
            room = step if i < need else (run.right - x if run.right is not None else 0.0)
            width = min(room, run.size) if room > 0 else guess
            top, bottom = y - ASCENT * run.size, y + (1 - ASCENT) * run.size
            corners = [(x, top), (x + width, top), (x, bottom), (x + width, bottom)]
            record = self.records.box(*self._box(run.t, corners))
            record.update(
                object_type="char", text=char, fontname=run.font, size=run.points, upright=run.upright
            )
            record["matrix"] = self._matrix(run, x, y)
            self.records.chars.append(record)
            x += step
            y += dy[i] if i < len(dy) else 0.0
        return x, y

    def _matrix(self, run: _Run, x: float, y: float) -> tuple[float, ...]:
        """The glyph's text matrix as in a PDF (points, y upwards): baseline direction and
        size (a, b), up direction (c, d), origin (e, f)."""
        a, b, c, d, _, _ = (v * run.size * MM for v in run.t)
        e, f = self._box(run.t, [(x, y)])[:2]
        return (a, -b, -c, d, e, self.records.height - f)

    def _deltas(self, value: str | None, need: int, what: str) -> list[float]:
        """At most `need` offsets, read token by token; "g N v" stands for N copies of v."""
        out: list[float] = []
        tokens = (m.group() for m in _TOKEN.finditer(value or ""))
        for token in tokens:
            if len(out) >= need:
                break
            if token != "g":
                out.append(parse_number(token, what, self.part))
                continue
            count, step = next(tokens, ""), next(tokens, "")
            if not count.isdigit() or not step:
                raise Damaged(f"{self.part} 中的 {what} 数值无效（{_clip(value or '')}）")
            out.extend([parse_number(step, what, self.part)] * min(int(count), need - len(out)))
        return out

    # ------------------------------------------------------------ paths

    def _path(self, element) -> None:
        stroke = element.get("Stroke", "true") != "false"
        fill = element.get("Fill", "false") == "true"
        data = element.findtext("{*}AbbreviatedData")
        if not (stroke or fill) or not data:
            return
        t = self._transform(element)
        width = self._numbers(element, "LineWidth", 1, (DEFAULT_LINE_WIDTH,))[0] * MM
        style = {"linewidth": width, "stroke": stroke, "fill": fill}
        for sub in self._subpaths(data):
            rect = self._rect(sub, t)
            if rect is not None:
                self.records.rects.append({**self.records.box(*rect), "object_type": "rect", **style})
                continue
            for box in self._segments(sub, t):
                self.records.lines.append({**self.records.box(*box), "object_type": "line", **style})

    def _subpaths(self, data: str) -> list[_Subpath]:
        """Subpaths of the path data; tokens are read one by one, and the segments counted
        against MAX_SEGMENTS as they come, so a huge path costs no more than the limit."""
        tokens = (m.group() for m in _TOKEN.finditer(data))
        out: list[_Subpath] = []
        segments = len(self.records.lines) + len(self.records.rects)
        for op in tokens:
            count = _PATH_ARGS.get(op)
            args = list(itertools.islice(tokens, count or 0))
            if count is None or len(args) < count:
                raise Damaged(f"{self.part} 中的 AbbreviatedData 无效（{_clip(data)}）")
            values = [parse_number(a, "AbbreviatedData", self.part) for a in args]
            if op in ("S", "M"):
                out.append(_Subpath([(values[0], values[1])]))
            elif op == "C":
                if out:
                    out[-1].closed = True
                    out.append(_Subpath([out[-1].points[0]]))
            else:
                if not out:
                    out.append(_Subpath([(0.0, 0.0)]))
                out[-1].points.append((values[-2], values[-1]))
                out[-1].straight.append(op == "L")
                segments += 1
                if segments > MAX_SEGMENTS:
                    raise Damaged(self._too_many_segments())
        return [sub for sub in out if len(sub.points) > 1]

    def _rect(self, sub: _Subpath, t: Affine) -> tuple[float, float, float, float] | None:
        """A closed, straight, axis-parallel quadrilateral's box; None for anything else."""
        points = sub.points[:-1] if sub.points[-1] == sub.points[0] else sub.points
        if not sub.closed or len(points) != 4 or not all(sub.straight):
            return None
        pairs = list(zip(points, points[1:] + points[:1], strict=True))
        if not all(self._axis(t, a, b) for a, b in pairs):
            return None
        return self._box(t, points)

    def _segments(self, sub: _Subpath, t: Affine) -> Iterator[tuple[float, float, float, float]]:
        pairs = list(zip(sub.points, sub.points[1:], strict=False))
        straight = list(sub.straight)
        if sub.closed:
            pairs.append((sub.points[-1], sub.points[0]))
            straight.append(True)
        for (a, b), is_straight in zip(pairs, straight, strict=True):
            kind = self._axis(t, a, b) if is_straight else None
            if kind is not None:
                x0, top, x1, bottom = self._box(t, [a, b])
                yield (x0, top, x0, bottom) if kind == "v" else (x0, top, x1, top)

    def _axis(self, t: Affine, a: Point, b: Point) -> str | None:
        """The segment's direction on the page: "h", "v", or None (slanted, or a point)."""
        x0, top, x1, bottom = self._box(t, [a, b])
        if bottom - top <= _EPS and x1 - x0 > _EPS:
            return "h"
        if x1 - x0 <= _EPS and bottom - top > _EPS:
            return "v"
        return None


__all__ = [
    "MAX_COORD",
    "MAX_GLYPHS",
    "MAX_SEGMENTS",
    "MM",
    "ContentReader",
    "Damaged",
    "local_name",
    "parse_numbers",
]
