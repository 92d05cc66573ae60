"""Year and date rules.

Family "dates": years named in the text (上年度/本年度/下年度, improvement plans) and the
publication date against the statutory deadline.

Also here, though of family "completeness" (codes XG206, XG207), the two front-matter rules
that compare a year written in the text with the report year: the citation of the format
document and the statistics period. They live beside the other year rules and the joined-text
scanner they share, which keeps completeness.py to the structure of the report.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import ERROR, INFO, WARNING, Finding, Report, TextLine
from .completeness import compact, finding, has_source_lines, line_no, looks_complete, present_sections
from .registry import Context, rule
from .text import prose_lines, report_lines, where_of

# ------------------------------------------------------------------ joined prose


@dataclass
class Joined:
    """Prose lines concatenated (compacted) so a pattern broken by a hard line wrap still
    matches; a newline separates sections so no match spans two of them."""

    text: str
    starts: list[int]
    lines: list[TextLine]

    def line_at(self, pos: int) -> TextLine:
        return self.lines[max(0, bisect_right(self.starts, pos) - 1)]


# Front-matter statements (citation, statistics period) stand in the first pages; looking no
# further keeps a 20 MB paste from costing seconds.
FRONT_CHARS = 60_000


def joined_prose(report: Report, section: str | None = None, limit: int | None = None) -> Joined:
    parts: list[str] = []
    starts: list[int] = []
    kept: list[TextLine] = []
    pos = 0
    for line in prose_lines(report, section):
        if limit is not None and pos >= limit:
            break
        text = compact(line.norm if limit is None else line.norm[:limit])
        if not text:
            continue
        if kept and kept[-1].section != line.section:
            parts.append("\n")
            pos += 1
        starts.append(pos)
        kept.append(line)
        parts.append(text)
        pos += len(text)
    return Joined("".join(parts), starts, kept)


# ------------------------------------------------------------------ XG206

_CITATION = re.compile(
    r"(?P<prefix>(?:国办)?公开办?[函涵])(?P<open>〔?)(?P<year>2019|2021)(?P<close>〕?)(?P<num>60|30)(?P<hao>号?)(?!\d)"
)
_FORMAT_DOCS = {("2019", "60"): "国办公开办函〔2019〕60号", ("2021", "30"): "国办公开办函〔2021〕30号"}


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
    for m in _CITATION.finditer(joined.text):
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
_LOOSE = re.compile(rf"(?<!\d)(?P<y1>{_Y})年?0?1月?0?1日?起?{_SEP}(?:{_Y}年?)?12月?31日?")


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
    for pattern in (_DAYS, _NUMERIC, _MONTHS, _WHOLE_YEAR, _LOOSE):
        for m in pattern.finditer(joined.text):
            if any(p.start <= m.start() < p.end for p in found):
                continue
            period = _period(joined, m, pattern)
            if pattern is not _WHOLE_YEAR or period.labeled:
                found.append(period)
    # Outside the front matter only a labelled period is the report's statistics period.
    return [p for p in found if p.labeled or (p.line.section in (None, "1") and p.full_year)]


def _period(joined: Joined, m: re.Match, pattern: re.Pattern) -> _Period:
    groups = m.groupdict()
    years = tuple(int(groups[k]) for k in ("y1", "y2") if groups.get(k))
    full = pattern is not _DAYS or tuple(int(m[k]) for k in ("m1", "d1", "m2", "d2")) == (1, 1, 12, 31)
    near = 6 if pattern is _WHOLE_YEAR else 20
    labeled = bool(_PERIOD_LABEL.search(joined.text, max(0, m.start() - near), m.start()))
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


# ------------------------------------------------------------------ XG401

# A relative year word followed at once by a year: 上年度（2024年）, 下一年度即2026年.
_MARKED = re.compile(
    r"(?P<marker>上一年度|上年度|上一年|上年|下一年度|下年度|下一年|明年|来年|本年度)"
    r"(?:即|为|是|\(|:)*(?P<year>(?:19|20)\d{2})年度?\)?"
)
_OFFSET = {"上": -1, "下": 1, "明": 1, "来": 1, "本": 0}
_KIND = {-1: "上年度", 1: "下年度", 0: "本年度"}
# A plan: 2021年将从以下方面进行改进 / 2025年，我局将重点…; the subject, if any, ends like an agency.
_PLAN = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})年度?,?"
    r"(?:[\u4e00-\u9fff]{0,8}?(?:局|委|办|镇|乡|街道|区|县|市|府|院|厅|中心|单位|机关|部门|们|处|所|站))?"
    r"将(?:从|重点|继续|进一步|着力|加强|围绕|坚持|不断|持续|做好|认真|切实|积极|全面|深入|大力|努力|扎实|严格"
    r"|推进|强化|提升|完善|健全|聚焦|加大|抓好)"
)
_QUOTING = re.compile(r"提出|指出|明确|要求|\"")
_SUBHEAD = re.compile(r"^(?:\(?[一二三四五六七八九十\d]{1,2}[)、.]|[一二三四五六七八九十]是)")
_LEADING_YEAR = re.compile(r"^((?:19|20)\d{2})年度?(?![\d月])")
_PROBLEM = re.compile(r"有待|不够|不足|欠缺|薄弱|存在")
_REMEDY = re.compile(r"针对|整改|采取|对照")


def _marked(report: Report, year: int) -> Iterator[Finding]:
    joined = joined_prose(report)
    for m in _MARKED.finditer(joined.text):
        offset = _OFFSET[m["marker"][0]]
        said = int(m["year"])
        if said != year + offset:
            line = joined.line_at(m.start())
            yield _finding(
                line,
                f"{line_no(line)}写“{m.group(0)}”，本报告为{year}年度报告，{_KIND[offset]}应为{year + offset}年",
            )


def _plans(report: Report, year: int) -> Iterator[Finding]:
    joined = joined_prose(report, "5")
    for m in _PLAN.finditer(joined.text):
        # 上年度报告提出“2024年将……” quotes last year's plan; it is not this year's.
        quoted = _QUOTING.search(joined.text, max(0, m.start() - 12), m.start())
        if int(m["year"]) <= year and not quoted:
            line = joined.line_at(m.start())
            yield _finding(
                line,
                f"{line_no(line)}写“{m.group(0)}”，但本报告为{year}年度报告，改进计划应针对下一年（{year + 1}年）",
            )


def _previous_part(report: Report, year: int) -> Iterator[Finding]:
    """Under a sub-heading about last year's problems (（一）上年度存在的问题及改进情况), a first
    line that states this year's problems (2024年我局……有待加强) names the wrong year."""
    lines = prose_lines(report, "5")
    for head, body in zip(lines, lines[1:], strict=False):
        title = compact(head.norm)
        if not _about_last_year(title):
            continue
        text = compact(body.norm)
        m = _LEADING_YEAR.match(text)
        if m and int(m.group(1)) != year - 1 and _PROBLEM.search(text) and not _REMEDY.search(text):
            yield _finding(
                body,
                f"{line_no(body)}在“{title[:20]}”下写的是{m.group(1)}年的问题，"
                f"本报告为{year}年度报告，上年度应为{year - 1}年",
            )


