"""Front-matter rules (family "completeness"): the citation of the format document (XG206),
the statistics period (XG207), and title, agency and year agreeing with each other (XG208).

They read the opening of the report, before section 一, where the title, the statement
"现将…年度报告公布如下" and the legal basis stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..extract.meta import is_agency_name
from ..model import INFO, WARNING, Finding, Report, TextLine
from .outline import looks_complete, present_sections, signature
from .registry import Context, rule
from .text import (
    Joined,
    compact,
    finding,
    has_source_lines,
    joined_prose,
    line_no,
    prose_lines,
    report_lines,
    where_of,
)

# Front-matter statements (citation, statistics period) stand in the first pages; looking no
# further keeps a 20 MB paste from costing seconds.
FRONT_CHARS = 60_000


# ------------------------------------------------------------------ XG206

_CITATION = re.compile(
    r"(?P<prefix>(?:国办)?公开办?[函涵])(?P<open>〔?)(?P<year>2019|2021)(?P<close>〕?)(?P<num>60|30)(?P<hao>号?)(?!\d)"
)
_FORMAT_DOCS = {("2019", "60"): "国办公开办函〔2019〕60号", ("2021", "30"): "国办公开办函〔2021〕30号"}


def _citations(text: str) -> Iterator[re.Match]:
    """_CITATION.finditer(text), tried only just before a 函 or 涵: every match holds one,
    2 to 5 characters after its start (公开函 … 国办公开办函), and a scan of the pattern itself
    would stop at every 公 of 公开."""
    if "函" not in text and "涵" not in text:
        return  # most prose cites no document
    anchors = sorted(i for mark in "函涵" for i in _positions(text, mark))
    pos = 0  # where finditer would go on looking
    for anchor in anchors:
        for start in range(max(anchor - 5, pos), anchor - 1):
            m = _CITATION.match(text, start)
            if m:
                yield m
                pos = m.end()
                break


def _positions(text: str, mark: str) -> Iterator[int]:
    i = text.find(mark)
    while i >= 0:
        yield i
        i = text.find(mark, i + 1)


def _citation_problems(m: re.Match, year: int | None) -> list[str]:
    problems = []
    if m["prefix"] != "国办公开办函":
        problems.append(f"“{m['prefix']}”应为“国办公开办函”")
    if not (m["open"] and m["close"]):
        problems.append("年份的六角括号〔〕残缺")
    if not m["hao"]:
        problems.append("缺“号”字")
    if year is not None and m["year"] == "2021" and 2019 <= year <= 2020:
        problems.append(f"{year}年度报告应依据国办公开办函〔2019〕60号（〔2021〕30号 2021年9月才印发）")
    if year is not None and m["year"] == "2019" and year >= 2021:
        problems.append(f"{year}年度报告应依据国办公开办函〔2021〕30号（〔2019〕60号 的试行格式已被取代）")
    return problems


@rule("XG206", "format-citation", WARNING, "completeness", "引用的格式文件文号有误或残缺")
def format_citation(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：报告引用格式文件的文号。2021 年度起应引用“国办公开办函〔2021〕30号”，2019、2020 年度引用
    “国办公开办函〔2019〕60号”；引错年度的文件，或文号残缺、写错（“国办公开办函〔202130号”“国办公开函〔2021〕30号”
    缺“办”字），都报告。括号写成〔〕[]［］()【】均可。只看带“公开办函”一类机关代字的引用，不猜测其他文件。

    为什么重要：文号是报告编制依据的凭证，引错或写错说明报告未经认真校对，也可能是套用旧模板。
    用错的表格本身由 XG205 报告（错误）；本条只涉及正文中的引用，故为警告。

    示例：利辛县望疃镇2023年报告写作“国办公开办函〔202130号”。

    依据：国办公开办函〔2021〕30号；〔2019〕60号。"""
    year = report.meta.year
    if report.format is None:
        return
    joined = joined_prose(report, limit=FRONT_CHARS)
    for m in _citations(joined.text):
        correct = _FORMAT_DOCS.get((m["year"], m["num"]))
        problems = _citation_problems(m, year) if correct else []
        if not problems:
            continue
        line = joined.line_at(m.start())
        message = f"{line_no(line)}引用的格式文件文号“{m.group(0)}”有误：" + "；".join(problems)
        yield finding(
            "XG206", WARNING, message, f"请核对并改为“{_cited_for(year) or correct}”。", where_of(line)
        )


