"""The preamble: the prose between a report's title and section 一 (legal basis, statistics
period, where to ask).

Crawled pages put much else there: navigation, the page's metadata header, a second copy of
the title, a table of contents, a date. Rather than recognise every kind of junk, a line is
kept only when it reads as prose (a sentence, or a contact line) and is none of the known
kinds of junk; when unsure, it is left out. Only lines after the title are looked at: what
stands above a title is the website's, not the report's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .agency import CJK, is_agency_name
from .sections import match_heading
from .signature import compact_line
from .title import find_header, find_title

# More lines than this between title and section 一 are not a preamble (and a 20 MB paste with
# a heading at its end costs nothing here).
MAX_LINES = 200
MIN_CJK = 8  # fewer Chinese characters than this is a label, a link or a fragment
# At least MIN_CJK Chinese characters (one match, not a list of them all).
_ENOUGH_CJK = re.compile(f"(?:[^{CJK}]*[{CJK}]){{{MIN_CJK}}}")
_SENTENCE = re.compile(r"[。!?;]|[,:].*[,:。]")  # normalised (NFKC) punctuation
_SENTENCE_MARKS = ("。", "!", "?", ";")
_CONTACT = re.compile(
    r"^(?:单位地址|联系地址|通讯地址|办公地址|地址|联系电话|咨询电话|电话|传真|邮编|邮政编码|电子邮箱|邮箱|E-?mail)[:]",
    re.IGNORECASE,
)
CONTACT_MAX = 80
_METADATA = re.compile(
    r"(?:索引号|发布机构|发文机关|发文字号|文号|成文日期|发布日期|发布时间|更新时间|信息来源|来源|字号|字体"
    r"|点击|浏览|阅读|访问)(?:量|数|次数)?[:|]"
)
METADATA_SHORT = 60  # a metadata label anywhere in a line this short makes it a header line
_NAVIGATION = re.compile(
    r"当前位置|所在位置|您的位置|现在位置|首页[>›»]|[>›»]正文|今天是|欢迎访问|欢迎您|二维码|扫一扫|分享至|分享到"
    r"|打印本页|关闭窗口|设为首页|加入收藏|网站地图|【字体|\[字体"
)
# Words of a website's links that a preamble may also use (可登录…网站查阅): junk only in a short line.
_NAVIGATION_SHORT = re.compile(r"登录|注册|无障碍|长者模式|适老|IPv6", re.IGNORECASE)
NAVIGATION_SHORT = 30
_DATE_ONLY = re.compile(
    r"^[\[【(]?(?:19|20)\d{2}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?"
    r"(?:星期[一二三四五六日天])?(?:\d{1,2}:\d{2}(?::\d{2})?)?[\]】)]?$"
)
_SENTENCE_END = ("。", "！", "？", "!", "?")
_CONTENTS = re.compile(r"^目录$|…{2,}|\.{4,}|·{4,}")


Edges = dict[int, tuple[float, float]]  # page -> (left, right) edge of its text, in PDF points


@dataclass
class PreambleLine:
    text: str  # as in the source, stripped
    norm: str  # normalised
    where: dict[str, Any]


def find_preamble(lines: list[PreambleLine], title: str | None, edges: Edges | None = None) -> str:
    """The preamble among `lines` (the paragraphs after the title and before section 一, tables
    left out), one paragraph per line; "" when there is none. `edges`: the text's left and
    right edge per PDF page (`page_edges`), to join a paragraph's wrapped lines."""
    if len(lines) > MAX_LINES:
        return ""
    title_compact = compact_line(title or "")
    kept: list[str] = []
    for line in join_wrapped(lines, edges or {}):
        text = _without_title(line, title_compact)
        if text and is_prose(compact_line(line.norm), title_compact):
            kept.append(text)
    return "\n".join(kept)


