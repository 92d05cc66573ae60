"""What the numbers in report prose count: 本年新收, 上年结转, 复议, 行政处罚 … (see `facts`).

Builds on `prose_numbers.quantities`: the words before a number in its clause (or, for
"4件结转至下年度", after it) say what it counts; zero statements (未收到…申请, 没有…被申请
行政复议、提起行政诉讼) count as 0. Precision over recall: a number whose clause is ambiguous,
approximate, a change (比上年增加…), or about another year is not a fact.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal
from typing import NamedTuple

from ..model import Number
from .prose_kinds import _DISCLOSURE, _KW, REVIEWS, _classify
from .prose_numbers import (
    DELTA,
    WORDINGS_KEPT,
    Layout,
    last_year,
    quantities,
    value_at,
    wording,
    year_between,
    year_spans,
)


class Fact(NamedTuple):
    """What a number in the prose counts (a named tuple: made for every quantity, fast)."""

    kind: str  # see KIND_NAMES
    value: Number
    unit: str
    start: int  # span of the evidence: the quantity, or the zero statement
    end: int
    keyword: str = ""  # the words that told what the number counts
    negation: bool = False  # a zero statement: 未收到…申请, 没有…行政复议

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


KIND_NAMES = {
    "received": "本年新收申请",
    "carried_in": "上年结转申请",
    "handled": "已办结（答复）申请",
    "carried_forward": "结转下年度继续办理",
    "granted": "予以公开",
    "partial": "部分公开",
    "granted_or_partial": "予以公开及部分公开",
    "withheld": "不予公开",
    "unavailable": "无法提供",
    "declined": "不予处理",
    "other_handling": "其他处理",
    "reconsideration": "行政复议",
    "litigation": "行政诉讼",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after": "复议后起诉",
    "licensing": "行政许可处理决定",
    "penalty": "行政处罚处理决定",
    "coercion": "行政强制处理决定",
    "fee": "行政事业性收费金额",
    "norm_issued": "行政规范性文件本年制发",
    "norm_repealed": "行政规范性文件本年废止",
    "norm_in_force": "行政规范性文件现行有效",
    "reg_issued": "规章本年制发",
    "reg_repealed": "规章本年废止",
    "reg_in_force": "规章现行有效",
    "processing_fee": "信息处理费",
    "published": "主动公开政府信息",
}

# Each lookbehind after the first character: then re scans by that character (see _KEYWORDS).
_PRIOR = re.compile(r"(?:上(?<!结转上)一?年度?|去(?<!结转去)年|前(?<!结转前)一年|同(?<!结转同)期)(?!度?结转)")
_APPLICANTS = r"(?:公民|自然人|法人|或者|或|和|及|其他组织|[、,])*"
_RECEIVED_NONE = re.compile(
    r"(?:未|没有|无)(?:收到|接到|受理)过?(?:和|及|并)?(?:处理|办理)?(?:任何)?" + _APPLICANTS + r"(?:提出)?的?"
    r"(?:(?:政府)?信息公开的?申请|依申请公开(?:政府信息|的?申请|事项|诉求)?"
    r"|(?:政府信息公开|信息公开)?申请(?:公开(?:相关)?政府信息)?)(?!人|表|书|材料|者)"
)
_REVIEW_NONE = re.compile(
    r"(?:未|没有|无)(?:发生|出现)?(?:因|关于|涉及)?(?:政府)?(?:信息公开|依申请公开|信息依申请公开)?"
    r"(?:工作|申请|事项)?(?:的|而)?被?(?:申请|提起|引起|引发|产生)?"
    r"(?P<rc>行政复议)?(?:[、,和及与或]{1,2}被?(?:提起|申请)?)?(?P<lt>行政诉讼)?"
    r"(?=(?:的)?(?:情况|案件|办件|事项|案|件)?(?:[,;。、)]|$|发生|情形))"
)
_NEGATION = re.compile(r"未|没有|无")
_FEE_NONE = re.compile(r"(?:未|没有|不|无)收取?(?:任何)?(?:政府)?(?:信息处理费|费用)")


_new_tuple = tuple.__new__  # a named tuple's own __new__ is Python code: a frame per fact


def _zero_facts(text: str, lay: Layout, review_section: bool) -> list[Fact]:
    out: list[Fact] = []
    for m in _RECEIVED_NONE.finditer(text) if "申请" in text else ():
        out.append(Fact("received", 0, "件", m.start(), m.end(), m.group(), True))
    for m in _REVIEW_NONE.finditer(text) if "行政" in text else ():
        if not (m["rc"] or m["lt"]):
            continue
        sentence = text[lay.sentence_start(m.start()) : lay.sentence_end(m.start())]
        if not (review_section or _DISCLOSURE.search(sentence)):
            continue
        if m["rc"]:
            out.append(Fact("reconsideration", 0, "件", m.start(), m.end(), m.group(), True))
        if m["lt"]:
            out.append(Fact("litigation", 0, "件", m.start(), m.end(), m.group(), True))
    for m in _FEE_NONE.finditer(text) if "费" in text else ():
        out.append(Fact("processing_fee", 0, "元", m.start(), m.end(), m.group(), True))
    return out


def _current(text: str, lay: Layout, pos: int, kind: str, window: str, year: int | None) -> bool:
    """False when the clause speaks of another year (上年收到…, 2023年…) than the report's."""
    if kind != "carried_in" and ("年" in window or "同期" in window) and _PRIOR.search(window):
        return False  # (every _PRIOR word holds 年 or is 同期)
    return year is None or _this_year(text, lay.sentence_start(pos), pos, kind, year)