def _cited_for(year: int | None) -> str | None:
    """The format document a report on `year` should cite."""
    if year is None or year < 2019:
        return None
    return _FORMAT_DOCS[("2019", "60")] if year <= 2020 else _FORMAT_DOCS[("2021", "30")]


# ------------------------------------------------------------------ XG207

_PERIOD_LABEL = re.compile(r"(?:统计(?:期限|时限|时间|期间|区间|周期|时段|范围)|时间范围|数据时限|数据期限)")
_Y = r"(?:19|20)\d{2}"
_SEP = r"(?:至|到|-|—|~)+"
# Well-formed ways to write a period; only _DAYS can state something other than a whole year.
_DAYS = re.compile(
    rf"(?P<y1>{_Y})年(?P<m1>\d{{1,2}})月(?P<d1>\d{{1,2}})日起?{_SEP}(?:(?P<y2>{_Y})年)?(?P<m2>\d{{1,2}})月(?P<d2>\d{{1,2}})日"
)
_NUMERIC = re.compile(rf"(?P<y1>{_Y})[./-]0?1[./-]0?1{_SEP}(?:(?P<y2>{_Y})[./-])?12[./-]31")
_MONTHS = re.compile(rf"(?P<y1>{_Y})年0?1月份?{_SEP}(?:(?P<y2>{_Y})年)?12月")
_WHOLE_YEAR = re.compile(rf"(?P<y1>{_Y})年(?:度|全年)")  # counts only right after a label
# The same with characters lost: 2022年11日至1231日, 202511日到1231日.
# (?<!\d) comes after the year's first digit, so that the scan looks only at a 1 or a 2.
_LOOSE = re.compile(
    rf"(?P<y1>(?:1(?<!\d1)9|2(?<!\d2)0)\d{{2}})年?0?1月?0?1日?起?{_SEP}(?:{_Y}年?)?12月?31日?"
)


@dataclass
class _Period:
    text: str
    line: TextLine
    years: tuple[int, ...]
    full_year: bool
    garbled: bool
    labeled: bool
    start: int
    end: int


def _periods(report: Report) -> list[_Period]:
    joined = joined_prose(report, limit=FRONT_CHARS)
    found: list[_Period] = []
    for pattern in _possible_periods(joined.text):
        if pattern is _NUMERIC and not _numeric_end(joined.text):
            continue  # its scan is the dearest, and "31" alone (31568人) lets it through
        for m in pattern.finditer(joined.text):
            if any(p.start <= m.start() < p.end for p in found):
                continue
            if pattern is _WHOLE_YEAR and not _labeled(joined.text, m, 6):
                continue  # only a labelled 2024年度 is a period (most are not)
            period = _period(joined, m, pattern)
            if pattern is not _WHOLE_YEAR or period.labeled:
                found.append(period)
    # Outside the front matter only a labelled period is the report's statistics period.
    return [p for p in found if p.labeled or (p.line.section in (None, "1") and p.full_year)]


def _possible_periods(text: str) -> list[re.Pattern]:
    """The period patterns that may match `text`, in order, each tested first for what every
    match of it holds (most reports write one period, many none; a scan costs each pattern)."""
    out = []
    if "月" in text and "日" in text:
        out.append(_DAYS)
    late = "31" in text  # 12[./-]31, 12月?31
    if late:
        out.append(_NUMERIC)
    if "12月" in text:
        out.append(_MONTHS)
    if _PERIOD_LABEL.search(text):  # a whole year counts only right after a label
        out.append(_WHOLE_YEAR)
    if late:
        out.append(_LOOSE)
    return out


def _numeric_end(text: str) -> bool:
    """What every match of _NUMERIC ends with (12[./-]31)."""
    return "12.31" in text or "12/31" in text or "12-31" in text


