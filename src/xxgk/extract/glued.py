"""Table text whose cells ran together, inside a line.

A crawler that drops a web table's cell separators leaves
"规章000行政规范性文件77132470第二十条第（五）项…" — labels and digits glued, often the whole
report on one line. Here such a line is cut into pieces: the table's own words (row labels,
headers, group labels, found by the format declarations of both years), runs of digits,
and other text. A *chain* of pieces that reads as a table (labels with digits glued to them,
no sentence punctuation) becomes a `GluedText` block, which the tokenizer turns into label
tokens and GLUED value tokens; the rows' digits are split later, by the table's identities
(digitsplit.py). Everything else on the line stays prose.

All offsets are into the normalised line (xxgk.text.normalize.normalize_text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..formats import FORMAT_2019, FORMAT_2021
from ..read.document import Paragraph
from ..text.normalize import label_key
from .tokens import GLUED, Token, make_token

ROW = "row"  # a row label of some table
HEAD = "head"  # another word of a table: header, group label, anchor, note
VALUE = "value"  # digits (with spaces, a decimal point, a sign, 元/万元)
TEXT = "text"  # anything else

VALUE_RUN = re.compile(r"[+-]?\d+(?:\.\d+)?(?:(?:[ \t\u3000]*[+-]|[ \t\u3000]+)\d+(?:\.\d+)?)*(?:万元|元)?")
# A number followed by one of these is prose ("13561条", "2023年"), not a cell.
MEASURE_CHARS = set("件条个次人份项篇年月日号%％名家户期场天批届类余多倍")
# Unknown text inside a table chain is a label variant; sentence punctuation ends the chain.
_SENTENCE = set("。；;，,：:！!？?")
_MAX_LABEL = 60


@dataclass(frozen=True, slots=True)
class Piece:
    kind: str
    start: int
    end: int


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Label key -> ROW | HEAD: the words of the three tables of both formats."""
    words: dict[str, str] = {}
    for fmt in (FORMAT_2021, FORMAT_2019):
        for table in fmt.tables:
            for row in table.rows:
                for label in (row.label, *row.variants):
                    key = label_key(label)
                    words[key] = ROW
                    if re.match(r"\d\.", key):  # 1、属于国家秘密 as well as 1.属于国家秘密
                        words[key[0] + "、" + key[2:]] = ROW
            for label in (*table.header_labels, *table.group_labels, *table.anchors, table.note or ""):
                key = label_key(label)
                if key:
                    words.setdefault(key, HEAD)
    return words


def _alternation() -> str:
    return "|".join(re.escape(k) for k in sorted(vocabulary(), key=len, reverse=True))


@lru_cache(maxsize=1)
def _word_pattern() -> re.Pattern[str]:
    """Leftmost table word, the longest one there (alternatives are tried longest first)."""
    return re.compile(_alternation())


# What follows a table word glued to its cells: a digit, or spaces, numbers and a 0-led run.
GLUE_TAIL = re.compile(r"\d|[ \t]+(?:\d+[ \t]+)*0\d")


@lru_cache(maxsize=1)
def _hint_pattern() -> re.Pattern[str]:
    """The last character of some table word, then a digit: a fast first sieve for `has_glue`."""
    last = "".join(sorted({key[-1] for key in vocabulary()}))
    return re.compile(f"[{re.escape(last)}][ \\t]*\\d")


@lru_cache(maxsize=1)
def _word_ends() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """Where a table word may end before a digit, and the words by their last character."""
    by_last: dict[str, list[str]] = {}
    for key in vocabulary():
        by_last.setdefault(key[-1], []).append(key)
    last = "".join(sorted(by_last))
    return re.compile(f"[{re.escape(last)}](?=[ \\t]*\\d)"), {c: tuple(w) for c, w in by_last.items()}


def glue_hints(text: str) -> Iterator[re.Match[str]]:
    """Where glue may be in `text`: every place `has_glue` could match is among these."""
    return _hint_pattern().finditer(text)


def has_glue(line: str) -> bool:
    """Whether a normalised line shows a table word glued to its digits. Checked from each
    place a word can end before a digit (a few per line), not by trying every word at every
    position."""
    ends, by_last = _word_ends()
    for m in ends.finditer(line):
        end = m.end()
        if GLUE_TAIL.match(line, end) and any(
            line.startswith(w, end - len(w)) for w in by_last[m.group()] if len(w) <= end
        ):
            return True
    return False


