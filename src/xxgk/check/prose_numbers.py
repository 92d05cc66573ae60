"""Numbers stated in report prose: counts with a unit, and totals with their parts.

Input is one normalised line (`TextLine.norm`: NFKC, so full-width digits and punctuation
are ASCII, and simplified characters). Two layers here, a third in `prose_facts`:

* `quantities(text)` - every "number + unit" (件 条 个 次 篇 项 元 万元): Arabic digits
  with thousands separators, Chinese numerals (二十三件, 一百零五条, 两件), bracketed
  numbers ((1386)条), spaced PDF text (收到申请 46 件). Approximate amounts (20余篇, 近100条,
  100条左右) are flagged, never compared.
* `prose_facts.facts(text, year, review_section)` - the quantities whose clause says what
  they count (received, carried over, 复议, 行政处罚 ...), plus zero statements (未收到…申请).
* `sum_statements(text)` - "total N, 其中 a, b, c" lists, for the total = sum of parts rule.

Everything is a handful of precompiled regex scans per line: units are found with one
character class, then the number ending before each; Python loops only over the few
characters of a matched number.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ..model import Number
from ..text.numerals import cn_number

# ---------------------------------------------------------------- quantities

_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN = r"[零〇一二两三四五六七八九十百千万]+"
_UNIT_CHAR = re.compile(r"[件条个次篇项元]")
# A unit right after a character a number may end with (万 of 万元 included): the others
# cannot be quantities, so they are not looked at (see _quantity_at).
_UNIT_AT = re.compile(r"[件条个次篇项元](?<=[0-9)零〇一二两三四五六七八九十百千万余多来 \t].)")
# The number that ends right before a unit (searched backwards from the unit, see quantities).
_NUMBER_END = re.compile(
    rf"(?:(?P<ar>{_AR})|\(\s*(?P<br>{_AR}|{_CN})\s*\)|(?P<cn>{_CN}))"
    r"\s*(?P<wan>万)?(?P<about>余|多|来)?\s*$"
)
_DIGITS = frozenset("0123456789")
_ENDS_NUMBER = frozenset("0123456789)零〇一二两三四五六七八九十百千万余多来 \t")
_NUMBER_CHARS = frozenset("0123456789,.() \t零〇一二两三四五六七八九十百千万余多来")
_AFTER_APPROX = ("左右", "以上", "以下", "之多")
LOOKBACK = 32  # longest number looked for before a unit, in characters
# A unit followed by these is part of another word: 3个月, 一次性, 条例, 项目, 元旦.
_NOT_UNIT = {
    "个": ("月", "工作日", "百分点", "小时", "季度", "自然日", "星期"),
    "次": ("日", "性"),
    "条": ("例", "款"),
    "项": ("目",),
    "件": ("事",),
    "元": ("旦",),
}
_APPROX_BEFORE = ("约", "近", "逾", "超过", "不足", "不到", "不少于", "多于", "少于", "上")
_NOT_CN_BEFORE = set("第每同单唯统周")
COUNT_UNITS = frozenset("件条篇项")


class Quantity(NamedTuple):
    """A number with its unit (a named tuple: tens of them per report, made fast)."""

    value: Number
    unit: str
    start: int  # span of the number through the unit
    end: int
    approx: bool = False


_new_tuple = tuple.__new__


def _arabic(text: str) -> Number:
    text = text.replace(",", "")
    return Decimal(text) if "." in text else int(text)


def _number(text: str, m: re.Match) -> Number | None:
    ar, br, cn = m.group("ar", "br", "cn")
    if ar is not None or (br is not None and br[0].isdigit()):
        return _arabic(ar or br)
    raw = br or cn
    if cn is not None and text[max(0, m.start() - 1) : m.start()] in _NOT_CN_BEFORE:
        return None  # 第一条, 每一件, 统一…
    if raw in ("零", "〇"):
        return None  # 零件 is a word
    return cn_number(raw)


def _quantity_at(text: str, i: int) -> Quantity | None:
    """The quantity whose unit is the character at i, if a number ends right before it
    (`_UNIT_AT` found the unit: the character before it may end a number)."""
    unit, stop, end = text[i], i, i + 1
    if unit == "元" and text[i - 1] == "万":
        unit, stop = "万元", i - 1
        if not stop or text[stop - 1] not in _ENDS_NUMBER:
            return None
    following = text[end : end + 3]
    not_unit = _NOT_UNIT.get(unit)
    if not_unit is not None and following.startswith(not_unit):
        return None
    run = stop
    lowest = stop - LOOKBACK if stop > LOOKBACK else 0
    while run > lowest and text[run - 1] in _DIGITS:
        run -= 1
    if lowest < run < stop and text[run - 1] not in _NUMBER_CHARS:
        # Most numbers: plain digits between words ("申请29件"), what _NUMBER_END would match
        # from `run` (\d+, nothing after it), read without the regex.
        start, value, about = run, int(text[run:stop]), None
    else:
        while run > lowest and text[run - 1] in _NUMBER_CHARS:
            run -= 1
        m = _NUMBER_END.search(text, run, stop)
        if m is None:
            return None
        start = m.start()
        value = _number(text, m)
        if value is None:
            return None
        wan, about = m.group("wan", "about")
        if wan:
            value *= 10000
    before = text[start - 3 if start > 3 else 0 : start]
    if "第" in before and before[-2:].strip().endswith("第"):
        return None
    approx = bool(about) or following.startswith(_AFTER_APPROX) or before.endswith(_APPROX_BEFORE)
    if not approx and ("-" in before or "~" in before or "至" in before or "到" in before):
        approx = bool(_RANGE_BEFORE.search(before))  # a range: 11-30件
    # tuple.__new__ directly: a named tuple's own __new__ is Python code, a frame per quantity.
    return _new_tuple(Quantity, (value, unit, start, end, approx))


_RANGE_BEFORE = re.compile(r"\d\s*[-~至到]\s*$")


@lru_cache(maxsize=2048)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Every number with a unit in `text` (normalised), in order. Units are found first (one
    character class, a fast scan), then the number ending right before each."""
    out: list[Quantity] = []
    for m in _UNIT_AT.finditer(text):
        q = _quantity_at(text, m.start())
        if q is not None and (not out or q.start >= out[-1].end):
            out.append(q)
    return tuple(out)


