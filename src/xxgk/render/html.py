"""Report -> HTML: a standalone UTF-8 page or the body fragment, tables from `table_grid`."""

from __future__ import annotations

from html import escape

from ..model import Report
from .layout import GridCell, grid_shape, paragraphs, report_sections, report_title, table_grid, value_text

# A small stylesheet: readable on screen, A4 on paper (margins of GB/T 9704), ruled tables.
STYLESHEET = """\
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", serif; font-size: 16pt;
  line-height: 1.75; color: #000; background: #fff; max-width: 156mm; margin: 2em auto; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "STZhongsong", serif; font-size: 22pt;
  font-weight: normal; text-align: center; line-height: 1.4; margin: 0 0 1em; }
h2 { font-family: "黑体", "SimHei", "STHeiti", sans-serif; font-size: 16pt; font-weight: normal;
  margin: 0.5em 0 0; }
p { text-indent: 2em; margin: 0; text-align: justify; }
table.xxgk-table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 10.5pt;
  line-height: 1.4; page-break-inside: auto; }
table.xxgk-table th, table.xxgk-table td { border: 1px solid #000; padding: 2pt 3pt;
  vertical-align: middle; text-align: center; font-weight: normal; }
table.xxgk-table th[scope="row"] { text-align: left; }
table.xxgk-table tr { page-break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } }
"""


def _attrs(cell: GridCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def render_table(report: Report, table_key: str) -> str:
    """One table of the report as `<table>` markup (header and label cells `th` with a scope,
    values `td`, blank for a missing value)."""
    spec = report.spec
    if spec is None:
        raise ValueError(f"报告格式 {report.format!r} 没有统计表")
    cells = table_grid(spec, table_key)
    nrows, _ = grid_shape(cells)
    by_row: list[list[GridCell]] = [[] for _ in range(nrows)]
    for cell in cells:
        by_row[cell.row].append(cell)
    lines = [f'<table class="xxgk-table" data-table="{escape(table_key)}">', "<tbody>"]
    for row in by_row:
        parts = []
        for cell in row:
            if cell.header:
                scope = f' scope="{cell.scope}"' if cell.scope else ""
                parts.append(f"<th{scope}{_attrs(cell)}>{escape(cell.text)}</th>")
            else:
                ref = f' data-ref="{escape(cell.ref)}"' if cell.ref else ""
                parts.append(f"<td{ref}{_attrs(cell)}>{escape(value_text(report, cell.ref or ''))}</td>")
        lines.append("<tr>" + "".join(parts) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def render_body(report: Report) -> str:
    """The report without the page around it: title, then each section's heading, its text
    as paragraphs and its tables."""
    out = ['<article class="xxgk-report">', f"<h1>{escape(report_title(report))}</h1>"]
    for number, heading, tables in report_sections(report):
        out.append(f'<section data-section="{number}">')
        out.append(f"<h2>{escape(heading)}</h2>")
        for text in paragraphs(report.sections.get(str(number))):
            out.append(f"<p>{escape(text)}</p>")
        for table in tables:
            out.append(render_table(report, table.key))
        out.append("</section>")
    out.append("</article>")
    return "\n".join(out)


def render_html(report: Report, fragment: bool = False) -> str:
    """The report as a standalone UTF-8 HTML page, or only its body markup (`fragment`)."""
    body = render_body(report)
    if fragment:
        return body + "\n"
    title = escape(report_title(report))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="xxgk">\n'
        f"<title>{title}</title>\n"
        f"<style>\n{STYLESHEET}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}\n"
        "</body>\n"
        "</html>\n"
    )
