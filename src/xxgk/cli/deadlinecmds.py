"""The `deadline` command: the reply deadline of one application, explained line by line."""

from __future__ import annotations

import datetime as dt
import json
import re

import typer

from ..errors import XxgkError
from .common import EXIT_UNREADABLE, FORMAT, OutputFormat, app, error_line
from .lettercmds import CALENDAR_ENV  # the ledger's calendar loads when the command runs

_PAUSE_SPLIT = re.compile(r"\s*(?:\.\.|:|：|~|～|至)\s*")


@app.command()
def deadline(
    received: str = typer.Argument(..., help="收到申请的日期，如 2025-09-26。"),
    days: str = typer.Option("20", "--days", help="期限的工作日数（条例第三十三条：20）。"),
    extend: bool = typer.Option(False, "--extend", help="经批准延期 20 个工作日（条例第三十三条第二款）。"),
    pause: list[str] = typer.Option(
        None,
        "--pause",
        help="征求意见期间“开始:结束”（含首尾，如 2026-03-02:2026-03-13），不计入期限；可重复。",
    ),
    corrected: str = typer.Option(
        None, "--corrected", help="补正材料收到日期；期限自次日重新起算（条例第三十条）。"
    ),
    calendar: str = typer.Option(
        None, "--calendar", help=f"节假日覆盖文件（YAML）；默认取环境变量 {CALENDAR_ENV}。"
    ),
    fmt: OutputFormat = FORMAT,
) -> None:
    """计算依申请公开的答复期限（工作日，扣除节假日、计入调休上班），并逐条说明。"""
    from ..ledger.calendar import load_calendar
    from ..ledger.deadline import compute_deadline

    try:
        result = compute_deadline(
            _date(received, "收到申请日期"),
            days=_days(days),
            restarted=_date(corrected, "--corrected") if corrected else None,
            pauses=[_pause(p) for p in pause or []],
            extended=extend,
            calendar=load_calendar(calendar),
        )
    except XxgkError as exc:
        error_line(str(exc))
        raise typer.Exit(EXIT_UNREADABLE) from None
    if fmt is OutputFormat.json:
        payload = {"due": result.due.isoformat(), "provisional": result.provisional}
        payload["explanation"] = result.explanation
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print("\n".join(result.explanation))


def _date(text: str, what: str) -> dt.date:
    from ..ledger.calendar import parse_day

    day = parse_day(text)
    if day is None:
        raise XxgkError(f"{what}“{text}”不是有效日期（应为 YYYY-MM-DD，如 2025-09-26）")
    return day


def _days(text: str) -> int:
    if not text.strip().isdecimal():
        raise XxgkError(f"--days “{text}”应为正整数，如 20")
    return int(text)


def _pause(text: str) -> tuple[dt.date, dt.date]:
    parts = _PAUSE_SPLIT.split(text.strip())
    if len(parts) != 2:
        raise XxgkError(f"--pause “{text}”应为“开始:结束”，如 2026-03-02:2026-03-13")
    first, last = _date(parts[0], "--pause 开始日期"), _date(parts[1], "--pause 结束日期")
    if last < first:
        raise XxgkError(f"--pause “{text}”：结束日期早于开始日期")
    return first, last
