"""Report -> Markdown, for review in any editor.

Markdown tables cannot merge cells, so each table row carries its group and its own label
in two label columns, then its values; a blank value is an empty cell. Table 二 becomes one
small table per block (its blocks have different columns). xxgk reads this back exactly.
"""

from __future__ import annotations

from ..formats import Table
from ..model import Report
from .layout import paragraphs, report_sections, report_title, value_text


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ").strip()


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), "|" + "|".join("---" for _ in header) + "|", *(_row(r) for r in rows)]


def _row_values(report: Report, table: Table, row) -> list[str]:
    return [value_text(report, f"{table.key}/{row.key}/{f.key}") for f in row.fields]


def _active(report: Report, table: Table) -> list[str]:
    out: list[str] = []
    blocks: dict[str, list] = {}
    for row in table.rows:
        blocks.setdefault(row.block or "", []).append(row)
    for block, rows in blocks.items():
        header = [block, "信息内容", *(f.label for f in rows[0].fields)]
        out += _table(header, [["", row.label, *_row_values(report, table, row)] for row in rows]) + [""]
    return out


def _applications(report: Report, table: Table) -> list[str]:
    header = ["分组", "项目", *(f.label for f in table.rows[0].fields)]
    rows = [[row.group or "", row.label, *_row_values(report, table, row)] for row in table.rows]
    return [table.note or "", "", *_table(header, rows), ""]


def _reviews(report: Report, table: Table) -> list[str]:
    header = [f"{row.label}{f.label}" for row in table.rows for f in row.fields]
    values = [v for row in table.rows for v in _row_values(report, table, row)]
    return ["行政复议", "", *_table(header, [values]), ""]


_TABLES = {"active": _active, "applications": _applications, "reviews": _reviews}


def render_markdown(report: Report) -> str:
    out = [f"# {report_title(report)}", ""]
    preamble = paragraphs(report.preamble)
    out += [*preamble, ""] if preamble else []
    for number, heading, tables in report_sections(report):
        out += [f"## {heading}", "", *paragraphs(report.sections.get(str(number))), ""]
        for table in tables:
            out += _TABLES[table.key](report, table)
    return "\n".join(out).rstrip() + "\n"
