"""Report -> HTML: a standalone UTF-8 page or the body fragment, tables from `table_grid`.

The page's stylesheet also prints it: A4 with the margins and page numbers of GB/T 9704, the
same column widths as the DOCX, table rows kept whole, 表三's header rows in `thead` (repeated
on each page). The PDF renderer (pdf.py) prints this page with WeasyPrint."""

from __future__ import annotations

from html import escape

from ..model import Report
from .layout import (
    GridCell,
    grid_shape,
    paragraphs,
    report_sections,
    report_title,
    table_grid,
    title_lines,
    value_text,
)

# Font lists: the official font first, then its usual names on Windows and macOS, then the
# Noto CJK face that stands in for it (fonts-noto-cjk), then the generic family. Naming Noto
# before the generic family keeps digits and Latin letters in the CJK face (fontconfig's
# generic serif would take them from DejaVu). `{serif}` / `{sans}`: the Noto faces.
BODY_FONTS = '"仿宋_GB2312", "仿宋", "FangSong", "STFangsong", {serif}, serif'
TITLE_FONTS = '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "小标宋", "STZhongsong", {serif}, serif'
HEADING_FONTS = '"黑体", "SimHei", "STHeiti", {sans}, sans-serif'
FOLIO_FONTS = '"宋体", "SimSun", "STSong", {serif}, serif'
NOTO_SERIF = '"Noto Serif CJK SC"'
NOTO_SANS = '"Noto Sans CJK SC"'

# The printed page of GB/T 9704: A4, top 37 mm, bottom 35 mm, binding side 28 mm, so a text
# block of 156 x 225 mm. Page numbers in 4号 (14pt) 宋体 between two 一字线 below the text
# block, the top of the dashes 7 mm under it (the padding was measured on the printed page:
# the dash sits 0.5 em into a 1-em line); odd pages right and even pages left, one character
# in from the edge. Paged-media rules are honoured by WeasyPrint and by browsers printing.
_FOLIO = 'content: "— " counter(page) " —"'
_TEMPLATE = """\
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-right {{ font-family: {folio}; font-size: 14pt; line-height: 1;
    vertical-align: top; padding-top: 3.85mm; }}
  @bottom-left {{ font-family: {folio}; font-size: 14pt; line-height: 1;
    vertical-align: top; padding-top: 3.85mm; }} }}
@page :right {{ @bottom-right {{ {folio_content}; text-align: right; padding-right: 1em; }} }}
@page :left {{ @bottom-left {{ {folio_content}; text-align: left; padding-left: 1em; }} }}
body {{ font-family: {body}; font-size: 16pt;
  line-height: 1.75; color: #000; max-width: 156mm; margin: 2em auto; }}
h1 {{ font-family: {title}; font-size: 22pt;
  font-weight: normal; text-align: center; line-height: 1.4; margin: 0 0 1em; }}
h2 {{ font-family: {heading}; font-size: 16pt; font-weight: normal; text-indent: 2em;
  margin: 0; break-after: avoid; page-break-after: avoid; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; orphans: 2; widows: 2; }}
table.xxgk-table {{ border-collapse: collapse; table-layout: fixed; width: 100%; margin: 0.5em 0 1em;
  font-size: 10.5pt; line-height: 1.4; break-inside: auto; }}
table.xxgk-table th, table.xxgk-table td {{ border: 1px solid #000; padding: 2pt 2pt;
  vertical-align: middle; text-align: center; font-weight: normal; }}
table.xxgk-table th[scope="row"] {{ text-align: left; }}
table.xxgk-table td {{ white-space: nowrap; }}
table.xxgk-table tr {{ break-inside: avoid; page-break-inside: avoid; }}
table.xxgk-table thead {{ display: table-header-group; break-after: avoid; }}
table.xxgk-table tr.xxgk-caption {{ break-after: avoid; page-break-after: avoid; }}
table[data-table="reviews"] {{ break-inside: avoid; page-break-inside: avoid; }}
@media print {{ body {{ margin: 0; max-width: none; }} }}
"""


def make_stylesheet(serif: str = NOTO_SERIF, sans: str = NOTO_SANS) -> str:
    """The page's stylesheet with `serif` / `sans` (CSS family names) as the CJK fallbacks."""
    fonts = {"serif": serif, "sans": sans}
    return _TEMPLATE.format(
        folio=FOLIO_FONTS.format(**fonts),
        folio_content=_FOLIO,
        body=BODY_FONTS.format(**fonts),
        title=TITLE_FONTS.format(**fonts),
        heading=HEADING_FONTS.format(**fonts),
    )


