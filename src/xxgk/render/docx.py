"""Report -> DOCX with python-docx: the page of GB/T 9704 (A4, its margins, official fonts,
"— N —" page numbers in the footer, odd right / even left) and the three tables with the exact
merges of the official Word files (`w:gridSpan` / `w:vMerge`), laid out from `table_grid`;
rows never split across pages (`w:cantSplit`), column header rows repeat (`w:tblHeader`)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import _Cell

from ..model import Report
from .html import column_widths_mm, head_rows
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

# Fonts of Chinese official documents (GB/T 9704): title, headings, body.
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = BODY_FONT
FOLIO_FONT = "宋体"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
FOLIO_SIZE = Pt(14)  # 四号
LINE_SPACING = Pt(28)  # 22 lines per page

# A4 with the margins of GB/T 9704 (top 37 mm, bottom 35, left 28, right 26): 156 mm of text.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
# Page numbers: the footer's last line ends this far above the page edge, which puts the top
# of its 一字线 7 mm under the text block (measured in LibreOffice's PDF with Noto Serif CJK).
FOOTER_DISTANCE = Mm(25.2)
FOLIO_BEFORE, FOLIO_AFTER = "— ", " —"
CELL_MARGIN_TWIPS = 57  # 1 mm left and right inside each table cell
# Tables printed whole on one page: 表四 is a header and one row of values.
KEEP_TOGETHER = frozenset({"reviews"})

TABLE_STYLE = "Table Grid"
TABLE_TEXT_STYLE = "Table Text"


def render_docx(report: Report, target: str | Path | BinaryIO) -> None:
    """Write the report as a Word document to a path or a binary file object."""
    doc = Document()
    _setup_page(doc)
    _setup_styles(doc)
    _page_numbers(doc)
    title = report_title(report)
    props = doc.core_properties
    props.title = title
    props.language = "zh-CN"
    props.author = report.meta.agency or ""
    props.comments = "xxgk"

    p = doc.add_paragraph(style="Title")
    lines = title_lines(title)
    for i, line in enumerate(lines):
        run = p.add_run(line)
        if i < len(lines) - 1:
            run.add_break()  # a line break inside the title paragraph (w:br)
        _font(run, TITLE_FONT, TITLE_SIZE)
    for text in paragraphs(report.preamble):
        _font(doc.add_paragraph().add_run(text), BODY_FONT, BODY_SIZE)

    for number, heading, tables in report_sections(report):
        p = doc.add_paragraph(style="Heading 1")
        _font(p.add_run(heading), HEADING_FONT, BODY_SIZE)
        for text in paragraphs(report.sections.get(str(number))):
            _font(doc.add_paragraph().add_run(text), BODY_FONT, BODY_SIZE)
        for table in tables:
            add_table(doc, report, table.key)

    doc.save(str(target) if isinstance(target, Path) else target)


# ---------------------------------------------------------------- tables


def add_table(doc, report: Report, table_key: str):
    """Append one table of the report, merged cell by cell as `table_grid` lays it out. Rows
    never split across pages; the column header rows repeat on each page the table runs
    onto and stay with the first row below them."""
    spec = report.spec
    if spec is None:
        raise ValueError(f"报告格式 {report.format!r} 没有统计表")
    cells = table_grid(spec, table_key)
    nrows, ncols = grid_shape(cells)
    table = doc.add_table(rows=nrows, cols=ncols)
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = column_widths(table_key, ncols)
    _table_props(table, Emu(sum(widths)))
    for i, column in enumerate(table.columns):
        column.width = widths[i]
    # Before any merge each row holds one w:tc per grid column. Cells are merged through
    # these elements (python-docx's `table.cell()` rebuilds the whole grid on every call).
    grid = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
    for row in grid:
        for i, tc in enumerate(row):
            tc.width = widths[i]

    for gc in cells:
        tc = grid[gc.row][gc.col]
        if gc.rowspan > 1 or gc.colspan > 1:
            tc = tc.merge(grid[gc.row + gc.rowspan - 1][gc.col + gc.colspan - 1])
        _fill(_Cell(tc, table), gc, report)

    # Every paragraph in the table, including the empty ones left in vMerge continuation
    # cells, takes the compact table style (the body's line spacing would stretch the rows).
    style_id = doc.styles[TABLE_TEXT_STYLE].style_id
    for p in table._tbl.iter(qn("w:p")):
        p.get_or_add_pPr().get_or_add_pStyle().val = style_id
    _paginate(table, cells, keep_all=table_key in KEEP_TOGETHER)
    return table


def _paginate(table, cells: list[GridCell], keep_all: bool) -> None:
    """Row properties for the printed page: `w:cantSplit` on every row, `w:tblHeader` on the
    column header rows; header and caption rows (or all rows) keep with the next row."""
    head = head_rows(cells)
    captions = _caption_rows(cells)
    rows = table._tbl.tr_lst
    for r, tr in enumerate(rows):
        trPr = tr.get_or_add_trPr()
        trPr.append(OxmlElement("w:cantSplit"))
        if r < head:
            trPr.append(OxmlElement("w:tblHeader"))
        if r < head or r in captions or (keep_all and r < len(rows) - 1):
            for p in tr.iter(qn("w:p")):
                p.get_or_add_pPr().keepNext_val = True


def _caption_rows(cells: list[GridCell]) -> set[int]:
    """Rows holding only column captions (表二's block titles and their field headers)."""
    rows = {c.row for c in cells}
    return rows - {c.row for c in cells if not c.header or c.scope != "col"}


def _fill(cell, gc: GridCell, report: Report) -> None:
    text = gc.text if gc.header else value_text(report, gc.ref or "")
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.alignment = (
        WD_ALIGN_PARAGRAPH.LEFT if gc.scope == "row" and gc.rowspan == 1 else WD_ALIGN_PARAGRAPH.CENTER
    )
    if text:
        _font(p.add_run(text), TABLE_FONT, TABLE_SIZE)


def column_widths(table_key: str, ncols: int) -> list:
    return [Mm(w) for w in column_widths_mm(table_key, ncols)]


def _table_props(table, width) -> None:
    """Table width and narrow cell margins (so 结果维持 fits as 结果/维持 in table 四)."""
    tblPr = table._tbl.tblPr
    tblW = tblPr.find(qn("w:tblW"))
    if tblW is None:
        tblW = OxmlElement("w:tblW")
        tblPr.append(tblW)
    tblW.set(qn("w:w"), str(int(width.twips)))
    tblW.set(qn("w:type"), "dxa")
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    # Schema order within tblPr: ... tblW, jc, ..., tblLayout, tblCellMar, tblLook.
    look = tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(mar)
    else:
        tblPr.append(mar)


# ---------------------------------------------------------------- page numbers


def _page_numbers(doc) -> None:
    """Page numbers after GB/T 9704: "— N —" in 4号 宋体 below the text block, odd pages at
    the right and even pages at the left, each one character in from the edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.footer_distance = FOOTER_DISTANCE
    _folio(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _folio(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _folio(p, alignment) -> None:
    fmt = p.paragraph_format
    fmt.alignment = alignment
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = FOLIO_SIZE
    else:
        fmt.left_indent = FOLIO_SIZE
    _folio_run(p).text = FOLIO_BEFORE
    _page_field(p)
    _folio_run(p).text = FOLIO_AFTER


def _page_field(p) -> None:
    """A PAGE field; its result "1" stands until Word or LibreOffice lays the pages out."""
    _field_char(p, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    _folio_run(p)._r.append(instr)
    _field_char(p, "separate")
    _folio_run(p).text = "1"
    _field_char(p, "end")


def _field_char(p, kind: str) -> None:
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    _folio_run(p)._r.append(fld)


def _folio_run(p):
    run = p.add_run()
    _font(run, FOLIO_FONT, FOLIO_SIZE)
    return run


# ---------------------------------------------------------------- page, styles, fonts


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]


def _setup_styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_SIZE)
    _lang(normal)
    fmt = normal.paragraph_format
    fmt.first_line_indent = Pt(32)  # two characters
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    title = styles["Title"]
    _style_font(title, TITLE_FONT, TITLE_SIZE)
    _drop(title.element, "w:pPr/w:pBdr", "w:rPr/w:spacing", "w:rPr/w:kern")
    tfmt = title.paragraph_format
    tfmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tfmt.first_line_indent = Pt(0)
    tfmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    tfmt.space_before = Pt(0)
    tfmt.space_after = LINE_SPACING

    heading = styles["Heading 1"]
    _style_font(heading, HEADING_FONT, BODY_SIZE)
    heading.font.bold = False
    hfmt = heading.paragraph_format
    hfmt.space_before = hfmt.space_after = Pt(0)

    if TABLE_TEXT_STYLE not in [s.name for s in styles]:
        cell_style = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        cell_style.base_style = normal
        cell_style.quick_style = False
    else:
        cell_style = styles[TABLE_TEXT_STYLE]
    _style_font(cell_style, TABLE_FONT, TABLE_SIZE)
    cfmt = cell_style.paragraph_format
    cfmt.first_line_indent = Pt(0)
    cfmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cfmt.space_before = cfmt.space_after = Pt(0)
    cfmt.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _style_font(style, name: str, size) -> None:
    font = style.font
    font.name = name
    font.size = size
    font.color.rgb = RGBColor(0, 0, 0)
    font.italic = False
    rFonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    _east_asian(rFonts, name)


def _font(run, name: str, size) -> None:
    """Set a run's font for Latin and East-Asian text (`w:rFonts/@w:eastAsia`)."""
    run.font.name = name
    run.font.size = size
    _east_asian(run._element.get_or_add_rPr().get_or_add_rFonts(), name)


def _east_asian(rFonts, name: str) -> None:
    # Theme font attributes win over explicit names in the same element; drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rFonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rFonts.set(qn(attr), name)


def _lang(style) -> None:
    rPr = style.element.get_or_add_rPr()
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _drop(element, *paths: str) -> None:
    for path in paths:
        for el in element.xpath(path):
            el.getparent().remove(el)