def _this_year(text: str, sentence: int, pos: int, kind: str, year: int) -> bool:
    """False when the sentence before `pos` speaks of a year other than the report's."""
    return _of_year(last_year(text[sentence:pos]), kind, year)


def _of_year(spoken: int | None, kind: str, year: int) -> bool:
    return spoken in (None, year) or (kind == "carried_forward" and spoken == year + 1)


def _counted(text: str, lay: Layout, qs: tuple, year: int | None, review_section: bool) -> list[Fact]:
    """The facts the line's numbers state, in order (one loop: a line holds a few numbers, and
    each step here runs for every one of them)."""
    out: list[Fact] = []
    delims = lay.delims
    delta = DELTA.search(text) is not None  # else no window holds one (DELTA: words only)
    # _CARRY_AFTER (a number before its description) needs one of these after the number.
    carry = "结转" in text or "转入" in text or "顺延" in text
    prev_end = 0
    for q in qs:
        start = q.start
        i = bisect_left(delims, start)  # lay.clause_start, inline
        wstart = delims[i - 1] + 1 if i else 0
        if wstart < prev_end:
            wstart = prev_end
        prev_end = q.end
        if q.approx or q.unit == "次":  # no kind of fact is counted in 次
            continue
        window = text[wstart:start]
        if delta and DELTA.search(window):
            continue
        found = _classify(text, lay, q, window, carry)
        if found is None:
            continue
        kind, keyword = found
        if kind in REVIEWS and not (review_section or _DISCLOSURE.search(text[: lay.sentence_end(start)])):
            continue
        if _current(text, lay, start, kind, window, year):
            out.append(_new_tuple(Fact, (kind, q.value, q.unit, start, q.end, keyword, False)))
    return out


def facts(text: str, year: int | None = None, review_section: bool = False) -> list[Fact]:
    """The facts one normalised line states. `year` (the report's) drops statements about
    other years; `review_section` (section 四) makes 复议/诉讼 statements count without
    naming 政府信息公开."""
    negation = "未" in text or "无" in text or "没有" in text  # _NEGATION, at C speed
    if not (
        negation
        or "件" in text
        or "条" in text
        or "个" in text
        or "次" in text
        or "篇" in text
        or "项" in text
        or "元" in text
    ):
        return []  # no unit (prose_numbers._UNIT_CHAR), so no number; no zero statement
    # What a line states depends on its words, not on its digits (but for the years, the values
    # and a keyword holding digits): read once per wording, each digit 1-9 read as 0.
    key = (wording(text), review_section)
    read = _READ.get(key)
    if read is None:
        read = _read_wording(key[0], negation, review_section)
        if len(_READ) >= WORDINGS_KEPT:
            _READ.clear()
        _READ[key] = read
    if not read:
        return []
    found = _restated(text, read, year)
    return _line_facts(text, year, negation, review_section) if found is None else found


