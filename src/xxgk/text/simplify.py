"""Traditional -> simplified characters (OpenCC `t2s`) with a small post-map."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import compress, islice
from operator import ne

from .t2s_changes import CJK_RANGES as _CJK_RANGES  # noqa: F401  (tests read it here)
from .t2s_changes import changed_alone, cjk_chars, shipped_changes

# Fix-ups measured on the seeds and on naive (character by character) s2t/s2hk round trips
# of them. t2s keeps 著 everywhere because 显著/著名/著作 are simplified too, and keeps the
# HK variant 衞; a naive s2t turns 复议 into 覆議, which t2s leaves as 覆议.
_POST_PHRASES = {
    "衞": "卫",
    "衹": "只",
    "覆议": "复议",
    "覆核": "复核",
    "覆查": "复查",
}
# 著 reads zhe/zhuo (simplified 着) after these verbs and prepositions, or before 力/重/眼/
# 手/想/落/装/陆/实; never before 作/名/称/述/录 (著作, 著名) nor after 显/名/卓 (显著, 名著).
_ZHE_AFTER = re.compile(r"(?:意味|存在|围绕|伴随|[本随跟接朝向看沿带怀靠顺凭有])$")
_ZHE_BEFORE = re.compile(r"[力重眼手想落装陆实]")
_ZHE_NEVER_AFTER = frozenset("显名卓编原巨专论拙昭遗")
_ZHE_NEVER_BEFORE = frozenset("作名称述录")
_POST = re.compile("|".join([*map(re.escape, _POST_PHRASES), "著"]))
_POST_HINTS = tuple(sorted({phrase[0] for phrase in _POST_PHRASES} | {"著"}))
_SURROGATES = re.compile("[\ud800-\udfff]+")
_NOT_CJK = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Characters t2s keeps alone but changes inside a phrase (深沈 -> 深沉, 回覆 -> 回复): the
# phrase dictionary's, which OpenCC cannot be asked for (tests check them against its dump).
PHRASE_ONLY = "么俱哩坏彷沈甦瞭藉衹覆"
_ASTRAL = "\U00010000-\U0010ffff"


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _may_change() -> re.Pattern[str]:
    """The characters t2s may change: the BMP ones it changes (t2s_changes.py: shipped, or
    asked of OpenCC once) and PHRASE_ONLY, and every astral one. A text holding none of them is
    its own conversion: a dictionary entry whose value differs from its key has a character
    that differs, which is one of these. Most reports are simplified, and one regex scan costs
    a third of a conversion."""
    changed = shipped_changes()
    if changed is None:
        changed = changed_alone(_t2s().convert)
    if changed is None:  # a dictionary unlike the ones measured: always convert
        return re.compile(f"[{cjk_chars()}{_ASTRAL}]")
    # Astral characters as one range after the BMP ones: the class stays one bitmap test.
    return re.compile("[" + "".join(sorted(set(changed) | set(PHRASE_ONLY))) + _ASTRAL + "]")


def t2s_keeps(text: str) -> bool:
    """True when OpenCC t2s returns `text` unchanged (it need not be called)."""
    return _may_change().search(text) is None


def _zhe(text: str, at: int) -> bool:
    """Whether the 著 at `at` is the particle/verb 着 rather than 著 of 显著/著作."""
    after = text[at + 1 : at + 2]
    if after in _ZHE_NEVER_BEFORE:
        return False
    if _ZHE_AFTER.search(text, max(0, at - 2), at):
        return True
    before = text[at - 1 : at] if at else ""
    return bool(after) and _ZHE_BEFORE.match(after) is not None and before not in _ZHE_NEVER_AFTER


def _post(match: re.Match[str]) -> str:
    found = match.group(0)
    if found != "著":
        return _POST_PHRASES[found]
    return "着" if _zhe(match.string, match.start()) else found


def _convert(text: str) -> str:
    try:
        return _t2s().convert(text)
    except UnicodeEncodeError:
        # Lone surrogates (bytes decoded with surrogateescape) cannot cross into C++;
        # convert the pieces between them and keep the surrogates as they were.
        pieces = _SURROGATES.split(text)
        runs = _SURROGATES.findall(text) + [""]
        return "".join(_t2s().convert(p) + r for p, r in zip(pieces, runs, strict=True))


def to_simplified(text: str) -> str:
    """OpenCC t2s plus the post-map. Simplified text passes through unchanged."""
    return to_simplified_kept(text)[0]


def to_simplified_kept(text: str) -> tuple[str, bool]:
    """to_simplified(text), and whether t2s kept `text` as it was (t2s_keeps)."""
    if not text:
        return text, True
    kept = t2s_keeps(text)
    if not kept:
        text = _convert(text)
    if any(hint in text for hint in _POST_HINTS):
        text = _POST.sub(_post, text)
    return text, kept


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the CJK characters are traditional forms.

    Counted on CJK characters only (numbers and Latin do not dilute the ratio), so a short
    label like 結果維持 is recognised, while one stray 著 in a long simplified text is not.
    """
    # A pinyin gloss (區(qū)) is Latin letters in parentheses: taking the CJK characters drops
    # it as strip_pinyin would, so the sample is not scanned for glosses first.
    sample = text[:20000]
    if _may_change().search(sample) is None:  # no character t2s changes: simplified
        return False
    chars = _NOT_CJK.sub("", sample)  # a third of the cost of joining findall's characters
    if not chars:
        return False
    converted = _convert(chars)
    if converted == chars:  # simplified text, the common case
        return False
    needed = max(2, min(10, len(chars) // 50)) if len(chars) > 4 else 1
    # At least `needed` and 5% of the characters changed: whether the threshold-th changed
    # one exists, found without a Python step per character (most are changed well before).
    threshold = max(needed, math.ceil(len(chars) * 0.05))
    changed = compress(chars, map(ne, chars, converted))
    return next(islice(changed, threshold - 1, None), None) is not None
