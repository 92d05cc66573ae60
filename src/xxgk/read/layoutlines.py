"""Words -> lines -> segments: the word-level geometry under layout.py's blocks.

A `Word` is a run of characters with a box (PDF points or image pixels, top-left origin).
Words on one visual line form a `Line`; within a line, words close together form a
`Segment` (one cell candidate): a gap wider than SEGMENT_GAP line heights separates cells,
and so does a number set apart in a cramped table. Cell text joins wrapped lines and drops
the spaces PDF and OCR put between Chinese characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.cells import is_blank_value, parse_number

# Characters set without spaces in Chinese text: CJK ideographs, CJK and full-width
# punctuation, curly quotes.
_WIDE = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
_SPACE_BETWEEN_WIDE = re.compile(f"(?<=[{_WIDE}])\\s+(?=[{_WIDE}])")
_BREAK = re.compile(r"\s*\n\s*")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_UNIT = re.compile(r"^(?:万元|元|件|条|个|项|次|人|篇|份|名|年|月|日|%|％)")

SEGMENT_GAP = 0.9  # words further apart than this many line heights are separate cells
NUMBER_GAP = 0.35  # a number this far (line heights) after a label is a cell of its own
SINGLES_GAP = 4.0  # distributed text: single characters up to this far apart are one cell


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float | None = None  # OCR confidence 0-100
    line: tuple[int, ...] | None = None  # OCR: the recogniser's (page, block, paragraph, line)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Segment:
    words: list[Word]

    @property
    def text(self) -> str:
        return join_words(self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def bbox(self) -> list[float]:
        return bbox_of(self.words)

    @property
    def is_value(self) -> bool:
        """A number or a blank mark (—, /); 无 is left to the labels it is more often part of."""
        text = self.text
        if parse_number(text) is not None:
            return True
        return text != "" and is_blank_value(text) and not _HAN.search(text)


@dataclass(slots=True)
class Line:
    words: list[Word]
    segments: list[Segment] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return max(w.height for w in self.words)

    @property
    def values(self) -> int:
        return sum(s.is_value for s in self.segments)

    @property
    def numbers(self) -> int:
        return sum(parse_number(s.text) is not None for s in self.segments)


def bbox_of(words) -> list[float]:
    return [
        round(min(w.x0 for w in words), 2),
        round(min(w.top for w in words), 2),
        round(max(w.x1 for w in words), 2),
        round(max(w.bottom for w in words), 2),
    ]


def is_wide(ch: str) -> bool:
    return _WIDE_CHAR.match(ch) is not None


def clean_text(text: str) -> str:
    """Cell text: wrapped lines joined, spaces between Chinese characters removed
    ("结 果\\n维 持" -> "结果维持"); spaces between numbers kept."""
    parts = [p for p in _BREAK.split(text.strip()) if p]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        glue = "" if _tight(out[-1], part[0]) else " "
        out += glue + part
    return _SPACE_BETWEEN_WIDE.sub("", out)


def _tight(left: str, right: str) -> bool:
    """No space at a line break between these: Chinese on both sides, or a wrapped number."""
    return (is_wide(left) and is_wide(right)) or (left.isdigit() and right.isdigit())


def join_words(words: list[Word]) -> str:
    out = ""
    for prev, word in zip([None, *words], words, strict=False):
        if prev is not None and not (is_wide(prev.text[-1]) and is_wide(word.text[0])):
            out += " "
        out += word.text
    return out


# ---------------------------------------------------------------- lines and segments


def make_lines(words: list[Word]) -> list[Line]:
    """Group words into visual lines (by vertical overlap), top to bottom, words left to right."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        mid = (word.top + word.bottom) / 2
        line = lines[-1] if lines else None
        if line is not None and line.top <= mid <= line.bottom and _overlaps(line, word):
            line.words.append(word)
        else:
            lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
        line.segments = split_segments(line.words)
    return lines


def _overlaps(line: Line, word: Word) -> bool:
    overlap = min(line.bottom, word.bottom) - max(line.top, word.top)
    return overlap >= 0.4 * min(line.height, word.height)


def split_segments(words: list[Word]) -> list[Segment]:
    height = max(w.height for w in words)
    segments: list[Segment] = []
    for i, word in enumerate(words):
        gap = word.x0 - segments[-1].x1 if segments else 0.0
        if segments and gap <= SEGMENT_GAP * height and not _cell_break(words, i, gap / height):
            segments[-1].words.append(word)
        else:
            segments.append(Segment([word]))
    return _merge_singles(segments, height)


def _cell_break(words: list[Word], i: int, gap: float) -> bool:
    """Close words that are still two cells of a cramped table: two numbers side by side,
    or a number set apart after a label (not one followed by its unit, as in prose)."""
    prev, word = words[i - 1], words[i]
    if not _is_num(word.text):
        return False
    if _is_num(prev.text):
        return True
    unit = i + 1 < len(words) and _UNIT.match(words[i + 1].text) is not None
    return gap > NUMBER_GAP and is_wide(prev.text[-1]) and not unit


def _is_num(text: str) -> bool:
    return parse_number(text) is not None


def _merge_singles(segments: list[Segment], height: float) -> list[Segment]:
    """Distributed alignment spreads a short label ("行 政 复 议") into single characters."""
    out: list[Segment] = []
    for seg in segments:
        prev = out[-1] if out else None
        if prev is not None and _spread(prev, seg, height):
            prev.words.extend(seg.words)
            continue
        out.append(seg)
    return out


def _spread(prev: Segment, seg: Segment, height: float) -> bool:
    """Single characters set apart, one run of distributed text."""
    near = seg.x0 - prev.x1 <= SINGLES_GAP * height
    return near and _single(seg.words[0]) and all(_single(w) for w in prev.words)


def _single(word: Word) -> bool:
    return len(word.text) == 1 and is_wide(word.text) and "\u4e00" <= word.text <= "\u9fff"


def line_text(line: Line) -> str:
    """A line as layout text: cells separated by two spaces."""
    return "  ".join(clean_text(s.text) for s in line.segments)
