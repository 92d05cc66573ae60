"""Extraction artifacts that are not report text: Word comments/bookmarks and website chrome."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from .pinyin import strip_pinyin
from .simplify import to_simplified

# --- Word export artifacts (one line at a time) -------------------------------------------

# Apache POI/Tika write a comment as "\tComment by AUTHOR: TEXT" after its paragraph, a
# bookmark as "[bookmark: NAME]" and an image's alt text as "[image: ALT]". Word's own
# copy/paste gives "Commented [AB1]: TEXT" (English UI) or "批注 [AB1]: TEXT" (Chinese UI).
_COMMENT_HEAD = re.compile(
    r"(?:\t| +)?(?<![A-Za-z])"
    r"(?:Comment(?:ed)? by [^:：\t\]]{1,60}?|Commented ?\[[^\]\t]{1,40}\]|批注 ?\[[^\]\t]{1,40}\])"
    r" ?[:：]"
)
_INLINE = re.compile(
    r"(?P<bookmark>\[bookmark: [^\]]*\])"
    r"|(?P<image>\[image: [^\]]*\])"
    r"|(?P<comment>\[(?:Comment(?:ed)?(?: by)? [^:：\]]{1,60}|批注[^:：\]]{0,40})[:：][^\]]*\])"
)
_HINTS = ("ookmark", "omment", "批注", "[image: ")
_ANY_HINT = re.compile("|".join(map(re.escape, _HINTS)))
# A character of each hint: testing for one character first spares the slower search for the
# whole hint in the texts that do not have it (most).
_HINT_KEYS = tuple(zip("km批[", _HINTS, strict=True))


def _has_hint(text: str) -> bool:
    return any(key in text and hint in text for key, hint in _HINT_KEYS)


def lines_with_artifacts(lines: list[str], text: str | None = None) -> list[int]:
    """Indices of the lines that may hold a Word artifact (a hint occurs in them), in order,
    from one scan of the joined text (`text`, when the caller has joined the lines by "\\n"):
    no hint holds a line break, so each is inside one line."""
    if text is None:
        text = "\n".join(lines)
    if not _has_hint(text):
        return []
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    found: list[int] = []
    for match in _ANY_HINT.finditer(text):
        i = bisect_right(starts, match.start()) - 1
        if not found or found[-1] != i:
            found.append(i)
    return found


def strip_word_artifacts(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Remove Word export artifacts from one line.

    Returns the clean line and the artifacts as (kind, text), kind being "comment",
    "bookmark" or "image". A trailing comment takes the rest of the line with it; the
    tab that the exporter put before it goes too, other whitespace is kept (it may
    separate table cells).
    """
    if _ANY_HINT.search(line) is None:  # the common line: one scan
        return line, []
    found: list[tuple[str, str]] = []

    def inline(match: re.Match[str]) -> str:
        found.append((match.lastgroup or "comment", match.group(0)))
        return ""

    clean = _INLINE.sub(inline, line)
    heads = list(_COMMENT_HEAD.finditer(clean))
    if heads:
        ends = [h.start() for h in heads[1:]] + [len(clean)]
        found += [("comment", clean[h.start() : end].strip()) for h, end in zip(heads, ends, strict=True)]
        clean = clean[: heads[0].start()]
    return clean, found


# --- Website chrome at the end of a crawled page -------------------------------------------

_PROSE_END = ("。", "；", ";", "！", "？", "，", ",")
_STRONG = re.compile(
    r"网站地图|网站标识码|ICP备|ICP证|公网安备|公安机关备案|版权所有|Copyright|©|AllRightsReserved"
    r"|技术支持[:：]|主办单位|承办单位|协办单位|^主办[:：]|^承办[:：]|维护单位|运维单位|运行维护"
    r"|扫一扫在手机|在手机上打开|手机扫码|打印本页|关闭窗口|返回顶部|回到顶部|浏览器|分辨率"
    r"|访问量|访问人次|您是第\d+位|^上一篇|^下一篇|网站纠错|我要纠错|网站声明|免责声明|隐私声明|隐私政策"
    r"|^无障碍|适老化|长者模式|^联系我们|^关于我们|^使用帮助|^网站导航|^友情链接|^相关链接"
    r"|字号[:：]?[【\[]?大|字体[:：]?[【\[]?大|^[【\[]?大[】\]]?[【\[]?中[】\]]?[【\[]?小[】\]]?$"
    r"|^分享到|收藏本页|设为首页|加入收藏"
)
_LINK = re.compile(r"(?:网站|政府网|门户|链接|客户端|公众号|微博|平台)$")
_LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(|\d+[、.])")
_WEAK = re.compile(
    r"^(?:地址|单位地址|通讯地址|电话|联系电话|咨询电话|传真|邮编|邮政编码|邮箱|电子邮箱|E-?mail|网址|热线|服务热线)[:：]"
    r"|^[【\[]?(?:打印|关闭|分享|收藏|返回)[】\]]?"
    r"|^(?:发布时间|发布日期|发布机构|来源|浏览次数|阅读次数|点击数|访问次数)[:：]"
    r"|^[|丨｜·•/\\>》\-—_=*#]+$"
)
_BLANK, _STRONG_LINE, _LINK_LINE, _WEAK_LINE = range(4)


def _chrome_key(line: str) -> str:
    key = unicodedata.normalize("NFKC", strip_pinyin(line))
    return "".join(to_simplified(key).split())


def _chrome_kind(line: str) -> int | None:
    """Class of one line near the end of a page; None when it reads as report text."""
    if not line or line.isspace():  # NFKC keeps a space a space: no key to compute
        return _BLANK
    return _short_line_kind(line) if len(line) <= _CACHED_LINE else _line_kind(line)


# A site repeats its navigation under every page: the kinds of short lines are kept.
_CACHED_LINE = 120


@lru_cache(maxsize=1 << 12)
def _short_line_kind(line: str) -> int | None:
    return _line_kind(line)


def _line_kind(line: str) -> int | None:
    key = _chrome_key(line)
    if not key:
        return _BLANK
    if key.endswith(_PROSE_END) or len(key) > 100:
        return None
    if _STRONG.search(key):
        return _STRONG_LINE
    if len(key) <= 16 and _LINK.search(key) and not _LIST_MARKER.match(key):
        return _LINK_LINE
    if len(key) <= 60 and _WEAK.search(key):
        return _WEAK_LINE
    return None


def site_chrome_start(lines: list[str]) -> int | None:
    """Index of the first line of website navigation trailing the document, or None.

    Only a run of chrome-like lines reaching the end counts, and it must hold a line that
    only a website prints (网站地图, ICP备…, 打印本页…) or at least two link-list lines
    (国务院部门网站, 其他网站…). Weak lines (电话:, 地址:) before the first such line stay with
    the report: a report may end with its own contact details.
    """
    kinds: list[int] = []
    for line in reversed(lines):
        kind = _chrome_kind(line)
        if kind is None:
            break
        kinds.append(kind)
    kinds.reverse()
    run_start = len(lines) - len(kinds)
    strong = kinds.count(_STRONG_LINE)
    links = kinds.count(_LINK_LINE)
    if strong == 0 and links < 2:
        return None
    first = next(i for i, k in enumerate(kinds) if k in (_STRONG_LINE, _LINK_LINE))
    return run_start + first
