"""Find the six section headings (一、总体情况 … 六、其他需要报告的事项).

Table 三 also has rows numbered 一、二、三、四 (一、本年新收… / 四、结转下年度继续办理), so a heading
is recognised by its numeral AND a keyword of that section, in increasing order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats.base import Section
from ..formats.common import SECTIONS_2021

NUMERALS = "一二三四五六"
_HEADING = re.compile(r"^(?:第)?([一二三四五六])(?:部分)?[、.,:]\s*(.*)$")
_MAX_TITLE = 40  # longer lines are prose that starts with 一、 rather than headings


@dataclass(frozen=True)
class Heading:
    number: int  # 1..6
    line: int  # index in the list of normalised lines


def match_heading(norm_line: str, sections: tuple[Section, ...] = SECTIONS_2021) -> int | None:
    """The section number this normalised line is a heading of, or None."""
    text = norm_line.strip()
    match = _HEADING.match(text)
    if not match:
        return None
    number = NUMERALS.index(match.group(1)) + 1
    title = re.sub(r"\s+", "", match.group(2))
    section = sections[number - 1]
    if len(title) > _MAX_TITLE and not _starts_with_title(title, section):
        return None
    head = title[:24]
    if any(word in head for word in section.keywords):
        return number
    return None


def _starts_with_title(title: str, section: Section) -> bool:
    return any(title.startswith(t) for t in (section.title, *section.variants))


def find_headings(norm_lines: list[str]) -> list[Heading]:
    """Section headings in document order; each number at most once, numbers increasing."""
    found: list[Heading] = []
    last = 0
    for i, line in enumerate(norm_lines):
        if len(line) > 400:
            continue
        number = match_heading(line)
        if number is not None and number > last:
            found.append(Heading(number, i))
            last = number
    return found