def _about_last_year(title: str) -> bool:
    """A short sub-heading of section 五 about last year only (not 本年度…及下年度…)."""
    return (
        len(title) <= 40
        and bool(_SUBHEAD.match(title))
        and "上年度" in title.replace("上一年度", "上年度")
        and "本年度" not in title
    )


def _finding(line: TextLine, message: str) -> Finding:
    hint = "请核对年份：上年度为报告年度的前一年，改进措施针对报告年度的下一年。"
    return finding("XG401", WARNING, message, hint, where_of(line))


@rule("XG401", "relative-year", WARNING, "dates", "“上年度”“本年度”“下年度”或改进计划的年份写错")
def relative_year(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：正文中“上年度”“本年度”“下年度（下一年、明年）”后紧跟的年份是否分别为报告年度的前一年、当年、
    后一年；第五部分的改进计划（“2021年将从以下方面进行改进”）是否写成了报告年度或更早的年份；
    “上年度存在的问题”小标题下第一句写的是否是上年度的问题（“2024年我局……有待加强”出现在2024年度报告的
    该小标题下即为写错）。只看紧挨着的年份，不猜测远处的年份指什么。

    为什么重要：年度报告第五部分要回顾上年度问题的整改、提出下一年的改进措施；年份写错说明报告是套用
    上年文本未改干净（内容雷同），也让读者无法判断措施针对哪一年。

    示例：广州市荔湾区冲口街道2021年度报告写“2021年将从以下方面进行改进”，应为2022年；
    硚口区司法局报告草稿中“上年度”一节写成2024年，审阅批注指出“此处上年度应指2023年”。

    依据：《政府信息公开条例》第五十条第（四）项（存在的主要问题及改进情况）；国办公开办函〔2021〕30号。"""
    year = report.meta.year
    if year is None:
        return
    yield from _marked(report, year)
    yield from _plans(report, year)
    yield from _previous_part(report, year)


# ------------------------------------------------------------------ XG402

# The government's own report (县级以上人民政府): 3/31. 乡镇人民政府 and 街道 are not named in
# Art. 49 and follow the department deadline in practice (spec §4.4).
_GOVERNMENT = re.compile(r"(?:省|市|县|区|州|旗|自治区)人民政府$")
# The government's general office publishes its own report, often together with the
# government's; it is given the government's deadline so as not to blame a common practice.
_GENERAL_OFFICE = re.compile(r"(?:省|市|县|区|州|旗|自治区)人民政府(?:办公室|办公厅)$")
_ANY_DATE = re.compile(r"((?:19|20)\d{2})(?:年|[-/.])(\d{1,2})(?:月|[-/.])(\d{1,2})")


def statutory_deadline(year: int, agency: str | None) -> tuple[dt.date, str]:
    """(deadline, basis) for publishing the report on `year`."""
    march, january = dt.date(year + 1, 3, 31), dt.date(year + 1, 1, 31)
    if year <= 2018:
        return march, "2007年条例第三十一条：每年3月31日前"
    if agency is None:
        return march, "机关不明，按最宽的3月31日计"
    if _GOVERNMENT.search(agency) or _GENERAL_OFFICE.search(agency):
        return march, "条例第四十九条：县级以上人民政府的年度报告3月31日前"
    return january, "条例第四十九条：政府部门等1月31日前"


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _date_line(report: Report, day: dt.date) -> TextLine | None:
    """The line the publication date was read from: a labelled header line, else the last."""
    hits = []
    for line in report_lines(report):
        text = compact(line.norm)
        for m in _ANY_DATE.finditer(text):
            if tuple(int(g) for g in m.groups()) == (day.year, day.month, day.day):
                hits.append((bool(re.search("发布|日期|时间|成文", text)), line))
    labelled = [line for label, line in hits if label]
    return labelled[0] if labelled else (hits[-1][1] if hits else None)


@rule("XG402", "publish-deadline", WARNING, "dates", "发布日期早于年度结束或晚于法定期限")
def publish_deadline(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：报告的发布日期（页面的发布日期，或落款日期）应在报告年度结束之后、法定期限之前。
    县级以上人民政府部门及其他机关为次年1月31日；县级以上地方人民政府（省、自治区、市、州、县、区、旗人民政府）
    本级的年度报告为次年3月31日，其办公厅（室）自身的报告也按3月31日计（常与本级政府报告一同发布，从宽）。
    乡镇人民政府、街道办事处条例未单列，实践中按1月31日，本检查亦然。2018年度及以前的报告按原条例一律为3月31日。
    机关不明时按最宽的3月31日计。晚于期限报警告并写明晚了几天；在报告年度12月31日或之前发布报错误。
    没有读到发布日期时不检查。春节假期与1月31日重合时是否顺延，未见规定，不作调整。

    为什么重要：按时公布是条例的法定义务，“未按时发布”是历年评估通报最常点名的问题；年度未结束就发布，
    说明全年数据不完整。

    示例：某市局2023年度报告发布于2024年2月22日，晚于1月31日的期限22天；某区人民政府2024年度报告发布于2025年4月2日，晚于3月31日2天。

    依据：《政府信息公开条例》第四十九条；原条例（国务院令第492号）第三十一条；国办公开办函〔2019〕60号
    （“法定报告时限比以往提前了两个月”）。"""
    year, text = report.meta.year, report.meta.publish_date
    if year is None or not text:
        return
    try:
        published = dt.date.fromisoformat(text)
    except ValueError:
        return
    line = _date_line(report, published)
    where = where_of(line) if line else None
    if published <= dt.date(year, 12, 31):
        message = f"发布日期{_date_text(published)}在{year}年度结束之前，全年数据尚未截止"
        yield finding("XG402", ERROR, message, "请核对发布日期或报告年度：年度报告应在次年公布。", where)
        return
    deadline, basis = statutory_deadline(year, report.meta.agency)
    if published > deadline:
        late = (published - deadline).days
        message = f"发布日期{_date_text(published)}晚于法定期限{_date_text(deadline)}（{basis}）{late}天"
        hint = "请在法定期限内公布年度报告；如页面日期是重新发布或更新的日期，请以首次发布日期为准。"
        yield finding("XG402", WARNING, message, hint, where)
