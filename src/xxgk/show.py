"""Readable Chinese output for the terminal (Rich)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape

from .check import SEVERITY_ORDER, Rule
from .check.text import finding_section
from .model import ERROR, INFO, WARNING, Report

console = Console(highlight=False, soft_wrap=True)

SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_STYLES = {ERROR: "bold red", WARNING: "yellow", INFO: "cyan"}
SECTION_NUMERALS = "一二三四五六"
TABLE_TITLES = {"active": "主动公开", "applications": "依申请公开", "reviews": "复议诉讼"}


def _or_dash(value) -> str:
    return "—" if value is None else str(value)


def _format_label(report: Report) -> str:
    spec = report.spec
    if spec is not None:
        return f"{spec.id}（{spec.document}）"
    return {"pre2019": "2019年以前（无全国统一表格）", None: "未识别"}.get(report.format, str(report.format))


def print_parse_summary(report: Report, out: Console | None = None) -> None:
    out = out or console
    meta = report.meta
    out.print(f"[bold]{escape(meta.source.path or '')}[/bold]")
    script = "繁体" if meta.script == "traditional" else "简体"
    out.print(
        f"  机关：{escape(_or_dash(meta.agency))}　年度：{_or_dash(meta.year)}　"
        f"格式：{_format_label(report)}　文字：{script}　发布日期：{_or_dash(meta.publish_date)}"
    )
    found = [SECTION_NUMERALS[int(k) - 1] for k, v in report.sections.items() if v is not None]
    out.print(f"  章节：{'、'.join(found) or '未找到'}")
    out.print(f"  表格：{_table_line(report)}")
    _print_key_numbers(report, out)
    for finding in report.findings:
        _print_finding(finding, out=out)


def _table_line(report: Report) -> str:
    spec = report.spec
    if spec is None:
        return "无"
    parts = []
    for table in spec.tables:
        refs = table.refs()
        read = [r for r in refs if report.has(r)]
        if not read:
            parts.append(f"{TABLE_TITLES[table.key]} 未找到")
            continue
        low = sum(1 for r in read if report.cells[r].confidence == "low")
        extra = f"（低置信度 {low} 格）" if low else ""
        parts.append(f"{TABLE_TITLES[table.key]} {len(read)}/{len(refs)} 格{extra}")
    return "　".join(parts)


def _print_key_numbers(report: Report, out: Console) -> None:
    keys = [
        ("本年新收", "applications/received/total"),
        ("上年结转", "applications/carried_over/total"),
        ("办理结果总计", "applications/total/total"),
        ("结转下年度", "applications/carried_forward/total"),
        ("行政复议", "reviews/reconsideration/total"),
        ("直接起诉", "reviews/litigation_direct/total"),
        ("复议后起诉", "reviews/litigation_after_reconsideration/total"),
    ]
    shown = [f"{name} {_or_dash(report.value(ref))}" for name, ref in keys if report.has(ref)]
    if shown:
        out.print("  主要数字：" + "，".join(shown))


def _print_finding(finding, indent: str = "  ", out: Console | None = None) -> None:
    out = out or console
    style = SEVERITY_STYLES.get(finding.severity, "")
    name = SEVERITY_NAMES.get(finding.severity, finding.severity)
    where = _where_text(finding.where or {})
    out.print(f"{indent}[{style}]{name} {finding.code}[/{style}] {escape(finding.message)}{where}")
    if finding.cells:
        shown = "、".join(finding.cells[:4]) + ("…" if len(finding.cells) > 4 else "")
        out.print(f"{indent}    单元格：{escape(shown)}", style="dim")


SECTION_HEADINGS = {
    None: "报告整体",
    "1": "一、总体情况",
    "2": "二、主动公开政府信息情况",
    "3": "三、收到和处理政府信息公开申请情况",
    "4": "四、政府信息公开行政复议、行政诉讼情况",
    "5": "五、存在的主要问题及改进情况",
    "6": "六、其他需要报告的事项",
}


def _where_text(where: dict) -> str:
    parts = []
    if "page" in where:
        parts.append(f"第 {where['page']} 页")
    if "line" in where:
        column = f"第 {where['column']} 字" if where.get("column", 1) > 1 else ""  # a crawled long line
        parts.append(f"第 {where['line']} 行{column}")
    return f"（{'，'.join(parts)}）" if parts else ""


def print_check_results(reports: list[Report]) -> None:
    totals = {ERROR: 0, WARNING: 0, INFO: 0}
    for report in reports:
        print_check_block(report, console)
        for finding in report.findings:
            totals[finding.severity] = totals.get(finding.severity, 0) + 1
    console.print(check_summary(len(reports), totals))


def print_check_block(report: Report, out: Console) -> None:
    """One report's findings, grouped by section."""
    meta = report.meta
    title = " ".join(x for x in (meta.agency, f"{meta.year}年" if meta.year else None) if x)
    out.print(f"[bold]{escape(meta.source.path or '')}[/bold]　{escape(title)}")
    if not report.findings:
        out.print("  [green]未发现问题[/green]")
    for section, findings in _by_section(report):
        out.print(f"  [bold]{SECTION_HEADINGS.get(section, section)}[/bold]")
        for finding in findings:
            _print_finding(finding, indent="    ", out=out)


