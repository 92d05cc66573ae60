"""What every command shares: the Typer app, exit codes, error lines, JSON output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from ..errors import XxgkError
from . import fastargs

fastargs.install()  # start-up: plain values coerced without pydantic (see fastargs.py)

if TYPE_CHECKING:  # start-up: each command imports the library parts it uses, when it runs
    from ..model import Report

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
    jsonl = "jsonl"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


FILES = typer.Argument(
    ..., help="报告文件（文本或 xxgk.report/1 JSON）；目录表示其中所有报告；- 表示标准输入。"
)
FORMAT = typer.Option(
    OutputFormat.text, "--format", "-f", help="输出格式：text（中文摘要）、json 或 jsonl（每行一份）。"
)


def process_inputs(paths: list[str], action: Callable[[str], Report]) -> tuple[list[Report | None], bool]:
    """Run `action` on each input; unreadable inputs print one line on stderr and give None."""
    from .. import api

    results: list[Report | None] = []
    unreadable = False
    for path in api.expand_inputs(paths):
        try:
            results.append(action(path))
        except XxgkError as exc:
            unreadable = True
            results.append(None)
            error_line(str(exc) if exc.path else f"{path}：{exc.message}")
        except Exception as exc:  # a bug must not show the user a traceback
            if os.environ.get("XXGK_DEBUG"):
                raise
            unreadable = True
            results.append(None)
            error_line(f"{path}：内部错误（{type(exc).__name__}: {exc}），请报告此问题")
    return results, unreadable


def error_line(message: str) -> None:
    print(f"错误：{message}", file=sys.stderr)


def emit_json(reports: list[Report | None]) -> None:
    data = [None if r is None else r.to_json() for r in reports]
    payload = data[0] if len(data) == 1 else data
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
