"""Report metadata (agency, year, title, publish date) and report-format detection.

Pure functions over normalised lines: line i of ``norm`` is ``normalize_text`` of line i of the
source, so the 1-based line numbers in ``MetaGuess.where`` point into the source as well.

Design rules:

* Never invent an agency. A name is returned only when the text states it in one of a few
  recognised places (title, page metadata header, closing signature, a prose statement such as
  ``现将<机关>2024年政府信息公开工作年度报告公布如下``, or a sentence of section 一 whose subject is
  the agency), and only when it looks like an agency name (ends in 局/委员会/人民政府/街道/… and is
  not a generic reference such as 我局 or 区司法局).
* Only a bounded head and tail of the document is scanned for title, header and signature, and
  every line is truncated before regex matching, so a 20 MB garbage file costs linear time.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

__all__ = ["MetaGuess", "extract_meta", "detect_format", "is_agency_name"]


@dataclass
class MetaGuess:
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    publish_date: str | None = None  # ISO yyyy-mm-dd
    # 1-based source lines, e.g. {"agency": {"line": 1, "via": "title"}}; "end_line" for titles
    # broken across lines.
    where: dict[str, dict] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Bounds (keep everything linear in the input size)

HEAD_MAX_LINES = 300  # lines scanned for title / page header
HEAD_MAX_CHARS = 30_000
PROSE_AFTER_SECTION = 40  # lines of section 一 scanned for prose statements and years
PROSE_MAX_CHARS = 60_000
LINE_CAP = 3_000  # characters of one line looked at for prose patterns
TITLE_LINE_MAX = 120  # a compacted line longer than this is not (part of) a title
TAIL_MAX_LINES = 60  # non-blank lines at the end scanned for a signature
SIGNATURE_LINE_MAX = 60

MIN_YEAR, MAX_YEAR = 2000, 2099

# --------------------------------------------------------------------------------------------
# Agency names

_CJK = r"\u3400-\u9fff"
_ALL_CJK = re.compile(rf"^[{_CJK}]+$")

# Typical endings of an agency name (checked at the end of a candidate).
_AGENCY_SUFFIX = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|人民政府|政府|街道办事处|办事处|管委会|管理委员会|中心|厅|院|署"
    r"|乡|镇|街道|苏木|分局|公署)$"
)
# Organ words that may follow a shorter name in the same agency name (利辛县望疃镇 -> …镇人民政府).
_ORGAN_TAIL = re.compile(r"^(?:人民政府|政府|办事处|街道办事处|办公室|办公厅|管委会|委员会)$")
# Party committees are not the authors of government disclosure reports.
_PARTY_COMMITTEE = re.compile(r"(?:[省市区县旗镇乡]|党|党工)委$")
# Place markers: a name with one of these has a proper (place) part.
_PLACE_MARK = re.compile(r"[省市区县镇乡旗盟州街村屯]|自治|国家|中国|中华|国务院")
# Words containing a place-marker character that are not places.
_NOT_PLACE = re.compile(r"城乡|城镇|乡镇|乡村|市场|社区|街道办事处")
# A level word in front of an organ with no proper name: 区司法局, 市统计局, 县人民政府办公室.
_LEVEL_PREFIX = re.compile(r"^(?:自治区|街道|[区市县省镇乡盟旗州])")
_PRONOUN_PREFIX = re.compile(r"^(?:我|该|此|贵|本(?:局|委|机关|单位|部门|镇|乡|街道|院|厅|办|中心|署))")
# Words that never occur in an agency name but occur in the prose around it.
_NOT_IN_NAME = re.compile(
    r"信息公开|政务公开|关于|印发|通知|报告|根据|要求|工作要点|年度|领导小组|门户|网站|平台|首页|下载|热线"
    r"|娱乐|博彩|彩票|赌|棋牌|百家乐|威廉希尔|老虎机|官网|注册|登录|浏览|无障碍|位置|当前|欢迎|访问|字体"
    r"|打印|关闭|分享|扫描|二维码|微信|微博|搜索|导航|主页|返回"
)


def is_agency_name(name: str) -> bool:
    """True when ``name`` (normalised, no spaces) looks like the name of an agency.

    Rejects generic references (我局, 本机关, 区司法局, 市人民政府办公室, 信息中心), text that is not
    a name (verbs, document titles) and spam injected by mirror sites.
    """
    if not 3 <= len(name) <= 30 or not _ALL_CJK.match(name):
        return False
    if not _AGENCY_SUFFIX.search(name) or _PARTY_COMMITTEE.search(name):
        return False
    if _NOT_IN_NAME.search(name) or _PRONOUN_PREFIX.match(name):
        return False
    m = _LEVEL_PREFIX.match(name)
    if m and not _PLACE_MARK.search(_NOT_PLACE.sub("", name[m.end() :])):
        return False
    # 信息中心, 司法局, 人民政府: an organ with no proper name
    return bool(_PLACE_MARK.search(_NOT_PLACE.sub("", name))) or len(name) > 5


# Tokens at which a name taken from running prose ends (the verb after the subject, etc.).
_PROSE_STOP = re.compile(
    r"按照|严格|认真|坚持|深入|贯彻|落实|围绕|积极|进一步|全面|持续|高度|始终|紧紧|紧扣|紧密|依法|依据|不断"
    r"|扎实|着力|聚焦|立足|结合|根据|坚决|切实|继续|全年|主动|加强|大力|努力|推进|推动|做好|抓好|完成|开展"
    r"|共计|累计|信息公开|政务公开|工作|领导|指导|要求|关于|印发|通知|报告|全力|高标准|以来|年度|今年|本年"
    r"|进行|实施|通过|利用|依托|发布|公开|收到|受理|办理|及时|准确|规范|秉持|秉承|牢固|树立|强化|优化|深化"
    r"|健全|完善|建立|召开|出台|制定|作为|负责|主管|认识|重视|以|在|是|的|对|为|把|与|由|按|均|已|及"
)
# Stop characters that also begin place names (于都县, 共青城市, 将乐县, 未央区, 无锡市): they end a
# name only when not at its start.
_SOFT_STOP = re.compile(r"[于共将未无]")
_NON_CJK = re.compile(rf"[^{_CJK}]")


def _name_from_prose(text: str) -> str | None:
    """The agency name at the start of ``text`` (a sentence whose subject is the agency), if any."""
    window = text[:40]
    m = _NON_CJK.search(window)
    if m:
        window = window[: m.start()]
    m = _PROSE_STOP.search(window)
    if m:
        window = window[: m.start()]
    m = _SOFT_STOP.search(window, 1)
    if m:
        window = window[: m.start()]
    window = window[:30]
    for end in range(len(window), 2, -1):
        cand = window[:end]
        if is_agency_name(cand):
            return cand
    return None


# --------------------------------------------------------------------------------------------
# Small helpers

_WS = re.compile(r"\s+")
_BLANKISH = re.compile(r"[\s?]+")


def _compact(line: str, cap: int = LINE_CAP) -> str:
    """Line without whitespace and without '?' runs (lost non-breaking spaces on mirrors)."""
    return _BLANKISH.sub("", line[:cap])


def _year_ok(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Section 一 heading

_SECTION_ONE = re.compile(r"^(?:一[、.,:]|第一部分)")


def _find_section_one(compacts: list[str]) -> int | None:
    for i, c in enumerate(compacts):
        if _SECTION_ONE.match(c) and len(c) <= 40:
            return i
    return None


# --------------------------------------------------------------------------------------------
# Title

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


@dataclass
class _Title:
    text: str
    year: int
    agency: str | None
    line: int  # 0-based
    end_line: int


def _match_title(text: str) -> tuple[str, int, str | None] | None:
    """(title, year, agency or None) when ``text`` (compacted) is a report title."""
    text = _FILE_EXT.sub("", _TITLE_TAGS.sub("", _TITLE_LABEL.sub("", text)))
    if not text or len(text) > TITLE_LINE_MAX:
        return None
    m = _TITLE.match(text) or _TITLE_YEAR_LAST.match(text)
    if not m:
        return None
    year = int(m["year"])
    if not _year_ok(year):
        return None
    pre, mid = m["pre"], m.groupdict().get("mid")
    agency = None
    if pre:
        if not is_agency_name(pre):
            return None
        agency = pre
    if mid:
        if not is_agency_name(mid):
            return None
        agency = agency or mid
    return text, year, agency


def _find_title(compacts: list[str], head_end: int) -> _Title | None:
    """The first report title in the head; one naming the agency is preferred."""
    nonblank = [i for i in range(head_end) if compacts[i] and len(compacts[i]) <= TITLE_LINE_MAX]
    single: dict[int, tuple[str, int, str | None]] = {}
    for i in nonblank:
        c = compacts[i]
        for piece in c.split("|") if "|" in c else [c]:
            hit = _match_title(piece)
            if hit:
                single[i] = hit
                break
    found: list[_Title] = []
    for k, i in enumerate(nonblank):
        if i in single:
            text, year, agency = single[i]
            if agency is None and k > 0 and i - nonblank[k - 1] <= 3:
                # 原州区司法局 / 2023年政府信息公开工作年度报告: the agency on the line above.
                prev = compacts[nonblank[k - 1]]
                if prev not in single and is_agency_name(prev):
                    found.append(_Title(prev + text, year, prev, nonblank[k - 1], i))
                    continue
            found.append(_Title(text, year, agency, i, i))
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
                hit = _match_title(joined)
                if hit:
                    found.append(_Title(hit[0], hit[1], hit[2], i, j))
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
_DATE_TIER = {"日期": 1, "时间": 1, "更新时间": 2, "更新日期": 2}


def _find_header(lines: list[str], head_end: int):
    agency = None  # (name, line)
    date = None  # (tier, iso, line)
    for i in range(head_end):
        line = lines[i][:LINE_CAP]
        if agency is None:
            for m in _HEADER_AGENCY.finditer(line):
                value = m.group(1)
                for cut in (_HEADER_STOP.search(value), _NON_CJK.search(value)):
                    if cut:
                        value = value[: cut.start()]
                if is_agency_name(value):
                    agency = (value, i)
                    break
        for m in _HEADER_DATE.finditer(line):
            tier = _DATE_TIER.get(m.group(1), 0)
            iso = _iso(int(m.group(2)), int(m.group(3)), int(m.group(4)))
            if iso and (date is None or tier < date[0]):
                date = (tier, iso, i)
    return agency, date


# --------------------------------------------------------------------------------------------
# Signature at the end (机关 line followed by a date line)

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_DATE_LINE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
_CN_DATE_LINE = re.compile(
    r"(?P<y>[〇零○O一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
    r"(?P<d>[一二三四五六七八九十]{1,3})日$"
)


def _cn_number(s: str) -> int | None:
    try:
        if "十" in s:
            tens, _, ones = s.partition("十")
            return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
        return _CN_DIGITS[s]
    except KeyError:
        return None


def _date_at_end(c: str) -> tuple[str, str] | None:
    """(iso date, text before the date) when compacted line ``c`` ends with a full date."""
    m = _DATE_LINE.search(c)
    if m:
        iso = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    else:
        m = _CN_DATE_LINE.search(c)
        if not m:
            return None
        month, day = _cn_number(m["m"]), _cn_number(m["d"])
        year = int("".join(str(_CN_DIGITS[ch]) for ch in m["y"]))
        iso = _iso(year, month, day) if month and day else None
    return (iso, c[: m.start()]) if iso else None


def _tail(norm: list[str]) -> list[tuple[int, str | None]]:
    """The last non-blank lines as (index, compacted text), text None for lines too long to matter."""
    out: list[tuple[int, str | None]] = []
    stop = max(-1, len(norm) - 1 - 50 * TAIL_MAX_LINES)  # do not walk through megabytes of blank lines
    for i in range(len(norm) - 1, stop, -1):
        line = norm[i]
        if len(line) > 4 * SIGNATURE_LINE_MAX:
            out.append((i, None))
        else:
            c = _compact(line)
            if not c:
                continue
            out.append((i, c if len(c) <= SIGNATURE_LINE_MAX else None))
        if len(out) >= TAIL_MAX_LINES:
            break
    out.reverse()
    return out


def _find_signature(norm: list[str]):
    """(agency, agency line, iso date, date line) of a closing signature, or None.

    A signature is an agency line followed by a date line (硚口区司法局 / 2025年1月10日), or both
    on one line; the last one in the tail of the document counts.
    """
    tail = _tail(norm)
    for k in range(len(tail) - 1, -1, -1):
        i, c = tail[k]
        hit = _date_at_end(c) if c else None
        if not hit:
            continue
        iso, before = hit
        if before:
            if is_agency_name(before):
                return before, i, iso, i
            continue
        if k > 0:
            j, prev = tail[k - 1]
            if prev and is_agency_name(prev):
                return prev, j, iso, i
    return None


# --------------------------------------------------------------------------------------------
# Prose statements and years

_STATEMENT = re.compile(
    r"(?:现将|现公布|现发布|现公开|现予以?公布|现予公开|现向社会公布|特向社会公布|现印发)[《<\"]?"
    rf"(?P<a>[{_CJK}]{{0,30}}?)(?P<y>(?:19|20)\d{{2}})年?度?(?:政府)?信息公开"
)
_BASED_ON = re.compile(
    rf"(?:根据|结合)(?P<y>(?:19|20)\d{{2}})年度?(?P<a>[{_CJK}]{{2,30}}?)(?P<gov>政府)?信息公开工作"
)
# "2024年,渝中区司法局深入贯彻…" at the start of a line (after an optional list marker).
_LINE_YEAR = re.compile(
    r"^(?:[(]?[一二三四五六七八九十\d]{1,2}[)、.]?)?(?P<y>(?:19|20)\d{2})年(?:度)?(?:以来)?[,:]?"
)
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_BOOK_TITLE = re.compile(r"《[^》]{0,120}》")
# Statistics period "2024年1月1日至…", also damaged "2022年11日至1231日", "202511日到1231日".
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})年?0?1月?0?1日起?[,、]?(?:至|到|—|-|~)")


def _statement_agency(m: re.Match) -> str | None:
    a = m.group("a")
    if a and is_agency_name(a):
        return a
    return None


def _based_on_agency(m: re.Match) -> str | None:
    a = m.group("a")
    if is_agency_name(a):
        return a
    if m.group("gov") and is_agency_name(a + "政府"):
        return a + "政府"
    return None


# --------------------------------------------------------------------------------------------
# extract_meta


def extract_meta(norm: list[str], first_section_line: int | None = None) -> MetaGuess:
    """Agency, year, title and publish date of a report.

    ``norm``: normalised lines (``normalize_text`` of each source line).
    ``first_section_line``: index into ``norm`` (0-based, as ``sections.Heading.line``) of the first
    section heading when the caller knows it; otherwise the first line starting with "一、" in the
    head of the document is used. Title and page header are looked for only above it.
    Line numbers in the result's ``where`` are 1-based source lines.
    """
    n = len(norm)
    # Bounded head: the first lines, at most HEAD_MAX_CHARS characters.
    head_limit = 0
    chars = 0
    while head_limit < min(n, HEAD_MAX_LINES) and chars < HEAD_MAX_CHARS:
        chars += min(len(norm[head_limit]), LINE_CAP)
        head_limit += 1

    compacts: dict[int, str] = {}

    def compact(i: int) -> str:
        if i not in compacts:
            compacts[i] = _compact(norm[i])
        return compacts[i]

    head_compacts = [compact(i) for i in range(head_limit)]

    if first_section_line is not None and 0 <= first_section_line < n:
        s1: int | None = first_section_line
    else:
        s1 = _find_section_one(head_compacts)
    head_end = min(s1, head_limit) if s1 is not None else head_limit

    # Prose region: the head and the start of section 一.
    prose_end = min(n, (s1 if s1 is not None else head_limit) + PROSE_AFTER_SECTION)
    prose_end = max(prose_end, head_end)
    chars = 0
    prose_lines: list[int] = []
    for i in range(prose_end):
        if chars >= PROSE_MAX_CHARS:
            break
        chars += min(len(norm[i]), LINE_CAP)
        prose_lines.append(i)

    guess = MetaGuess()
    where = guess.where

    # --- title and page header
    title = _find_title(head_compacts, head_end)
    header_agency, header_date = _find_header(norm, head_end)

    # --- closing signature (bounded tail)
    sig = _find_signature(norm)

    # --- prose: statements, "根据2023年<机关>信息公开工作", sentence subjects, years
    statement = None  # (agency or None, year, line)
    based_on = None
    subject = None
    line_year = None
    for i in prose_lines:
        c = compact(i)
        if not c:
            continue
        if statement is None or statement[0] is None:
            for m in _STATEMENT.finditer(c):
                y = int(m.group("y"))
                if not _year_ok(y):
                    continue
                a = _statement_agency(m)
                if statement is None or a:
                    statement = (a, y, i)
                if a:
                    break
        if based_on is None:
            for m in _BASED_ON.finditer(c):
                a = _based_on_agency(m)
                if a:
                    based_on = (a, i)
                    break
        m = _LINE_YEAR.match(c)
        if m:
            y = int(m.group("y"))
            if line_year is None and _year_ok(y):
                line_year = (y, i)
            if subject is None:
                a = _name_from_prose(c[m.end() :])
                if a:
                    subject = (a, i)
    # The first prose line of section 一 may name the agency without a year (绍兴市卫生健康委是…).
    if subject is None and s1 is not None:
        for i in range(s1 + 1, min(n, s1 + 4)):
            c = compact(i)
            if not c or (len(c) <= 40 and re.match(r"^[(]?[一二三四五六七八九十\d]{1,2}[)、.]", c)):
                continue
            a = _name_from_prose(c)
            if a:
                subject = (a, i)
            break

    # --- agency
    if title and title.agency:
        agency, line, via = title.agency, title.line, "title"
        if (
            header_agency
            and header_agency[0] != agency
            and header_agency[0].startswith(agency)
            and _ORGAN_TAIL.match(header_agency[0][len(agency) :])
        ):
            # 利辛县望疃镇 in the title, 利辛县望疃镇人民政府 as publisher: the official form.
            agency, line, via = header_agency[0], header_agency[1], "header"
        guess.agency = agency
        where["agency"] = {"line": line + 1, "via": via}
    else:
        for cand, via in (
            (header_agency, "header"),
            ((sig[0], sig[1]) if sig else None, "signature"),
            ((statement[0], statement[2]) if statement and statement[0] else None, "statement"),
            (based_on, "prose"),
            (subject, "prose"),
        ):
            if cand:
                guess.agency = cand[0]
                where["agency"] = {"line": cand[1] + 1, "via": via}
                break

    # --- title
    if title:
        guess.title = title.text
        where["title"] = {"line": title.line + 1}
        if title.end_line != title.line:
            where["title"]["end_line"] = title.end_line + 1

    # --- year: title, statistics period, the report's own statement, first year of section 一
    year = None
    if title:
        year = (title.year, title.line, "title")
    if year is None:
        for i in prose_lines:
            c = compact(i)
            m = _PERIOD.search(c) if c else None
            if m and _year_ok(int(m.group(1))):
                year = (int(m.group(1)), i, "period")
                break
    if year is None and statement:
        year = (statement[1], statement[2], "statement")
    if year is None and line_year:
        year = (line_year[0], line_year[1], "prose")
    if year is None and s1 is not None:
        for i in range(s1, min(n, s1 + PROSE_AFTER_SECTION)):
            c = _BOOK_TITLE.sub("", compact(i))
            m = _ANY_YEAR.search(c)
            if m and _year_ok(int(m.group(1))):
                year = (int(m.group(1)), i, "prose")
                break
    if year:
        guess.year = year[0]
        where["year"] = {"line": year[1] + 1, "via": year[2]}

    # --- publish date: page header, else the signature date
    if header_date:
        guess.publish_date = header_date[1]
        where["publish_date"] = {"line": header_date[2] + 1, "via": "header"}
    elif sig and (guess.year is None or int(sig[2][:4]) >= guess.year):
        guess.publish_date = sig[2]
        where["publish_date"] = {"line": sig[3] + 1, "via": "signature"}
    return guess


from .formatdetect import detect_format  # noqa: E402,F401  (re-exported: callers import it from here)