# ---------------------------------------------------------------- wordings

# What the prose rules read from a line depends on its words and on where its numbers stand, not
# on the digits (but for the values and the years, read from the line itself): each digit 1-9 is
# read as 0, and one reading serves every line of the same wording.
_DIGIT = re.compile(r"[1-9]")
WORDINGS_KEPT = 2_048  # entries of each reading kept by wording; cleared when full


def wording(text: str) -> str:
    return _DIGIT.sub("0", text)


def value_at(text: str, start: int, end: int, unit: str) -> Number:
    """The value of the quantity at text[start:end] (its unit included), where a line of the
    same wording had one: plain digits as `_quantity_at` reads them, else `_quantity_at`."""
    digits = text[start : end - len(unit)]
    if digits.isdigit() and digits.isascii():
        return int(digits)
    return _quantity_at(text, end - 1).value  # type: ignore[union-attr]


def requantity(text: str, q: Quantity) -> Quantity:
    return _new_tuple(Quantity, (value_at(text, q.start, q.end, q.unit), q.unit, q.start, q.end, q.approx))


# ---------------------------------------------------------------- text structure

_DELIM = re.compile(r"[,;。、!?()]")
_TITLES = re.compile(r"《[^》]*》|\([^()]*\)")
# A year the text speaks of; not one it compares with (比2019年增加…).
# The lookbehind after 19/20, not first: a pattern that starts with one gets no charset prefix
# from re, and its scan enters the matcher at every position.
_YEAR = re.compile(r"((?:19|20)(?<![比较与同]\d\d)\d\d)\s*年")
DELTA = re.compile(r"增|减|下降|提高|上升|回落|降低|同比|环比")


class Layout:
    """Clause and sentence boundaries of one line (one regex scan), for windows and quotes."""

    def __init__(self, text: str):
        self.text = text
        self.delims = [m.start() for m in _DELIM.finditer(text)]
        self.stops = [i for i in self.delims if text[i] in "。!?"]

    def clause_start(self, pos: int) -> int:
        i = bisect_left(self.delims, pos)
        return self.delims[i - 1] + 1 if i else 0

    def clause_end(self, pos: int) -> int:
        i = bisect_left(self.delims, pos)
        return self.delims[i] if i < len(self.delims) else len(self.text)

    def sentence_start(self, pos: int) -> int:
        i = bisect_left(self.stops, pos)
        return self.stops[i - 1] + 1 if i else 0

    def sentence_end(self, pos: int) -> int:
        i = bisect_right(self.stops, pos)
        return self.stops[i] if i < len(self.stops) else len(self.text)

    def aside(self, pos: int) -> bool:
        """Inside a parenthetical remark (not the brackets of a bracketed number)."""
        text = self.text
        opening = text.rfind("(", 0, pos)
        if opening < 0 or ")" in text[opening:pos]:
            return False
        closing = text.find(")", pos)
        return closing > pos and "(" not in text[pos:closing]


def last_year(text: str) -> int | None:
    """The last year `text` speaks of (titles and remarks in brackets left out)."""
    if "年" not in text:  # every year spoken of is followed by 年
        return None
    found = _YEAR.findall(_TITLES.sub("", text))
    return int(found[-1]) if found else None


def year_spans(text: str) -> list[tuple[int, int, int]] | None:
    """(start, end, year) of every year a line speaks of, for `last_year` of its sentences
    without a scan each; None when the line holds a title or a bracket (`last_year` leaves
    those out, which a slice may cut)."""
    if "年" not in text:
        return []
    if "《" in text or "(" in text:
        return None
    return [(m.start(), m.end(), int(m.group(1))) for m in _YEAR.finditer(text)]


