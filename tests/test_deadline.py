"""The deadline engine against dates computed by hand from the official 2025/2026 schedules.

Schedules used (spec §5.1): 2025 — 元旦 1/1; 春节 1/28–2/4, work Sun 1/26, Sat 2/8; 清明 4/4–4/6;
劳动节 5/1–5/5, work Sun 4/27; 端午 5/31–6/2; 国庆+中秋 10/1–10/8, work Sun 9/28, Sat 10/11.
2026 — 元旦 1/1–1/3, work Sun 1/4; 春节 2/15–2/23, work Sat 2/14, Sat 2/28; 清明 4/4–4/6;
劳动节 5/1–5/5, work Sat 5/9; 端午 6/19–6/21; 中秋 9/25–9/27; 国庆 10/1–10/7, work Sun 9/20, Sat 10/10.
Counting starts the day after the event; "n" below is the running count of working days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.errors import InputError
from xxgk.ledger.calendar import WorkCalendar
from xxgk.ledger.deadline import (
    add_working_days,
    compute_deadline,
    correction_notice_deadline,
    fee_payment_deadline,
    format_day,
    merge_pauses,
)

D = dt.date.fromisoformat
CAL = WorkCalendar()  # package data only, whatever $XXGK_CALENDAR says

OVERRIDE_2027 = """\
2027:
  holidays: {2027-01-01: 元旦, 2027-02-06..2027-02-12: 春节}
  workdays: [2027-02-14]