def is_prose(c: str, title_compact: str = "") -> bool:
    """True when a compacted, normalised line before section 一 reads as report prose."""
    if not c or "|" in c or is_junk(c, title_compact):
        return False
    if _CONTACT.match(c):
        return len(c) <= CONTACT_MAX and c.endswith("。")
    return _ENOUGH_CJK.match(c) is not None and _is_sentence(c)


def _is_sentence(c: str) -> bool:
    """_SENTENCE.search(c): a sentence mark, or two commas/colons (the second may be 。). Its
    `.*` tried from each comma costs a pass over the rest of the line per comma."""
    if "\n" in c:  # `.` stops at a line break
        return _SENTENCE.search(c) is not None
    return any(mark in c for mark in _SENTENCE_MARKS) or c.count(",") + c.count(":") >= 2


def is_junk(c: str, title_compact: str = "") -> bool:
    """Navigation, page metadata, a title or a piece of one, a date, a table of contents."""
    if _NAVIGATION.search(c) or c.count(">") >= 2:
        return True
    if len(c) <= NAVIGATION_SHORT and _NAVIGATION_SHORT.search(c):
        return True
    metadata = _METADATA.search(c)
    if metadata and (metadata.start() == 0 or len(c) <= METADATA_SHORT):
        return True
    if find_header([c], 1) != (None, None):
        return True
    if (title_compact and c in title_compact) or find_title([c], 1) is not None or is_agency_name(c):
        return True
    return bool(_DATE_ONLY.match(c) or _CONTENTS.search(c) or match_heading(c) is not None)


def _without_title(line: PreambleLine, title_compact: str) -> str | None:
    """The line's text; a title glued in front of the prose (PDF text runs) is cut off, and
    a line that starts with the title but cannot be cut exactly is left out (None)."""
    text = line.text.strip()
    if not title_compact or not compact_line(line.norm).startswith(title_compact):
        return text
    if not compact_line(text).startswith(title_compact):
        return None  # the source differs from its normalised form (traditional script …)
    seen = 0
    for i, ch in enumerate(text):
        if seen == len(title_compact):
            return text[i:].strip()
        if not ch.isspace() and ch != "?":
            seen += 1
    return ""


# ---------------------------------------------------------------- PDF lines


def page_edges(wheres: list[dict[str, Any]]) -> Edges:
    """Left and right edge of the text on each page, from the boxes of its paragraphs."""
    edges: Edges = {}
    for where in wheres:
        page, bbox = where.get("page"), where.get("bbox")
        if page is None or not bbox:
            continue
        left, right = edges.get(page, (bbox[0], bbox[2]))
        edges[page] = (min(left, bbox[0]), max(right, bbox[2]))
    return edges


def join_wrapped(lines: list[PreambleLine], edges: Edges) -> list[PreambleLine]:
    """Join the visual lines of a PDF paragraph. A line starting at the left edge of the text
    continues the line above (a paragraph's first line is indented) when that one reaches the
    right edge or does not end a sentence (a long number wraps early). Lines without a page
    position are paragraphs already."""
    out: list[PreambleLine] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, line.where, edges):
            from ..read.layoutlines import is_wide  # PDF lines only: the layout code loads here

            glue = "" if is_wide(prev.text[-1]) or is_wide(line.text[0]) else " "
            # The box's right edge is the last visual line's: it decides whether the next continues.
            bbox = [*prev.where["bbox"][:2], *line.where["bbox"][2:]]
            joined = PreambleLine(
                prev.text + glue + line.text, prev.norm + line.norm, {**prev.where, "bbox": bbox}
            )
            out[-1] = joined
        else:
            out.append(line)
    return out


def _continues(prev: PreambleLine, cur: dict, edges: Edges) -> bool:
    page, before = cur.get("page"), prev.where
    if page is None or before.get("page") != page or page not in edges or not before.get("bbox"):
        return False
    left, right = edges[page]
    height = cur["bbox"][3] - cur["bbox"][1]
    if cur["bbox"][0] - left >= 0.5 * height:
        return False
    return right - before["bbox"][2] < 1.5 * height or not prev.text.rstrip().endswith(_SENTENCE_END)
