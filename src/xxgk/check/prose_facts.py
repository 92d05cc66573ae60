"""What the numbers in report prose count: 本年新收, 上年结转, 复议, 行政处罚 … (see `facts`).

Builds on `prose_numbers.quantities`: the words before a number in its clause (or, for
"4件结转至下年度", after it) say what it counts; zero statements (未收到…申请, 没有…被申请
行政复议、提起行政诉讼) count as 0. Precision over recall: a number whose clause is ambiguous,
approximate, a change (比上年增加…), or about another year is not a fact.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from ..model import Number
from .prose_numbers import COUNT_UNITS, DELTA, Layout, Quantity, last_year, quantities


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

_REPLY = r"(?:的?(?:答复|回复))?"
_ACT_GAP = r"(?:\s*(?:\d{4}\s*年度?)?(?:本年度?)?(?:共|共计|累计)?(?:作出|办理|实施)?的?(?:处理)?(?:决定)?书?(?:案件)?(?:数量|数)?(?:为|共|共计|达)?)"
_DOC_TAIL = r"(?:了)?(?:件数)?"
# Keyword -> kind, longest phrases first (a regex alternation takes the first that fits).
# "none" consumes phrases that contain a keyword but state something else.
# Every phrase starts with a plain character (a leading option or choice is spelt out): then
# the scan tries only the positions holding one of those characters (re's charset prefix),
# not every position, about twice as fast.
_KEYWORDS = [
    # 公开答复 alone (not 信息公开答复): granted or all replies, it does not say which
    ("none", "不予受理|未受理|不再处理|不予答复|答复率|办结率|受理平台|公(?<![请息务]公)开(?:答复|回复)"),
    ("granted_or_partial", r"予以公开(?:及|和|与|、)部分公开|公开(?:及|和)部分公开"),
    ("carried_forward", r"结转(?:至|到|入)?下一?年度?(?:继续)?(?:办理)?|转入下一?年度?(?:继续)?(?:办理)?"),
    ("carried_in", r"上一?年度?结转的?(?:申请)?|结转上一?年度?的?(?:申请)?(?:(?:继续)?办理)?"),
    ("received", r"新收到?|收到和处理|收到|受理|接收|接到"),
    ("handled", r"办结|办理完毕|办理答复|予以答复|答复|回复|办理|处理"),
    # "同意公开答复 9 件，部分公开答复 0 件": the outcome, not 已办结 (答复 is part of the outcome)
    ("granted", "|".join(f"{verb}公开{_REPLY}" for verb in ("予以", "同意", "准予"))),
    ("partial", r"部分公开" + _REPLY),
    ("withheld", r"不予公开" + _REPLY),
    ("unavailable", r"无法提供" + _REPLY),
    ("declined", r"不予处理" + _REPLY),
    ("other_handling", r"其他处理" + _REPLY),
    ("litigation_direct", r"未经复议直接(?:提起)?(?:行政)?(?:诉讼|起诉)|直接(?:提起)?(?:行政)?(?:诉讼|起诉)"),
    ("litigation_after", r"复议后(?:提起)?(?:行政)?(?:诉讼|起诉)"),
    ("reconsideration", r"行政复议|复议"),
    ("litigation", r"行政诉讼|诉讼|被起诉|起诉"),
    ("licensing", r"行政许可" + _ACT_GAP),
    ("penalty", r"行政处罚" + _ACT_GAP),
    ("coercion", r"行政强制(?:措施)?" + _ACT_GAP),
    ("fee", r"行政事业性收费(?:金额)?(?:为|共)?"),
    ("processing_fee", r"政府信息处理费(?:共|合计)?|信息处理费(?:共|合计)?"),
    ("published", r"主动公开(?:政府)?信息(?:共|共计)?"),
    (
        "doc_issued",
        "|".join(
            f"{new}{verb}{_DOC_TAIL}"
            for new in ("新", "")
            for verb in ("制发", "制定", "出台", "印发", "制作")
        ),
    ),
    ("doc_repealed", r"废止" + _DOC_TAIL),
    ("doc_in_force", r"现行有效(?:的)?(?:件数)?"),
]


def _phrases(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    out, depth, start = [], 0, 0
    for i, char in enumerate(pattern):
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    return [*out, pattern[start:]]


# One group per phrase, after its first character (a group first would hide the prefix).
_KW_PHRASES = [
    (f"k{i}_{j}", kind, phrase)
    for i, (kind, pattern) in enumerate(_KEYWORDS)
    for j, phrase in enumerate(_phrases(pattern))
]
_KW = re.compile("|".join(f"{phrase[0]}(?P<{name}>{phrase[1:]})" for name, _, phrase in _KW_PHRASES))
_KW_KIND = {name: kind for name, kind, _ in _KW_PHRASES}
_CARRY_AFTER = re.compile(r"^(?:申请)?[^,;。]{0,12}?(?:结转|转入|顺延)(?:至|到|入)?下一?年度?")
_DOC_AFTER = re.compile(r"^(?:行政)?(规章|规范性文件)")
_DOC_TOPIC = re.compile(r"规章|规范性文件")
_REVIEWED = re.compile(r"清理|梳理|评估|排查|核查|审查")
_DOC_GAP_WORDS = re.compile(r"(?:行政)?(?:规章|规范性文件)|件数|共计?|为|了|\s")

APPLICATION = frozenset({"received", "carried_in", "handled", "carried_forward"})
OUTCOMES = frozenset(
    {"granted", "partial", "granted_or_partial", "withheld", "unavailable", "declined", "other_handling"}
)
REVIEWS = frozenset({"reconsideration", "litigation", "litigation_direct", "litigation_after"})
# Words that say the number counts something other than disclosure applications.
_OTHER_OBJECTS = re.compile(
    r"建议|提案|议案|信箱|热线|来电|留言|咨询|投诉|信访|诉求|舆情|微博|短信|申请人|补正|材料"
)
# An outcome named between 办结/收到 and the number: "办结申请中部分公开 0 件" counts that outcome.
_OUTCOME_WORDS = re.compile(r"同意|予以|准予|部分|不予|无法|其他|全部")
_OUTCOME_GAP = re.compile(r'^["\'\s]*(?:的)?(?:申请)?(?:共|为|计)?["\'\s]*$')
_REVIEW_GAP = re.compile(r"^\s*(?:案件|案|申请|办件|事项)?(?:共|共计|为|达)?\s*$")
# The agency as 复议机关 (cases it decided), not as the respondent.
_AS_REVIEWER = re.compile(r"(?:办理|审理|受理|办结|承办|作出)[了的]?(?:各类)?(?:行政)?复议")
_REVIEW_TOPIC = re.compile(r"复议|诉讼|起诉")
_DISCLOSURE = re.compile(r"(?:信息|依申请)公开")
_APPLICATION_UNITS = frozenset("件条项个")


def _classify(text: str, lay: Layout, q: Quantity, window: str) -> tuple[str, str] | None:
    last = None
    for last in _KW.finditer(window):  # noqa: B007 - the last keyword before the number counts
        pass
    if last is None:
        return _number_first(text, lay, q)
    kind = _KW_KIND[last.lastgroup]
    if kind == "none":
        return None
    words = _Words(text, lay, q, last.group(), window, window[last.end() :])
    ok = _CHECKS.get(kind, _document_kind)(words, kind)
    if ok is True:
        return kind, words.keyword
    return ok or None


def _number_first(text: str, lay: Layout, q: Quantity) -> tuple[str, str] | None:
    """4件结转至下年度继续办理 / 72件申请…顺延到下年度答复: the number before its description."""
    post = text[q.end : lay.clause_end(q.end) + 1]
    m = _CARRY_AFTER.match(post)
    if m and q.unit in _APPLICATION_UNITS:
        return "carried_forward", m.group()
    return None


class _Words:
    """A quantity and the words around it, as the checks below look at them (made for most
    quantities: a plain class, its sentence and post sliced once, when a check asks)."""

    __slots__ = ("text", "lay", "q", "keyword", "window", "gap", "_sentence")

    def __init__(self, text: str, lay: Layout, q: Quantity, keyword: str, window: str, gap: str):
        self.text = text
        self.lay = lay
        self.q = q
        self.keyword = keyword  # the last keyword before the number
        self.window = window  # the clause before the number
        self.gap = gap  # the words between keyword and number
        self._sentence: str | None = None

    @property
    def sentence(self) -> str:
        if self._sentence is None:
            self._sentence = self.text[self.lay.sentence_start(self.q.start) : self.q.start]
        return self._sentence

    @property
    def post(self) -> str:
        return self.text[self.q.end : self.lay.clause_end(self.q.end)]


def _application(w: _Words, kind: str) -> bool:
    """新收/上年结转/办结/结转下年度: counted in 件 (条/项/个), about applications (a gap names
    申请; without a gap the sentence does), and not about 建议/提案/信箱/投诉…"""
    if w.q.unit not in _APPLICATION_UNITS or _OTHER_OBJECTS.search(w.window + w.post):
        return False
    if w.gap.strip() and ("申请" not in w.gap or len(w.gap) > 20 or _OUTCOME_WORDS.search(w.gap)):
        return False
    if _REVIEW_TOPIC.search(w.sentence):  # 被申请行政复议2件，已办结1件: not applications
        return False
    return kind not in ("received", "handled") or "申请" in w.sentence


def _outcome(w: _Words, kind: str) -> bool:
    """予以公开/不予公开/无法提供…: the number right after the outcome, in a line about
    applications, not in a sentence about 主动公开."""
    if w.q.unit not in _APPLICATION_UNITS or _OTHER_OBJECTS.search(w.window + w.post):
        return False
    return bool(_OUTCOME_GAP.match(w.gap)) and "申请" in w.text[: w.q.start] and "主动公开" not in w.sentence


def _review(w: _Words, kind: str) -> bool:
    """被申请行政复议N件 / 行政诉讼N件, in a sentence that is not about 办理行政复议案件 (the
    agency as 复议机关: "全年办理行政复议案件18件，其中涉及政府信息公开的3件")."""
    if w.q.unit not in _APPLICATION_UNITS or not _REVIEW_GAP.match(w.gap):
        return False
    return not _AS_REVIEWER.search(w.sentence)


def _decisions(w: _Words, kind: str) -> bool:
    """行政许可/处罚/强制 (处理决定数量) N件: decisions are counted in 件/项; "公示公开76条
    (其中行政许可26条…" counts items published."""
    return not w.gap.strip() and w.q.unit in ("件", "项") and not w.lay.aside(w.q.start)


def _money(w: _Words, kind: str) -> bool:
    return not w.gap.strip() and w.q.unit in ("元", "万元")


def _published(w: _Words, kind: str) -> bool:
    return not w.gap.strip() and w.q.unit in COUNT_UNITS


def _document_kind(w: _Words, kind: str) -> tuple[str, str] | None:
    """制发/废止/现行有效 of 规章 or 规范性文件: the topic is in the clause or right after
    the number; only the table-like "制发件数2件，废止件数1件" takes it from earlier in the
    sentence ("共公开文件46件，其中失效4件，废止2件" does not say which documents)."""
    if w.q.unit not in COUNT_UNITS or _DOC_GAP_WORDS.sub("", w.gap):
        return None
    if kind == "doc_in_force" and _REVIEWED.search(w.window[: len(w.window) - len(w.gap) - len(w.keyword)]):
        return None  # 清理现行有效规范性文件120件: the documents reviewed, not those in force now
    topic = _DOC_TOPIC.findall(w.window)
    if not topic and w.keyword.endswith("件数"):
        topic = _DOC_TOPIC.findall(w.sentence)
    after = _DOC_AFTER.match(w.text[w.q.end : w.q.end + 8])
    name = after.group(1) if after else (topic[-1] if topic else None)
    if name is None:
        return None
    prefix = "reg" if name == "规章" else "norm"
    return f"{prefix}_{kind.split('_', 1)[1]}", w.keyword


_CHECKS = {
    **dict.fromkeys(APPLICATION, _application),
    **dict.fromkeys(OUTCOMES, _outcome),
    **dict.fromkeys(REVIEWS, _review),
    **dict.fromkeys(("licensing", "penalty", "coercion"), _decisions),
    **dict.fromkeys(("fee", "processing_fee"), _money),
    "published": _published,
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
    if year is None:
        return True
    spoken = last_year(text[lay.sentence_start(pos) : pos])
    return spoken in (None, year) or (kind == "carried_forward" and spoken == year + 1)


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
    # A number counts something only after a keyword (a keyword inside a window is one in the
    # line), before 结转/转入/顺延 (_CARRY_AFTER), or in a zero statement (未/无/没有, or
    # 不收取…费用): most lines of a report have none of these, and their numbers are not read.
    if not (
        negation or "费" in text or "结转" in text or "转入" in text or "顺延" in text or _KW.search(text)
    ):
        return []
    qs = quantities(text)
    if not qs and not negation:
        return []
    lay = Layout(text)
    out: list[Fact] = []
    prev_end = 0
    delta = DELTA.search(text) is not None  # else no window holds one (DELTA: words only)
    for q in qs:
        wstart = lay.clause_start(q.start)
        if wstart < prev_end:
            wstart = prev_end
        prev_end = q.end
        if q.approx:
            continue
        window = text[wstart : q.start]
        if delta and DELTA.search(window):
            continue
        found = _classify(text, lay, q, window)
        if found is None:
            continue
        kind, keyword = found
        if kind in REVIEWS and not (review_section or _DISCLOSURE.search(text[: lay.sentence_end(q.start)])):
            continue
        if _current(text, lay, q.start, kind, window, year):
            out.append(_new_tuple(Fact, (kind, q.value, q.unit, q.start, q.end, keyword, False)))
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
    """The sentence of ``fact`` states two parts whose sum is the cell ("现行有效规范性文件120件，
    新制发30件" against 现行有效 150): the number is a part of what the cell counts."""
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
