"""Prose on boxes: grid rows that are lines of text, not table rows.

Some office exports (WPS) draw a filled, borderless rectangle behind every line of prose;
PDF table finders then see one-column "tables" whose cells are lines of paragraphs, often
glued to a real table below them. Word documents and web pages do the same with one-column
tables used as text boxes. Such rows are text: headings, the preamble and the statistics
period must be found in them.

A row is one of
- PROSE: a single cell across the whole grid holding a sentence or a long line of Chinese;
- HEADING: such a cell holding a numbered heading ("一、总体情况", "（三）政府信息管理情况");
- FILL: a single full-width cell that is neither (blank, a short label such as
  "第二十条第（一）项", a number);
- CELLS: anything else (several cells, or one that does not span the grid).

A run of full-width rows that holds PROSE or HEADING rows is text from the first such row to
the last; FILL rows beyond them stay with the table they touch, and go with the text when the
run reaches the grid's edge (nothing to stay with). Headings without prose between table rows
are text only where the tables above and below differ in shape (a section heading glued
between two tables), not inside one table (a group label such as "（三）不予公开" set as a
full-width row). A grid of a table's own rows (CELLS, and FILL labels between them) is never
split.
"""

from __future__ import annotations

import re

from ..text.cells import is_blank_value, parse_number
from .document import Block, Paragraph, TableBlock, TableCell

PROSE, HEADING, FILL, CELLS = "prose", "heading", "fill", "cells"
LONG_LINE = 20  # Chinese characters: a line this long is prose even without punctuation
HEADING_MAX = 40  # characters: a longer numbered line is a paragraph (and prose anyway)

_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[。！？；，：]")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)"
)
_SPACE = re.compile(r"\s+")
_VALUES = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s+\d+(?:\.\d+)?(?![\d.])")  # two numbers side by side

Rows = list[list[TableCell]]


def is_prose(text: str) -> bool:
    """A line of a paragraph: a sentence's punctuation, or a long run of Chinese; never a
    number, nor a row of values squeezed into one cell ("（一）予以公开 3 0 0 0 0 0 3")."""
    compact = _SPACE.sub("", text)
    if not compact or parse_number(compact) is not None or is_blank_value(compact) or _VALUES.search(text):
        return False
    return _SENTENCE.search(compact) is not None or len(_HAN.findall(compact)) >= LONG_LINE


def is_heading(text: str) -> bool:
    """A numbered heading: a Chinese list marker, then words (and no row of values)."""
    compact = _SPACE.sub("", text)
    marker = _HEADING.match(compact)
    if marker is None or len(compact) > HEADING_MAX or _VALUES.search(text):
        return False
    return _HAN.search(compact, marker.end()) is not None


def row_kind(row: list[TableCell], width: int) -> str:
    if len(row) != 1 or row[0].colspan < width:
        return CELLS
    lines = [line for line in row[0].text.split("\n") if line.strip()]
    if any(is_prose(line) for line in lines):
        return PROSE
    return HEADING if any(is_heading(line) for line in lines) else FILL


def text_spans(rows: Rows) -> list[tuple[int, int]]:
    """Row ranges [start, end) that are text, top to bottom."""
    width = max((sum(c.colspan for c in row) for row in rows), default=0)
    kinds = [row_kind(row, width) for row in rows]
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and kinds[end] != CELLS:
            end += 1
        texts = [i for i in range(start, end) if kinds[i] in (PROSE, HEADING)]
        if texts and _is_text(rows, kinds, start, end):
            first = start if start == 0 else texts[0]
            last = end if end == len(rows) else texts[-1] + 1
            spans.append((first, last))
        start = end + 1
    return spans


def _is_text(rows: Rows, kinds: list[str], start: int, end: int) -> bool:
    """Prose is text; headings alone are, except between rows of one table."""
    if PROSE in kinds[start:end] or start == 0 or end == len(rows):
        return True
    return _shape(rows[:start], kinds[:start]) != _shape(rows[end:], kinds[end:])


def _shape(rows: Rows, kinds: list[str]) -> int:
    """The most cells a table row of `rows` has."""
    return max((len(row) for row, kind in zip(rows, kinds, strict=True) if kind == CELLS), default=0)


def split_grid(rows: Rows) -> list[tuple[bool, Rows]]:
    """The grid's rows in order as parts: (True, rows) of text, (False, rows) of table."""
    parts: list[tuple[bool, Rows]] = []
    at = 0
    for start, end in text_spans(rows):
        if start > at:
            parts.append((False, rows[at:start]))
        parts.append((True, rows[start:end]))
        at = end
    if at < len(rows):
        parts.append((False, rows[at:]))
    return parts


def table_parts(rows: Rows) -> list[Rows]:
    """The parts of a grid that are tables (all of it when it holds no text)."""
    return [part for is_text, part in split_grid(rows) if not is_text]


def demote_prose_grids(blocks: list[Block]) -> list[Block]:
    """Every grid's text rows as Paragraphs (one per line of a cell, with the cell's `where`),
    in place of the grid; the rest of the grid stays a TableBlock."""
    out: list[Block] = []
    for block in blocks:
        parts = split_grid(block.rows) if isinstance(block, TableBlock) else []
        if not any(is_text for is_text, _ in parts):
            out.append(block)
            continue
        for is_text, rows in parts:
            if is_text:
                out += _paragraphs(rows)
            else:
                out.append(TableBlock(rows, dict(block.where)))
    return out


def _paragraphs(rows: Rows) -> list[Paragraph]:
    return [
        Paragraph(line.strip(), dict(cell.where))
        for row in rows
        for cell in row
        for line in cell.text.split("\n")
        if line.strip()
    ]


__all__ = ["demote_prose_grids", "is_heading", "is_prose", "split_grid", "table_parts", "text_spans"]
