"""The working-day calendar: package data in Chinese, provisional years, the override file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.errors import InputError
from xxgk.ledger import calendar as calmod
from xxgk.ledger.calendar import HOLIDAY, MAKEUP, WEEKEND, WORK, WorkCalendar, load_calendar, parse_day

D = dt.date.fromisoformat
CAL = WorkCalendar()


def write(tmp_path: Path, text: str, name: str = "cal.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- package data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "workday", "text"),
    [
        # 2025 official schedule (国办发明电〔2024〕12号) as listed in spec §5.1 / libraries §7.
        ("2025-01-01", False, "元旦"),
        ("2025-01-26", True, "调休上班"),  # Sunday worked for 春节
        ("2025-01-28", False, "春节"),
        ("2025-02-04", False, "春节"),  # last day of 春节 (Tuesday)
        ("2025-02-08", True, "调休上班"),  # Saturday worked for 春节
        ("2025-04-27", True, "调休上班"),  # Sunday worked for 劳动节
        ("2025-05-05", False, "劳动节"),
        ("2025-09-28", True, "调休上班"),
        ("2025-10-04", False, "国庆节"),  # a Saturday inside the 国庆 run keeps the holiday name
        ("2025-10-06", False, "中秋节"),
        ("2025-10-08", False, "国庆节"),
        ("2025-10-11", True, "调休上班"),
        ("2025-10-12", False, "周末"),
        ("2025-10-13", True, "工作日"),
        # 2026 (国务院 2025-11-04 notice).
        ("2026-01-03", False, "元旦"),
        ("2026-01-04", True, "调休上班"),
        ("2026-02-14", True, "调休上班"),
        ("2026-02-15", False, "春节"),
        ("2026-02-23", False, "春节"),
        ("2026-02-28", True, "调休上班"),
        ("2026-04-06", False, "清明节"),
        ("2026-05-05", False, "劳动节"),
        ("2026-05-09", True, "调休上班"),
        ("2026-06-19", False, "端午节"),
        ("2026-09-20", True, "调休上班"),
        ("2026-09-25", False, "中秋节"),
        ("2026-10-07", False, "国庆节"),
        ("2026-10-10", True, "调休上班"),
        ("2015-09-03", False, "抗战胜利70周年纪念日"),
    ],
)
def test_official_days_and_their_chinese_names(day, workday, text):
    assert CAL.is_workday(D(day)) is workday
    assert CAL.describe(D(day)) == text
    assert not CAL.provisional(D(day))


def test_every_day_2004_to_2026_agrees_with_the_package():
    day, differences = dt.date(2004, 1, 1), []
    while day.year <= 2026:
        if CAL.is_workday(day) != chinese_calendar.is_workday(day):
            differences.append(day)
        day += dt.timedelta(days=1)
    assert differences == []
    assert calmod.PACKAGE_YEARS == (2004, 2026)


def test_every_package_holiday_name_is_translated():
    assert set(chinese_calendar.holidays.values()) <= set(calmod.HOLIDAY_NAMES)


def test_unknown_years_fall_back_to_weekdays_and_are_provisional():
    assert not CAL.known(2027) and not CAL.known(2003) and CAL.known(2004) and CAL.known(2026)
    # 2027-01-01 is a Friday: New Year's Day in reality, but without data it is a working day.
    assert CAL.is_workday(D("2027-01-01")) and CAL.describe(D("2027-01-01")) == "工作日"
    assert not CAL.is_workday(D("2027-01-02")) and CAL.describe(D("2027-01-02")) == "周末"
    assert CAL.provisional(D("2027-01-01")) and not CAL.provisional(D("2026-12-31"))


def test_kinds_slice_crosses_years():
    kinds = CAL.kinds(D("2026-12-30"), D("2027-01-04"))
    # Wed, Thu (2026, known), Fri 1/1, Sat, Sun, Mon (2027, weekday fallback)
    assert list(kinds) == [WORK, WORK, WORK, WEEKEND, WEEKEND, WORK]
    assert list(CAL.kinds(D("2026-02-13"), D("2026-02-15"))) == [WORK, MAKEUP, HOLIDAY]


@given(st.dates(dt.date(2020, 1, 1), dt.date(2028, 12, 31)), st.integers(0, 800))
@settings(max_examples=200, deadline=None)
def test_kinds_slice_equals_day_by_day(first, length):
    last = first + dt.timedelta(days=length)
    expected = [CAL.kind(first + dt.timedelta(days=i)) for i in range(length + 1)]
    assert list(CAL.kinds(first, last)) == expected


# --- the override file -------------------------------------------------------------------

EXAMPLE = """\
2027:
  holidays: {2027-01-01: 元旦, 2027-02-06..2027-02-12: 春节}   # or a list; ranges allowed
  workdays: [2027-02-14]                                          # 调休上班
