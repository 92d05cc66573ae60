"""What kind of count a number in report prose is, from the words around it (for `prose_facts`).

The last keyword before a number in its clause names the kind (本年新收, 上年结转, 复议, 行政处罚 …;
see `_KEYWORDS`); a check per kind then asks whether the words between keyword and number, the
unit and the sentence fit (`_classify`). For "4件结转至下年度" the words after the number tell.
"""

from __future__ import annotations

import re

from .prose_numbers import COUNT_UNITS, Layout, Quantity

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


def _classify(text: str, lay: Layout, q: Quantity, window: str, carry: bool = True) -> tuple[str, str] | None:
    """(kind, keyword) of quantity `q`, or None; `carry` False: the line holds no 结转/转入/顺延."""
    last = None
    for last in _KW.finditer(window):  # noqa: B007 - the last keyword before the number counts
        pass
    if last is None:
        return _number_first(text, lay, q) if carry else None
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
