"""Readable Chinese output for the terminal (Rich)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape

from .check import SEVERITY_ORDER, Rule
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


def print_parse_summary(report: Report) -> None:
    meta = report.meta
    console.print(f"[bold]{escape(meta.source.path or '')}[/bold]")
    script = "繁体" if meta.script == "traditional" else "简体"
    console.print(
        f"  机关：{escape(_or_dash(meta.agency))}　年度：{_or_dash(meta.year)}　"
        f"格式：{_format_label(report)}　文字：{script}　发布日期：{_or_dash(meta.publish_date)}"
    )
    found = [SECTION_NUMERALS[int(k) - 1] for k, v in report.sections.items() if v is not None]
    console.print(f"  章节：{'、'.join(found) or '未找到'}")
    console.print(f"  表格：{_table_line(report)}")
    _print_key_numbers(report)
    for finding in report.findings:
        _print_finding(finding)


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


def _print_key_numbers(report: Report) -> None:
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
        console.print("  主要数字：" + "，".join(shown))


def _print_finding(finding) -> None:
    style = SEVERITY_STYLES.get(finding.severity, "")
    name = SEVERITY_NAMES.get(finding.severity, finding.severity)
    where = ""
    if finding.where and "line" in finding.where:
        where = f"（第 {finding.where['line']} 行）"
    console.print(f"  [{style}]{name} {finding.code}[/{style}] {escape(finding.message)}{where}")
    if finding.cells:
        shown = "、".join(finding.cells[:4]) + ("…" if len(finding.cells) > 4 else "")
        console.print(f"      单元格：{escape(shown)}", style="dim")


def print_check_results(reports: list[Report]) -> None:
    totals = {ERROR: 0, WARNING: 0, INFO: 0}
    for report in reports:
        meta = report.meta
        title = " ".join(x for x in (meta.agency, f"{meta.year}年" if meta.year else None) if x)
        console.print(f"[bold]{escape(meta.source.path or '')}[/bold]　{escape(title)}")
        findings = sorted(report.findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code))
        if not findings:
            console.print("  [green]未发现问题[/green]")
        for finding in findings:
            totals[finding.severity] = totals.get(finding.severity, 0) + 1
            _print_finding(finding)
    console.print(
        f"共检查 {len(reports)} 份报告：错误 {totals[ERROR]} 条，警告 {totals[WARNING]} 条，提示 {totals[INFO]} 条"
    )


def print_rules(rules: Iterable[Rule]) -> None:
    for rule in sorted(rules, key=lambda r: r.code):
        style = SEVERITY_STYLES.get(rule.severity, "")
        console.print(
            f"[bold]{rule.code}[/bold] [{style}]{SEVERITY_NAMES[rule.severity]}[/{style}] "
            f"{escape(rule.summary)}　[dim]{rule.name}[/dim]"
        )


def print_rule(rule: Rule) -> None:
    console.print(f"[bold]{rule.code} {rule.name}[/bold]（{SEVERITY_NAMES[rule.severity]}，{rule.family}）")
    console.print(escape(rule.summary))
    console.print()
    console.print(escape(rule.doc))
