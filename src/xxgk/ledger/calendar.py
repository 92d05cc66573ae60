"""The working-day calendar of mainland China: statutory holidays, 调休 and an override file.

Data come from `chinese_calendar` (package chinesecalendar, years it covers) plus an optional
user file, so that next year's schedule can be entered the day the State Council publishes it.
A day in a year that neither knows is counted Mon–Fri and flagged *provisional*.

Override file (YAML; chosen by ``--calendar FILE`` or the environment variable ``XXGK_CALENDAR``)::

    2027:
      holidays: {2027-01-01: 元旦, 2027-02-06..2027-02-12: 春节}   # rest days, with names
      workdays: [2027-02-14]                                          # 调休上班 (weekend days worked)
    2026:
      holidays: [2026-12-31]        # a list gives unnamed rest days (shown as 节假日)
      replace: true                 # drop the package's 2026 data and use only this entry

Each year key makes that year *known*. For a year the package already covers, the entry patches
the package's data (listed holidays rest, listed workdays work) unless ``replace: true``.
Dates are ``YYYY-MM-DD``; ``A..B`` is an inclusive range; every date must lie in its year.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from calendar import isleap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import chinese_calendar
import yaml

from ..errors import InputError

CALENDAR_ENV = "XXGK_CALENDAR"

# chinese_calendar names holidays in English; a clerk reads Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
UNNAMED_HOLIDAY = "节假日"
# Years chinese_calendar covers (2004–2026 in 1.11.0); read from its data, not hard-coded.
PACKAGE_YEARS = (min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year)

WORK, WEEKEND, HOLIDAY, MAKEUP = 0, 1, 2, 3  # kinds of day
DAY_KIND_NAMES = {WORK: "工作日", WEEKEND: "周末", MAKEUP: "调休上班"}

_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$", re.ASCII)
_RANGE = re.compile(r"^(.+?)\s*(?:\.\.|至|~|～)\s*(.+)$")


def parse_day(text: str) -> dt.date | None:
    """A date written YYYY-MM-DD (also 2025/9/26, 2025年9月26日, full-width digits); None if it
    is not one."""
    match = _DATE.match(unicodedata.normalize("NFKC", text))
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


@dataclass
class YearOverride:
    """One year of the override file: rest days (with names) and worked weekend days."""

    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: set[dt.date] = field(default_factory=set)
    replace: bool = False


@dataclass
class _YearTable:
    """Kinds and holiday names of every day of one year, indexed by day of year."""

    first: int  # ordinal of Jan 1
    kinds: bytes
    names: dict[int, str]
    known: bool


class WorkCalendar:
    """Which days are 工作日. Year tables are built once and cached, so counting is cheap."""

    def __init__(self, overrides: Mapping[int, YearOverride] | None = None, source: str | None = None):
        self.overrides = dict(overrides or {})
        self.source = source
        self._tables: dict[int, _YearTable] = {}

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> WorkCalendar:
        return cls(read_overrides(path), source=str(path))

    def is_workday(self, day: dt.date) -> bool:
        table = self._table(day.year)
        return table.kinds[day.toordinal() - table.first] in (WORK, MAKEUP)

    def kind(self, day: dt.date) -> int:
        """WORK, WEEKEND, HOLIDAY or MAKEUP (a weekend day declared 上班)."""
        table = self._table(day.year)
        return table.kinds[day.toordinal() - table.first]

    def kinds(self, first: dt.date, last: dt.date) -> bytes:
        """The kinds of the days first..last (inclusive), one byte each: one slice per year
        instead of one lookup per day."""
        parts = []
        for year in range(first.year, last.year + 1):
            table = self._table(year)
            lo = max(first.toordinal(), table.first) - table.first
            hi = min(last.toordinal() - table.first + 1, len(table.kinds))
            parts.append(table.kinds[lo:hi])
        return b"".join(parts)

    def describe(self, day: dt.date) -> str:
        """What the day is, in Chinese: a holiday's name ("国庆节"), "调休上班", "周末" or "工作日"."""
        table = self._table(day.year)
        offset = day.toordinal() - table.first
        kind = table.kinds[offset]
        return table.names.get(offset, UNNAMED_HOLIDAY) if kind == HOLIDAY else DAY_KIND_NAMES[kind]

    def known(self, year: int) -> bool:
        """True when the year's holiday schedule is in the package or the override file."""
        return self._table(year).known

    def provisional(self, day: dt.date) -> bool:
        """True when the day is counted Mon–Fri only because its year is not known."""
        return not self._table(day.year).known

    def _table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> _YearTable:
        override = self.overrides.get(year)
        first = dt.date(year, 1, 1)
        days = 366 if isleap(year) else 365  # no Jan 1 of year 10000 to subtract from
        kinds = bytearray(WEEKEND if (first.weekday() + i) % 7 >= 5 else WORK for i in range(days))
        names: dict[int, str] = {}
        known = override is not None
        if override is None or not override.replace:
            known = _fill_from_package(year, kinds, names) or known
        if override is not None:
            _apply_override(override, first.toordinal(), kinds, names)
        return _YearTable(first.toordinal(), bytes(kinds), names, known)


