"""Line-level access to a report's text for rules that read prose.

A parsed report carries its source lines (with line numbers); a report loaded from JSON
has only its preamble and section texts, so its lines are rebuilt from them and point at
the section.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from dataclasses import dataclass

from ..model import Finding, Report, TextLine
from ..text.normalize import normalize_text
from .view import per_report

TABLE_SECTIONS = {"active": "2", "applications": "3", "reviews": "4"}


def report_lines(report: Report) -> list[TextLine]:
    if not report.lines:
        report.lines = _lines_from_sections(report)
    return report.lines


def _lines_from_sections(report: Report) -> list[TextLine]:
    # The preamble comes first, outside any section, where the front-matter rules look for
    # the citation and the statistics period; its lines know no place ("开头" in messages).
    out = [
        TextLine(line, normalize_text(line), {}, None) for line in report.preamble.split("\n") if line.strip()
    ]
    for key, text in report.sections.items():
        if not text:
            continue
        for line in text.split("\n"):
            if line.strip():
                out.append(TextLine(line, normalize_text(line), {"section": key}, key))
    return out


@per_report
def prose_lines(report: Report, section: str | None = None) -> list[TextLine]:
    """Narrative lines (not headings, not table cells), of one section or of all."""
    if section is not None:  # picked from all the narrative lines, a few of the report's
        return [line for line in prose_lines(report) if line.section == section]
    return [line for line in report_lines(report) if not line.heading and not line.in_table]


def where_of(line: TextLine) -> dict:
    return dict(line.where)


def finding_section(report: Report, finding: Finding) -> str | None:
    """The section a finding belongs to (for grouping output): by its line, its cells, or
    its explicit section; None for findings about the report as a whole."""
    where = finding.where or {}
    if "section" in where:
        return str(where["section"])
    if "line" in where:
        # A crawled line cut into several (extract/reflow.py): the part holding the column.
        column = where.get("column", 1)
        parts = [
            line
            for line in report_lines(report)
            if line.where.get("line") == where["line"] and line.where.get("column", 1) <= column
        ]
        if parts:
            return max(parts, key=lambda line: line.where.get("column", 1)).section
    if finding.cells:
        return TABLE_SECTIONS.get(finding.cells[0].split("/", 1)[0])
    return None


NUMERALS = "一二三四五六"

# x x* rather than x+: a pattern that starts with a repeat gets no charset prefix from re, and
# its scan enters the matcher at every position.
_SPACE = re.compile(r"[\s\u200b][\s\u200b]*")


def compact(text: str) -> str:
    # Many rules compact the same lines of a report: each line's answer is kept.
    try:
        return _COMPACT[text]
    except KeyError:
        pass
    # Every character _SPACE matches but " " is unprintable: a printable line without " " (most
    # prose lines) is its own compact form, found about 5 times faster than by the pattern.
    out = text if " " not in text and text.isprintable() else _SPACE.sub("", text)
    if len(_COMPACT) >= _COMPACT_SIZE:
        _COMPACT.clear()
    _COMPACT[text] = out
    return out


_COMPACT: dict[str, str] = {}
_COMPACT_SIZE = 2_048  # entries (~1,200 reports of new lines: full, hence flat, by 2,000); cleared when full


_PLACES = (("line", "行"), ("paragraph", "段"), ("page", "页"))


def line_no(line: TextLine) -> str:
    """Where a line is, for messages: 第12行 (text), 第5段 (HTML/DOCX), 第2页 (PDF), or its section."""
    for key, unit in _PLACES:
        if key in line.where:
            return f"第{line.where[key]}{unit}"
    return f"第{NUMERALS[int(line.section) - 1]}部分" if line.section else "开头"


def from_source(line: TextLine) -> bool:
    """False for a line rebuilt from the JSON sections (it knows only its section)."""
    where = line.where
    return len(where) > ("section" in where)  # a key besides "section"


def finding(code: str, severity: str, message: str, hint: str, where=None, cells=()) -> Finding:
    return Finding(code, severity, message, list(cells), hint=hint, where=where)


def has_source_lines(report: Report) -> bool:
    """True when the lines come from the source (line, paragraph or page numbers), not rebuilt
    from JSON sections, so the front matter before section 一 is available."""
    return any(from_source(line) for line in report_lines(report))


# ------------------------------------------------------------------ joined prose


@dataclass
class Joined:
    """Prose lines concatenated (compacted) so a pattern broken by a hard line wrap still
    matches; a newline separates sections so no match spans two of them."""

    text: str
    starts: list[int]
    lines: list[TextLine]

    def line_at(self, pos: int) -> TextLine:
        return self.lines[max(0, bisect_right(self.starts, pos) - 1)]


@per_report
def joined_prose(report: Report, section: str | None = None, limit: int | None = None) -> Joined:
    if limit is not None and len(every_line(report)) < limit:
        # No line and no prose can reach the limit: the text is the whole one, made once
        # (called as the rules call it, so that the run's memo finds it).
        return joined_prose(report) if section is None else joined_prose(report, section)
    parts: list[str] = []
    starts: list[int] = []
    kept: list[TextLine] = []
    pos = 0
    for line in prose_lines(report, section):
        if limit is not None and pos >= limit:
            break
        text = compact(line.norm if limit is None else line.norm[:limit])
        if not text:
            continue
        if kept and kept[-1].section != line.section:
            parts.append("\n")
            pos += 1
        starts.append(pos)
        kept.append(line)
        parts.append(text)
        pos += len(text)
    return Joined("".join(parts), starts, kept)


# ------------------------------------------------------------------ one scan over every line


@per_report
def every_line(report: Report) -> str:
    """Every line's normalised text, joined by newlines: a rule tests the whole report at
    once (most reports hold none of what it looks for) before it reads line by line."""
    return "\n".join([line.norm for line in report_lines(report)])


def holds(text: str, word: str) -> bool:
    """`word in text`, faster when a long text lacks it: a test for one character runs at
    memory speed and one for a word of several does not (about 1 ns a character), and a report
    lacking a word mostly lacks one of its characters."""
    for char in word:
        if char not in text:
            return False
    return word in text


_NOT_LETTERS = bytes(c for c in range(128) if chr(c) not in string.ascii_letters)


@per_report
def latin_letters(report: Report) -> bytes:
    """The report's Latin letters, in order: empty for most reports. Two C passes, several
    times faster than a pattern or a test per letter over the whole text."""
    return every_line(report).encode("ascii", "ignore").translate(None, _NOT_LETTERS)
