"""Year and date rules.

Family "dates": years named in the text (上年度/本年度/下年度, improvement plans) and the
publication date against the statutory deadline.

The front-matter rules that also compare years (XG206 citation, XG207 statistics period)
are in frontmatter.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from ..model import ERROR, WARNING, Finding, Report, TextLine
from .agency import TOWNSHIP, classify, reports_for_area
from .registry import Context, rule
from .text import compact, finding, joined_prose, line_no, prose_lines, report_lines, where_of

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
    r"(?P<year>(?:19|20)(?<!\d..)\d{2})年度?,?"  # the lookbehind second: re scans by 1 and 2
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


# "汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成", "汇总全区各部门、各乡镇…": the report
# of a whole area. Not "汇总本局各处室" (a department and its own offices).
_AGGREGATE = re.compile(
    r"汇总(?:了)?(?P<area>[\u4e00-\u9fff]{0,20}?)(?:各|所属)(?:有关|相关)?"
    r"(?:县|区|市|乡镇|乡|镇|街道|部门|单位|成员单位|职能部门)"
)
_ORGAN_END = re.compile(r"[局厅委办室院所站队科处]$|机关$")
AGGREGATE_SCAN = 6000  # characters of the opening prose looked at for an aggregation statement


def statutory_deadline(year: int, agency: str | None, aggregate: bool = False) -> tuple[dt.date, str]:
    """(deadline, basis) for publishing the report on `year`; `aggregate`: the report says it
    sums up a whole area's units (汇总…各有关单位…编制)."""
    march, january = dt.date(year + 1, 3, 31), dt.date(year + 1, 1, 31)
    if year <= 2018:
        return march, "2007年条例第三十一条：每年3月31日前"
    if agency is None and not aggregate:
        return march, "机关不明，按最宽的3月31日计"
    if agency and (_GOVERNMENT.search(agency) or _GENERAL_OFFICE.search(agency) or reports_for_area(agency)):
        return march, "条例第四十九条：县级以上人民政府的年度报告3月31日前"
    info = classify(agency)
    if aggregate and (info is None or info.tier != TOWNSHIP):
        return march, "条例第四十九条：汇总本行政区域各单位的年度报告3月31日前"
    return january, "条例第四十九条：政府部门等1月31日前"


def is_aggregate(report: Report) -> bool:
    """The opening prose says the report sums up a whole area (汇总<地区>各有关单位…)."""
    text = joined_prose(report, limit=AGGREGATE_SCAN).text[:AGGREGATE_SCAN]
    return any(not _ORGAN_END.search(m["area"]) for m in _AGGREGATE.finditer(text))


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


def _date_where(report: Report, day: dt.date) -> dict | None:
    # Looked for only when there is a finding: most reports are published in time.
    line = _date_line(report, day)
    return where_of(line) if line else None


@rule("XG402", "publish-deadline", WARNING, "dates", "发布日期早于年度结束或晚于法定期限")
def publish_deadline(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：报告的发布日期（页面的发布日期，或落款日期）应在报告年度结束之后、法定期限之前。
    县级以上人民政府部门及其他机关为次年1月31日；县级以上地方人民政府（省、自治区、市、州、县、区、旗人民政府）
    本级的年度报告为次年3月31日，其办公厅（室）自身的报告也按3月31日计（常与本级政府报告一同发布，从宽）。
    以开发区、实验区等区域名义或其管委会名义发布的报告，以及开头写明“汇总××（地区）各有关单位……编制”的
    汇总报告，是一个区域的政府年度报告，也按3月31日计。
    乡镇人民政府、街道办事处条例未单列，实践中按1月31日，本检查亦然。2018年度及以前的报告按原条例一律为3月31日。
    机关不明时按最宽的3月31日计。晚于期限报警告并写明晚了几天；在报告年度12月31日或之前发布报错误。
    没有读到发布日期时不检查。春节假期与1月31日重合时是否顺延，未见规定，不作调整。

    为什么重要：按时公布是条例的法定义务，“未按时发布”是历年评估通报最常点名的问题；年度未结束就发布，
    说明全年数据不完整。

    示例：某市局2023年度报告发布于2024年2月22日，晚于1月31日的期限22天；某区人民政府2024年度报告发布于2025年4月2日，晚于3月31日2天。
    平潭综合实验区2023年度报告“汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成”，2024年3月8日发布，未超期。

    依据：《政府信息公开条例》第四十九条；原条例（国务院令第492号）第三十一条；国办公开办函〔2019〕60号
    （“法定报告时限比以往提前了两个月”）。"""
    year, text = report.meta.year, report.meta.publish_date
    if year is None or not text:
        return
    try:
        published = dt.date.fromisoformat(text)
    except ValueError:
        return
    if published <= dt.date(year, 12, 31):
        message = f"发布日期{_date_text(published)}在{year}年度结束之前，全年数据尚未截止"
        where = _date_where(report, published)
        yield finding("XG402", ERROR, message, "请核对发布日期或报告年度：年度报告应在次年公布。", where)
        return
    deadline, basis = statutory_deadline(year, report.meta.agency, is_aggregate(report))
    if published > deadline:
        where = _date_where(report, published)
        late = (published - deadline).days
        message = f"发布日期{_date_text(published)}晚于法定期限{_date_text(deadline)}（{basis}）{late}天"
        hint = "请在法定期限内公布年度报告；如页面日期是重新发布或更新的日期，请以首次发布日期为准。"
        yield finding("XG402", WARNING, message, hint, where)