def _fill_from_package(year: int, kinds: bytearray, names: dict[int, str]) -> bool:
    first = dt.date(year, 1, 1)
    try:
        chinese_calendar.is_workday(first)
    except NotImplementedError:
        return False
    for offset in range(len(kinds)):
        day = first + dt.timedelta(days=offset)
        rest, name = chinese_calendar.get_holiday_detail(day)
        if rest and name:
            kinds[offset] = HOLIDAY
            names[offset] = HOLIDAY_NAMES.get(name, UNNAMED_HOLIDAY)
        elif not rest and kinds[offset] == WEEKEND:
            kinds[offset] = MAKEUP
    return True


def _apply_override(override: YearOverride, first: int, kinds: bytearray, names: dict[int, str]) -> None:
    for day, name in override.holidays.items():
        offset = day.toordinal() - first
        kinds[offset] = HOLIDAY
        names[offset] = name
    for day in override.workdays:
        offset = day.toordinal() - first
        kinds[offset] = MAKEUP if day.weekday() >= 5 else WORK
        names.pop(offset, None)


_default: tuple[tuple[str, int] | None, WorkCalendar] | None = None


def load_calendar(path: str | os.PathLike | None = None) -> WorkCalendar:
    """The calendar from `path`, else from $XXGK_CALENDAR, else the package data alone."""
    chosen = path or os.environ.get(CALENDAR_ENV) or None
    return WorkCalendar.from_file(chosen) if chosen else WorkCalendar()


def default_calendar() -> WorkCalendar:
    """`load_calendar()` reused while $XXGK_CALENDAR (and the file's mtime) stay the same,
    so that thousands of deadlines share one set of year tables."""
    global _default
    chosen = os.environ.get(CALENDAR_ENV) or None
    key = None
    if chosen:
        try:
            key = (chosen, os.stat(chosen).st_mtime_ns)
        except OSError:
            key = (chosen, -1)
    if _default is None or _default[0] != key:
        _default = (key, load_calendar(chosen))
    return _default[1]


# --- the override file -------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys: YAML would keep only the last one silently."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise InputError(f"第 {line} 行：键不能是列表或映射") from None
        if key in mapping:
            raise InputError(f"第 {line} 行：“{_text(key)}”重复出现")
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date (2027-02-30) stays text, so the entry check can name it in Chinese.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_overrides(path: str | os.PathLike) -> dict[int, YearOverride]:
    """Parse an override file; every problem is an InputError naming the file and the entry."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("日历文件不存在", name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取日历文件（{type(exc).__name__}）", name) from None
    return parse_overrides(text, name)


def parse_overrides(text: str, name: str) -> dict[int, YearOverride]:
    """The override file's text (as stored by the web app) parsed like `read_overrides`."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except InputError as exc:
        raise InputError(f"日历文件{exc.message}", name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行附近）" if mark else ""
        raise InputError(f"日历文件不是有效的 YAML{where}", name) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("日历文件应为“年份: 安排”的映射，如 2027: {holidays: …, workdays: […]}", name)
    years: dict[int, YearOverride] = {}
    try:
        for key, value in data.items():
            year = _year_key(key)
            years[year] = _parse_year(year, value)
    except InputError as exc:
        raise InputError(exc.message, name) from None
    return years


def _year_key(key: Any) -> int:
    if isinstance(key, int) and not isinstance(key, bool) and 1900 <= key <= 2999:
        return key
    raise InputError(f"“{_text(key)}”不是年份（应为四位数字，如 2027）")


def _parse_year(year: int, value: Any) -> YearOverride:
    if value is None:
        return YearOverride()
    if not isinstance(value, dict):
        raise InputError(f"{year} 年的安排应为映射（holidays、workdays、replace）")
    unknown = [k for k in value if k not in ("holidays", "workdays", "replace")]
    if unknown:
        raise InputError(f"{year} 年：不认识的项“{_text(unknown[0])}”（只能是 holidays、workdays、replace）")
    replace = value.get("replace", False)
    if not isinstance(replace, bool):
        raise InputError(f"{year} 年：replace 应为 true 或 false")
    holidays = dict(_entries(year, "holidays", value.get("holidays")))
    workdays = {day for day, _ in _entries(year, "workdays", value.get("workdays"))}
    clash = sorted(set(holidays) & workdays)
    if clash:
        raise InputError(f"{year} 年：{clash[0].isoformat()} 同时列在 holidays 和 workdays 中")
    return YearOverride(holidays, workdays, replace)


def _entries(year: int, section: str, value: Any) -> Iterator[tuple[dt.date, str]]:
    if value is None:
        return
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = [(item, None) for item in value]
    else:
        raise InputError(f"{year} 年 {section}：应为日期列表或“日期: 名称”映射")
    for key, label in items:
        if label is not None and not isinstance(label, str):
            raise InputError(f"{year} 年 {section} 中“{_text(key)}”的名称应为文字")
        for day in _days(year, section, key):
            yield day, (label or "").strip() or UNNAMED_HOLIDAY


def _days(year: int, section: str, entry: Any) -> list[dt.date]:
    where = f"{year} 年 {section} 中的“{_text(entry)}”"
    if isinstance(entry, dt.datetime) or not isinstance(entry, dt.date | str):
        raise InputError(f"{where}不是日期（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）")
    if isinstance(entry, dt.date):
        first = last = entry
    else:
        match = _RANGE.match(entry.strip())
        first, last = (parse_day(match[1]), parse_day(match[2])) if match else (parse_day(entry),) * 2
        if first is None or last is None:
            raise InputError(f"{where}不是日期（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）")
        if last < first:
            raise InputError(f"{where}：结束日期早于开始日期")
    if first.year != year or last.year != year:
        raise InputError(f"{where}不在 {year} 年内")
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
