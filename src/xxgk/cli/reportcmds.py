"""Commands over reports: parse, check, render, schema, rules."""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path

import typer

from ..errors import XxgkError
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
    error_line,
)
from .compilecmds import FORCE_HELP

# Start-up: the library parts a command uses are imported when it runs (`xxgk check one.txt`
# never loads the renderers, the ledger or the YAML source code).

JOBS = typer.Option(1, "--jobs", "-j", min=1, help="同时使用的进程数（输出仍按输入顺序）。")


@app.command()
def parse(files: list[str] = FILES, fmt: OutputFormat = FORMAT, jobs: int = JOBS) -> None:
    """读取报告，输出结构化结果（不做检查）。"""
    from .. import api
    from . import reporttasks

    paths = api.expand_inputs(files)
    task = partial(reporttasks.parse_task, fmt=fmt.value, single=len(paths) == 1, color=_color())
    unreadable, _ = _stream(paths, task, fmt.value, summary=None)
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_OK)


@app.command()
def check(
    files: list[str] = FILES,
    fmt: CheckFormat = typer.Option(
        CheckFormat.text, "--format", "-f", help="输出格式：text、json、jsonl（每行一份）或 csv。"
    ),
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
    jobs: int = JOBS,
) -> None:
    """检查报告；发现错误时退出码为 1，文件无法读取时为 2。"""
    from .. import api
    from ..config import find_config, load_config
    from . import reporttasks

    try:
        settings = load_config(Path(config) if config else find_config())
        setup = reporttasks.CheckSetup(
            select=tuple(select or settings.select or ()),
            ignore=tuple(ignore or settings.ignore or ()),
            options=dict(settings.options),
            previous=tuple(previous or ()),
            members=tuple(members or ()),
        )
        reporttasks.load_context(setup)  # unreadable --previous/--members stop here, once
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
    paths = api.expand_inputs(files)
    task = partial(reporttasks.check_task, setup=setup, fmt=fmt.value, single=len(paths) == 1, color=_color())
    unreadable, severities = _stream(paths, task, fmt.value, summary="check", jobs=jobs)
    threshold = SEVERITY_RANK[(fail_on.value if fail_on else settings.fail_on)]
    failed = any(SEVERITY_RANK[s] <= threshold for s in severities)
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_FINDINGS if failed else EXIT_OK)


def _color() -> bool:
    return sys.stdout.isatty()


def _stream(paths: list[str], task, fmt: str, summary: str | None, jobs: int = 1) -> tuple[bool, set[str]]:
    """Write each outcome as it is ready; returns (any unreadable, severities seen)."""
    from .stream import Progress, run, write_json_stream

    out = sys.stdout
    progress = Progress(len(paths))
    unreadable, seen, totals, readable = False, set(), {}, 0
    outcomes = run(paths, task, jobs)
    if fmt == "json":
        outcomes = write_json_stream(outcomes, single=len(paths) == 1, out=out)
    elif fmt == "csv":
        from ..csvout import csv_header

        out.write(csv_header())
    try:
        for item in outcomes:
            progress.advance()
            if item.error:
                unreadable = True
                error_line(item.error)
                if fmt == "jsonl":
                    out.write(json.dumps({"path": item.path, "error": item.error}, ensure_ascii=False) + "\n")
                continue
            readable += 1
            if fmt != "json":
                out.write(item.output)
            out.flush()
            for severity, n in item.severities.items():
                seen.add(severity)
                totals[severity] = totals.get(severity, 0) + n
    finally:
        progress.close()
    if summary == "check" and fmt == "text":
        from ..show import check_summary

        out.write(check_summary(readable, totals) + "\n")
    return unreadable, seen


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
    from .. import api
    from .compilecmds import render_checked

    try:
        render_checked(api.load_report(source), source, out, force=force, fragment=fragment)
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None


@app.command()
def schema() -> None:
    """输出 xxgk.report/1 的 JSON Schema。"""
    from ..schema import report_schema

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
    from ..check import RULES
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