_READ: dict[tuple[str, bool], list[Fact]] = {}  # by wording (prose_numbers.wording)


def _restated(text: str, read: list[Fact], year: int | None) -> list[Fact] | None:
    """The facts `read` from the line's wording, with this line's values, of the report's
    year; None when a keyword holds a digit (行政处罚2023年度作出的…): the line is read itself."""
    out = []
    spans = year_spans(text) if year is not None else None
    for fact in read:
        start = fact.start
        if year is not None:
            sentence = _sentence_start(text, start)
            if spans is None:
                spoken = last_year(text[sentence:start])
            else:
                spoken = year_between(spans, sentence, start)
            if not _of_year(spoken, fact.kind, year):
                continue
        if fact.negation:  # a zero statement: no digit in it
            out.append(fact)
            continue
        if "0" in fact.keyword:
            return None
        value = value_at(text, start, fact.end, fact.unit)
        out.append(_new_tuple(Fact, (fact.kind, value, fact.unit, fact.start, fact.end, fact.keyword, False)))
    return out


def _sentence_start(text: str, pos: int) -> int:
    """Layout.sentence_start without the layout."""
    return max(text.rfind("。", 0, pos), text.rfind("!", 0, pos), text.rfind("?", 0, pos)) + 1


def _read_wording(text: str, negation: bool, review_section: bool) -> list[Fact]:
    # A number counts something only after a keyword (a keyword inside a window is one in the
    # line), before 结转/转入/顺延 (_CARRY_AFTER), or in a zero statement (未/无/没有, or
    # 不收取…费用): most lines of a report have none of these, and their numbers are not read.
    if not (
        negation or "费" in text or "结转" in text or "转入" in text or "顺延" in text or _KW.search(text)
    ):
        return []
    return _line_facts(text, None, negation, review_section)


def _line_facts(text: str, year: int | None, negation: bool, review_section: bool) -> list[Fact]:
    qs = quantities(text)
    if not qs and not negation:
        return []
    lay = Layout(text)
    out = _counted(text, lay, qs, year, review_section) if qs else []
    # Every zero statement starts with 未/没有/无, or 不 before 收取…费.
    said = _zero_facts(text, lay, review_section) if negation or ("不" in text and "费" in text) else ()
    zero = [f for f in said if _current(text, lay, f.start, f.kind, "", year)]
    if not zero:
        return out  # in order already: the quantities are
    return sorted(out + zero, key=lambda f: f.start)


def fact_value(fact: Fact) -> Number:
    """The stated value in the table's unit (a fee in 元 as 万元)."""
    if fact.kind == "fee" and fact.unit == "元":
        return Decimal(fact.value) / 10000
    return fact.value


# A stock and what was added to it: 现行有效 = the documents kept + those issued this year.
_ADDED_TO = {"norm_in_force": ("norm_issued",), "reg_in_force": ("reg_issued",)}


def stated_parts(text: str, fact: Fact, found: list[Fact], cell: Number) -> bool:
    """The sentence of ``fact`` (one of ``found``, the facts of its line) states two parts whose
    sum is the cell ("现行有效规范性文件120件，新制发30件" against 现行有效 150): the number is a
    part of what the cell counts."""
    if fact.kind not in _ADDED_TO and [other.kind for other in found].count(fact.kind) < 2:
        return False  # most facts: no other of their kind in the line, no part to add
    start, stop = text.rfind("。", 0, fact.start) + 1, text.find("。", fact.end)
    stop = len(text) if stop < 0 else stop
    return any(
        other is not fact
        and not other.negation
        and start <= other.start < stop
        and (other.kind == fact.kind or other.kind in _ADDED_TO.get(fact.kind, ()))
        and fact_value(fact) + fact_value(other) == cell
        for other in found
    )
