"""Word automatic numbering: the label ("一、", "（三）", "1.") Word draws before a paragraph.

Reports often number headings and table rows with list numbering instead of typed text, so
the label is not in any w:t. `Numbering(numbering_xml, styles_xml).label(p)` renders it the
way Word does for the common cases: numPr on the paragraph or inherited from its style,
one counter set per abstract numbering (per w:num when it overrides the start), deeper
levels restarting when a shallower level advances, and the usual Chinese, decimal,
letter and roman number formats. Bullets render as nothing.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
VAL = f"{{{_W}}}val"
_PPR, _NUM_PR, _NUM_ID, _ILVL, _PSTYLE = (f"{{{_W}}}{n}" for n in ("pPr", "numPr", "numId", "ilvl", "pStyle"))
_PLACEHOLDER = re.compile(r"%([1-9])")

_DIGITS = "〇一二三四五六七八九"
_CN = ("零一二三四五六七八九", "十百千")
_LEGAL = ("零壹贰叁肆伍陆柒捌玖", "拾佰仟")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"))
_ROMAN += ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@cache
def _xpath(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=_NS)


def _find(element, path: str) -> list:
    return _xpath(path)(element)


def _val(element, path: str) -> str | None:
    if element is None:
        return None
    found = _find(element, path)
    return found[0].get(VAL) if found else None


def _child_val(element, tag: str) -> str | None:
    child = element.find(tag) if element is not None else None
    return child.get(VAL) if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def chinese_number(n: int, digits: str = _CN[0], units: str = _CN[1]) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五 (below 10000; else decimal)."""
    if not 0 < n < 10000:
        return str(n)
    out, zero = "", False
    for power in (3, 2, 1, 0):
        d = n // 10**power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        out += digits[d] + (units[power - 1] if power else "")
    return out[1:] if out.startswith(digits[1] + units[0]) and n < 20 else out


# Word writes letters as A..Z, AA..ZZ, AAA.. (one letter repeated) up to 780, and roman
# numerals up to 3999 (MMMCMXCIX); past those it falls back to decimal. So do we: a number
# written by repetition must not grow with a hostile start value (w:start 999999999999).
MAX_LETTERS = 780
MAX_ROMAN = 3999


def _letters(n: int) -> str:
    if not 0 < n <= MAX_LETTERS:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if n > MAX_ROMAN:
        return str(n)
    out = ""
    for value, symbol in _ROMAN:
        count, n = divmod(n, value)
        out += symbol * count
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_number(n)
    if fmt == "chineseLegalSimplified":
        return chinese_number(n, *_LEGAL)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital") and n >= 0:
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _TIANGAN[n - 1]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return _CIRCLED[n - 1]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n) if fmt == "upperLetter" else _letters(n).lower()
    if fmt in ("upperRoman", "lowerRoman") and n > 0:
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)


class Numbering:
    def __init__(self, numbering, styles) -> None:
        self.abstract: dict[str, dict[int, object]] = {}
        self.nums: dict[str, tuple[str, dict[int, object], dict[int, int]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        if numbering is not None:
            self._load_numbering(numbering)
        if styles is not None:
            self._load_styles(styles)
        self.numbered_styles = {sid for sid in self.styles if self._style_numbering(sid)[0]}

    def _load_numbering(self, root) -> None:
        for abstract in _find(root, "w:abstractNum"):
            levels = {_int(lvl.get(f"{{{_W}}}ilvl"), 0): lvl for lvl in _find(abstract, "w:lvl")}
            self.abstract[abstract.get(f"{{{_W}}}abstractNumId", "")] = levels
        for num in _find(root, "w:num"):
            levels: dict[int, object] = {}
            starts: dict[int, int] = {}
            for override in _find(num, "w:lvlOverride"):
                ilvl = _int(override.get(f"{{{_W}}}ilvl"), 0)
                start = _val(override, "w:startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                for lvl in _find(override, "w:lvl"):
                    levels[ilvl] = lvl
            self.nums[num.get(f"{{{_W}}}numId", "")] = (_val(num, "w:abstractNumId") or "", levels, starts)

    def _load_styles(self, root) -> None:
        for style in _find(root, "w:style[@w:type='paragraph']"):
            sid = style.get(f"{{{_W}}}styleId", "")
            num_id = _val(style, "w:pPr/w:numPr/w:numId")
            ilvl = _val(style, "w:pPr/w:numPr/w:ilvl")
            self.styles[sid] = (num_id, ilvl, _val(style, "w:basedOn"))
            if style.get(f"{{{_W}}}default") in ("1", "true", "on"):
                self.default_style = sid

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, str | None]:
        num_id = ilvl = None
        for _ in range(20):  # basedOn chains are short; a cycle must not hang
            if style_id is None or style_id not in self.styles:
                break
            s_num, s_lvl, style_id = self.styles[style_id]
            num_id = num_id or s_num
            ilvl = ilvl or s_lvl
        return num_id, ilvl

    def label(self, p) -> str:
        """The rendered list label of paragraph `p`, "" when it has none."""
        if not self.nums:
            return ""
        ppr = p.find(_PPR)
        num_pr = ppr.find(_NUM_PR) if ppr is not None else None
        num_id = _child_val(num_pr, _NUM_ID)
        ilvl_text = _child_val(num_pr, _ILVL)
        style = _child_val(ppr, _PSTYLE) or self.default_style
        style_num, style_lvl = self._style_numbering(style) if style in self.numbered_styles else (None, None)
        num_id = num_id or style_num
        if not num_id or num_id not in self.nums:
            return ""
        ilvl = min(max(_int(ilvl_text or style_lvl, 0), 0), 8)
        return self._render(num_id, ilvl)

    def _level(self, num_id: str, ilvl: int):
        abstract_id, overrides, _ = self.nums[num_id]
        return overrides.get(ilvl) or self.abstract.get(abstract_id, {}).get(ilvl)

    def _start(self, num_id: str, ilvl: int) -> int:
        starts = self.nums[num_id][2]
        return starts[ilvl] if ilvl in starts else _int(_val(self._level(num_id, ilvl), "w:start"), 1)

    def _render(self, num_id: str, ilvl: int) -> str:
        lvl = self._level(num_id, ilvl)
        if lvl is None:
            return ""
        abstract_id, overrides, starts = self.nums[num_id]
        state = self.counters.setdefault(num_id if starts or overrides else f"a{abstract_id}", {})
        state[ilvl] = state[ilvl] + 1 if ilvl in state else self._start(num_id, ilvl)
        for deeper in [k for k in state if k > ilvl]:
            del state[deeper]
        fmt = _val(lvl, "w:numFmt") or "decimal"
        if fmt == "bullet":
            return ""
        legal = lvl.find(f"{{{_W}}}isLgl") is not None
        text = _val(lvl, "w:lvlText") or ""

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            if fmt == "none" and k == ilvl:
                return ""
            n = state.get(k, self._start(num_id, k))
            k_fmt = _val(self._level(num_id, k), "w:numFmt") or "decimal"
            return format_number(n, "decimal" if legal else k_fmt)

        suffix = {"space": " "}.get(_val(lvl, "w:suff") or "tab", "")
        return _PLACEHOLDER.sub(number, text) + suffix
