"""Pinyin ruby glosses: recognise and strip them.

Crawled traditional-character pages annotate some characters with their reading, as in
`區(qū)` or toneless `文(wen)`. A gloss is only removed when its inner text is made of legal
Mandarin syllables, so Latin text in parentheses (`(APP)`, `(PDF)`, `(ICP)`) survives.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Every legal Mandarin syllable without tone marks, one initial per row; ü is written ü.
# Interjection-only forms (ê, m, n, ng, hm, hng) are left out: they never gloss report text.
_SYLLABLE_ROWS = """
a ai an ang ao e ei en eng er o ou
yi ya yo ye yao you yan yin yang ying yong yu yue yuan yun
wu wa wo wai wei wan wen wang weng
ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
fa fan fang fei fen feng fo fou fu
da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo
ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nü nüe
la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lü lüe
ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo
sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo
ra ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo
ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo
sa sai san sang sao se sen seng si song sou su suan sui sun suo
"""

SYLLABLES: frozenset[str] = frozenset(_SYLLABLE_ROWS.split())

# lüe/nüe are often typed without the diaeresis; no other syllable is spelled that way.
_ALIASES = frozenset({"lue", "nue"})

_TONE_MARKS = frozenset("\u0300\u0301\u0304\u030c")  # grave, acute, macron, caron
_MAX_SYLLABLE = max(len(s) for s in SYLLABLES)
_MAX_GLOSS_SYLLABLES = 4

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Candidates only; is_pinyin_gloss decides. The pattern starts at the parenthesis and looks
# back for the CJK character from there: Chinese text is almost all CJK characters, so a
# pattern starting with them would be tried at nearly every position.
# Combining marks cover decomposed tone marks.
_INNER = r"([a-zA-Z\u00c0-\u024f\u0300-\u036f:'’]{1,30})[)）]"
# By the opening parentheses a text holds. With one kind only (normalised text has no
# full-width one) a literal first character lets the regex engine skip to it, ~10x faster.
# Each is compiled when first needed (~0.8 ms), most processes needing "(" only.
_GLOSS_SOURCES = {
    "(（": rf"[(（](?<=[{_CJK}][(（]){_INNER}",
    "(": rf"\((?<=[{_CJK}]\(){_INNER}",
    "（": rf"（(?<=[{_CJK}]（){_INNER}",
}


@lru_cache(maxsize=len(_GLOSS_SOURCES))
def _gloss(opens: str) -> re.Pattern[str]:
    return re.compile(_GLOSS_SOURCES[opens])


def _untone(gloss: str) -> tuple[str, int]:
    """Lower-case letters without tone marks (ü kept), and how many tone marks there were."""
    decomposed = unicodedata.normalize("NFD", gloss)
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    bare = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    bare = unicodedata.normalize("NFC", bare).replace("u:", "ü").replace("v", "ü")
    return bare, tones


def _syllable(piece: str) -> bool:
    return piece in SYLLABLES or piece in _ALIASES


def _segments(bare: str) -> int | None:
    """Fewest syllables that spell `bare` exactly (apostrophes split), or None."""
    best: list[int | None] = [0] + [None] * len(bare)
    for end in range(1, len(bare) + 1):
        for start in range(max(0, end - _MAX_SYLLABLE), end):
            prev = best[start]
            if prev is None or not _syllable(bare[start:end]):
                continue
            if best[end] is None or prev + 1 < best[end]:
                best[end] = prev + 1
    return best[-1]


@lru_cache(maxsize=4096)
def is_pinyin_gloss(gloss: str) -> bool:
    """True when `gloss` reads as pinyin: one syllable, or a few tone-marked ones.

    Upper case is refused (`(AN)`, `(HE)` are abbreviations, not readings), and so is a
    toneless single vowel (`(a)`, `(e)` are list markers far more often than readings).
    Several toneless syllables are refused too: `(china)` or `(hebei)` are words.
    """
    if gloss != gloss.lower():
        return False
    bare, tones = _untone(gloss)
    parts = [p for p in re.split(r"['’]", bare) if p]
    if not parts:
        return False
    if len(parts) == 1 and _syllable(parts[0]):
        return tones > 0 or len(parts[0]) > 1
    if tones == 0:
        return False
    count = sum(_segments(p) or 99 for p in parts)
    return count <= _MAX_GLOSS_SYLLABLES and tones <= count


def _drop_gloss(match: re.Match[str]) -> str:
    return "" if is_pinyin_gloss(match.group(1)) else match.group(0)


def strip_pinyin(text: str) -> str:
    """Remove pinyin glosses written right after a CJK character: 區(qū) -> 區, 文(wen) -> 文."""
    ascii_open, wide_open = "(" in text, "（" in text
    if not ascii_open and not wide_open:
        return text
    pattern = _gloss("(（" if ascii_open and wide_open else "(" if ascii_open else "（")
    found = pattern.findall(text)
    if not found:
        return text
    if all(map(is_pinyin_gloss, set(found))):  # a glossed page: every candidate goes
        return pattern.sub("", text)  # no call per match
    return pattern.sub(_drop_gloss, text)
