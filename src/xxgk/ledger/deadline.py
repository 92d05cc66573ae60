"""Statutory deadlines in working days (条例 Art. 30, 33; 国办函〔2020〕109号), explained.

Counting rules (spec §4.1):
* The day of the event is not counted; counting starts the next calendar day (民法典 Art. 201).
* Reply: 20 working days from receipt; an approved extension adds 20 more, counted from the
  day after the original due date (Art. 33 ¶2).
* 补正: the reply period restarts from receipt of the corrected application (Art. 30) — the
  days before it do not carry over.
* Consultation (Art. 33 ¶3) pauses the clock: working days inside a pause are not counted.

How pauses combine with restart and extension (a decision, tested in tests/test_deadline.py):
* Only days after the start (receipt, or receipt of the corrected application) can be paused.
  A pause that ends on or before the start has no effect; one that straddles the start skips
  only its days after the start — before it the clock was not running, so there is nothing
  to stop.
* A pause stops the whole clock, the extension included: its working days are skipped wherever
  they fall, before or after the original due date. The original due date is itself counted
  with the pauses, and the extension runs from the day after it.
* A pause that starts after the (final) due date has no effect: the period had already run out.
* Overlapping or adjacent pauses are merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError
from .calendar import HOLIDAY, MAKEUP, PACKAGE_YEARS, WEEKEND, WORK, WorkCalendar, default_calendar

ONE_DAY = dt.timedelta(days=1)
WEEKDAYS = "一二三四五六日"
MAX_DAYS = 1000

Pause = tuple[dt.date, dt.date]


@dataclass
class Deadline:
    due: dt.date
    provisional: bool  # a day past the calendar's known years was counted Mon–Fri
    explanation: list[str]  # Chinese lines a clerk can read aloud; the last one names the due date


def format_day(day: dt.date, calendar: WorkCalendar | None = None) -> str:
    """A day as read aloud, "2025-09-26（星期五）"; with a calendar, a non-working day also says why."""
    weekday = f"星期{WEEKDAYS[day.weekday()]}"
    if calendar is not None and calendar.kind(day) != WORK:
        weekday += f"，{calendar.describe(day)}"
    return f"{day.isoformat()}（{weekday}）"


def add_working_days(
    start: dt.date, n: int, calendar: WorkCalendar | None = None, pauses: Sequence[Pause] = ()
) -> dt.date:
    """The n-th working day after `start` (the day of `start` itself is never counted),
    skipping the days of `pauses` (inclusive intervals)."""
    return _add(start, n, calendar or default_calendar(), merge_pauses(pauses))


def merge_pauses(pauses: Sequence[Pause]) -> list[Pause]:
    """Sorted, non-overlapping pauses; overlapping or adjacent ones become one."""
    merged: list[Pause] = []
    for first, last in sorted(pauses):
        if last < first:
            raise InputError(f"征求意见结束日期 {last.isoformat()} 早于开始日期 {first.isoformat()}")
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def compute_deadline(
    received: dt.date,
    *,
    days: int = 20,
    restarted: dt.date | None = None,
    pauses: Sequence[Pause] = (),
    extended: bool = False,
    extension_days: int = 20,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The reply deadline of an application, with the explanation of how it was counted."""
    _check_days(days, "答复期限")
    if extended:
        _check_days(extension_days, "延期")
    if restarted is not None and restarted < received:
        raise InputError(f"补正材料收到日期 {restarted.isoformat()} 早于收到申请日期 {received.isoformat()}")
    cal = calendar or default_calendar()
    head = [f"收到申请：{format_day(received, cal)}"]
    if restarted is None:
        head[0] += f"，自次日起算 {days} 个工作日"
    else:
        head.append(
            f"补正材料 {format_day(restarted, cal)}收到，自次日重新起算 {days} 个工作日（条例第三十条）"
        )
    start = restarted or received
    return _deadline(
        cal, start, days, merge_pauses(pauses), extension_days if extended else 0, head, "答复期限"
    )


def correction_notice_deadline(received: dt.date, calendar: WorkCalendar | None = None) -> Deadline:
    """Last day to send the one-time 补正 notice: 7 working days from receipt (条例 Art. 30)."""
    cal = calendar or default_calendar()
    head = [f"收到申请：{format_day(received, cal)}，补正通知应自次日起 7 个工作日内发出（条例第三十条）"]
    return _deadline(cal, received, 7, [], 0, head, "补正通知期限")


