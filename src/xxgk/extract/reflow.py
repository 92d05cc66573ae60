"""Crawled text whose lines ran together: put the line breaks back before reading.

A page saved by a crawler may hold the whole report body on ONE line: "…电话：0591-23165385。
一、总体情况 2023年，…二、主动公开政府信息情况第二十条第（一）项信息内容…规章000…". Nothing
downstream can read that: headings are found at the start of lines, a section is a run of
lines, a table is a run of cells. So such a line is cut — at the section headings inside it,
and around each stretch of glued table text (glued.py) — into blocks that keep the line's
provenance plus the column where each starts. Prose stays prose, in its section; the
table text becomes `GluedText` blocks, read by label with their digits split by the table's
identities.

Only lines that show it are touched: two or more section headings inside one line, or a
table word with digits glued to it. Every other document goes through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise

from ..formats.common import SECTIONS_2021
from ..read.document import Document, Paragraph
from ..text.normalize import normalize_text
from .glued import (
    GLUE_TAIL,
    MEASURE_CHARS,
    VALUE,
    VALUE_RUN,
    GluedText,
    chains,
    glue_hints,
    has_glue,
    is_value_line,
    vocabulary,
)

_NUMERALS = "一二三四五六"
_MARK = re.compile(r"(?:第)?([一二三四五六])(?:部分)?[、.]")
# A heading is not preceded by these: （一） 十一、 第一、 are not section headings.
_NOT_BEFORE = set("(（一二三四五六七八九十第")
_MARK_ENDS = "、."  # a section mark is one of _NUMERALS then one of these
_CONTENT = 20  # characters after a heading that make it a section, not an item of a list
_KEYWORD_SPAN = 10  # a heading's keyword within this many characters of its numeral
_ENDINGS = ("情况", "事项", "问题")


@lru_cache(maxsize=1)
def _titles() -> dict[int, list[str]]:
    return {
        s.number: sorted({normalize_text(t) for t in (s.title, *s.variants)}, key=len, reverse=True)
        for s in SECTIONS_2021
    }


def inline_headings(norm: str) -> list[tuple[int, int]]:
    """(start, end) of the section headings inside a normalised line, numbers increasing."""
    out: list[tuple[int, int]] = []
    last = 0
    for match in _MARK.finditer(norm):
        start = match.start()
        number = _NUMERALS.index(match.group(1)) + 1
        if number <= last or (start and norm[start - 1] in _NOT_BEFORE):
            continue
        end = _heading_end(norm, match.end(), number)
        if end is not None:
            out.append((start, end))
            last = number
    return out


def _heading_end(norm: str, pos: int, number: int) -> int | None:
    while pos < len(norm) and norm[pos] in " \t\u3000":
        pos += 1
    for title in _titles()[number]:
        if norm.startswith(title, pos):
            return pos + len(title)
    head = norm[pos : pos + _KEYWORD_SPAN]
    for word in SECTIONS_2021[number - 1].keywords:
        at = head.find(word)
        if at >= 0:
            end = pos + at + len(word)
            for ending in _ENDINGS:
                found = norm.find(ending, end, end + 8)
                if found >= 0:
                    return found + len(ending)
            return end
    return None


def needs_reflow(norm_lines: list[str], text: str | None = None) -> bool:
    """Whether some line must be cut. Scans the whole text once (`text`: the lines joined by
    "\\n", when the caller has it); only the lines a sieve picks are looked at closely."""
    if text is None:
        text = "\n".join(norm_lines)
    hits = sorted(set(_two_marks(text)) | set(_glue_hits(text)))
    lines: list[int] = []
    line = at = 0
    for hit in hits:  # increasing, so the line breaks before each are counted once
        line += text.count("\n", at, hit)
        at = hit
        if not lines or lines[-1] != line:
            lines.append(line)
    return any(_line_needs(norm_lines[i]) for i in lines)


def _two_marks(text: str) -> Iterator[int]:
    """The first of every two section marks (一、 五.) on one line: where a line may hold
    sections. Found from the few 、 and . of a text (str.find) rather than by a regex trying a
    character class at each of its characters."""
    marks = sorted(
        at - 1 for end in _MARK_ENDS for at in _find_all(text, end) if at and text[at - 1] in _NUMERALS
    )
    return (a for a, b in pairwise(marks) if text.find("\n", a, b) < 0)


def _find_all(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _glue_hits(text: str) -> Iterator[int]:
    """Places in `text` that may make a line glued table text: `chains` finds a table only
    where a table word is followed by a digit run that is kept as a cell, i.e. not followed by
    a measure word (件, 条: prose like 更新行政规范性文件9件)."""
    if "部分、" in text or "部分." in text:
        # A line holding "第一部分、…第二部分、" is not among _two_marks' lines; the wider glue
        # hints (any table word before a digit) are what bring such a line to _line_needs.
        return (m.start() for m in glue_hints(text))
    return (m.start() for m in (_pair_sieve() or _glue_sieve()).finditer(text))


@lru_cache(maxsize=1)
def _pair_sieve() -> re.Pattern[str] | None:
    """The last character of a table word, then a digit run kept as a cell. None when some
    table word could start inside or right after a digit run (then a run cut short by the next
    word would be kept, whatever follows it): the wider sieve is used instead."""
    keys = vocabulary()
    value_chars = MEASURE_CHARS | set("+-. \t\u3000万元")
    if any(k[0] in value_chars or (k[0].isdigit() and not _marker_word(k)) for k in keys):
        return None
    last = "".join(sorted({key[-1] for key in keys}))
    head = r"[+-]?\d+"
    # The match takes the digit run, so no hit may start inside one: no last character is a
    # character of a run.
    if not VALUE_RUN.pattern.startswith(head) or any(c in "+-.万元" or c.isspace() or c.isdigit() for c in last):
        return None
    # The digit run kept as a cell (glued.py's _gap), not a quantity: VALUE_RUN as its match()
    # takes it (atomic: no shorter run is tried), then no measure word. Its sign and first
    # digit outside the group: most of these characters (one in ten of a report's) are not
    # before a digit, and fail there at once.
    rest = VALUE_RUN.pattern.removeprefix(head)
    measure = "".join(map(re.escape, sorted(MEASURE_CHARS)))
    return re.compile(f"[{re.escape(last)}][+-]?\\d(?>\\d*{rest})(?![{measure}])")


def _marker_word(key: str) -> bool:
    """1.属于国家秘密: a digit, a list mark, then no digit; a digit run stops at the mark."""
    return len(key) > 2 and key[1] in ".、" and not key[2].isdigit()


@lru_cache(maxsize=1)
def _glue_sieve() -> re.Pattern[str]:
    """Every place where `has_glue` could match: the last character of a table word, then the
    glue tail it requires. A table row with spaced cells ("规章 12 3") is not one."""
    last = "".join(sorted({key[-1] for key in vocabulary()}))
    return re.compile(f"[{re.escape(last)}](?={GLUE_TAIL.pattern})")


def _line_needs(norm: str) -> bool:
    return _holds_sections(norm) or (has_glue(norm) and bool(chains(norm)))


def _holds_sections(norm: str) -> bool:
    """Two or more headings inside the line, at least two of them followed by content: a
    whole body on one line, not a sentence listing the section titles (一、总体情况；二、…)."""
    heads = inline_headings(norm)
    ends = [start for start, _ in heads[1:]] + [len(norm)]
    return (
        len(heads) >= 2
        and sum(1 for (_, end), nxt in zip(heads, ends, strict=True) if nxt - end >= _CONTENT) >= 2
    )


def reflow(doc: Document, texts: list[str], norm: list[str], artifacts: list) -> Document:
    """The document with its glued lines cut into blocks. `texts`/`norm` are the prepared
    (artifact-free) and normalised text of each block; `artifacts` those already found, which
    the cleaned text no longer shows. In a document that shows glue, a line of nothing but
    digits is a glued run too (a table row whose label cell was empty, like table 四's values)."""
    blocks = []
    for i, block in enumerate(doc.blocks):
        if not isinstance(block, Paragraph):
            blocks.append(block)
        elif _line_needs(norm[i]):
            blocks += _cut(texts[i], norm[i], block.where)
        elif is_value_line(norm[i]) and texts[i].strip():
            text = texts[i].strip()
            blocks.append(GluedText(text, block.where, ((VALUE, 0, len(text)),)))
        else:
            blocks.append(Paragraph(texts[i], block.where))
    return Document(blocks, doc.media_type, doc.path, doc.sha256, doc.encoding, list(artifacts))


def _cut(text: str, norm: str, where: dict) -> list[Paragraph]:
    """One line as blocks: prose, headings, glued table text."""
    shown = text if len(text) == len(norm) else norm  # offsets are the normalised line's
    out: list[Paragraph] = []
    pos = 0
    for start, end in [*inline_headings(norm), (len(norm), len(norm))]:
        out += _segment(shown, norm, pos, start, where)
        if end > start:
            out.append(_block(shown, start, end, where))
        pos = end
    return [b for b in out if b.text.strip()]


def _segment(shown: str, norm: str, start: int, end: int, where: dict) -> list[Paragraph]:
    """Text between headings: prose, with the glued tables in it taken out as their own blocks."""
    out: list[Paragraph] = []
    pos = start
    for chain in chains(norm, start, end):
        a, b = chain[0].start, chain[-1].end
        if a > pos:
            out.append(_block(shown, pos, a, where))
        pieces = tuple((p.kind, p.start - a, p.end - a) for p in chain)
        out.append(GluedText(shown[a:b], _where(where, a), pieces))
        pos = b
    if end > pos:
        out.append(_block(shown, pos, end, where))
    return out


def _block(shown: str, start: int, end: int, where: dict) -> Paragraph:
    while start < end and shown[start].isspace():
        start += 1
    return Paragraph(shown[start:end].rstrip(), _where(where, start))


def _where(where: dict, offset: int) -> dict:
    """The line's provenance and the 1-based column where the block starts on it."""
    if "line" not in where:
        return dict(where)
    return {**where, "column": where.get("column", 1) + offset}
