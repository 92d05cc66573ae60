"""OCR text repairs: a cell's words in reading order, digits read as letters, full-width
parentheses read as angle brackets, leftovers of ruling lines."""

from __future__ import annotations

import re
from typing import Any

from PIL import Image

from ..text.cells import is_blank_value, parse_number
from .layout import Word, clean_text, make_lines
from .ocrimage import dark_share

LOW_CONFIDENCE = 80  # OCR confidence (0-100) below which a cell is read with low confidence
BORDER_MARKS = "|｜[]丨"  # what a leftover piece of ruling line reads as
HAN = re.compile(r"[\u4e00-\u9fff]")
_NUMBERISH = re.compile(r"^[0-9OoIl,，.．。 ]+$")
_DIGIT_LIKE = re.compile(r"[0-9OoIlDS]")
_TO_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "，": ",", "．": ".", "。": "."})
_DOUBLED_OPEN = re.compile(r"[〈《]([（(])")  # one parenthesis read as two marks


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_number(text: str | None) -> bool:
    return bool(text) and (parse_number(text) is not None or is_blank_value(text))


def numberish(text: str) -> bool:
    """Reads like a number or a blank mark (chi_sim may read a dash as 一)."""
    squeezed = compact(text)
    if not squeezed or len(squeezed) > 14 or len(HAN.findall(squeezed)) > 1:
        return False
    return bool(_DIGIT_LIKE.search(squeezed)) or is_blank_value(squeezed) or squeezed == "一"


def cell_text(words: list[Word]) -> str:
    """Text of one cell's words, line by line; a cell that reads like a number is normalised
    (O->0, l/I->1, full-width comma and point)."""
    if not words:
        return ""
    lines: dict[Any, list[str]] = {}
    for word in words:  # the recogniser's own lines, in its reading order
        lines.setdefault(word.line, []).append(word.text)
    text = clean_text("\n".join(" ".join(texts) for texts in lines.values()))
    return normalize_number(fix_brackets(text.strip(BORDER_MARKS + " ")))


def _unclosed(text: str, i: int) -> bool:
    closing = "〉" if text[i] == "〈" else "》"
    return closing not in text[i + 1 :]


def fix_brackets(text: str) -> str:
    """Tesseract reads a full-width parenthesis as 〈 or 《 (and 〉 》), sometimes as two
    marks: an opening angle bracket closed by a parenthesis, or a closing one opened by a
    parenthesis, is one; an unclosed angle bracket just before a parenthesis goes."""
    out = list(text)
    opened: int | None = None  # index of the last unclosed opening mark
    for i, ch in enumerate(out):
        if ch in "（(〈《":
            opened = i
        elif ch in "）)〉》" and opened is not None:
            pair = out[opened] + ch
            if pair in ("〈)", "〈）", "《)", "《）"):
                out[opened] = "（"
            elif pair in ("(〉", "（〉", "(》", "（》"):
                out[i] = "）"
            opened = None
    text = "".join(out)
    return _DOUBLED_OPEN.sub(lambda m: m.group(1) if _unclosed(text, m.start()) else m.group(0), text)


def normalize_number(text: str) -> str:
    if _NUMBERISH.match(text) and any(ch.isdigit() for ch in text):
        return re.sub(r"\s+", "", text.translate(_TO_DIGITS))
    return text


def standalone_numbers(words: list[Word]):
    """Number words that stand apart on their line (a table cell, not a number in prose,
    whose box Tesseract draws too tight to read again)."""
    for line in make_lines(words):
        for i, word in enumerate(line.words):
            text = word.text.strip(BORDER_MARKS)
            unsure = len(text) <= 2 and (word.conf or 0) < LOW_CONFIDENCE
            if not unsure and (not numberish(text) or HAN.search(text)):
                continue
            gap = 0.8 * word.height
            left = line.words[i - 1] if i > 0 else None
            right = line.words[i + 1] if i + 1 < len(line.words) else None
            if (left is None or word.x0 - left.x1 > gap) and (right is None or right.x0 - word.x1 > gap):
                yield word


def real_words(words: list[Word], page: Image.Image) -> list[Word]:
    """Drop what Tesseract makes up between lines: unsure words that are tiny or have
    hardly any ink in their box."""
    heights = sorted(w.height for w in words)
    typical = heights[len(heights) // 2] if heights else 0
    out = []
    for w in words:
        box = (int(w.x0), int(w.top), max(int(w.x1), int(w.x0) + 1), max(int(w.bottom), int(w.top) + 1))
        phantom = w.height < 0.4 * typical or dark_share(page, box) < 0.08
        if (w.conf or 0) >= 60 or not phantom:
            out.append(w)
    return out