def check_summary(count: int, totals: dict[str, int]) -> str:
    return (
        f"共检查 {count} 份报告：错误 {totals.get(ERROR, 0)} 条，警告 {totals.get(WARNING, 0)} 条，"
        f"提示 {totals.get(INFO, 0)} 条"
    )


def rendered(draw, report: Report, color: bool) -> str:
    """What `draw(report, console)` prints, as a string (ANSI colours only when `color`)."""
    buffer = io.StringIO()
    out = Console(
        file=buffer,
        highlight=False,
        soft_wrap=True,
        force_terminal=color,
        color_system="standard" if color else None,
    )
    draw(report, out)
    return buffer.getvalue()


def _by_section(report: Report):
    groups: dict[str | None, list] = {}
    for finding in report.findings:
        groups.setdefault(finding_section(report, finding), []).append(finding)
    order = [None, "1", "2", "3", "4", "5", "6"]
    for section in sorted(groups, key=lambda s: order.index(s) if s in order else 99):
        yield section, sorted(groups[section], key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code))


FAMILY_NAMES = {
    "reading": "读取",
    "arithmetic": "数字勾稽",
    "completeness": "完整性与格式",
    "prose": "正文与表格一致",
    "dates": "日期与年度",
    "hygiene": "文字规范",
    "plausibility": "合理性",
    "crossyear": "跨年度",
    "members": "汇总与下级",
    "cohort": "跨报告（xxgk batch）",
}


def print_rules(rules: Iterable[Rule]) -> None:
    family = None
    for rule in sorted(rules, key=lambda r: r.code):
        if rule.family != family:
            family = rule.family
            console.print(f"[bold]{FAMILY_NAMES.get(family, family)}[/bold]")
        style = SEVERITY_STYLES.get(rule.severity, "")
        console.print(
            f"  {rule.code} [{style}]{SEVERITY_NAMES[rule.severity]}[/{style}] "
            f"{escape(rule.summary)}　[dim]{rule.name}[/dim]"
        )


def print_rule(rule: Rule) -> None:
    console.print(
        f"[bold]{rule.code} {rule.name}[/bold]（{SEVERITY_NAMES[rule.severity]}，{FAMILY_NAMES.get(rule.family, rule.family)}）"
    )
    console.print(escape(rule.summary))
    console.print()
    console.print(escape(rule.doc))


def rules_markdown(rules: Iterable[Rule]) -> str:
    """The rule reference (docs/rules.md), generated from the registry."""
    rules = sorted(rules, key=lambda r: r.code)
    out = [
        "# 检查规则参考 (xxgk rules)",
        "",
        "本文件由 `xxgk rules --markdown` 从规则注册表生成，请勿手工编辑。",
        "This file is generated from the rule registry by `xxgk rules --markdown`; do not edit by hand.",
        "",
        "| 代码 | 名称 | 级别 | 类别 | 说明 |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| [{r.code}](#{r.code.lower()}) | {r.name} | {SEVERITY_NAMES[r.severity]} | "
        f"{FAMILY_NAMES.get(r.family, r.family)} | {r.summary} |"
        for r in rules
    ]
    for r in rules:
        out += [
            "",
            f"## {r.code}",
            "",
            f"**{r.name}** · {SEVERITY_NAMES[r.severity]} · {FAMILY_NAMES.get(r.family, r.family)}",
            "",
            r.summary,
            "",
            r.doc,
        ]
    return "\n".join(out) + "\n"
