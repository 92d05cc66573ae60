"""The outline of a report as the completeness rules read it: which section headings it has
(a table of contents left out), whether it closes with a signature, and whether the text
looks complete, so that a cut-off source is not blamed for what lies past its end."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..extract.meta import is_agency_name
from ..extract.sections import match_heading
from ..model import Report, TextLine
from .text import compact, every_line, from_source, report_lines
from .view import per_report

TABLE_OF_SECTION = {2: "active", 3: "applications", 4: "reviews"}

# ------------------------------------------------------------------ signature and completeness

_DATE_END = re.compile(
    r"(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
    r"|[〇零○O一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$"
)


@per_report
def signature(report: Report) -> tuple[str | None, TextLine] | None:
    """(agency or None, date line) of a closing signature among the last source lines:
    硚口区司法局 / 2025年1月10日, or both on one line."""
    tail: list[TextLine] = []
    for line in reversed(report_lines(report)):  # the last six, read from the end
        if not line.in_table and from_source(line):
            tail.append(line)
            if len(tail) == 6:
                break
    tail.reverse()
    for k in range(len(tail) - 1, -1, -1):
        text = compact(tail[k].norm)
        # A match ends the text (compact leaves no newline for $ to stop before) with 日.
        m = _DATE_END.search(text) if text.endswith("日") else None
        if not m:
            continue
        before = text[: m.start()]
        if before and not is_agency_name(before):
            continue  # a sentence that happens to end with a date
        agency = before or (compact(tail[k - 1].norm) if k else "")
        return (agency if is_agency_name(agency) else None), tail[k]
    return None


def heading_lines(report: Report) -> list[tuple[int, TextLine]]:
    """Every line that reads as a section heading, in order, minus a table of contents."""
    found, contents = scan_headings(report)
    return [(n, line) for n, _, line in found if id(line) not in contents]


# What match_heading needs: a line whose first non-blank character is 第 or a numeral 一…六.
# Looked for after a newline, which the scan finds at memory speed.
_HEADING_START = re.compile(r"\n[^\S\n]*[第一二三四五六]")


def _heading_candidates(report: Report) -> Iterable[int]:
    """The indices of the lines that may be headings, found by one scan of the whole text
    (line k of the report is line k of the joined text unless a line holds a newline)."""
    text, count = "\n" + every_line(report), len(report_lines(report))
    if text.count("\n") != count:
        return range(count)
    out, index, pos = [], 0, 0
    for m in _HEADING_START.finditer(text):
        index += text.count("\n", pos, m.start())  # the newlines before this line's own
        pos = m.start()
        out.append(index)
    return out


@per_report
def scan_headings(report: Report) -> tuple[list[tuple[int, int, TextLine]], set[int]]:
    """(number, index, line) of heading-like lines, and the ids of those forming a table of
    contents: three or more increasing headings on consecutive lines, all repeated later."""
    found = []
    lines = report_lines(report)
    for index in _heading_candidates(report):
        line = lines[index]
        if not line.in_table and len(line.norm) <= 400:
            number = match_heading(line.norm)
            if number:
                found.append((number, index, line))
    last = {n: k for k, (n, _, _) in enumerate(found)}  # where each number occurs for the last time
    contents: set[int] = set()
    i = 0
    while i < len(found):
        j = i
        while j + 1 < len(found) and found[j + 1][1] == found[j][1] + 1 and found[j + 1][0] > found[j][0]:
            j += 1
        if j - i >= 2 and all(last[n] > j for n, _, _ in found[i : j + 1]):
            contents.update(id(line) for _, _, line in found[i : j + 1])
        i = j + 1
    return found, contents


def present_sections(report: Report) -> set[int]:
    found = {int(k) for k, text in report.sections.items() if text is not None}
    return found | {n for n, _ in heading_lines(report)}


def looks_complete(report: Report, present: set[int]) -> bool:
    """Section 六, a closing signature, or all three tables and a final full stop."""
    if 6 in present or signature(report) is not None:
        return True
    last = next((line for line in reversed(report_lines(report)) if not line.in_table), None)
    ends = last is not None and compact(last.norm).endswith(("。", "!"))
    return ends and set(TABLE_OF_SECTION.values()) <= report.tables_present


def judged_absent_after(report: Report, number: int, present: set[int]) -> bool:
    """True when the text goes on past section `number`, so what it lacks there is absent,
    not merely cut off."""
    return number < max(present, default=0) or looks_complete(report, present)