def is_value_line(line: str) -> bool:
    """A line of nothing but a digit run (spaces allowed)."""
    return VALUE_RUN.fullmatch(line.strip()) is not None


def _words(line: str, start: int, end: int) -> list[Piece]:
    """The table words in line[start:end], leftmost-longest, whitespace inside them ignored."""
    compact: list[str] = []
    index: list[int] = []
    for i in range(start, end):
        if not line[i].isspace():
            compact.append(line[i])
            index.append(i)
    text = "".join(compact)
    kinds = vocabulary()
    return [
        Piece(kinds[m.group()], index[m.start()], index[m.end() - 1] + 1)
        for m in _word_pattern().finditer(text)
    ]


def pieces(line: str, start: int = 0, end: int | None = None) -> list[Piece]:
    """line[start:end] as table words, digit runs and other text, in order."""
    end = len(line) if end is None else end
    out: list[Piece] = []
    pos = start
    for word in _words(line, start, end):
        out += _gap(line, pos, word.start)
        out.append(word)
        pos = word.end
    out += _gap(line, pos, end)
    return out


def _gap(line: str, start: int, end: int) -> list[Piece]:
    """The text between two table words: digit runs and the rest."""
    out: list[Piece] = []
    pos = start
    for match in VALUE_RUN.finditer(line, start, end):
        a, b = match.span()
        after = line[b] if b < end else ""
        if after in MEASURE_CHARS:
            continue  # a number in prose
        if after in (".", "、") and b + 1 < end and not line[b + 1].isdigit():
            b -= 1  # the last digit is the list number of the next (unknown) label: "00000002.其它…"
            if b <= a:
                continue
        if line[pos:a].strip():
            out.append(Piece(TEXT, *_strip(line, pos, a)))
        out.append(Piece(VALUE, a, b))
        pos = b
    if line[pos:end].strip():
        out.append(Piece(TEXT, *_strip(line, pos, end)))
    return out


def _strip(line: str, a: int, b: int) -> tuple[int, int]:
    while a < b and line[a].isspace():
        a += 1
    while b > a and line[b - 1].isspace():
        b -= 1
    return a, b


def _in_chain(line: str, piece: Piece) -> bool:
    if piece.kind != TEXT:
        return True
    text = line[piece.start : piece.end]
    return len(text) <= _MAX_LABEL and not _SENTENCE.intersection(text) and text[0] not in MEASURE_CHARS


def chains(line: str, start: int = 0, end: int | None = None) -> list[list[Piece]]:
    """The runs of pieces in line[start:end] that read as a glued table."""
    end = len(line) if end is None else end
    found: list[list[Piece]] = []
    current: list[Piece] = []
    for piece in [*pieces(line, start, end), None]:
        if piece is not None and _in_chain(line, piece):
            current.append(piece)
            continue
        while current and current[-1].kind in (TEXT, HEAD):  # a table ends with its numbers
            current.pop()
        while current and current[0].kind == TEXT:
            current.pop(0)
        if current and _is_table(line, current, start, end):
            found.append(current)
        current = []
    return found


def _is_table(line: str, chain: list[Piece], start: int, end: int) -> bool:
    """Labels with digits glued to them: two such rows, or a table header, or the whole line."""
    pairs = glued = 0
    for left, right in zip(chain, chain[1:], strict=False):
        if left.kind in (ROW, HEAD) and right.kind == VALUE:
            pairs += 1
            glued += left.end == right.start
    heads = sum(1 for p in chain if p.kind == HEAD)
    whole = not line[start : chain[0].start].strip() and not line[chain[-1].end : end].strip()
    return glued > 0 and (pairs >= 2 or heads >= 3 or whole)


@dataclass(slots=True)
class GluedText(Paragraph):
    """A block of table text whose cells ran together; `pieces` are (kind, start, end) in `text`."""

    pieces: tuple[tuple[str, int, int], ...] = ()

    def cell_tokens(self, block: int) -> list[Token]:
        """Label tokens as usual; each digit run one GLUED token, split later by the identities."""
        return [
            Token(self.text[a:b], "", GLUED, None, _at(self.where, a), block)
            if kind == VALUE
            else make_token(self.text[a:b], _at(self.where, a), block)
            for kind, a, b in self.pieces
        ]


def _at(where: dict[str, Any], offset: int) -> dict[str, Any]:
    """`where` of a piece: the block's line, and its column on that line when the block knows one."""
    if "column" not in where:
        return dict(where)
    return {**where, "column": where["column"] + offset}
