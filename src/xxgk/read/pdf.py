"""PDF reader: bytes -> Document of paragraphs and tables, page by page, with provenance.

Per page, in reading order (top to bottom):
- ruled tables (pdfplumber `find_tables`) -> TableBlocks; a merged cell appears once with
  the rowspan/colspan its box covers; cell text with wrapped lines joined and the spaces of
  distributed alignment removed ("结 果 维 持" -> "结果维持"); rows that are prose drawn on
  boxes (WPS puts a filled rectangle behind every line, see prosegrid.py) are not a table:
  their words are read as lines like any other text;
- every other line -> a Paragraph (cells far apart on a line are separated by two spaces),
  except runs of lines that look like a borderless table, rebuilt into TableBlocks from word
  positions (see layout.py);
- page numbers in the top and bottom margins are dropped.
A ruled table continued on the next page with the same columns is stitched into one block.
A page without a text layer is a scan: it is rendered and read by OCR (ocr.py).

The characters and ruling lines of a page are read by pdfium where it gives the records
pdfminer would (pdfium.py; a report reads in less than half the CPU time), else by
pdfplumber (pdfminer); the document's structure is always read by pdfminer. A box edge on a
half hundredth may round 0.01 pt apart from pdfminer's reading (pdfium.py).
`USE_PDFIUM = False` reads every page with pdfplumber.

A page whose text runs sideways or upside down (/Rotate on upright content, a table set
sideways) is read turned so that its text stands upright (pdfturn.py).

`where`: {"page": p, "bbox": [x0, top, x1, bottom]} in PDF points (top-left origin; on a
turned page, of the page as read), plus "table" (1-based, per document) for ruled tables.

Hostile files: the reading runs in a child process (sandbox.py) within `timeout` and 512 MB;
the page tree must be read within OPEN_TIMEOUT (a reference cycle never ends), each page's
content within PARSE_TIMEOUT and MAX_PAGE_CHARS; streams inflate to MAX_STREAM at most, a
font's ToUnicode CMap is parsed only up to MAX_CMAP, and pdfminer's failures become one
"PDF 文件已损坏或不完整（…）" naming the damage (pdfguard.py).
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from . import pdfguard, pdfium, pdfturn, sandbox
from .document import Block, Document, TableBlock, TableCell, is_page_number
from .layout import Word, bbox_of, clean_text, grid_rows, line_text, make_lines, page_blocks
from .prosegrid import table_parts

MEDIA_TYPE = "application/pdf"
DEFAULT_MAX_PAGES = 200
DEFAULT_TIMEOUT = 120.0
OPEN_TIMEOUT = 10.0  # seconds to read the page tree (a real one takes milliseconds)
PARSE_TIMEOUT = 20.0  # seconds to interpret one page's content (a real one: well under one)
MAX_PAGE_CHARS = 10_000  # a dense A4 page holds about 3,000 characters

MSG_EMPTY = "文件为空"
MSG_ENCRYPTED = "PDF 已加密，需要密码才能打开"
MSG_CORRUPT = pdfguard.MSG_CORRUPT
MSG_NOT_PDF = "不是 PDF 文件"

USE_PDFIUM = True

# Top and bottom share of the page where page numbers live: GB/T 9704 puts them 7 mm under a
# text block that ends 35 mm above the bottom edge, i.e. about 10 % of an A4 page up.
_MARGIN = 0.12


def too_many_pages_message(pages: int, limit: int) -> str:
    return f"PDF 页数过多（{pages} 页，上限 {limit} 页）"


def timeout_message(limit: float) -> str:
    return f"PDF 处理超时（超过 {limit:g} 秒）"


def structure_timeout_message(limit: float) -> str:
    return f"{MSG_CORRUPT}（{limit:g} 秒内未能读出页面目录，文件结构可能有环或已损坏）"


def page_timeout_message(page: int, limit: float) -> str:
    return f"PDF 第 {page} 页处理超时（超过 {limit:g} 秒），页面内容可能已损坏或过于复杂"


def too_many_chars_message(page: int, chars: int) -> str:
    return f"PDF 第 {page} 页字符过多（{chars} 个，上限 {MAX_PAGE_CHARS} 个），不像报告页面"


def read_pdf_bytes(
    data: bytes,
    path: str | None = None,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Document:
    """Read a PDF. Raises InputError (Chinese message) for empty, corrupt, encrypted,
    too long or too slow documents, and for scans when Tesseract is missing. Runs in a
    child process within `timeout` seconds and the memory limit (sandbox.py)."""
    budget = sandbox.Budget(timeout, timeout_message(timeout))
    return sandbox.run(_read_pdf, data, path, budget, max_pages, timeout, preload=_PRELOAD)


_PRELOAD = ("pdfplumber", "pypdfium2")


def _read_pdf(data: bytes, path: str | None, max_pages: int, timeout: float) -> Document:
    started = time.monotonic()
    _check_signature(data, path)
    with pdfguard.translated(path), _open(data, path) as pdf:
        with sandbox.deadline(OPEN_TIMEOUT, structure_timeout_message(OPEN_TIMEOUT)):
            pages = len(pdf.pages)
            if pages > max_pages:
                raise InputError(too_many_pages_message(pages, max_pages), path)
            fast = _pdfium_reader(data, pages)
        reader = PageReader(data, path, started, timeout)
        try:
            for number, page in enumerate(pdf.pages, start=1):
                reader.check_time()
                reader.read_page(_pdfium_page(fast, page, number), number)
                page.close()
        finally:
            for other in (reader.renderer, fast):
                if other is not None:
                    other.close()
    return Document(
        blocks=reader.blocks,
        media_type=MEDIA_TYPE,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _check_signature(data: bytes, path: str | None) -> None:
    if not data:
        raise InputError(MSG_EMPTY, path)
    if b"%PDF-" not in data[:1024]:
        raise InputError(MSG_NOT_PDF, path)
    # A download cut short loses the end: every complete PDF ends with %%EOF.
    if b"%%EOF" not in data[-2048:]:
        raise InputError(MSG_CORRUPT, path)


@contextmanager
def _open(data: bytes, path: str | None) -> Iterator[Any]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:  # pdfminer raises many types for damaged files
        cause = err.args[0] if err.args else err
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise InputError(MSG_ENCRYPTED, path) from err
        raise pdfguard.translate(err, path) or InputError(MSG_CORRUPT, path) from err
    yield pdf  # not closed after a failure: pdfplumber's close() lists the pages once more
    pdf.close()


@dataclass
class PageReader:
    data: bytes
    path: str | None
    started: float
    timeout: float
    blocks: list[Block] = field(default_factory=list)
    tables: int = 0
    open_table: tuple[TableBlock, int] | None = None  # last block if a ruled table: (block, columns)
    renderer: Any = None

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.timeout:
            raise InputError(timeout_message(self.timeout), self.path)

    def remaining(self) -> float:
        return max(1.0, self.timeout - (time.monotonic() - self.started))

    def read_page(self, page: Any, number: int) -> None:
        page, chars = _parse(page, self.path, number)
        page, chars = pdfturn.upright(page, chars)
        if _needs_ocr(page, chars):
            self._add(self._ocr(number), None)
            return
        placed: list[tuple[float, Block, int | None]] = []
        for table in page.find_tables():
            if len(table.cells) >= 2:
                placed += [(b.where["bbox"][1], b, columns) for b, columns in self._ruled(table, number)]
        boxes = [block.where["bbox"] for _, block, _ in placed]
        words = [w for w in _words(page) if not any(_inside(w, box) for box in boxes)]
        lines = [ln for ln in make_lines(words) if not _furniture(ln, page.height)]
        placed += [(top, block, None) for top, block in page_blocks(lines, _where(number))]
        placed.sort(key=lambda item: item[0])
        for _, block, columns in placed:
            self._add([block], columns)

    def _add(self, blocks: list[Block], columns: int | None) -> None:
        """Blocks in reading order; a ruled table (`columns` given) is numbered here, when it
        does not go on from the previous page."""
        for block in blocks:
            if columns is not None:
                if self._stitch(block, columns):
                    continue
                self.tables += 1
                _number(block, self.tables)
            self.blocks.append(block)
            self.open_table = (block, columns) if columns is not None else None

    def _stitch(self, block: Block, columns: int) -> bool:
        """A ruled table that goes on from the previous page joins that table's block."""
        if self.open_table is None or not isinstance(block, TableBlock):
            return False
        previous, prev_columns = self.open_table
        first_page = block.rows[0][0].where["page"] if block.rows and block.rows[0] else None
        last_page = previous.rows[-1][0].where["page"] if previous.rows and previous.rows[-1] else None
        if prev_columns != columns or first_page is None or first_page != (last_page or 0) + 1:
            return False
        _number(block, previous.where["table"])
        previous.rows.extend(block.rows)
        return True

    def _ruled(self, table: Any, page_no: int) -> list[tuple[TableBlock, int]]:
        """The table's parts that are tables, with their column counts; its rows of prose on
        boxes (prosegrid.py) are left out, so that their words are read as lines."""
        out = []
        for rows in table_parts(ruled_table(table, page_no, 0).rows):
            columns = len({round(c.where["bbox"][0], 1) for row in rows for c in row})
            out.append((_part(rows, page_no), columns))
        return out

    def _ocr(self, page_no: int) -> list[Block]:
        from . import ocr

        ocr.require_tesseract(self.path, scanned_pdf=True)
        if self.renderer is None:
            self.renderer = ocr.PdfRenderer(self.data)
        image, dpi = self.renderer.render(page_no - 1, self.path)
        timeout = min(ocr.PAGE_TIMEOUT, self.remaining())
        blocks = ocr.ocr_page_image(
            image,
            page_no,
            scale=72 / dpi,
            dpi=dpi,
            timeout=timeout,
            path=self.path,
            first_table=self.tables + 1,
        )
        self.tables += sum(isinstance(b, TableBlock) and "table" in b.where for b in blocks)
        return blocks


