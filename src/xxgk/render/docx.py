"""Report -> DOCX with python-docx: A4, official fonts, the three tables with the exact merges
of the official Word files (`w:gridSpan` / `w:vMerge`), laid out from `table_grid`."""

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
from .layout import GridCell, grid_shape, paragraphs, report_sections, report_title, table_grid, value_text

# Fonts of Chinese official documents (GB/T 9704): title, headings, body.
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = BODY_FONT

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
LINE_SPACING = Pt(28)  # 22 lines per page

# A4 with the margins of GB/T 9704 (top 37 mm, bottom 35, left 28, right 26): 156 mm of text.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_MM = 156

# Widths of the label columns per table; the value columns share what is left.
LABEL_WIDTHS_MM: dict[str, tuple[float, ...]] = {
    "active": (44,),
    "applications": (12, 18, 40),
    "reviews": (),
}
CELL_MARGIN_TWIPS = 57  # 1 mm left and right inside each table cell

TABLE_STYLE = "Table Grid"
TABLE_TEXT_STYLE = "Table Text"


def render_docx(report: Report, target: str | Path | BinaryIO) -> None:
    """Write the report as a Word document to a path or a binary file object."""
    doc = Document()
    _setup_page(doc)
    _setup_styles(doc)
    title = report_title(report)
    props = doc.core_properties
    props.title = title
    props.language = "zh-CN"
    props.author = report.meta.agency or ""
    props.comments = "xxgk"

    p = doc.add_paragraph(style="Title")
    _font(p.add_run(title), TITLE_FONT, TITLE_SIZE)

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
    """Append one table of the report, merged cell by cell as `table_grid` lays it out."""
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
    return table


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
    labels = LABEL_WIDTHS_MM.get(table_key, ())
    if len(labels) >= ncols:
        labels = ()
    rest = (TEXT_WIDTH_MM - sum(labels)) / (ncols - len(labels))
    return [Mm(w) for w in labels] + [Mm(rest)] * (ncols - len(labels))


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
