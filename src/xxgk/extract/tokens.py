"""Document -> a flat stream of cell tokens.

Text renderings of tables come in several serialisations: one cell per line (`0 |`, or a
tab-indented `\t0`), one row per line (tab- or pipe-separated), or rows of a real grid
(HTML, DOCX). All of them become the same stream: each token is one cell's text, with
its kind (text, number, blank), its provenance and, when the source shows it, the visual
row it belongs to. Tables are then read from the stream by label (see tables.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ..read.document import Paragraph, TableBlock
from ..text.normalize import Num, is_blank_value, label_key, parse_number

TEXT = "text"
NUM = "num"
BLANK = "blank"
# A cell whose content is neither a label, a number nor a blank mark: only symbols ("#",
# "?", "■", "�"), as a damaged conversion or a failed recognition leaves them. It keeps
# its slot in the row (its neighbours do not move) and is read as a blank of low
# confidence; its `where` carries confidence 0.
UNREADABLE = "unreadable"
GLUED = "glued"  # digits of several cells run together: "801000081" (see glued.py, digitsplit.py)


@dataclass(slots=True)
class Token:
    text: str  # the cell as written (stripped)
    key: str  # label key: normalised, no whitespace
    kind: str  # TEXT | NUM | BLANK | GLUED
    num: Any  # the parsed number (xxgk.text.normalize.Num) for NUM tokens
    where: dict[str, Any]
    block: int  # index of the source block
    row: Any = None  # id of the visual row, when the source shows rows


_new = object.__new__


_MULTI_SPACE = re.compile(r"[ \u3000\u00a0]{2,}")
# One to three placeholder symbols; brackets and punctuation may be pieces of a label.
_UNREADABLE = re.compile(r"[#＃?？*＊■□▪●○◆◇★☆※\ufffd~～^@&]{1,3}")
_TRAILING_NUMBERS = re.compile(r"^(.*?\D)\s((?:[+-]?\d[\d,.]*\s+)+[+-]?\d[\d,.]*)$")


def make_token(text: str, where: dict[str, Any], block: int, row: Any = None) -> Token:
    stripped = text.strip()
    kind, key, num = _known(stripped)
    if kind is UNREADABLE:
        where = {**where, "confidence": 0}
    return Token(stripped, key, kind, num, where, block, row)


def _known(stripped: str) -> tuple[str, str, Num | None]:
    known = _KNOWN.get(stripped)
    if known is None:
        known = _classify(stripped)
        if _recurs(stripped):
            if len(_KNOWN) >= _KNOWN_SIZE:
                _KNOWN.clear()
            _KNOWN[stripped] = known
    return known


def _recurs(text: str) -> bool:
    """Worth keeping across reports: cells and labels recur, prose lines do not."""
    return len(text) <= _KNOWN_LENGTH


# A cell's text -> (kind, key, number), kept across reports: the same labels and numbers
# recur in every report, and reading a cell is the tokeniser's work (Num is immutable).
_KNOWN: dict[str, tuple[str, str, Num | None]] = {}
_KNOWN_LENGTH = 64
_MAX_DIGITS = 30
_KNOWN_SIZE = 20_000  # entries; cleared when full (a few MiB at most)


def _classify(stripped: str) -> tuple[str, str, Num | None]:
    if stripped.isascii() and stripped.isdigit():  # the common cell: fast path
        if len(stripped) > _MAX_DIGITS:  # no count has that many digits; int() would refuse
            return TEXT, stripped, None
        return NUM, stripped, Num(int(stripped))
    if is_blank_value(stripped):
        return BLANK, "", None
    num = parse_number(stripped)
    if num is not None:
        return NUM, stripped, num
    if _UNREADABLE.fullmatch(stripped):
        return UNREADABLE, "", None
    return TEXT, label_key(stripped), None


def split_pipe_line(line: str) -> list[str]:
    """`12 | ||` -> ['12', '']: an empty piece between two pipes is a span filler and is
    dropped; a whitespace-only piece is a blank cell."""
    pieces = line.split("|")
    if pieces[0] == "":  # markdown-like row `| a | b |`; but ` |` is a blank cell
        del pieces[0]
    if pieces and not pieces[-1].strip():  # what follows the last pipe is not a cell
        pieces.pop()
    return list(map(str.strip, filter(None, pieces)))  # filter(None): the empty pieces


def split_tab_line(line: str) -> list[str]:
    """`\t0` (a tab-indented single cell) -> ['0']; `a\tb\t` -> ['a', 'b', '']."""
    return list(map(str.strip, tab_pieces(line)))


def tab_pieces(line: str) -> list[str]:
    """split_tab_line's cells as written (not stripped)."""
    if line.startswith("\t") and line.count("\t") == 1:
        return [line[1:]]
    return line.split("\t")


def split_spaced_line(line: str) -> list[str]:
    """Layout text (PDF): cells separated by runs of spaces; `（七）总计 0 0 0` keeps its numbers apart."""
    cells: list[str] = []
    for piece in _MULTI_SPACE.split(line.strip()):
        match = _TRAILING_NUMBERS.match(piece)
        if match:
            cells.append(match.group(1).strip())
            cells.extend(match.group(2).split())
        else:
            cells.append(piece)
    return cells


def split_line(line: str) -> list[str]:
    if not line or line.isspace():
        # A whitespace-only line is a blank cell (tab-indented or a blank paragraph);
        # an empty line separates rows and carries no cell.
        return [""] if line else []
    if "\t" in line:
        return split_tab_line(line)
    if "|" in line:
        return split_pipe_line(line)
    return split_spaced_line(line)