def _pdfium_reader(data: bytes, pages: int) -> pdfium.PdfiumReader | None:
    """pdfium's reading of the document, unless it cannot open it or counts its pages
    otherwise (then pdfminer reads every page)."""
    if not USE_PDFIUM:
        return None
    try:
        reader = pdfium.PdfiumReader(data)
    except Exception:  # a file pdfminer reads and pdfium does not
        return None
    if len(reader.doc) != pages:
        reader.close()
        return None
    return reader


def _pdfium_page(fast: pdfium.PdfiumReader | None, page: Any, number: int) -> Any:
    """The page as pdfium reads it where that reading is pdfminer's (pdfium.py), else the
    pdfplumber page itself."""
    if fast is None:
        return page
    with sandbox.deadline(PARSE_TIMEOUT, page_timeout_message(number, PARSE_TIMEOUT)):
        try:
            return fast.page(page)
        except Exception:  # Refused, or pdfium failed: pdfminer reads it, reports damage
            return page


def _parse(page: Any, path: str | None, number: int) -> tuple[Any, list[dict]]:
    """The page without duplicated characters (some producers draw bold text twice), and its
    characters: interpreted within PARSE_TIMEOUT, refused when there are more than any report
    page holds (deduplication takes quadratic time), a damaged file when pdfminer fails."""
    with sandbox.deadline(PARSE_TIMEOUT, page_timeout_message(number, PARSE_TIMEOUT)):
        try:
            count = len(page.chars)
            if count > MAX_PAGE_CHARS:
                raise InputError(too_many_chars_message(number, count), path)
            page = page.dedupe_chars()
            return page, page.chars
        except InputError:
            raise
        except Exception as err:
            raise pdfguard.translate(err, path) or InputError(MSG_CORRUPT, path) from err


def _needs_ocr(page: Any, chars: list[dict]) -> bool:
    """No usable text layer: no characters (a scan) or mostly unmapped glyphs ("(cid:12)")."""
    visible = [c for c in chars if c["text"].strip()]
    if visible:
        unmapped = sum(c["text"].startswith("(cid:") for c in visible)
        return unmapped > len(visible) / 2
    return bool(page.images) or len(page.curves) > 50


def ruled_table(table: Any, page_no: int, table_no: int) -> TableBlock:
    """A pdfplumber table as distinct cells per row, spans measured on the grid lines."""
    rows = table.rows
    texts = {
        box: text
        for row, row_texts in zip(rows, table.extract(), strict=True)
        for box, text in zip(row.cells, row_texts, strict=True)
    }

    def make_cell(box, rowspan: int, colspan: int) -> TableCell:
        where = {"page": page_no, "bbox": _round(box), "table": table_no}
        return TableCell(clean_text(texts.get(box) or ""), where, rowspan, colspan)

    block_rows = grid_rows([row.cells for row in rows], make_cell)
    return TableBlock(block_rows, {"page": page_no, "bbox": _round(table.bbox), "table": table_no})


def _part(rows: list[list[TableCell]], page_no: int) -> TableBlock:
    """Rows of a ruled table as a block of their own (numbered when added); spans are measured
    again on the part's own grid lines (two tables glued by a box between them share lines)."""
    cells = {tuple(c.where["bbox"]): c for row in rows for c in row}

    def respan(box, rowspan: int, colspan: int) -> TableCell:
        cell = cells[box]
        cell.rowspan, cell.colspan = rowspan, colspan
        return cell

    rows = grid_rows([[tuple(c.where["bbox"]) for c in row] for row in rows], respan)
    x0s, tops, x1s, bottoms = zip(*cells, strict=True)
    bbox = [min(x0s), min(tops), max(x1s), max(bottoms)]
    return TableBlock(rows, {"page": page_no, "bbox": bbox})


def _number(block: Block, table_no: int) -> None:
    block.where["table"] = table_no
    for cell in (c for row in block.rows for c in row):
        cell.where["table"] = table_no


def _round(box) -> list[float]:
    return [round(v, 2) for v in box]


def _words(page: Any) -> list[Word]:
    return [
        Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
        for w in page.extract_words(x_tolerance=3, y_tolerance=3, keep_blank_chars=False)
        if w["text"].strip()
    ]


def _inside(word: Word, bbox: tuple[float, float, float, float]) -> bool:
    x = (word.x0 + word.x1) / 2
    y = (word.top + word.bottom) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _furniture(line: Any, page_height: float) -> bool:
    """A page number in the top or bottom margin."""
    in_margin = line.bottom < page_height * _MARGIN or line.top > page_height * (1 - _MARGIN)
    return in_margin and is_page_number(line_text(line))


def _where(page_no: int):
    def where(words: list[Word]) -> dict[str, Any]:
        return {"page": page_no, "bbox": bbox_of(words)}

    return where


__all__ = ["DEFAULT_MAX_PAGES", "DEFAULT_TIMEOUT", "MEDIA_TYPE", "read_pdf_bytes", "ruled_table"]