"""


def due(received: str, **kw) -> str:
    return compute_deadline(D(received), calendar=kw.pop("calendar", CAL), **kw).due.isoformat()


# --- plain 20-working-day replies across every holiday of 2025/2026 --------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # 春节 2025: Mon 1/20. 1/21-1/24 n=1..4, Sun 1/26 worked n=5, Mon 1/27 n=6, 1/28-2/4 off,
        # 2/5-2/7 n=7..9, Sat 2/8 worked n=10, 2/10-2/14 n=11..15, 2/17-2/21 n=16..20.
        ("2025-01-20", "2025-02-21"),
        # 劳动节 2025: Fri 4/25. Sun 4/27 worked n=1, 4/28-4/30 n=2..4, 5/1-5/5 off, 5/6-5/9 n=5..8,
        # 5/12-5/16 n=9..13, 5/19-5/23 n=14..18, Mon 5/26 n=19, Tue 5/27 n=20.
        ("2025-04-25", "2025-05-27"),
        # 国庆 2025 (known anchor): Fri 9/26. Sun 9/28 n=1, 9/29-9/30 n=2..3, 10/1-10/8 off,
        # 10/9-10/10 n=4..5, Sat 10/11 n=6, 10/13-10/17 n=7..11, 10/20-10/24 n=12..16, 10/27-10/30 n=17..20.
        ("2025-09-26", "2025-10-30"),
        # Received on a weekend, Sat 9/27: counting starts Sun 9/28 (worked), so the same sequence as
        # above: 2025-10-30. (chinese_calendar.find_workday(20, d) wrongly gives 10/31 here.)
        ("2025-09-27", "2025-10-30"),
        # Received on a holiday, Fri 10/3: 10/4-10/8 off, 10/9-10/10 n=1..2, Sat 10/11 n=3,
        # 10/13-10/17 n=4..8, 10/20-10/24 n=9..13, 10/27-10/31 n=14..18, Mon 11/3 n=19, Tue 11/4 n=20.
        ("2025-10-03", "2025-11-04"),
        # 元旦 2026: Wed 12/24. 12/25-12/26 n=1..2, 12/29-12/31 n=3..5, 1/1-1/3 off, Sun 1/4 n=6,
        # 1/5-1/9 n=7..11, 1/12-1/16 n=12..16, 1/19-1/22 n=17..20.
        ("2025-12-24", "2026-01-22"),
        # 春节 2026 (known anchor): Tue 2/10. 2/11-2/13 n=1..3, Sat 2/14 n=4, 2/15-2/23 off,
        # 2/24-2/27 n=5..8, Sat 2/28 n=9, 3/2-3/6 n=10..14, 3/9-3/13 n=15..19, Mon 3/16 n=20.
        ("2026-02-10", "2026-03-16"),
        # 劳动节 2026: Tue 4/28. 4/29-4/30 n=1..2, 5/1-5/5 off, 5/6-5/8 n=3..5, Sat 5/9 n=6,
        # 5/11-5/15 n=7..11, 5/18-5/22 n=12..16, 5/25-5/28 n=17..20.
        ("2026-04-28", "2026-05-28"),
        # 中秋+国庆 2026: Tue 9/15. 9/16-9/18 n=1..3, Sun 9/20 n=4, 9/21-9/24 n=5..8, 9/25-9/27 off,
        # 9/28-9/30 n=9..11, 10/1-10/7 off, 10/8-10/9 n=12..13, Sat 10/10 n=14, 10/12-10/16 n=15..19,
        # Mon 10/19 n=20.
        ("2026-09-15", "2026-10-19"),
    ],
)
def test_reply_due_dates(received, expected):
    assert due(received) == expected


def test_explanation_reads_aloud_for_the_2025_national_day_anchor():
    result = compute_deadline(D("2025-09-26"), calendar=CAL)
    assert result.provisional is False
    assert result.explanation == [
        "收到申请：2025-09-26（星期五），自次日起算 20 个工作日",
        "国庆节、中秋节 2025-10-01 至 2025-10-08 不计",
        "2025-09-28（星期日）调休上班，计入",
        "2025-10-11（星期六）调休上班，计入",
        "周末不计",
        "答复期限：2025-10-30（星期四）",
    ]


def test_explanation_for_2026_autumn_lists_both_runs_and_both_makeup_days():
    lines = compute_deadline(D("2026-09-15"), calendar=CAL).explanation
    assert lines == [
        "收到申请：2026-09-15（星期二），自次日起算 20 个工作日",
        "中秋节 2026-09-25 至 2026-09-27 不计",
        "国庆节 2026-10-01 至 2026-10-07 不计",
        "2026-09-20（星期日）调休上班，计入",
        "2026-10-10（星期六）调休上班，计入",
        "周末不计",
        "答复期限：2026-10-19（星期一）",
    ]


def test_receipt_on_a_holiday_names_it_and_clips_the_run():
    lines = compute_deadline(D("2025-10-03"), calendar=CAL).explanation
    assert lines[0] == "收到申请：2025-10-03（星期五，国庆节），自次日起算 20 个工作日"
    assert lines[1] == "国庆节、中秋节 2025-10-04 至 2025-10-08 不计"
    weekend = compute_deadline(D("2025-09-27"), calendar=CAL).explanation[0]
    assert weekend == "收到申请：2025-09-27（星期六，周末），自次日起算 20 个工作日"


def test_no_weekend_no_lines():
    # Mon 2025-03-03 + 3: Tue, Wed, Thu.
    result = compute_deadline(D("2025-03-03"), days=3, calendar=CAL)
    assert result.explanation == [
        "收到申请：2025-03-03（星期一），自次日起算 3 个工作日",
        "答复期限：2025-03-06（星期四）",
    ]


# --- 补正 restart, pauses, extension ------------------------------------------------------


def test_correction_restarts_the_clock():
    # Received Thu 10/9, corrected application Tue 10/14: count from 10/15. 10/15-10/17 n=1..3,
    # 10/20-10/24 n=4..8, 10/27-10/31 n=9..13, 11/3-11/7 n=14..18, 11/10 n=19, 11/11 n=20.
    # Without the restart: Fri 10/10 n=1, Sat 10/11 n=2, ... Wed 11/5 n=20.
    assert due("2025-10-09") == "2025-11-05"
    result = compute_deadline(D("2025-10-09"), restarted=D("2025-10-14"), calendar=CAL)
    assert result.due == D("2025-11-11")
    assert result.explanation[:2] == [
        "收到申请：2025-10-09（星期四）",
        "补正材料 2025-10-14（星期二）收到，自次日重新起算 20 个工作日（条例第三十条）",
    ]
    # A restart before a holiday: corrected Fri 9/26 gives the anchor 2025-10-30.
    assert due("2025-09-20", restarted=D("2025-09-26")) == "2025-10-30"


def test_consultation_pause():
    # Anchor 2026-02-10 reached n=9 on Sat 2/28. Pause Mon 3/2 - Fri 3/13 (10 working days) skipped:
    # 3/16-3/20 n=10..14, 3/23-3/27 n=15..19, Mon 3/30 n=20.
    result = compute_deadline(D("2026-02-10"), pauses=[(D("2026-03-02"), D("2026-03-13"))], calendar=CAL)
    assert result.due == D("2026-03-30")
    assert result.explanation[1] == "征求意见 2026-03-02 至 2026-03-13 不计（条例第三十三条第三款）"
    assert result.explanation[-1] == "答复期限：2026-03-30（星期一）"
    # Overlapping pieces of the same consultation are merged into one pause.
    split = [(D("2026-03-05"), D("2026-03-13")), (D("2026-03-02"), D("2026-03-06"))]
    assert compute_deadline(D("2026-02-10"), pauses=split, calendar=CAL).explanation == result.explanation


def test_pause_and_extension():
    # Original due 3/30 as above; the extension counts from Tue 3/31: 3/31-4/3 n=1..4, 4/4-4/6 清明 off,
    # 4/7-4/10 n=5..8, 4/13-4/17 n=9..13, 4/20-4/24 n=14..18, Mon 4/27 n=19, Tue 4/28 n=20.
    result = compute_deadline(
        D("2026-02-10"), pauses=[(D("2026-03-02"), D("2026-03-13"))], extended=True, calendar=CAL
    )
    assert result.due == D("2026-04-28")
    assert "清明节 2026-04-04 至 2026-04-06 不计" in result.explanation
    assert result.explanation[-2:] == [
        "经批准延期 20 个工作日（条例第三十三条第二款），自原期限 2026-03-30 次日起算",
        "答复期限：2026-04-28（星期二）",
    ]


def test_extension_alone():
    # From 10/30: Fri 10/31 n=1, 11/3-11/7 n=2..6, 11/10-11/14 n=7..11, 11/17-11/21 n=12..16,
    # 11/24-11/27 n=17..20.
    assert due("2025-09-26", extended=True) == "2025-11-27"


def test_pause_inside_the_extension_also_stops_the_clock():
    # Pause Mon 11/3 - Fri 11/7 lies after the original due date 10/30: the extension skips it too.
    # Fri 10/31 n=1, 11/10-11/14 n=2..6, 11/17-11/21 n=7..11, 11/24-11/28 n=12..16, 12/1-12/4 n=17..20.
    pause = [(D("2025-11-03"), D("2025-11-07"))]
    assert due("2025-09-26", extended=True, pauses=pause) == "2025-12-04"
    # Without the extension the same pause starts after the period ran out: no effect.
    result = compute_deadline(D("2025-09-26"), pauses=pause, calendar=CAL)
    assert result.due == D("2025-10-30")
    assert result.explanation[1] == "征求意见 2025-11-03 至 2025-11-07 开始于期限届满之后，不影响期限"


def test_pause_across_the_original_due_date_moves_it():
    # Pause Tue 10/28 - Mon 11/3: count reached n=17 on Mon 10/27; 11/4-11/6 n=18..20, so the
    # original due date is Thu 11/6. Extension from Fri 11/7: 11/7 n=1, 11/10-11/14 n=2..6,
    # 11/17-11/21 n=7..11, 11/24-11/28 n=12..16, 12/1-12/4 n=17..20.
    result = compute_deadline(
        D("2025-09-26"), pauses=[(D("2025-10-28"), D("2025-11-03"))], extended=True, calendar=CAL
    )
    assert result.due == D("2025-12-04")
    assert (
        "经批准延期 20 个工作日（条例第三十三条第二款），自原期限 2025-11-06 次日起算" in result.explanation
    )


def test_pause_before_the_restart_does_not_count():
    # Consultation Fri 10/10 - Mon 10/13, corrected application Tue 10/14: the clock restarts after
    # the pause, so the pause changes nothing (due 11/11 as in the restart case).
    result = compute_deadline(
        D("2025-10-09"), restarted=D("2025-10-14"), pauses=[(D("2025-10-10"), D("2025-10-13"))], calendar=CAL
    )
    assert result.due == D("2025-11-11")
    assert (
        result.explanation[2]
        == "征求意见 2025-10-10 至 2025-10-13 在起算日 2025-10-14 之前（含当日），不影响期限"
    )


def test_pause_straddling_the_restart_counts_only_after_it():
    # Pause Mon 10/13 - Fri 10/17, restart Tue 10/14: only 10/15-10/17 are skipped. Count from
    # 10/20: 10/20-10/24 n=1..5, 10/27-10/31 n=6..10, 11/3-11/7 n=11..15, 11/10-11/14 n=16..20.
    result = compute_deadline(
        D("2025-10-09"), restarted=D("2025-10-14"), pauses=[(D("2025-10-13"), D("2025-10-17"))], calendar=CAL
    )
    assert result.due == D("2025-11-14")
    assert result.explanation[2] == (
        "征求意见 2025-10-13 至 2025-10-17 中 2025-10-15 至 2025-10-17 不计（条例第三十三条第三款），"
        "起算日 2025-10-14 及以前的部分不影响期限"
    )


# --- the other statutory windows ----------------------------------------------------------


def test_correction_notice_within_seven_working_days():
    # Fri 9/26: Sun 9/28 n=1, 9/29-9/30 n=2..3, 10/1-10/8 off, 10/9-10/10 n=4..5, Sat 10/11 n=6, Mon 10/13 n=7.
    result = correction_notice_deadline(D("2025-09-26"), calendar=CAL)
    assert result.due == D("2025-10-13")
    assert (
        result.explanation[0]
        == "收到申请：2025-09-26（星期五），补正通知应自次日起 7 个工作日内发出（条例第三十条）"
    )
    assert result.explanation[-1] == "补正通知期限：2025-10-13（星期一）"
    # Thu 2026-02-12: Fri 2/13 n=1, Sat 2/14 n=2, 2/15-2/23 off, 2/24-2/27 n=3..6, Sat 2/28 n=7 —
    # the last day is a worked Saturday.
    assert correction_notice_deadline(D("2026-02-12"), calendar=CAL).due == D("2026-02-28")


def test_fee_payment_window():
    # Notice received Tue 2026-04-28: same count as the 劳动节 2026 reply case, 2026-05-28.
    result = fee_payment_deadline(D("2026-04-28"), calendar=CAL)
    assert result.due == D("2026-05-28")
    assert result.explanation[-1] == "缴费期限：2026-05-28（星期四）"


# --- years without data, and the override file --------------------------------------------


def test_deadline_into_2027_is_provisional_weekdays_only():
    # Thu 2026-12-10: Fri 12/11 n=1, 12/14-12/18 n=2..6, 12/21-12/25 n=7..11, 12/28-12/31 n=12..15,
    # Fri 2027-01-01 counted (no data) n=16, 1/4-1/7 n=17..20.
    result = compute_deadline(D("2026-12-10"), calendar=CAL)
    assert result.due == D("2027-01-07") and result.provisional is True
    assert result.explanation[-2:] == [
        "2027 年的节假日安排尚未公布，按周一至周五计算，结果为临时期限；公布后请更新日历（--calendar）",
        "答复期限：2027-01-07（星期四，临时期限）",
    ]


def test_override_file_makes_2027_exact(tmp_path: Path):
    path = tmp_path / "2027.yaml"
    path.write_text(OVERRIDE_2027, encoding="utf-8")
    cal = WorkCalendar.from_file(path)
    # 1/1 元旦 now off, 1/2-1/3 weekend: 1/4-1/8 n=16..20.
    result = compute_deadline(D("2026-12-10"), calendar=cal)
    assert result.due == D("2027-01-08") and result.provisional is False
    assert "元旦 2027-01-01 至 2027-01-03 不计" in result.explanation
    assert result.explanation[-1] == "答复期限：2027-01-08（星期五）"
    # Across 春节 2027 (Mon 2/1): 2/2-2/5 n=1..4, 2/6-2/12 off, Sat 2/13 off, Sun 2/14 worked n=5,
    # 2/15-2/19 n=6..10, 2/22-2/26 n=11..15, 3/1-3/5 n=16..20.
    assert compute_deadline(D("2027-02-01"), calendar=cal).due == D("2027-03-05")
    # Without the file (weekdays only): 2/2-2/5, 2/8-2/12, 2/15-2/19, 2/22-2/26 n=1..19, Mon 3/1 n=20.
    plain = compute_deadline(D("2027-02-01"), calendar=CAL)
    assert plain.due == D("2027-03-01") and plain.provisional


def test_bad_override_file_is_an_input_error(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("2027:\n  holidays: [2027-13-01]\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        WorkCalendar.from_file(path)
    assert str(info.value) == (
        f"{path}：2027 年 holidays 中的“2027-13-01”不是日期（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）"
    )


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "答复期限的工作日数应为 1 到 1000 之间的整数，而不是“0”"),
        ({"extended": True, "extension_days": -1}, "延期的工作日数应为 1 到 1000 之间的整数，而不是“-1”"),
        ({"restarted": D("2025-09-01")}, "补正材料收到日期 2025-09-01 早于收到申请日期 2025-09-26"),
        (
            {"pauses": [(D("2025-10-20"), D("2025-10-10"))]},
            "征求意见结束日期 2025-10-10 早于开始日期 2025-10-20",
        ),
    ],
)
def test_inconsistent_arguments_raise_input_error(kwargs, message):
    with pytest.raises(InputError) as info:
        compute_deadline(D("2025-09-26"), calendar=CAL, **kwargs)
    assert str(info.value) == message


def test_overflow_is_an_input_error():
    with pytest.raises(InputError, match="超出可计算的范围"):
        compute_deadline(D("9999-12-20"), calendar=CAL)


def test_helpers():
    assert format_day(D("2025-10-01")) == "2025-10-01（星期三）"
    assert format_day(D("2025-10-01"), CAL) == "2025-10-01（星期三，国庆节）"
    assert format_day(D("2025-09-28"), CAL) == "2025-09-28（星期日，调休上班）"
    assert merge_pauses([(D("2025-01-06"), D("2025-01-07")), (D("2025-01-08"), D("2025-01-09"))]) == [
        (D("2025-01-06"), D("2025-01-09"))
    ]
    assert add_working_days(D("2025-09-26"), 20, CAL) == D("2025-10-30")


# --- properties ---------------------------------------------------------------------------

starts = st.dates(dt.date(2024, 6, 1), dt.date(2027, 6, 30))


@given(starts, st.integers(1, 45), st.integers(1, 60), st.integers(0, 30))
@settings(max_examples=300, deadline=None)
def test_pause_of_k_working_days_moves_due_by_k(received, days, offset, length):
    plain = compute_deadline(received, days=days, calendar=CAL)
    assert CAL.is_workday(plain.due) and plain.due > received
    first = received + dt.timedelta(days=offset)
    if first > plain.due:  # only a pause that starts within the period can move it
        first = plain.due
    last = first + dt.timedelta(days=length)
    k = sum(CAL.is_workday(first + dt.timedelta(days=i)) for i in range(length + 1))
    paused = compute_deadline(received, days=days, pauses=[(first, last)], calendar=CAL)
    assert CAL.is_workday(paused.due) and paused.due > last
    expected = add_working_days(plain.due, k, CAL) if k else plain.due
    assert paused.due == expected


@given(starts, st.integers(1, 30), st.integers(1, 30))
@settings(max_examples=200, deadline=None)
def test_extension_equals_one_longer_count(received, days, extension):
    extended = compute_deadline(received, days=days, extended=True, extension_days=extension, calendar=CAL)
    assert extended.due == add_working_days(received, days + extension, CAL)
    assert extended.provisional == any(not CAL.known(y) for y in range(received.year, extended.due.year + 1))


@given(starts, st.integers(1, 40))
@settings(max_examples=200, deadline=None)
def test_due_is_the_nth_working_day_strictly_after_the_start(received, days):
    result = compute_deadline(received, days=days, calendar=CAL)
    span = [received + dt.timedelta(days=i) for i in range(1, (result.due - received).days + 1)]
    assert result.due > received and CAL.is_workday(result.due)
    assert sum(CAL.is_workday(d) for d in span) == days