def year_between(spans: list[tuple[int, int, int]], start: int, end: int) -> int | None:
    """`last_year(text[start:end])` from the line's `year_spans`, where `start` begins a sentence
    (no year runs across a 。) and `end` begins a number or a zero statement (no year runs
    across it either): the years of the slice are the line's years within it."""
    spoken = None
    for first, last, year in spans:
        if last > end:
            break
        if first >= start:
            spoken = year
    return spoken


# ---------------------------------------------------------------- totals and parts


@dataclass(frozen=True)
class SumStatement:
    """ "主动公开政府信息32条，其中A 1条、B 2条…": a total and the parts listed after it."""

    total: Quantity
    parts: tuple[Quantity, ...]
    sums: tuple[Number, ...]  # running sums at the places the list may end (; and the end)
    closed: bool  # 包括 with nothing left out (no 等, no part dropped): the parts are all of it
    start: int  # span of the statement, for quoting
    end: int


_MARKER = re.compile(r"其中|包括|包含")
_NEW_STATEMENT = re.compile(
    r"新收|收到|受理|结转|办结|答复|办理|处(?<!不予处)(?<!其他处)理|复议|诉讼|起诉|主动公开"
)
_SKIP_LIST = re.compile(r"分别|各|平均|人均|每")
_OPEN_LIST = re.compile(r"等")


def _family(unit: str) -> str:
    return "count" if unit in COUNT_UNITS else unit


def sum_statements(text: str) -> list[SumStatement]:
    if "其中" not in text and "包括" not in text and "包含" not in text:
        return []  # no _MARKER (tested before the numbers: most lines list no parts)
    key = wording(text)
    read = _SUMS.get(key)
    if read is None:
        read = _sum_statements(key)
        if len(_SUMS) >= WORDINGS_KEPT:
            _SUMS.clear()
        _SUMS[key] = read
    return [_restated(text, s) for s in read]


_SUMS: dict[str, list[SumStatement]] = {}


def _restated(text: str, statement: SumStatement) -> SumStatement:
    """A statement read from the line's wording, with the line's own values."""
    total = requantity(text, statement.total)
    parts = tuple(requantity(text, q) for q in statement.parts)
    sums = tuple(_running_sums(text, parts, statement.end))
    return SumStatement(total, parts, sums, statement.closed, statement.start, statement.end)


def _sum_statements(text: str) -> list[SumStatement]:
    qs = quantities(text)
    if len(qs) < 2:
        return []
    lay = Layout(text)
    counted = [q for q in qs if not lay.aside(q.start) and not _is_delta(text, lay, q)]
    markers = [m for m in _MARKER.finditer(text) if not lay.aside(m.start())]
    out = []
    for i, m in enumerate(markers):
        stop = min(lay.sentence_end(m.end()), markers[i + 1].start() if i + 1 < len(markers) else len(text))
        found = _statement(text, lay, qs, counted, m, stop)
        if found is not None:
            out.append(found)
    return out


def _is_delta(text: str, lay: Layout, q: Quantity) -> bool:
    return bool(DELTA.search(text[lay.clause_start(q.start) : q.start]))


def _total_before(text: str, lay: Layout, counted: list[Quantity], marker: re.Match) -> Quantity | None:
    start = lay.sentence_start(marker.start())
    before = [q for q in counted if start <= q.start < marker.start()]
    if not before and marker.group() == "其中" and not text[start : marker.start()].strip() and start > 0:
        prev = lay.sentence_start(start - 1)
        before = [q for q in counted if prev <= q.start < start]
    return before[-1] if before else None


def _statement(text, lay, qs, counted, marker, stop) -> SumStatement | None:
    total = _total_before(text, lay, counted, marker)
    if total is None:
        return None
    region = text[marker.end() : stop]
    if _SKIP_LIST.search(region):
        return None
    family = _family(total.unit)
    parts: list[Quantity] = []
    cut = False
    for q in counted:
        if not marker.end() <= q.start < stop:
            continue
        # a unit of another kind (新开设专栏6个) or a new statement (…，上年结转1件) ends the list
        new_statement = parts and _NEW_STATEMENT.search(text, lay.clause_start(q.start), q.start)
        if _family(q.unit) != family or new_statement:
            cut = True
            break
        parts.append(q)
    if not parts or total.approx or any(q.approx for q in qs if marker.end() <= q.start < stop):
        return None
    sums = _running_sums(text, parts, stop)
    closed = marker.group() != "其中" and not cut and not _OPEN_LIST.search(region)
    return SumStatement(total, tuple(parts), tuple(sums), closed, total.start, stop)


def _running_sums(text: str, parts: list[Quantity] | tuple[Quantity, ...], stop: int) -> list[Number]:
    """The sum of the parts at each ';' between them and at the end: a list may end at a
    ';' (其中发布原创微博11条，转发微博109条；收到微博投诉12条)."""
    sums: list[Number] = []
    running: Number = 0
    for i, q in enumerate(parts):
        running += q.value
        following = parts[i + 1].start if i + 1 < len(parts) else stop
        if i + 1 == len(parts) or ";" in text[q.end : following]:
            sums.append(running)
    return sums
