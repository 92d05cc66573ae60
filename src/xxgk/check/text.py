"""Line-level access to a report's text for rules that read prose.

A parsed report carries its source lines (with line numbers); a report loaded from JSON
has only its section texts, so its lines are rebuilt from them and point at the section.
"""

from __future__ import annotations

from ..model import Finding, Report, TextLine
from ..text.normalize import normalize_text

TABLE_SECTIONS = {"active": "2", "applications": "3", "reviews": "4"}


def report_lines(report: Report) -> list[TextLine]:
    if not report.lines:
        report.lines = _lines_from_sections(report)
    return report.lines


def _lines_from_sections(report: Report) -> list[TextLine]:
    out: list[TextLine] = []
    for key, text in report.sections.items():
        if not text:
            continue
        for line in text.split("\n"):
            if line.strip():
                out.append(TextLine(line, normalize_text(line), {"section": key}, key))
    return out


def prose_lines(report: Report, section: str | None = None) -> list[TextLine]:
    """Narrative lines (not headings, not table cells), of one section or of all."""
    return [
        line
        for line in report_lines(report)
        if not line.heading and not line.in_table and (section is None or line.section == section)
    ]


def where_of(line: TextLine) -> dict:
    return dict(line.where)


def finding_section(report: Report, finding: Finding) -> str | None:
    """The section a finding belongs to (for grouping output): by its line, its cells, or
    its explicit section; None for findings about the report as a whole."""
    where = finding.where or {}
    if "section" in where:
        return str(where["section"])
    if "line" in where:
        for line in report_lines(report):
            if line.where.get("line") == where["line"]:
                return line.section
    if finding.cells:
        return TABLE_SECTIONS.get(finding.cells[0].split("/", 1)[0])
    return None
