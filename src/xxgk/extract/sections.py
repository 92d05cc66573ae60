"""Find the six section headings (一、总体情况 … 六、其他需要报告的事项).

Table 三 also has rows numbered 一、二、三、四 (一、本年新收… / 四、结转下年度继续办理), so a heading
is recognised by its numeral AND a keyword of that section, in increasing order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..formats.base import Section
from ..formats.common import SECTIONS_2021

NUMERALS = "一二三四五六"
_HEADING = re.compile(r"^(?:第)?([一二三四五六])(?:部分)?[、.,:]\s*(.*)$")
_FIRST = frozenset("第" + NUMERALS)  # what a heading line starts with (see _HEADING)
# A line that may be a heading: blanks other than the line break, then _FIRST. After a "\n"
# rather than at ^ (MULTILINE): a literal first character lets the regex engine skip to it.
_LINE_START = re.compile(r"[^\S\n]*[第一二三四五六]")
_NEXT_LINE_START = re.compile(r"\n[^\S\n]*[第一二三四五六]")
_MAX_TITLE = 40  # longer lines are prose that starts with 一、 rather than headings


@dataclass(frozen=True)
class Heading:
    number: int  # 1..6
    line: int  # index in the list of normalised lines


def match_heading(norm_line: str, sections: tuple[Section, ...] = SECTIONS_2021) -> int | None:
    """The section number this normalised line is a heading of, or None."""
    if sections is SECTIONS_2021 and len(norm_line) <= _CACHED_LINE:
        return _match_2021(norm_line)
    return _match(norm_line, sections)


# Reports of one template repeat their headings and numbered table rows word for word.
_CACHED_LINE = 80


@lru_cache(maxsize=1 << 12)
def _match_2021(norm_line: str) -> int | None:
    return _match(norm_line, SECTIONS_2021)


def _match(norm_line: str, sections: tuple[Section, ...]) -> int | None:
    text = norm_line.strip()
    if text[:1] not in _FIRST:  # most lines: no regex needed
        return None
    match = _HEADING.match(text)
    if not match:
        return None
    number = NUMERALS.index(match.group(1)) + 1
    title = "".join(match.group(2).split())  # cheaper than a regex on a short title
    section = sections[number - 1]
    if len(title) > _MAX_TITLE and not _starts_with_title(title, section):
        return None
    head = title[:24]
    if any(word in head for word in section.keywords):
        return number
    return None


def _starts_with_title(title: str, section: Section) -> bool:
    return any(title.startswith(t) for t in (section.title, *section.variants))


def find_headings(norm_lines: list[str], text: str | None = None) -> list[Heading]:
    """Section headings in document order; each number at most once, numbers increasing.
    A table of contents (headings listed one after another and repeated later) is skipped.
    `text`: the lines joined by "\\n", when the caller has it."""
    matches = [
        Heading(number, i)
        for i in _candidates(norm_lines, text)
        if len(norm_lines[i]) <= 400 and (number := match_heading(norm_lines[i])) is not None
    ]
    toc = _table_of_contents(matches, norm_lines)
    found: list[Heading] = []
    last = 0
    for heading in matches:
        if heading.line not in toc and heading.number > last:
            found.append(heading)
            last = heading.number
    return found


def _candidates(norm_lines: list[str], text: str | None) -> Iterable[int]:
    """The lines that may be headings (first character, blanks skipped, in _FIRST), found by
    one scan of the whole text rather than a call per line."""
    if text is None:
        text = "\n".join(norm_lines)
        if text.count("\n") != len(norm_lines) - 1:  # a line holds a break: go line by line
            return range(len(norm_lines))
    out: list[int] = [0] if _LINE_START.match(text) else []
    line = at = 0
    for m in _NEXT_LINE_START.finditer(text):
        line += text.count("\n", at, m.end())  # the break the match starts with included
        at = m.end()
        out.append(line)
    return out


def _table_of_contents(matches: list[Heading], norm_lines: list[str]) -> set[int]:
    """Lines of runs of >= 3 headings with nothing but blank lines between them, whose
    numbers all occur again after the run."""
    runs: list[list[Heading]] = []
    for heading in matches:
        run = runs[-1] if runs else None
        if run and heading.number > run[-1].number and _only_blank(norm_lines, run[-1].line, heading.line):
            run.append(heading)
        else:
            runs.append([heading])
    toc: set[int] = set()
    for run in runs:
        if len(run) < 3:
            continue
        later = {h.number for h in matches if h.line > run[-1].line}
        if all(h.number in later for h in run):
            toc.update(h.line for h in run)
    return toc


def _only_blank(lines: list[str], start: int, end: int) -> bool:
    return all(not lines[i].strip() for i in range(start + 1, end))