def line_tokens(line: str, where: dict[str, Any], block: int) -> list[Token]:
    one = _ONE.get(line)
    if one is not None:
        text, key, kind, num = one
        return [Token(text, key, kind, num, where, block)]
    cells = _LINES.get(line)
    if cells is None:
        cells = _read_line(line)
    return _line_tokens(cells, where, block)


def _line_tokens(cells, where: dict[str, Any], block: int) -> list[Token]:
    if len(cells) == 1:  # the common line: one cell
        text, kind, key, num = cells[0]
        if kind is UNREADABLE:
            where = {**where, "confidence": 0}
        return [Token(text, key, kind, num, where, block)]
    return _row_tokens(cells, where, block)


def _row_tokens(cells, where: dict[str, Any], block: int) -> list[Token]:
    """A line of several cells is a visual row."""
    out = []
    for text, kind, key, num in cells:
        token = _new(Token)  # Token(...) without a class call, as in tokenize
        token.text = text
        token.key = key
        token.kind = kind
        token.num = num
        token.where = where if kind is not UNREADABLE else {**where, "confidence": 0}
        token.block = token.row = block
        out.append(token)
    return out


def _read_line(line: str) -> tuple[tuple[str, str, str, Num | None], ...]:
    stripped = line.strip()
    known = _CELLS.get
    # The commonest line of a table: one number, alone or tab-indented (split_line's result).
    if stripped.isdigit() and stripped.isascii() and line.count("\t") == line.startswith("\t"):
        cells: tuple[tuple[str, str, str, Num | None], ...] = ((stripped, *_known(stripped)),)
    elif stripped and "\t" in line:  # split_tab_line, with its cells looked up as written
        cells = tuple([known(piece) or _read_piece(piece) for piece in tab_pieces(line)])
    else:
        cells = tuple([known(cell) or _read_cell(cell) for cell in split_line(line)])
    # One-cell lines recur across reports, and so do rows without a number (a table's head);
    # prose lines and rows of numbers do not.
    if len(stripped) > _KNOWN_LENGTH or (len(cells) > 2 and NUM in map(_KIND, cells)):
        return cells
    if len(_ONE) + len(_LINES) >= _KNOWN_SIZE:  # the two hold _KNOWN_SIZE lines at most
        _ONE.clear()
        _LINES.clear()
    if len(cells) == 1 and cells[0][1] is not UNREADABLE:
        text, kind, key, num = cells[0]
        _ONE[line] = (text, key, kind, num)
    else:
        _LINES[line] = cells
    return cells


def _read_piece(piece: str) -> tuple[str, str, str, Num | None]:
    """A tab-split piece that is not a key of _CELLS as written: most pieces need no
    stripping and are found as written; the others are kept by their stripped form."""
    cell = piece.strip()
    return _CELLS.get(cell) or _read_cell(cell)


_KIND = itemgetter(1)  # of a read cell (text, kind, key, number)


# A line -> its cells, each (text, kind, key, number) as make_token reads them (read only).
_LINES: dict[str, tuple[tuple[str, str, str, Num | None], ...]] = {}
# The commonest kept line, of one readable cell -> its token's (text, key, kind, number):
# one lookup and no checks for most lines of a table.
_ONE: dict[str, tuple[str, str, str, Num | None]] = {}


def _read_cell(cell: str) -> tuple[str, str, str, Num | None]:
    stripped = cell.strip()
    found = (stripped, *_known(stripped))
    if _recurs(stripped):
        if len(_CELLS) >= _KNOWN_SIZE:
            _CELLS.clear()
        _CELLS[cell] = found
    return found


# A cell as split from a line of several -> (text, kind, key, number): the cells of rows
# recur even when their lines (with the row's other numbers) do not.
_CELLS: dict[str, tuple[str, str, str, Num | None]] = {}


def table_tokens(table: TableBlock, block: int) -> list[Token]:
    out: list[Token] = []
    for r, cells in enumerate(table.rows):
        for cell in cells:
            out.append(make_token(cell.text, cell.where, block, (block, r)))
    return out


def tokenize(
    blocks: list[Any], texts: list[str] | None = None, spans: list[tuple[int, int]] | None = None
) -> list[Token]:
    """Tokens of all blocks in order. `texts` overrides paragraph texts (artifacts removed);
    `spans` (first, end) limits the tokens to those block ranges, in order."""
    out: list[Token] = []
    append = out.append
    known_lines, ones = _LINES, _ONE
    if texts is None:
        texts = [getattr(block, "text", None) for block in blocks]
    for first, last in spans if spans is not None else [(0, len(blocks))]:
        for i, block, line in zip(range(first, last), blocks[first:last], texts[first:last], strict=False):
            if type(block) is Paragraph:  # the common block; a GluedText is a Paragraph too
                one = ones.get(line)
                if one is not None:  # the commonest line: line_tokens, and Token(...), inlined
                    # (a class call runs __init__ from C, in a frame of its own)
                    token = _new(Token)
                    token.text, token.key, token.kind, token.num = one
                    token.where, token.block, token.row = block.where, i, None
                    append(token)
                    continue
                cells = known_lines.get(line)
                if cells is None:
                    cells = _read_line(line)
                if len(cells) != 1:  # a row, or an empty line (no token)
                    out += _row_tokens(cells, block.where, i)
                elif cells[0][1] is not UNREADABLE:  # one cell, read just now
                    text, kind, key, num = cells[0]
                    append(Token(text, key, kind, num, block.where, i))
                else:
                    out += _line_tokens(cells, block.where, i)
            elif hasattr(block, "cell_tokens"):  # a glued.GluedText block: cut into cells already
                out.extend(block.cell_tokens(i))
            elif isinstance(block, Paragraph):
                out.extend(line_tokens(line, block.where, i))
            elif isinstance(block, TableBlock):
                out.extend(table_tokens(block, i))
    return out
