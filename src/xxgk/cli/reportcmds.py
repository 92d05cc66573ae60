"""Commands over reports: parse, check, render, schema, rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .. import api
from ..check import RULES, Context, check_report
from ..config import find_config, load_config
from ..errors import XxgkError
from ..model import Report
from ..schema import report_schema
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
    FILES,
    FORMAT,
    SEVERITY_RANK,
    CheckFormat,
    OutputFormat,
    Severity,
    app,
    emit_json,
    error_line,
    process_inputs,
)
from .compilecmds import FORCE_HELP, render_checked


@app.command()
def parse(files: list[str] = FILES, fmt: OutputFormat = FORMAT) -> None:
    """读取报告，输出结构化结果（不做检查）。"""
    reports, unreadable = process_inputs(files, api.load_report)
    if fmt is OutputFormat.json:
        emit_json(reports)
    else:
        from ..show import print_parse_summary

        for report in reports:
            if report is not None:
                print_parse_summary(report)
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_OK)


@app.command()
def check(
    files: list[str] = FILES,
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="输出格式：text、json 或 csv。"),
    select: list[str] = typer.Option(None, "--select", help="只运行这些规则（代码或前缀，如 XG1）。"),
    ignore: list[str] = typer.Option(None, "--ignore", help="不运行这些规则（代码或前缀）。"),
    fail_on: Severity = typer.Option(
        None, "--fail-on", help="达到此级别的问题即以退出码 1 结束（默认 error）。"
    ),
    previous: list[str] = typer.Option(
        None, "--previous", help="上一年度的报告（文件或目录），用于跨年度检查。"
    ),
    members: list[str] = typer.Option(
        None, "--members", help="下级/成员机关的报告（文件或目录），用于汇总检查。"
    ),
    config: str = typer.Option(
        None, "--config", help="配置文件（默认查找 xxgk.toml 或 pyproject.toml 的 [tool.xxgk]）。"
    ),
) -> None:
    """检查报告；发现错误时退出码为 1，文件无法读取时为 2。"""
    try:
        settings = load_config(Path(config) if config else find_config())
        previous_reports = api.PreviousReports(api.load_reports(previous)) if previous else None
        member_reports = api.load_reports(members) if members else []
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None

    def run(path: str) -> Report:
        report = api.load_report(path)
        context = Context(
            previous=previous_reports.find(report) if previous_reports else None,
            members=member_reports,
            options=settings.options,
        )
        check_report(report, context, select=select or settings.select, ignore=ignore or settings.ignore)
        return report

    reports, unreadable = process_inputs(files, run)
    _emit_check(reports, fmt)
    threshold = SEVERITY_RANK[(fail_on.value if fail_on else settings.fail_on)]
    failed = any(SEVERITY_RANK[f.severity] <= threshold for r in reports if r for f in r.findings)
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_FINDINGS if failed else EXIT_OK)


def _emit_check(reports: list[Report | None], fmt: CheckFormat) -> None:
    if fmt is CheckFormat.json:
        emit_json(reports)
    elif fmt is CheckFormat.csv:
        from ..csvout import write_findings_csv

        write_findings_csv([r for r in reports if r is not None], sys.stdout)
    else:
        from ..show import print_check_results

        print_check_results([r for r in reports if r is not None])


@app.command()
def render(
    source: str = typer.Argument(
        ..., help="报告（YAML 源文件、xxgk.report/1 JSON，或任何可读取的报告文件）。"
    ),
    out: str = typer.Option(
        ..., "--output", "-o", help="输出文件；格式由扩展名决定：.docx、.html、.md、.pdf。"
    ),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    fragment: bool = typer.Option(False, "--fragment", help="HTML 只输出正文片段（便于粘贴到网站后台）。"),
) -> None:
    """按官方版式生成报告。

    生成前先检查，有错误或未填写的【请填写：…】时不生成（除非 --force）。"""
    try:
        render_checked(api.load_report(source), source, out, force=force, fragment=fragment)
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None


@app.command()
def schema() -> None:
    """输出 xxgk.report/1 的 JSON Schema。"""
    json.dump(report_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command()
def rules(
    code: str = typer.Argument(None, help="规则代码，如 XG101；省略则列出全部规则。"),
    markdown: bool = typer.Option(
        False, "--markdown", help="输出规则参考文档（Markdown，即 docs/rules.md）。"
    ),
) -> None:
    """列出检查规则，或解释其中一条。"""
    from ..show import print_rule, print_rules, rules_markdown

    if markdown:
        sys.stdout.write(rules_markdown(RULES.values()))
        return
    if code is None:
        print_rules(RULES.values())
        return
    rule = RULES.get(code.upper())
    if rule is None:
        error_line(f"没有代码为 {code} 的规则；运行 xxgk rules 查看全部规则")
        raise typer.Exit(EXIT_UNREADABLE)
    print_rule(rule)
