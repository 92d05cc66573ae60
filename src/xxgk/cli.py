"""Command line: thin verbs over the library (xxgk.api)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum

import typer

from . import api
from .check import RULES
from .errors import XxgkError
from .model import ERROR, Report
from .schema import report_schema

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="政府信息公开工作年度报告：读取、检查、编制。",
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


FILES = typer.Argument(
    ..., help="报告文件（文本或 xxgk.report/1 JSON）；目录表示其中所有报告；- 表示标准输入。"
)
FORMAT = typer.Option(OutputFormat.text, "--format", "-f", help="输出格式：text（中文摘要）或 json。")


def _process(paths: list[str], action: Callable[[str], Report]) -> tuple[list[Report | None], bool]:
    """Run `action` on each input; unreadable inputs print one line on stderr and give None."""
    results: list[Report | None] = []
    unreadable = False
    for path in api.expand_inputs(paths):
        try:
            results.append(action(path))
        except XxgkError as exc:
            unreadable = True
            results.append(None)
            _error_line(str(exc) if exc.path else f"{path}：{exc.message}")
        except Exception as exc:  # a bug must not show the user a traceback
            if os.environ.get("XXGK_DEBUG"):
                raise
            unreadable = True
            results.append(None)
            _error_line(f"{path}：内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    return results, unreadable


def _error_line(message: str) -> None:
    print(f"错误：{message}", file=sys.stderr)


def _emit_json(reports: list[Report | None]) -> None:
    data = [None if r is None else r.to_json() for r in reports]
    payload = data[0] if len(data) == 1 else data
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command()
def parse(files: list[str] = FILES, fmt: OutputFormat = FORMAT) -> None:
    """读取报告，输出结构化结果（不做检查）。"""
    reports, unreadable = _process(files, api.load_report)
    if fmt is OutputFormat.json:
        _emit_json(reports)
    else:
        from .show import print_parse_summary

        for report in reports:
            if report is not None:
                print_parse_summary(report)
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_OK)


@app.command()
def check(
    files: list[str] = FILES,
    fmt: OutputFormat = FORMAT,
    select: list[str] = typer.Option(None, "--select", help="只运行这些规则（代码或前缀，如 XG1）。"),
    ignore: list[str] = typer.Option(None, "--ignore", help="不运行这些规则（代码或前缀）。"),
) -> None:
    """检查报告：勾稽关系等规则；发现错误时退出码为 1，文件无法读取时为 2。"""
    reports, unreadable = _process(files, lambda p: api.check_path(p, select=select, ignore=ignore))
    if fmt is OutputFormat.json:
        _emit_json(reports)
    else:
        from .show import print_check_results

        print_check_results([r for r in reports if r is not None])
    has_error = any(f.severity == ERROR for r in reports if r for f in r.findings)
    raise typer.Exit(EXIT_UNREADABLE if unreadable else EXIT_FINDINGS if has_error else EXIT_OK)


@app.command()
def schema() -> None:
    """输出 xxgk.report/1 的 JSON Schema。"""
    json.dump(report_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command()
def rules(code: str = typer.Argument(None, help="规则代码，如 XG101；省略则列出全部规则。")) -> None:
    """列出检查规则，或解释其中一条。"""
    from .show import print_rule, print_rules

    if code is None:
        print_rules(RULES.values())
        return
    rule = RULES.get(code.upper())
    if rule is None:
        _error_line(f"没有代码为 {code} 的规则；运行 xxgk rules 查看全部规则")
        raise typer.Exit(EXIT_UNREADABLE)
    print_rule(rule)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
