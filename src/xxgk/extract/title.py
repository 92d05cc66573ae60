"""The title of a report and the page metadata header of a crawled page (发布机构 | … |
发布日期 | …, 来源:… 发布时间:…), looked for in the head of the document only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .agency import NON_CJK, is_agency_name, plain_name
from .signature import LINE_CAP, iso_date, year_ok

TITLE_LINE_MAX = 120  # a compacted line longer than this is not (part of) a title

_TITLE = re.compile(
    r"^(?P<pre>[^\d]{0,40}?)(?P<year>(?:19|20)\d{2})(?:年度|年)?(?P<mid>[^\d]{0,40}?)"
    r"(?:政府)?信息公开(?:工作)?(?:年度报告|工作报告|报告|年报)$"
)
# "…政府信息公开工作年度报告(2024年)"
_TITLE_YEAR_LAST = re.compile(
    r"^(?P<pre>[^\d]{0,40}?)(?:政府)?信息公开(?:工作)?(?:年度报告|工作报告|报告|年报)"
    r"[(](?P<year>(?:19|20)\d{2})(?:年度|年)?[)]$"
)
_TITLE_TAGS = re.compile(r"^(?:【[^】]{0,12}】|\([^)]{0,8}\)|\[[^\]]{0,12}\]|〔[^〕]{0,12}〕)+")
_TITLE_LABEL = re.compile(r"^(?:标题|题目|名称|文章标题)[:]?")
_FILE_EXT = re.compile(r"\.(?:docx?|pdf|wps|html?|txt)$", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^.*[>›»]")  # 首页>政务公开>…: the page's path in front of the title


@dataclass
class _Title:
    text: str
    year: int
    agency: str | None
    line: int  # 0-based
    end_line: int
    named: str | None = None  # a name the title gives that is not recognised as an agency


@dataclass(frozen=True)
class TitleMatch:
    text: str
    year: int
    agency: str | None
    named: str | None = None  # see _Title.named


def match_title(text: str) -> TitleMatch | None:
    """The title, year and agency when ``text`` (compacted) is a report title. A name in the
    title that is not recognised as an agency (示例区第一司法站) still gives the year."""
    text = _TITLE_LABEL.sub("", _BREADCRUMB.sub("", text))
    text = _FILE_EXT.sub("", _TITLE_TAGS.sub("", text))
    if not text or len(text) > TITLE_LINE_MAX:
        return None
    m = _TITLE.match(text) or _TITLE_YEAR_LAST.match(text)
    if not m:
        return None
    year = int(m["year"])
    if not year_ok(year):
        return None
    parts = [p for p in (m["pre"], m.groupdict().get("mid")) if p]
    agencies = [p for p in parts if is_agency_name(p)]
    if len(agencies) == len(parts):
        return TitleMatch(text, year, agencies[0] if agencies else None)
    if len(parts) == 1 and plain_name(parts[0]):
        return TitleMatch(text, year, None, parts[0])
    return None


def find_title(compacts: list[str], head_end: int) -> _Title | None:
    """The first report title in the head; one naming the agency is preferred."""
    nonblank = [i for i in range(head_end) if compacts[i] and len(compacts[i]) <= TITLE_LINE_MAX]
    single: dict[int, TitleMatch] = {}
    for i in nonblank:
        c = compacts[i]
        for piece in c.split("|") if "|" in c else [c]:
            hit = match_title(piece)
            if hit:
                single[i] = hit
                break
    found: list[_Title] = []
    for k, i in enumerate(nonblank):
        if i in single:
            hit = single[i]
            if hit.agency is None and hit.named is None and k > 0 and i - nonblank[k - 1] <= 3:
                # 原州区司法局 / 2023年政府信息公开工作年度报告: the agency on the line above.
                prev = compacts[nonblank[k - 1]]
                if prev not in single and is_agency_name(prev):
                    found.append(_Title(prev + hit.text, hit.year, prev, nonblank[k - 1], i))
                    continue
            found.append(_Title(hit.text, hit.year, hit.agency, i, i, hit.named))
        else:
            # A title broken across two or three lines (硚口区司法局2024年政府 / 信息公开工作年度报告);
            # never glue a line in front of a line that is a title by itself.
            joined = compacts[i]
            for n in (1, 2):
                if k + n >= len(nonblank):
                    break
                j = nonblank[k + n]
                if j - nonblank[k + n - 1] > 3 or j in single:
                    break
                joined += compacts[j]
                hit = match_title(joined)
                if hit:
                    found.append(_Title(hit.text, hit.year, hit.agency, i, j, hit.named))
                    break
        if len(found) >= 4:
            break
    if not found:
        return None
    return next((t for t in found if t.agency), found[0])


# --------------------------------------------------------------------------------------------
# Page metadata header (发布机构 | … | 发布日期 | …, 来源:… 发布时间:…)

_HEADER_AGENCY = re.compile(
    r"(?:发布机构|发文机关|发文单位|发布单位|发布部门|信息来源|来源|所属机构)\s*[:|]\s*([^\s|:,;]{2,40})"
)
_HEADER_STOP = re.compile(r"发布|日期|时间|字号|字体|浏览|点击|作者|来源|索引")
_HEADER_DATE = re.compile(
    r"(?<!统计)(发布日期|发布时间|成文日期|发文日期|印发日期|公开日期|更新时间|更新日期|日期|时间)"
    r"\s*[:|]\s*[\[【(]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"
    r"(?!\s*日?\s*起?\s*(?:至|到|~))"  # not the start of a period "2024年1月1日至…"
)
# Every label of _HEADER_AGENCY holds one of these, every label of _HEADER_DATE 日期 or 时间:
# a line without them is not scanned (most lines; _HEADER_DATE is tried at every character).
_AGENCY_HINTS = ("发", "来源", "所属机构")
_DATE_TIER = {"日期": 1, "时间": 1, "更新时间": 2, "更新日期": 2}


def find_header(lines: list[str], head_end: int):
    agency = None  # (name, line)
    date = None  # (tier, iso, line)
    for i in range(head_end):
        line = lines[i][:LINE_CAP]
        if agency is None and any(hint in line for hint in _AGENCY_HINTS):
            for m in _HEADER_AGENCY.finditer(line):
                value = m.group(1)
                for cut in (_HEADER_STOP.search(value), NON_CJK.search(value)):
                    if cut:
                        value = value[: cut.start()]
                if is_agency_name(value):
                    agency = (value, i)
                    break
        for m in _HEADER_DATE.finditer(line) if "日期" in line or "时间" in line else ():
            tier = _DATE_TIER.get(m.group(1), 0)
            iso = iso_date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
            if iso and (date is None or tier < date[0]):
                date = (tier, iso, i)
    return agency, date
