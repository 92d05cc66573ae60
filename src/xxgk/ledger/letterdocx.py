"""A letter of a case written as DOCX: A4 with the margins, fonts and sizes of the report
renderer (`render.docx`), the title centred, body paragraphs justified with a two-character
first-line indent (not the salutation) at a fixed 22 lines a page, and the office and date
signed on the right. The letter's text comes from `letters`, whose `render_letter` calls
`write_docx` for ``.docx`` output.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from ..render.docx import (
    BODY_FONT,
    BODY_SIZE,
    LINE_SPACING,
    MARGINS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TITLE_FONT,
    TITLE_SIZE,
)
from .letters import Letter, cn_date


def write_docx(letter: Letter, path: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, size in MARGINS.items():
        setattr(section, f"{side}_margin", size)
    doc.core_properties.title = letter.title
    doc.core_properties.language = "zh-CN"
    _paragraph(doc, letter.title, TITLE_FONT, TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    _paragraph(doc, "")
    for i, text in enumerate(letter.paragraphs):
        indent = not (i == 0 and letter.salutation)
        _paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=indent)
    _paragraph(doc, "")
    _paragraph(doc, letter.office, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, cn_date(letter.date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.save(str(path))


def _paragraph(doc, text: str, font: str = BODY_FONT, size=BODY_SIZE, align=None, indent=False, exact=True):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if exact:  # 22 lines a page, as in official documents
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_SPACING
    if indent:
        fmt.first_line_indent = Pt(2 * BODY_SIZE.pt)
    if align is not None:
        p.alignment = align
    if text:
        run = p.add_run(text)
        run.font.name, run.font.size = font, size
        fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts.set(qn(attr), font)  # CJK text takes its font from w:eastAsia only
    return p
