"""Real PDFs for reader tests: a DOCX of the official 2021 tables, converted by LibreOffice.

`report_docx(values, sections, ...)` writes the report as python-docx would: a title, the six
section headings with their prose, and the three official tables with merged cells (the
application table's 三、本年度办理结果 spans 22 rows, table 四 has a two-level header).
Variants: `borders=False` (no ruling lines: a borderless table), `distributed=True` (header
cells in 分散对齐, which PDF text extraction returns as "结 果 维 持").

`docx_to_pdf` runs `soffice --headless --convert-to pdf` with a fresh profile directory;
`encrypt` asks LibreOffice for a password-protected export. `page_images` prints PDF pages to
PNG with pypdfium2, `images_pdf` wraps page images into an image-only ("scanned") PDF,
`blank_pages_pdf` makes a many-page PDF cheaply and `png_bomb` a PNG header claiming a huge
image.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import tempfile
import zlib
from functools import cache
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.shared import OxmlElement
from docx.shared import Cm, Pt

from layouts import (
    ACTIVE,
    APPLICATIONS,
    HEADINGS,
    REVIEW_FIELDS,
    REVIEWS,
    SUBGROUPS,
    Value,
    cell_text,
    consistent_tables,
    prose_with_numbers,
    row_texts,
)
from xxgk.formats.common import APPLICATION_NOTE

FONT = "Noto Serif CJK SC"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

_RESULTS_GROUP = "三、本年度办理结果"
_APP_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


# ---------------------------------------------------------------- cached test documents

VARIANTS = {"ruled": {}, "borderless": {"borders": False}, "distributed": {"distributed": True}}


@cache
def report_values(seed: int) -> tuple[dict[str, Value], dict[str, str]]:
    """Random consistent values for the 200 cells and prose for the six sections."""
    import random

    rng = random.Random(seed)
    return consistent_tables(rng), prose_with_numbers(rng)


@cache
def docx_bytes(variant: str, seed: int) -> bytes:
    values, sections = report_values(seed)
    return report_docx(values, sections, **VARIANTS[variant])


@cache
def pdf_bytes(variant: str, seed: int) -> bytes:
    return docx_to_pdf(docx_bytes(variant, seed))


@cache
def scanned_pdf(variant: str, seed: int) -> bytes:
    """The PDF printed to 300 dpi images and wrapped back into an image-only PDF."""
    return images_pdf(page_images(pdf_bytes(variant, seed)))


# ---------------------------------------------------------------- DOCX


def report_docx(
    values: dict[str, Value],
    sections: dict[str, str],
    *,
    agency: str = "示例市生态环境局",
    year: int = 2024,
    borders: bool = True,
    distributed: bool = False,
) -> bytes:
    doc = new_docx()
    _page_setup(doc)
    _paragraph(doc, f"{agency}{year}年政府信息公开工作年度报告", bold=True, center=True)
    writer = _TableWriter(doc, values, borders, distributed)
    tables = {"2": writer.active, "3": writer.applications, "4": writer.reviews}
    for number in "123456":
        _paragraph(doc, HEADINGS[number], bold=True)
        for line in sections.get(number, "").splitlines():
            _paragraph(doc, line)
        if number in tables:
            tables[number]()
    _paragraph(doc, agency, right=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2.2)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _paragraph(doc, text: str, bold: bool = False, center: bool = False, right: bool = False):
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.bold = bold
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return para


class _TableWriter:
    """The three official tables; `put(r, c, text, rowspan, colspan)` merges as it writes."""

    def __init__(self, doc, values: dict[str, Value], borders: bool, distributed: bool):
        self.doc, self.values = doc, values
        self.borders, self.distributed = borders, distributed
        self.table = None

    def _new(self, rows: int, widths: list[float]) -> None:
        table = self.doc.add_table(rows=rows, cols=len(widths))
        if self.borders:
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
        self.table = table

    def put(self, r: int, c: int, text: str, rowspan: int = 1, colspan: int = 1, header: bool = False):
        cell = self.table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(self.table.cell(r + rowspan - 1, c + colspan - 1))
        para = cell.paragraphs[0]
        para.add_run(text).font.size = Pt(9)
        if header and self.distributed and len(text) <= 8:
            _distribute(para)
        elif header or text.replace(".", "").isdigit():
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def active(self) -> None:
        self._new(14, [4.5, 4.0, 4.0, 4.0])
        r = 0
        for block, rows in _active_blocks():
            self.put(r, 0, block, colspan=4, header=True)
            if len(rows[0].fields) == 3:
                for c, label in enumerate(["信息内容", *(f.label for f in rows[0].fields)]):
                    self.put(r + 1, c, label, header=True)
            else:
                self.put(r + 1, 0, "信息内容", header=True)
                self.put(r + 1, 1, rows[0].fields[0].label, colspan=3, header=True)
            r += 2
            for row in rows:
                self.put(r, 0, row.label)
                texts = row_texts(self.values, "active", row)
                if len(texts) == 3:
                    for c, text in enumerate(texts, start=1):
                        self.put(r, c, text)
                else:
                    self.put(r, 1, texts[0], colspan=3)
                r += 1

    def applications(self) -> None:
        self._new(28, [1.6, 1.8, 4.4] + [1.2] * 6 + [1.6])
        self.put(0, 0, APPLICATION_NOTE, rowspan=3, colspan=3)
        self.put(0, 3, "申请人情况", colspan=7, header=True)
        self.put(1, 3, "自然人", rowspan=2, header=True)
        self.put(1, 4, "法人或其他组织", colspan=5, header=True)
        self.put(1, 9, "总计", rowspan=2, header=True)
        for c, label in enumerate(_APP_COLUMNS[1:6], start=4):
            self.put(2, c, label, header=True)
        self.put(5, 0, _RESULTS_GROUP, rowspan=22)
        r, group_start = 3, {}
        for row in APPLICATIONS.rows:
            if row.group in SUBGROUPS:
                if row.group not in group_start:
                    group_start[row.group] = r
                    size = sum(1 for x in APPLICATIONS.rows if x.group == row.group)
                    self.put(r, 1, row.group, rowspan=size)
                self.put(r, 2, row.label)
            elif row.group == _RESULTS_GROUP:
                self.put(r, 1, row.label, colspan=2)
            else:
                self.put(r, 0, row.label, colspan=3)
            for c, text in enumerate(row_texts(self.values, "applications", row), start=3):
                self.put(r, c, text)
            r += 1

    def reviews(self) -> None:
        self._new(4, [1.13] * 15)
        self.put(0, 0, "行政复议", colspan=5, header=True)
        self.put(0, 5, "行政诉讼", colspan=10, header=True)
        for c, label in enumerate(REVIEW_FIELDS):
            self.put(1, c, label, rowspan=2, header=True)
        self.put(1, 5, "未经复议直接起诉", colspan=5, header=True)
        self.put(1, 10, "复议后起诉", colspan=5, header=True)
        for c, label in enumerate(REVIEW_FIELDS * 2, start=5):
            self.put(2, c, label, header=True)
        refs = [f"reviews/{row.key}/{f.key}" for row in _review_rows() for f in row.fields]
        for c, ref in enumerate(refs):
            self.put(3, c, cell_text(self.values.get(ref)))


def _active_blocks():
    blocks: list[tuple[str, list]] = []
    for row in ACTIVE.rows:
        if not blocks or blocks[-1][0] != row.block:
            blocks.append((row.block, []))
        blocks[-1][1].append(row)
    return blocks


def _review_rows():
    return REVIEWS.rows


def _distribute(para) -> None:
    """分散对齐: w:jc="distribute" (python-docx has no enum value that writes it)."""
    ppr = para._p.get_or_add_pPr()
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "distribute")
    ppr.append(jc)


# ---------------------------------------------------------------- LibreOffice


def soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    """Convert `data` (a file ending in `suffix`) with `soffice --convert-to target`."""
    if SOFFICE is None:
        raise RuntimeError("soffice not installed")
    with tempfile.TemporaryDirectory(prefix="xxgk-lo-") as tmp:
        work = Path(tmp)
        source = work / f"report{suffix}"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        cmd = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target]
        subprocess.run(
            [*cmd, "--outdir", str(work / "out"), str(source)], check=True, capture_output=True, timeout=180
        )
        [pdf] = list((work / "out").glob("*.pdf"))
        return pdf.read_bytes()


def docx_to_pdf(data: bytes) -> bytes:
    return soffice_convert(data, ".docx", "pdf")


def encrypted_pdf(docx_data: bytes, password: str = "x") -> bytes:
    options = {
        "EncryptFile": {"type": "boolean", "value": "true"},
        "DocumentOpenPassword": {"type": "string", "value": password},
    }
    return soffice_convert(docx_data, ".docx", "pdf:writer_pdf_Export:" + json.dumps(options))


# ---------------------------------------------------------------- images


def page_images(pdf_data: bytes, dpi: int = 300) -> list[bytes]:
    """Each page printed to PNG (grayscale) at `dpi`."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_data)
    out = []
    try:
        for page in pdf:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            out.append(buf.getvalue())
    finally:
        pdf.close()
    return out


def images_pdf(pngs: list[bytes], dpi: int = 300) -> bytes:
    """An image-only PDF (no text layer), as a scanner makes."""
    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("L") for p in pngs]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def blank_pages_pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def png_bomb(width: int = 50000, height: int = 50000) -> bytes:
    """A tiny PNG whose header claims width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )
