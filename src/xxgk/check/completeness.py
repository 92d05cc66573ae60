"""Completeness rules: the six sections, the three tables, blank cells, the template. The
front-matter rules of this family (XG206–XG208) are in frontmatter.py.

Partial sources are common (a crawled page cut short, an opening of 800 characters). A section
or table that is not there is judged only where the text shows it goes on: a later section
heading exists, or the text looks complete (section 六, a closing signature, or all three
tables and a final full stop). A cut-off text is never blamed for what lies past its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..extract.notes import TABLE_NAMES
from ..formats import Format, Section
from ..model import ERROR, INFO, WARNING, Finding, Report, TextLine
from ..text.normalize import normalize_text
from .outline import (
    TABLE_OF_SECTION,
    heading_lines,
    judged_absent_after,
    present_sections,
    scan_headings,
)
from .registry import Context, rule
from .text import (
    NUMERALS,
    compact,
    finding,
    line_no,
    report_lines,
    where_of,
)
from .view import cell_values, per_report

TEMPLATES = {
    "2019": "2019年试行格式（国办公开办函〔2019〕60号）",
    "2021": "2021年格式（国办公开办函〔2021〕30号）",
}


def _heading(section: Section) -> str:
    return f"{NUMERALS[section.number - 1]}、{section.title}"


# ------------------------------------------------------------------ XG201


@rule("XG201", "section-missing", ERROR, "completeness", "缺少规定的部分，或各部分顺序错乱、重复")
def section_missing(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：2019、2021 年格式的报告是否依次、各一次地包含六个部分：一、总体情况；二、主动公开政府信息情况；
    三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；
    六、其他需要报告的事项。每缺一部分报一条；某部分标题重复出现或排在后面部分之后，也报告。

    原文不完整（网页截断、只有开头）时，只判断后面还有内容的部分：找不到的部分之后还有别的部分标题，
    或全文看起来是完整的（有第六部分、有落款日期，或三张表齐全且以句号结尾），才报“未找到”。
    一个部分标题都找不到时只报一条。

    为什么重要：年度报告的内容由条例第五十条规定，格式文件要求“不能遗漏”；评估通报中“缺少复议诉讼部分”
    “缺少存在问题部分”是常见批评。

    示例：某区统计局2023年报告正文列出六个部分，实际没有“四、政府信息公开行政复议、行政诉讼情况”。

    依据：《政府信息公开条例》第五十条；国办公开办函〔2021〕30号；〔2019〕60号。"""
    spec = report.spec
    if spec is None:
        return
    heads = heading_lines(report)
    present = present_sections(report)
    yield from _order_findings(heads, spec)
    missing = [n for n in range(1, 7) if n not in present and judged_absent_after(report, n, present)]
    if missing and not present:
        message = "未找到任何一个部分的标题（一、总体情况 …… 六、其他需要报告的事项）"
        yield finding("XG201", ERROR, message, "请按格式文件的六个部分组织报告，标题写作“一、总体情况”等。")
        return
    for n in missing:
        yield _missing_finding(report, spec.sections[n - 1], heads)


def _missing_finding(report: Report, section: Section, heads) -> Finding:
    message = f"未找到第{NUMERALS[section.number - 1]}部分“{_heading(section)}”"
    near = _misnumbered(report, section, {id(line) for _, line in heads})
    where = None
    if near is not None:
        message += f"；{line_no(near)}“{near.text.strip()[:40]}”内容相近，但编号不符"
        where = where_of(near)
    return finding("XG201", ERROR, message, "请补上该部分（没有内容时也应保留标题，写明“无”或填 0）。", where)


_NUMBERED = re.compile(r"^(?:第)?[一二三四五六七八九十]{1,2}(?:部分)?[、.,:]")


def _misnumbered(report: Report, section: Section, headings: set[int]) -> TextLine | None:
    """A short numbered line, not a recognised heading, with this section's keywords
    (the pre-2019 outline numbers 复议诉讼 as 五, for example)."""
    for line in report_lines(report):
        text = compact(line.norm)
        if line.in_table or id(line) in headings or len(text) > 40 or not _NUMBERED.match(text):
            continue
        if any(word in text for word in section.keywords):
            return line
    return None


def _order_findings(heads: list[tuple[int, TextLine]], spec: Format) -> Iterator[Finding]:
    """One finding per section heading that comes more than once, and per heading that comes
    after a later section's (each number reported once, however often the text repeats)."""
    seen: dict[int, list[TextLine]] = {}
    misplaced: dict[int, tuple[TextLine, int]] = {}
    top = 0
    for n, line in heads:
        if n < top and n not in seen:
            misplaced.setdefault(n, (line, top))
        seen.setdefault(n, []).append(line)
        top = max(top, n)
    hint = "六个部分应按一至六的顺序各出现一次。"
    for n in sorted(seen):
        lines = seen[n]
        if n not in misplaced and len(lines) == 1:
            continue  # in its place, once: most sections of most reports
        name = f"第{NUMERALS[n - 1]}部分“{_heading(spec.sections[n - 1])}”"
        if n in misplaced:
            line, after = misplaced[n]
            yield finding(
                "XG201", ERROR, f"{name}排在第{NUMERALS[after - 1]}部分之后，顺序错乱", hint, where_of(line)
            )
        if len(lines) > 1:
            places = "、".join(line_no(x) for x in lines[:3]) + ("等" if len(lines) > 3 else "")
            count = "两" if len(lines) == 2 else str(len(lines))
            yield finding(
                "XG201", ERROR, f"{name}的标题出现了{count}次（{places}）", hint, where_of(lines[1])
            )