def fee_payment_deadline(notice_received: dt.date, calendar: WorkCalendar | None = None) -> Deadline:
    """Last day to pay a 信息处理费: 20 working days from the day after the notice was received."""
    cal = calendar or default_calendar()
    head = [
        f"收到收费通知：{format_day(notice_received, cal)}，"
        "应自次日起 20 个工作日内缴费（国办函〔2020〕109号）"
    ]
    return _deadline(cal, notice_received, 20, [], 0, head, "缴费期限")


def _check_days(days: int, what: str) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InputError(f"{what}的工作日数应为 1 到 {MAX_DAYS} 之间的整数，而不是“{days}”")


def _add(start: dt.date, n: int, cal: WorkCalendar, pauses: list[Pause]) -> dt.date:
    day, counted, i = start, 0, 0
    while counted < n:
        day += ONE_DAY
        while i < len(pauses) and pauses[i][1] < day:
            i += 1
        if i < len(pauses) and pauses[i][0] <= day:
            day = pauses[i][1]  # jump over the pause; its days never count
            continue
        if cal.is_workday(day):
            counted += 1
    return day


def _deadline(
    cal: WorkCalendar,
    start: dt.date,
    days: int,
    pauses: list[Pause],
    extension: int,
    head: list[str],
    label: str,
) -> Deadline:
    try:
        original = _add(start, days, cal, pauses)
        due = _add(original, extension, cal, pauses)
    except OverflowError:
        raise InputError(f"日期 {start.isoformat()} 加上期限后超出可计算的范围") from None
    lines = head + _pause_lines(pauses, start, due) + _calendar_lines(cal, start, due)
    if extension:
        lines.append(
            f"经批准延期 {extension} 个工作日（条例第三十三条第二款），自原期限 {original.isoformat()} 次日起算"
        )
    unknown = sorted({y for y in range((start + ONE_DAY).year, due.year + 1) if not cal.known(y)})
    if unknown:
        lines.append(_provisional_line(unknown))
    final = format_day(due)
    lines.append(f"{label}：{final[:-1]}，临时期限）" if unknown else f"{label}：{final}")
    return Deadline(due, bool(unknown), lines)


def _span(first: dt.date, last: dt.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}"


def _pause_lines(pauses: list[Pause], start: dt.date, due: dt.date) -> list[str]:
    lines = []
    for first, last in pauses:
        whole = _span(first, last)
        if last <= start:
            lines.append(f"征求意见 {whole} 在起算日 {start.isoformat()} 之前（含当日），不影响期限")
        elif first > due:
            lines.append(f"征求意见 {whole} 开始于期限届满之后，不影响期限")
        elif first <= start:
            lines.append(
                f"征求意见 {whole} 中 {_span(start + ONE_DAY, last)} 不计（条例第三十三条第三款），"
                f"起算日 {start.isoformat()} 及以前的部分不影响期限"
            )
        else:
            lines.append(f"征求意见 {whole} 不计（条例第三十三条第三款）")
    return lines


def _calendar_lines(cal: WorkCalendar, start: dt.date, due: dt.date) -> list[str]:
    """Holiday runs (with names), worked weekend days, and whether plain weekends were skipped."""
    holidays, makeups, weekends = [], [], False
    first = start + ONE_DAY
    kinds = cal.kinds(first, due) + bytes([WORK])  # a sentinel working day closes the last run
    run_start = None
    for offset, kind in enumerate(kinds):
        if kind in (WEEKEND, HOLIDAY):
            run_start = offset if run_start is None else run_start
            continue
        if run_start is not None:
            run = [first + dt.timedelta(days=i) for i in range(run_start, offset) if kinds[i] == HOLIDAY]
            if run:
                names = list(dict.fromkeys(cal.describe(day) for day in run))
                span = _span(first + dt.timedelta(days=run_start), first + dt.timedelta(days=offset - 1))
                holidays.append(f"{'、'.join(names)} {span} 不计")
            else:
                weekends = True
            run_start = None
        if kind == MAKEUP:
            makeups.append(f"{format_day(first + dt.timedelta(days=offset))}调休上班，计入")
    return holidays + makeups + (["周末不计"] if weekends else [])


def _provisional_line(years: list[int]) -> str:
    text = "、".join(str(y) for y in years)
    if all(y > PACKAGE_YEARS[1] for y in years):
        return (
            f"{text} 年的节假日安排尚未公布，按周一至周五计算，结果为临时期限；公布后请更新日历（--calendar）"
        )
    return f"日历中没有 {text} 年的节假日安排，按周一至周五计算，结果为临时期限；请补充日历（--calendar）"