def _labeled(text: str, m: re.Match, near: int) -> bool:
    return bool(_PERIOD_LABEL.search(text, max(0, m.start() - near), m.start()))


def _period(joined: Joined, m: re.Match, pattern: re.Pattern) -> _Period:
    groups = m.groupdict()
    years = tuple(int(groups[k]) for k in ("y1", "y2") if groups.get(k))
    full = pattern is not _DAYS or tuple(int(m[k]) for k in ("m1", "d1", "m2", "d2")) == (1, 1, 12, 31)
    labeled = _labeled(joined.text, m, 6 if pattern is _WHOLE_YEAR else 20)
    return _Period(
        m.group(0), joined.line_at(m.start()), years, full, pattern is _LOOSE, labeled, m.start(), m.end()
    )


@rule("XG207", "statistics-period", WARNING, "completeness", "统计期限缺失、年份不符或文字残缺")
def statistics_period(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：报告写明的统计期限（“本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止”）是否为
    报告年度的 1 月 1 日至 12 月 31 日；日期缺字（“2022年11日至1231日”“202511日到1231日”）或不是完整年度，报警告。
    全文完整却找不到统计期限的，只作提示（info）：格式文件没有强制写统计期限，但几乎所有报告都写。

    为什么重要：统计期限说明表中数字覆盖的时间；写成别的年份，读者无法确定数据属于哪一年，
    常见于套用上年报告后漏改年份。

    示例：海南省生态环境厅2022年报告写作“统计期限为2022年11日至1231日”。

    依据：《政府信息公开条例》第五十条（上一年度工作情况）；国办公开办函〔2021〕30号；
    四川 DB51/T 2660—2019 年度报告编制发布规范。"""
    year = report.meta.year
    if report.format is None:
        return
    periods = _periods(report)
    for p in periods:
        problem = _period_problem(p, year)
        if problem:
            message = f"{line_no(p.line)}统计期限“{p.text}”{problem}"
            yield finding("XG207", WARNING, message, f"请写作“{_period_text(year)}”。", where_of(p.line))
    if not periods and _judge_absence(report) and year:
        hint = f"建议在报告开头写明“本报告所列数据的{_period_text(year)}”。"
        yield finding("XG207", INFO, "报告未写明统计期限", hint)


def _judge_absence(report: Report) -> bool:
    # The front matter must be there (not a report rebuilt from JSON) and the text complete.
    return bool(report.spec) and has_source_lines(report) and looks_complete(report, present_sections(report))


def _period_text(year: int | None) -> str:
    y = year or "YYYY"
    return f"统计期限自{y}年1月1日起至{y}年12月31日止"


def _period_problem(p: _Period, year: int | None) -> str | None:
    other = [y for y in p.years if year is not None and y != year]
    if p.garbled:
        return "缺少“年”“月”“日”等字" + (f"，且年份与报告年度{year}年不符" if other else "")
    if other:
        return f"与报告年度{year}年不符"
    if not p.full_year:
        return "不是完整的自然年度（应为1月1日至12月31日）"
    return None


# ------------------------------------------------------------------ XG208

_TITLE_PARTS = re.compile(
    r"^(?P<pre>[^\d]*?)(?P<year>(?:19|20)\d{2})(?P<nian>年?)度?(?P<mid>[^\d]*?)(?:政府)?信息公开"
)
_STATEMENT = re.compile(
    r"(?:现将|现公布|现发布|现予公布|现向社会公布|特向社会公布|特此公布)[《<\"]?[\u4e00-\u9fff]{0,30}?"
    r"((?:19|20)\d{2})年度?(?:政府)?信息公开"
)
# 2023年，我局… / 2023年以来 / 2023年我镇…; not 2019年修订的《条例》.
_OPENING = re.compile(r"^(?:\(?[一二三四五六七八九十]{1,2}[)、])?((?:19|20)\d{2})年度?(?=,|以来|全年|我|本)")


def _agency_core(name: str) -> str:
    return re.sub(r"(?:办公室|办公厅)$", "", name.replace("人民政府", "政府"))


def _same_agency(a: str, b: str) -> bool:
    a, b = _agency_core(a), _agency_core(b)
    return a in b or b in a


def _title_line(report: Report, title: str, year: str) -> TextLine | None:
    for line in report_lines(report):
        text = compact(line.norm)
        if line.section is None and year in text and (text in title or title in text):
            return line
    return None


def _title_where(report: Report, title: str, year: str) -> dict | None:
    # Looked for only when the title has a problem (the line search reads every line).
    line = _title_line(report, title, year)
    return where_of(line) if line else None


def _year_evidence(report: Report) -> list[tuple[int, TextLine, str]]:
    """(year, line, words) where the text itself gives the report's year: 现将2023年…报告公布如下,
    and section 一 opening with 2023年，…"""
    out = []
    for line in (x for x in prose_lines(report) if x.section is None):
        out += [(int(m.group(1)), line, m.group(0)) for m in _STATEMENT.finditer(compact(line.norm))]
    for line in prose_lines(report, "1")[:3]:
        text = compact(line.norm)
        m = _OPENING.match(text)
        if m:
            out.append((int(m.group(1)), line, text[:20]))
    return out


@rule("XG208", "title-agency-year", WARNING, "completeness", "标题、机关、年度彼此不符，或标题不规范")
def title_agency_year(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：标题应为“××（机关）YYYY年政府信息公开工作年度报告”。报告：标题没有“年度”字样（如
    “政府信息公开工作报告”“政府信息公开报告”），年份后缺“年”字；标题年份与正文不符（标题写 2024 年，
    开头“现将2023年……报告公布如下”或总体情况首句“2023年，……”）；落款机关与标题机关不是同一机关。
    宁缺毋滥：只比较原文明确写出的内容，机关名称一方包含另一方（渝中区司法局／重庆市渝中区司法局，
    ××区人民政府／××区政府办公室）视为一致。统计期限的年份由 XG207 检查。

    为什么重要：标题、年度和机关是读者检索、上级汇总的依据；标题写错年度或落款是别的机关，
    通常是套用他人或上年报告未改干净。莆田市通报2009年年报时就批评过标题写成“工作报告”。

    示例：标题“××局2024年政府信息公开工作年度报告”，开头却写“现将××局2023年政府信息公开工作年度报告公布如下”。

    依据：《政府信息公开条例》第四十九条、第五十条；国办公开办函〔2021〕30号；莆田市2009年年报通报。"""
    title = compact(report.meta.title or "")
    parts = _TITLE_PARTS.match(title)
    if not parts:
        return
    if "年度" not in title:
        yield _title_finding(f"标题“{title}”缺少“年度报告”字样", _title_where(report, title, parts["year"]))
    elif not parts["nian"]:
        yield _title_finding(f"标题“{title}”年份后缺“年”字", _title_where(report, title, parts["year"]))
    yield from _year_conflict(report, int(parts["year"]))
    yield from _agency_conflict(report, parts["pre"] or parts["mid"])


def _title_finding(message: str, where) -> Finding:
    return finding("XG208", WARNING, message, "标题应写作“××（机关）YYYY年政府信息公开工作年度报告”。", where)


def _year_conflict(report: Report, year: int) -> Iterator[Finding]:
    for other, line, words in _year_evidence(report):
        if other != year:
            message = f"标题为{year}年度报告，{line_no(line)}却写的是{other}年（“{words}”）"
            yield finding(
                "XG208", WARNING, message, "请核对报告年度，统一标题和正文中的年份。", where_of(line)
            )
            return


def _agency_conflict(report: Report, named: str) -> Iterator[Finding]:
    sig = signature(report)
    if not named or not is_agency_name(named) or sig is None or sig[0] is None:
        return
    if not _same_agency(named, sig[0]):
        message = f"标题中的机关是“{named}”，落款却是“{sig[0]}”"
        yield finding("XG208", WARNING, message, "请核对报告机关：标题与落款应为同一机关。", where_of(sig[1]))
