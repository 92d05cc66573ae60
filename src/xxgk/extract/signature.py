"""The closing signature of a report: an agency line followed by a date line (digits or
Chinese numerals, e.g. 二〇二五年一月二十日), searched in the last lines only."""

from __future__ import annotations

import datetime as _dt
import re

from ..text.numerals import YEAR_DIGITS, cn_number
from .agency import is_agency_name

TAIL_MAX_LINES = 60  # non-blank lines at the end scanned for a signature
SIGNATURE_LINE_MAX = 60
LINE_CAP = 3_000  # characters of one line looked at for prose patterns


def compact_line(line: str, cap: int = LINE_CAP) -> str:
    """Line without whitespace and without '?' runs (lost non-breaking spaces on mirrors)."""
    return _compact(line[:cap])


def _compact(text: str) -> str:
    # str.split() splits at what regex \s matches; it and replace scan a text several times
    # faster than a regex tries [\s?] at each character.
    return "".join(text.split()).replace("?", "")


def compact_lines(lines: list[str]) -> list[str]:
    """compact_line of each line, by one pass over the lines joined by NUL (neither whitespace
    nor '?', so nothing removed spans two lines) when no line holds a NUL or exceeds LINE_CAP;
    otherwise line by line."""
    text = "\x00".join(lines)
    if lines and text.count("\x00") == len(lines) - 1 and max(map(len, lines)) <= LINE_CAP:
        return _compact(text).split("\x00")
    return [compact_line(line) for line in lines]


MIN_YEAR, MAX_YEAR = 2000, 2099


def year_ok(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


def iso_date(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


_DATE_LINE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
_CN_DATE_LINE = re.compile(
    r"(?P<y>[〇零○O一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
    r"(?P<d>[一二三四五六七八九十]{1,3})日$"
)


def _date_at_end(c: str) -> tuple[str, str] | None:
    """(iso date, text before the date) when compacted line ``c`` ends with a full date."""
    m = _DATE_LINE.search(c)
    if m:
        iso = iso_date(int(m["y"]), int(m["m"]), int(m["d"]))
    else:
        m = _CN_DATE_LINE.search(c)
        if not m:
            return None
        month, day = cn_number(m["m"]), cn_number(m["d"])
        year = int("".join(str(YEAR_DIGITS[ch]) for ch in m["y"]))
        iso = iso_date(year, month, day) if month and day else None
    return (iso, c[: m.start()]) if iso else None


def _blank(line: str) -> bool:
    """A line that compacts to nothing (one too long to matter is never blank: it counts)."""
    return len(line) <= 4 * SIGNATURE_LINE_MAX and (
        not line.strip() or ("?" in line and not compact_line(line))
    )


def _short(line: str) -> str | None:
    """The compacted line, or None for a line too long to be an agency or a date."""
    if len(line) > 4 * SIGNATURE_LINE_MAX:
        return None
    c = compact_line(line)
    return c if len(c) <= SIGNATURE_LINE_MAX else None


def find_signature(norm: list[str]):
    """(agency, agency line, iso date, date line) of a closing signature, or None.

    A signature is an agency line followed by a date line (硚口区司法局 / 2025年1月10日), or both
    on one line; the last one in the tail of the document counts.
    """
    # The last TAIL_MAX_LINES non-blank lines, the last first; a date line without the
    # agency before it waits for the line above (`pending`).
    pending: tuple[int, str] | None = None
    count = 0
    stop = max(-1, len(norm) - 1 - 50 * TAIL_MAX_LINES)  # do not walk through megabytes of blank lines
    for i in range(len(norm) - 1, stop, -1):
        line = norm[i]
        # Only an empty, all-blank or '?'-holding line may be blank: no call for the others.
        if (not line or line.isspace() or "?" in line) and _blank(line):
            continue
        if pending is not None:
            above = _short(line)
            if above and is_agency_name(above):
                return above, i, pending[1], pending[0]
            pending = None
        c = _short(line) if "日" in line else None  # a date line ends with 日
        hit = _date_at_end(c) if c else None
        if hit:
            iso, before = hit
            if not before:
                pending = (i, iso)
            elif is_agency_name(before):
                return before, i, iso, i
        count += 1
        if count >= TAIL_MAX_LINES:
            break
    return None
