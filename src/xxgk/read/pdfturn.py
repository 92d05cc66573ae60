"""Pages whose text runs sideways or upside down, turned so that it reads upright.

pdfplumber gives a page as it is displayed, /Rotate applied. A page can still hold its text
turned: a portrait page rotated for display (/Rotate 90 on upright content: every line runs
top to bottom), a landscape table set sideways on a portrait page, a scan-to-PDF tool's
upside-down page. Lines, words and table grids are found on horizontal text only, so such
a page is read in the frame in which most of its characters stand upright: every object's
box (characters, ruling lines, rectangles, curves, images) is turned by a quarter, half or
three-quarter turn, and the page's width and height follow.

The turn comes from the characters' text matrices: the direction of the baseline (a, b)
says whether a character runs left to right (0), top to bottom (90), right to left (180)
or bottom to top (270) on the displayed page. `bbox` in the Document is then in the turned
frame (top-left origin of the page as read).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pdfplumber.page import DerivedPage, Page

Box = tuple[float, float, float, float]


def char_turn(char: dict[str, Any]) -> int:
    """0, 90, 180 or 270: how far the character's baseline is turned clockwise on display."""
    a, b = char["matrix"][0], char["matrix"][1]
    if abs(a) >= abs(b):
        return 0 if a >= 0 else 180
    return 90 if b < 0 else 270


def text_turn(chars: list[dict[str, Any]]) -> int:
    """The turn of most visible characters (0 when there are none, or no majority)."""
    counts = Counter(char_turn(c) for c in chars if c["text"].strip())
    if not counts:
        return 0
    turn, count = counts.most_common(1)[0]
    return turn if count * 2 > sum(counts.values()) else 0


def upright(page: Page, chars: list[dict[str, Any]]) -> tuple[Page, list[dict[str, Any]]]:
    """(page, its characters) in the frame where the text stands upright."""
    turn = text_turn(chars)
    if turn == 0:
        return page, chars
    turned = TurnedPage(page, turn)
    return turned, turned.chars


class TurnedPage(DerivedPage):
    """A page with every object turned back by `turn` degrees (see the module docstring)."""

    def __init__(self, parent: Page, turn: int):
        super().__init__(parent)
        self.turn = turn
        x0, top, x1, bottom = parent.bbox
        self._origin = (x0, top)
        self._size = (x1 - x0, bottom - top)
        width, height = self._size
        self.bbox = (0, 0, height, width) if turn in (90, 270) else (0, 0, width, height)

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        if hasattr(self, "_objects"):
            return self._objects
        self._objects: dict[str, list[dict[str, Any]]] = {
            kind: [self._turn_object(obj) for obj in objs] for kind, objs in self.parent_page.objects.items()
        }
        return self._objects

    def _point(self, x: float, top: float) -> tuple[float, float]:
        x, top = x - self._origin[0], top - self._origin[1]
        width, height = self._size
        if self.turn == 90:
            return top, width - x
        if self.turn == 180:
            return width - x, height - top
        return height - top, x

    def _box(self, obj: dict[str, Any]) -> Box:
        (ax, at), (bx, bt) = self._point(obj["x0"], obj["top"]), self._point(obj["x1"], obj["bottom"])
        return min(ax, bx), min(at, bt), max(ax, bx), max(at, bt)

    def _turn_object(self, obj: dict[str, Any]) -> dict[str, Any]:
        if not all(k in obj for k in ("x0", "x1", "top", "bottom")):
            return obj
        out = dict(obj)
        x0, top, x1, bottom = self._box(obj)
        page_height = self.bbox[3]
        out.update(
            x0=x0, x1=x1, top=top, bottom=bottom, width=x1 - x0, height=bottom - top,
            y0=page_height - bottom, y1=page_height - top, doctop=self.initial_doctop + top,
        )  # fmt: skip
        if "pts" in obj:
            out["pts"] = [self._point(x, t) for x, t in obj["pts"]]
        out.pop("path", None)  # drawing operators in display space: not used, not turned
        if "matrix" in obj:
            out["matrix"] = self._matrix(obj["matrix"], x0, out["y0"])
            out["upright"] = char_turn(out) == 0
        return out

    def _matrix(self, matrix: tuple, x0: float, y0: float) -> tuple:
        """The text matrix in the turned frame (PDF orientation: y grows upwards)."""
        a, b, c, d = matrix[:4]
        turn = {90: lambda x, y: (-y, x), 180: lambda x, y: (-x, -y), 270: lambda x, y: (y, -x)}[self.turn]
        (a, b), (c, d) = turn(a, b), turn(c, d)
        return (a, b, c, d, x0, y0)


__all__ = ["TurnedPage", "char_turn", "text_turn", "upright"]
