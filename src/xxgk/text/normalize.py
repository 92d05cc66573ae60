"""Normalisation used for matching labels and reading metadata.

Normalised text is for matching only; the original is kept for display and provenance.
Nothing here adds or removes a line break, so line i of the output is line i of the input.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .artifacts import site_chrome_start, strip_word_artifacts
from .cells import Num, is_blank_value, parse_number
from .pinyin import is_pinyin_gloss, strip_pinyin
from .simplify import is_traditional, to_simplified, to_simplified_kept

__all__ = [
    "Num",
    "is_blank_value",
    "is_pinyin_gloss",
    "is_traditional",
    "label_key",
    "normalize_script",
    "normalize_text",
    "parse_number",
    "site_chrome_start",
    "strip_pinyin",
    "strip_word_artifacts",
    "to_simplified",
]

# Characters NFKC keeps that matching wants folded: quote styles (「」 included, since
# traditional-character pages quote with them) and the minus sign.
_PUNCT = {
    **dict.fromkeys("“”„‟〝〞「」『』", '"'),
    **dict.fromkeys("‘’‚‛", "'"),
    "\u2212": "-",  # minus sign, so −2 reads like -2
}
# Zero-width spaces/joiners, word joiner, BOM, soft hyphen, bidi controls: removed.
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# What str.splitlines() splits on; normalize_text never adds or removes one of these.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# A line of nothing but invisible characters becomes one space, not an empty line:
# splitlines() drops an empty last line, and "\r\u200b\n" would merge into one break.
_INVISIBLE_LINE = re.compile(f"(?<![^{_BREAKS}])[{_INVISIBLE}]+(?![^{_BREAKS}])")
_INVISIBLE_CHARS = re.compile(f"[{_INVISIBLE}]+")
_PUNCT_CHARS = re.compile("[" + "".join(_PUNCT) + _INVISIBLE + "]")

# Characters that most often keep a text from being NFKC already:
# full-width ASCII (（）：，；), full-width currency signs, NBSP and the odd-width spaces.
_FOLD = {
    chr(cp): unicodedata.normalize("NFKC", chr(cp))
    for cp in [
        *range(0xFF01, 0xFF5F),
        *range(0xFFE0, 0xFFE7),
        0x3000,
        0xA0,
        *range(0x2002, 0x200B),
        0x202F,
        0x205F,
    ]
}
_FOLD_CHARS = re.compile("[" + "".join(_FOLD) + "]")
# The full-width punctuation of nearly every report that has any: replaced after a str scan
# each (a regex tries its class at every character, several times the cost).
_COMMON_WIDE = "，：（）；"

# A 4-digit year in any bracket pair is a document number year: 国办函[2021]30号 -> 〔2021〕.
# Only spaces/tabs inside, never a line break.
# One pattern per opening bracket, so each scan skips to its literal first character; the
# matches cannot overlap (none holds an opening bracket), so their order does not matter.
_YEAR_BRACKETS = {
    bracket: re.compile(re.escape(bracket) + r"[ \t]*((?:19|20)\d\d)[ \t]*[\]】〗〕]")
    for bracket in ("[", "【", "〖", "〔")
}
# Parentheses only when a number + 号 follows, so (2021—2025年) and (2024) stay.
_YEAR_PARENS = re.compile(r"\([ \t]*((?:19|20)\d\d)[ \t]*\)(?=[ \t]*\d+[ \t]*号)")
# Dashes between digits are ranges (11—30, 11～30 -> 11-30). Spaced dashes are not touched:
# in a table row "11 — 30" is three cells, the middle one blank.
_RANGE_DASH = re.compile(r"(?<=\d)[—–―‐‒~〜-]{1,2}(?=\d)")
_DASH_HINTS = ("—", "–", "―", "‐", "‒", "~", "〜")
_DOUBLE_HYPHEN = re.compile("--")  # a two-character `in` costs more than this regex


def _nfkc(text: str) -> str:
    return _nfkc_folding(text)[0]


def _nfkc_folding(text: str) -> tuple[str, bool]:
    """NFKC of `text`, and whether folding the _FOLD characters was all it took."""
    # Full NFKC costs ~0.1 us per character; most texts only need the full-width ASCII
    # folded, and after that the cheap is_normalized check settles it.
    if unicodedata.is_normalized("NFKC", text):
        return text, True
    # Each character found is replaced everywhere, by its NFKC form, which holds no _FOLD
    # character: in whatever order they are replaced, the text comes out the same.
    for ch in _COMMON_WIDE:
        if ch in text:
            text = text.replace(ch, _FOLD[ch])
    if unicodedata.is_normalized("NFKC", text):
        return text, True
    # Each character found is replaced everywhere at once, so the search goes on from there
    # and the text is scanned once, without a list of every occurrence (findall). NFKC output
    # holds no _FOLD character, so a replacement is never found again.
    pos = 0
    while (found := _FOLD_CHARS.search(text, pos)) is not None:
        ch = found.group()
        text = text.replace(ch, _FOLD[ch])
        pos = found.start() + len(_FOLD[ch])
    if unicodedata.is_normalized("NFKC", text):
        return text, True
    return unicodedata.normalize("NFKC", text), False


def _fold_punctuation(text: str) -> str:
    # On a document, a few `in` scans beat both str.translate (slow on non-ASCII text) and
    # a regex scan; on a short label one regex search is cheaper than 20 calls.
    if len(text) < 256 and _PUNCT_CHARS.search(text) is None:
        return text
    for ch, replacement in _PUNCT.items():
        if ch in text:
            text = text.replace(ch, replacement)
    if any(ch in text for ch in _INVISIBLE):
        text = _INVISIBLE_CHARS.sub("", _INVISIBLE_LINE.sub(" ", text))
    return text


def normalize_text(text: str) -> str:
    """NFKC, punctuation folded, pinyin glosses removed, traditional -> simplified,
    document-number years in 〔〕 and range dashes as "-". Line breaks are never touched."""
    return normalize_script(text)[0]


def normalize_script(text: str) -> tuple[str, bool]:
    """normalize_text(text), and True when no piece of `text` reads as traditional
    (is_traditional is False for each): none of its CJK characters is one t2s changes, and it
    holds no compatibility ideograph (NFKC replaces those before t2s would see them)."""
    text, folded = _nfkc_folding(text)
    text, kept = to_simplified_kept(strip_pinyin(_fold_punctuation(text)))
    for bracket, pattern in _YEAR_BRACKETS.items():
        if bracket in text:
            text = pattern.sub(r"〔\1〕", text)
    return _year_parens_and_dashes(text), folded and kept


def _year_parens_and_dashes(text: str) -> str:
    if "号" in text and "(" in text:
        text = _YEAR_PARENS.sub(r"〔\1〕", text)
    if any(hint in text for hint in _DASH_HINTS) or _DOUBLE_HYPHEN.search(text):
        text = _RANGE_DASH.sub("-", text)
    return text


_WS = re.compile(r"\s+")
_CHINESE_NUMERAL = "一二三四五六七八九十百零〇"
_MARKERS = (
    # 1、 / 1． / 1. -> 1. (a digit right after would make it a decimal, not a marker)
    (re.compile(r"^(\d{1,2})[、.](?!\d)"), r"\1."),
    # (一)、 / (一). -> (一); full-width parentheses are already ASCII after NFKC
    (re.compile(rf"^\(([{_CHINESE_NUMERAL}\d]{{1,3}})\)[、.,]?"), r"(\1)"),
    # 一. / 一, -> 一、
    (re.compile(rf"^([{_CHINESE_NUMERAL}]{{1,3}})[.,](?!\d)"), r"\1、"),
)


@lru_cache(maxsize=1 << 14)
def label_key(text: str) -> str:
    """Key for comparing table and heading labels: normalised, no whitespace at all,
    list markers unified (1、 -> 1., （一） -> (一), (一)、 -> (一))."""
    # Whitespace goes before t2s too: OpenCC picks characters by phrase, and 結 果 spaced
    # out by distributed alignment would not be read as one phrase.
    key = _WS.sub("", normalize_text(_WS.sub("", text)))
    for pattern, replacement in _MARKERS:
        key = pattern.sub(replacement, key, count=1)
    return key
