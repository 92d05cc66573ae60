"""Aggregate rules: a government-level report against the member reports it sums up.

`context.members` holds the reports an aggregate (本级政府 / 本行政区域汇总) report is built
from — the government's departments, its own office, lower-level governments. Without
members these rules say nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import PurePath

from ..formats import AMOUNT_TEXT, Format, Row
from ..model import ERROR, INFO, WARNING, Finding, Number, Report, number_text
from ..text.normalize import normalize_text
from .registry import Context, rule

# Tables summed cell by cell (spec §4.4): 表二 counts and fee, 表三, 表四.
SUMMED_TABLES = ("active", "applications", "reviews")
TABLE_NAMES = {
    "active": "第二部分主动公开表",
    "applications": "第三部分申请情况表",
    "reviews": "第四部分复议诉讼表",
}
MAX_LISTED = 30


def member_name(member: Report, index: int) -> str:
    """A member's name for messages: its agency, else its file name, else its position."""
    if member.meta.agency:
        return member.meta.agency
    if member.meta.source.path:
        return PurePath(member.meta.source.path).name
    return f"第{index + 1}份成员报告"


def _fmt(value: Number | None) -> str:
    return "空白" if value is None else number_text(value)


# ---------------------------------------------------------------- XG801


@rule("XG801", "aggregate-sum", ERROR, "members", "汇总报告的数字不等于各成员报告之和")
def aggregate_sum(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：汇总报告（本级政府或本行政区域的年度报告）表三、表四的每个单元格，以及表二的件数和
    收费金额（万元，按小数精确相加），是否等于各成员报告同一单元格之和。按行报告：一行中不相等的
    各列列在同一条消息里，写明汇总数和成员之和。只比较汇总报告和每一份成员报告都有的单元格；
    某份成员报告缺少单元格（没读到表格、格式不同等）时，不比较这些单元格，而是报告“覆盖不完整”。
    空白单元格按 0 计并注明。2019 年格式的“采购总金额”单位不固定，不相加。

    为什么重要：本级政府年度报告要反映本行政区域的全貌，数字由各部门、各下级政府的报告汇总而来。
    汇总数对不上，说明漏汇、重汇了某个机关，或成员报告更正后汇总没有同步更新。

    示例：某区 3 个部门“一、本年新收”总计分别为 11、20、7，汇总报告却填 40（应为 38）：
    “一、本年新收政府信息公开申请数量”行与成员报告之和不符：总计 汇总 40，3 份成员报告之和 38。

    依据：《政府信息公开条例》第四十九条（本级政府年度报告）、第五十条；国办发〔2014〕32号
    （本行政区域汇总统计）；项目规格 §4.4（汇总报告 = 成员报告逐格相加）。"""
    members = context.members
    spec = report.spec
    if not members or spec is None:
        return
    refs = summed_refs(report, spec)
    missing = {i: [r for r in refs if not m.has(r)] for i, m in enumerate(members)}
    incomplete = {r for lacking in missing.values() for r in lacking}
    compared = [r for r in refs if r not in incomplete]
    yield from _row_findings(report, spec, members, compared)
    for index, lacking in missing.items():
        if lacking:
            yield _coverage_finding(members[index], index, lacking)


def summed_refs(report: Report, spec: Format) -> list[str]:
    """The aggregate's cells that are sums: present in the report, in a summed table, additive."""
    out = []
    for ref, (table, _row, fld) in spec.fields_by_ref.items():
        if table.key in SUMMED_TABLES and fld.kind != AMOUNT_TEXT and report.has(ref):
            out.append(ref)
    return out


def _row_findings(report: Report, spec: Format, members: list[Report], refs: list[str]) -> Iterable[Finding]:
    by_row: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ref in refs:
        table, row, _fld = spec.fields_by_ref[ref]
        by_row[(table.key, row.key)].append(ref)
    for (table_key, row_key), row_refs in by_row.items():
        row = spec.table(table_key).row(row_key)
        finding = _row_finding(report, row, members, row_refs)
        if finding is not None:
            yield finding


def _row_finding(report: Report, row: Row, members: list[Report], refs: list[str]) -> Finding | None:
    parts, bad, blanks = [], [], False
    for ref in refs:
        values = [report.value(ref)] + [m.value(ref) for m in members]
        if all(v is None for v in values):
            continue
        total = sum((v or 0) for v in values[1:])
        if (values[0] or 0) == total:
            continue
        blanks = blanks or any(v is None for v in values)
        fld = ref.rsplit("/", 1)[1]
        label = next(f.name for f in row.fields if f.key == fld) + " " if len(row.fields) > 1 else ""
        parts.append(f"{label}汇总 {_fmt(values[0])}，{len(members)} 份成员报告之和 {number_text(total)}")
        bad.append(ref)
    if not bad:
        return None
    note = "（空白单元格按 0 计）" if blanks else ""
    return Finding(
        "XG801",
        ERROR,
        f"“{row.name}”行与成员报告之和不符：" + "；".join(parts) + note,
        bad,
        hint=(
            "汇总报告的每个数字应等于纳入汇总的各成员报告同一数字之和。请核对是否漏汇或重汇了某个机关，"
            "成员报告更正后汇总是否同步更新；成员报告本身的错误也会带进汇总。"
        ),
        where=report.cells[bad[0]].where or None,
    )


def _coverage_finding(member: Report, index: int, lacking: list[str]) -> Finding:
    per_table = Counter(ref.split("/", 1)[0] for ref in lacking)
    tables = "、".join(f"{TABLE_NAMES[t]} {n} 个" for t, n in per_table.items())
    fmt = f"（{member.format} 年格式）" if member.format else ""
    return Finding(
        "XG801",
        WARNING,
        f"成员报告“{member_name(member, index)}”{fmt}缺少汇总报告中的 {len(lacking)} 个单元格"
        f"（{tables}），这些单元格未与成员之和比较，汇总核对覆盖不完整",
        lacking,
        hint="请提供该成员报告的完整表格；成员报告与汇总报告使用不同年度格式时，表二和表三（六）无法逐格相加。",
    )


# ---------------------------------------------------------------- XG802


@rule("XG802", "member-coverage", INFO, "members", "汇总报告的成员报告清单：份数、机关、年度、重复")
def member_coverage(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：列出纳入核对的成员报告份数、机关和年度（提示信息）；成员报告的年度与汇总报告不同时
    给出警告；同一机关（机关名称未识别时按同一源文件）的报告出现两次以上时给出警告，不论年度——其数字会被重复计入汇总。
    年度未识别的成员报告不判断年度。

    为什么重要：汇总核对（XG801）的结论取决于拿哪些报告来比：漏了机关，汇总数看起来“多了”；
    混进上一年度的报告或把同一机关算两次，会重复计算，得出错误的汇总。先把清单摆出来，核对才有意义。

    示例：2024 年度区政府汇总报告，成员为区司法局、区民政局（2023 年度）、区司法局——
    “成员报告“示例区民政局”是 2023 年度的，汇总报告是 2024 年度”；“成员报告“示例区司法局”出现 2 次
    （第1、3份），其数字会被重复计入汇总”。

    依据：《政府信息公开条例》第四十九条；项目规格 §4.4（汇总与重复计算；同类口径见国办公开办函
    〔2016〕201号：复议机关作共同被告的诉讼只由原行政行为机关统计，避免重复）。"""
    members = context.members
    if not members:
        return
    yield _summary(report, members)
    stray = _other_years(report, members)
    if stray is not None:
        yield stray
    yield from _duplicates(members)


def _summary(report: Report, members: list[Report]) -> Finding:
    listed = [
        member_name(m, i) + (f"（{m.meta.year}年）" if m.meta.year else "（年度未识别）")
        for i, m in enumerate(members[:MAX_LISTED])
    ]
    more = f"等，共 {len(members)} 份" if len(members) > MAX_LISTED else ""
    year = f"（{report.meta.year}年）" if report.meta.year else ""
    return Finding(
        "XG802",
        INFO,
        f"本汇总报告{year}与 {len(members)} 份成员报告核对：" + "、".join(listed) + more,
        hint="请确认清单包含本级政府各部门、本级政府办公室及下级政府的全部年度报告，且没有重复。",
    )


def _other_years(report: Report, members: list[Report]) -> Finding | None:
    year = report.meta.year
    if year is None:
        return None
    stray = [(i, m) for i, m in enumerate(members) if m.meta.year is not None and m.meta.year != year]
    if not stray:
        return None
    names = "、".join(f"“{member_name(m, i)}”（{m.meta.year}年）" for i, m in stray)
    return Finding(
        "XG802",
        WARNING,
        f"{len(stray)} 份成员报告的年度与汇总报告（{year}年）不同：{names}",
        hint="汇总报告只应汇总同一年度的成员报告；请换成对应年度的报告。",
    )


def _member_key(member: Report) -> str | None:
    agency = "".join(normalize_text(member.meta.agency or "").split())
    if agency:
        return agency
    return member.meta.source.sha256 or None


def _duplicates(members: list[Report]) -> Iterable[Finding]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, member in enumerate(members):
        key = _member_key(member)
        if key is not None:
            groups[key].append(i)
    for positions in groups.values():
        if len(positions) < 2:
            continue
        first = members[positions[0]]
        where = "、".join(str(i + 1) for i in positions)
        yield Finding(
            "XG802",
            WARNING,
            f"成员报告“{member_name(first, positions[0])}”出现 {len(positions)} 次（第{where}份），"
            "其数字会被重复计入汇总",
            hint="同一机关同一年度的报告只应汇总一次；请去掉重复的报告。",
        )