"""


def test_override_makes_a_year_known(tmp_path):
    cal = WorkCalendar.from_file(write(tmp_path, EXAMPLE))
    assert cal.known(2027) and not cal.provisional(D("2027-06-01")) and not cal.known(2028)
    assert cal.describe(D("2027-01-01")) == "元旦" and not cal.is_workday(D("2027-01-01"))
    assert [cal.describe(D(f"2027-02-{d:02}")) for d in range(6, 13)] == ["春节"] * 7
    assert cal.is_workday(D("2027-02-14")) and cal.describe(D("2027-02-14")) == "调休上班"
    assert cal.describe(D("2027-02-13")) == "周末"
    # package years are untouched
    assert cal.describe(D("2026-10-01")) == "国庆节" and cal.is_workday(D("2026-10-10"))


def test_override_corrects_a_known_year_and_can_replace_it(tmp_path):
    text = """\
2026:
  holidays: [2026-12-31]      # unnamed rest day
  workdays: {2026-10-07: 国庆节}  # a weekday that the package lists as holiday
"""
    cal = WorkCalendar.from_file(write(tmp_path, text))
    assert cal.describe(D("2026-12-31")) == "节假日" and not cal.is_workday(D("2026-12-31"))
    assert cal.is_workday(D("2026-10-07")) and cal.describe(D("2026-10-07")) == "工作日"
    assert cal.describe(D("2026-10-06")) == "国庆节"  # the rest of the package data stays

    replaced = WorkCalendar.from_file(write(tmp_path, "2026: {replace: true, holidays: [2026-03-02]}"))
    assert replaced.known(2026)
    assert replaced.is_workday(D("2026-10-01")) and replaced.describe(D("2026-10-01")) == "工作日"
    assert not replaced.is_workday(D("2026-02-14"))  # the package's 调休 Saturday is gone too
    assert not replaced.is_workday(D("2026-03-02"))


def test_empty_year_entry_and_empty_file(tmp_path):
    cal = WorkCalendar.from_file(write(tmp_path, "2027:\n"))
    assert cal.known(2027) and cal.is_workday(D("2027-01-01"))
    assert WorkCalendar.from_file(write(tmp_path, "# nothing yet\n")).overrides == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2027: {holidays: [2027-02-30]}",
            "2027 年 holidays 中的“2027-02-30”不是日期（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）",
        ),
        ("2027: {holidays: [2026-10-01]}", "2027 年 holidays 中的“2026-10-01”不在 2027 年内"),
        (
            "2027: {holidays: ['2027-02-12..2027-02-06']}",
            "2027 年 holidays 中的“2027-02-12..2027-02-06”：结束日期早于开始日期",
        ),
        (
            "2027: {workdays: [soon]}",
            "2027 年 workdays 中的“soon”不是日期（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）",
        ),
        (
            "2027: {holidays: [2027-01-01], workdays: [2027-01-01]}",
            "2027 年：2027-01-01 同时列在 holidays 和 workdays 中",
        ),
        (
            "2027: {holiday: [2027-01-01]}",
            "2027 年：不认识的项“holiday”（只能是 holidays、workdays、replace）",
        ),
        ("2027: {replace: yes please}", "2027 年：replace 应为 true 或 false"),
        ("2027: {holidays: 2027-01-01}", "2027 年 holidays：应为日期列表或“日期: 名称”映射"),
        ("2027: {holidays: {2027-01-01: 3}}", "2027 年 holidays 中“2027-01-01”的名称应为文字"),
        ("2027: [2027-01-01]", "2027 年的安排应为映射（holidays、workdays、replace）"),
        ("next: {holidays: []}", "“next”不是年份（应为四位数字，如 2027）"),
        ("- 2027", "日历文件应为“年份: 安排”的映射，如 2027: {holidays: …, workdays: […]}"),
        (
            "2027:\n  holidays:\n    2027-01-01: 元旦\n    2027-01-01: 新年\n",
            "日历文件第 4 行：“2027-01-01”重复出现",
        ),
        ("2027: {holidays: [2027-01-01", "日历文件不是有效的 YAML（第 1 行附近）"),
    ],
)
def test_bad_override_file_names_file_and_entry(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        WorkCalendar.from_file(path)
    assert info.value.path == str(path)
    assert info.value.message == message
    assert str(info.value) == f"{path}：{message}"


def test_missing_or_undecodable_file(tmp_path):
    with pytest.raises(InputError, match="日历文件不存在"):
        WorkCalendar.from_file(tmp_path / "none.yaml")
    path = tmp_path / "gbk.yaml"
    path.write_bytes("2027: {holidays: {2027-01-01: 元旦}}".encode("gbk"))
    with pytest.raises(InputError, match=r"无法读取日历文件（UnicodeDecodeError）"):
        WorkCalendar.from_file(path)


def test_file_chosen_by_argument_then_environment(tmp_path, monkeypatch):
    path = write(tmp_path, EXAMPLE)
    monkeypatch.delenv(calmod.CALENDAR_ENV, raising=False)
    assert not load_calendar().known(2027)
    assert load_calendar(path).known(2027)
    monkeypatch.setenv(calmod.CALENDAR_ENV, str(path))
    assert load_calendar().known(2027) and load_calendar().source == str(path)


def test_default_calendar_is_shared_until_the_file_changes(tmp_path, monkeypatch):
    path = write(tmp_path, "2027: {holidays: [2027-03-01]}")
    monkeypatch.setenv(calmod.CALENDAR_ENV, str(path))
    first = calmod.default_calendar()
    assert calmod.default_calendar() is first and not first.is_workday(D("2027-03-01"))
    path.write_text("2027: {holidays: [2027-03-02]}", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = calmod.default_calendar()
    assert (
        second is not first and second.is_workday(D("2027-03-01")) and not second.is_workday(D("2027-03-02"))
    )
    monkeypatch.delenv(calmod.CALENDAR_ENV)
    assert not calmod.default_calendar().known(2027)


days_2027 = st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 31))


@given(
    st.dictionaries(days_2027, st.sampled_from(["元旦", "春节", "清明节"]), max_size=12),
    st.sets(days_2027, max_size=6),
)
@settings(max_examples=60, deadline=None)
def test_override_round_trip(tmp_path_factory, holidays, workdays):
    workdays -= set(holidays)
    lines = ["2027:", "  holidays:"] + [f"    {d.isoformat()}: {n}" for d, n in holidays.items()]
    lines += ["  workdays: [" + ", ".join(d.isoformat() for d in sorted(workdays)) + "]"]
    if not holidays:
        lines[1] = "  holidays: {}"
    path = write(tmp_path_factory.mktemp("rt"), "\n".join(lines) + "\n")
    cal = WorkCalendar.from_file(path)
    assert cal.overrides[2027].holidays == holidays and cal.overrides[2027].workdays == workdays
    for day in holidays:
        assert not cal.is_workday(day) and cal.describe(day) == holidays[day]
    for day in workdays:
        assert cal.is_workday(day)
        assert cal.describe(day) == ("调休上班" if day.weekday() >= 5 else "工作日")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-26", "2025-09-26"),
        ("2025/9/6", "2025-09-06"),
        ("2025年9月26日", "2025-09-26"),
        ("２０２５－０９－２６", "2025-09-26"),  # typed with a full-width input method
        ("2025-02-29", None),
        ("2025-09", None),
        ("yesterday", None),
    ],
)
def test_parse_day(text, expected):
    assert parse_day(text) == (D(expected) if expected else None)