# ------------------------------------------------------------------ XG202

_HEADING_PREFIX = re.compile(r"^(?:第)?[一二三四五六](?:部分)?[、.,:]")
_TRAILING = re.compile(r"[:。.;,][:。.;,]*$")  # x x*: a charset prefix for re (text._SPACE)


@lru_cache(maxsize=512)  # the six headings of most reports are worded alike
def _heading_title(norm: str) -> str:
    return _TRAILING.sub("", _HEADING_PREFIX.sub("", compact(norm)))


@lru_cache(maxsize=64)
def _allowed_titles(title: str, variants: tuple[str, ...]) -> list[str]:
    # The format's titles are constants: normalised once, not once per heading of every report.
    return [compact(normalize_text(t)) for t in (title, *variants)]


@rule("XG202", "heading-wording", WARNING, "completeness", "部分标题与格式规定的写法不同")
def heading_wording(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：一至六各部分的标题是否按格式文件书写（接受已知的通行写法，如“五、政府信息公开工作存在的主要问题
    及改进情况”“四、政府信息公开行政复议和行政诉讼情况”）。规定标题前后多了文字（如“一、2020年政府信息公开
    总体情况”）只作提示（info）；标题措辞不同（如“二、主动公开信息情况”“一、本年度政府信息公开工作的基本情况”）
    报警告。只看一级标题；总体情况下的“（1）政府信息主动公开情况”之类的小标题不在此列。

    为什么重要：格式文件统一了标题，读者和汇总工具靠标题定位内容；沿用 2019 年以前的旧提纲写标题，
    往往意味着内容也没有按新格式组织。

    示例：“二、主动公开信息情况”应为“二、主动公开政府信息情况”。

    依据：国办公开办函〔2021〕30号；〔2019〕60号。"""
    spec = report.spec
    if spec is None:
        return
    for line in report_lines(report):
        if not line.heading or not line.section:
            continue
        section = spec.sections[int(line.section) - 1]
        title = _heading_title(line.norm)
        allowed = _allowed_titles(section.title, tuple(section.variants))
        if title in allowed:
            continue
        minor = any(t in title for t in allowed)
        how = "相比多了文字" if minor else "写法不同"
        message = f"{line_no(line)}标题“{line.text.strip()[:40]}”与格式规定的“{_heading(section)}”{how}"
        hint = f"建议标题照格式写作“{_heading(section)}”。"
        yield finding("XG202", INFO if minor else WARNING, message, hint, where_of(line))


# ------------------------------------------------------------------ XG203


@rule("XG203", "table-missing", ERROR, "completeness", "有部分标题，却没有该部分的统计表")
def table_missing(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：2019、2021 年格式的报告中，二、三、四部分各有一张统计表（主动公开、收到和处理申请、
    复议诉讼）。该部分标题在，却读不到表中任何一个数值，即报告。原文在该部分之后就中断的，不判断。

    为什么重要：三张表是年度报告的核心数据，格式文件规定必须填报；转载网页常把表格删掉，
    也有机关只写文字不附表。没有表就无法核对任何数字。

    示例：“二、主动公开政府信息情况”之后紧接“三、收到和处理政府信息公开申请情况”，中间没有表格。

    依据：《政府信息公开条例》第五十条；国办公开办函〔2021〕30号 表一至表三；〔2019〕60号。"""
    spec = report.spec
    if spec is None:
        return
    for number, key in TABLE_OF_SECTION.items():
        if report.sections.get(str(number)) is None or key in report.tables_present:
            continue  # most reports: every table read, nothing more to look at
        if str(number) in _contents_sections(report) or not judged_absent_after(
            report, number, present_sections(report)
        ):
            continue
        if any(f.code == "XG009" and f.cells and f.cells[0].startswith(key + "/") for f in report.findings):
            continue  # the reader already said the table is there but unreadable
        name = f"第{NUMERALS[number - 1]}部分“{_heading(spec.sections[number - 1])}”"
        detail = "有表头，但没有读到任何数值" if _has_header(report, spec, number) else "没有统计表"
        where = report.section_where.get(str(number)) or {"section": str(number)}
        hint = "请按格式文件补上该表；没有发生的事项填 0，不要删表。"
        yield finding("XG203", ERROR, f"{name}{detail}（{TABLE_NAMES[key]}）", hint, where)


@per_report
def _contents_sections(report: Report) -> set[str | None]:
    # A heading taken from a table of contents says nothing about where the table is.
    contents = scan_headings(report)[1]
    return {line.section for line in report_lines(report) if line.heading and id(line) in contents}


def _has_header(report: Report, spec: Format, number: int) -> bool:
    # Two distinct column labels (结果维持, 结果纠正; 自然人, 商业企业): a table whose numbers were
    # lost, not a sentence that mentions 行政复议、行政诉讼.
    labels = {compact(f.label) for row in spec.table(TABLE_OF_SECTION[number]).rows for f in row.fields}
    text = "".join(
        compact(x.norm) for x in report_lines(report) if x.section == str(number) and not x.heading
    )
    return sum(label in text for label in labels) >= 2


# ------------------------------------------------------------------ XG204

# Cells the reader left empty on purpose and reported itself (row too short, ambiguous).
_READER_EMPTY = ("XG002", "XG003")


@rule("XG204", "blank-cells", WARNING, "completeness", "表中应填数字的单元格空白（空白不等于 0）")
def blank_cells(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：统计表中应填数字、原文却空白或只写“/”“—”“无”的单元格。按行汇总，每行一条，列出空白的列。
    原文没有的单元格（原文不完整）不算；读取器已说明无法确定数值的单元格（XG002、XG003）也不重复报告。

    为什么重要：空白不等于 0。格式要求每格填数，没有发生的事项填 0；空白让读者无法判断是没有发生、
    不适用还是漏填，也使表内勾稽关系无从核对。

    示例：原州区司法局2023年报告“行政复议”一行五格全部空白，而诉讼部分填了数字。

    依据：国办公开办函〔2021〕30号 表一至表三；〔2019〕60号。"""
    spec = report.spec
    if spec is None:
        return
    if None not in cell_values(report).values():
        return  # most reports: no blank cell at all
    explained = {ref for f in report.findings if f.code in _READER_EMPTY for ref in f.cells}
    cells = report.cells
    for table in spec.tables:
        for row in table.rows:
            refs = table.row_refs[row.key]
            blank = [r for r in refs if r in cells and cells[r].value is None and r not in explained]
            if blank:
                yield _blank_finding(report, table.key, row, list(refs), blank)


def _blank_finding(report: Report, key: str, row, refs: list[str], blank: list[str]) -> Finding:
    label = f"{row.group}（{row.label}）" if key == "reviews" and row.group else row.name
    names = "、".join(row.fields[refs.index(r)].name for r in blank)
    # The reader keeps no text for "/", "—" or "无" (raw is ""), so all read as 空白.
    scope = "整行" if len(blank) == len(refs) and len(refs) > 1 else f"{len(blank)}格"
    message = f"{TABLE_NAMES[key]}“{label}”行{scope}空白：{names}"
    where = report.cells[blank[0]].where or None
    return finding("XG204", WARNING, message, "空白不等于 0：没有发生的事项请填 0。", where, blank)


# ------------------------------------------------------------------ XG205


def _signal(report: Report, spec: Format) -> tuple[str, TextLine | None] | None:
    """A table label only this template has, and the line it is on."""
    keys = [(s, compact(re.sub(r"^\d{1,2}\.", "", s))) for s in spec.signals]
    for line in report_lines(report):
        text = compact(line.norm)
        for label, key in keys:
            if key in text:
                return label, line
    if "active" in report.tables_present:
        return spec.table("active").rows[0].fields[0].label, None
    return None


@rule("XG205", "template-mismatch", ERROR, "completeness", "报告年度与所用表格格式不符")
def template_mismatch(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：2021 年及以后的年度报告应使用国办公开办函〔2021〕30号 的格式；2019、2020 年度报告使用
    〔2019〕60号 的试行格式。表格里出现另一种格式特有的栏目（如 2019 年格式的“本年新制作数量”“政府集中采购”，
    2021 年格式的“本年制发件数”“本年收费金额（单位：万元）”）即报告。只凭引用文号判断的不在此列（见 XG206）。

    为什么重要：两种格式的主动公开表栏目不同（2021 年改为制发、废止、现行有效件数），用错格式的数据
    无法与其他机关汇总比较，也说明报告是套用旧模板。

    示例：某局2022年度报告的主动公开表仍有“上一年项目数量”“本年增/减”。

    依据：国办公开办函〔2021〕30号；〔2019〕60号。"""
    year, used = report.meta.year, report.format
    if year is None or used not in TEMPLATES:
        return
    if used == "2019" and year >= 2021:
        expected = "2021"
    elif used == "2021" and 2019 <= year <= 2020:
        expected = "2019"
    else:
        return
    found = _signal(report, report.spec)
    if found is None:
        return
    label, line = found
    message = f"本报告为{year}年度报告，表格却是{TEMPLATES[used]}（如“{label}”），应使用{TEMPLATES[expected]}"
    where = where_of(line) if line else report.section_where.get("2")
    yield finding("XG205", ERROR, message, f"请按{TEMPLATES[expected]}重新填报统计表。", where)