# Readable on screen, A4 on paper.
STYLESHEET = make_stylesheet()

# Column widths: the label columns of each table in mm of the 156 mm text block (GB/T 9704);
# the value columns share the rest evenly. 表四's 15 columns get 10.4 mm each, room for a
# 4-digit value in 五号 type; 表三's label columns leave 12.3 mm per applicant column.
TEXT_WIDTH_MM = 156
LABEL_WIDTHS_MM: dict[str, tuple[float, ...]] = {
    "active": (44,),
    "applications": (12, 18, 40),
    "reviews": (),
}


def column_widths_mm(table_key: str, ncols: int) -> list[float]:
    """Width in mm of each grid column of a table (the DOCX and the printed page share them)."""
    labels = LABEL_WIDTHS_MM.get(table_key, ())
    if len(labels) >= ncols:
        labels = ()
    rest = (TEXT_WIDTH_MM - sum(labels)) / (ncols - len(labels))
    return [float(w) for w in labels] + [rest] * (ncols - len(labels))


def _attrs(cell: GridCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def head_rows(cells: list[GridCell]) -> int:
    """How many leading rows of a grid are its column header, repeated on each page a table
    runs onto: the rows of column captions before the first row label or value. A table
    with captions further down (表二: one caption row per block) has no single header: 0."""
    nrows, _ = grid_shape(cells)
    captions = [True] * nrows
    for cell in cells:
        if not cell.header or cell.scope != "col":
            captions[cell.row] = False
    head = captions.index(False) if False in captions else nrows
    return head if head < nrows and not any(captions[head:]) else 0


def render_table(report: Report, table_key: str) -> str:
    """One table of the report as `<table>` markup (header and label cells `th` with a scope,
    values `td`, blank for a missing value); the column header rows in `thead`."""
    spec = report.spec
    if spec is None:
        raise ValueError(f"报告格式 {report.format!r} 没有统计表")
    cells = table_grid(spec, table_key)
    nrows, ncols = grid_shape(cells)
    by_row: list[list[GridCell]] = [[] for _ in range(nrows)]
    for cell in cells:
        by_row[cell.row].append(cell)
    head = head_rows(cells)
    lines = [f'<table class="xxgk-table" data-table="{escape(table_key)}">', _colgroup(table_key, ncols)]
    for r, row in enumerate(by_row):
        if r == 0 and head:
            lines.append("<thead>")
        if r == head:
            lines += ["</thead>"] if head else []
            lines.append("<tbody>")
        # A caption row inside the body (表二's block titles and their field headers) stays
        # on the page of the rows it heads.
        caption = r >= head and all(c.header and c.scope == "col" for c in row)
        tr = '<tr class="xxgk-caption">' if caption else "<tr>"
        lines.append(tr + "".join(_cell_markup(report, cell) for cell in row) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _colgroup(table_key: str, ncols: int) -> str:
    widths = column_widths_mm(table_key, ncols)
    cols = "".join(f'<col style="width:{w / TEXT_WIDTH_MM:.3%}">' for w in widths)
    return f"<colgroup>{cols}</colgroup>"


def _cell_markup(report: Report, cell: GridCell) -> str:
    if cell.header:
        scope = f' scope="{cell.scope}"' if cell.scope else ""
        return f"<th{scope}{_attrs(cell)}>{escape(cell.text)}</th>"
    ref = f' data-ref="{escape(cell.ref)}"' if cell.ref else ""
    return f"<td{ref}{_attrs(cell)}>{escape(value_text(report, cell.ref or ''))}</td>"


def render_body(report: Report) -> str:
    """The report without the page around it: title, the preamble's paragraphs, then each
    section's heading, its text as paragraphs and its tables."""
    title = "<br>".join(escape(line) for line in title_lines(report_title(report)))
    out = ['<article class="xxgk-report">', f"<h1>{title}</h1>"]
    out += [f"<p>{escape(text)}</p>" for text in paragraphs(report.preamble)]
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


def render_html(report: Report, fragment: bool = False, *, stylesheet: str = STYLESHEET) -> str:
    """The report as a standalone UTF-8 HTML page, or only its body markup (`fragment`)."""
    body = render_body(report)
    if fragment:
        return body + "\n"
    title = escape(report_title(report))
    # The PDF's Author, as the DOCX's core properties carry it.
    author = f'<meta name="author" content="{escape(report.meta.agency)}">\n' if report.meta.agency else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="xxgk">\n'
        f"{author}"
        f"<title>{title}</title>\n"
        f"<style>\n{stylesheet}</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}\n"
        "</body>\n"
        "</html>\n"
    )
