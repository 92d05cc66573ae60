"""OCR reader: page images -> blocks, with Tesseract run as a subprocess (tesseract.py).

Per page:
1. Ruled tables are found in the image (imagegrid.py). Their areas are blanked on a copy of
   the page; each cell's ink is cut out (ruling lines excluded).
2. Round one, in parallel: the blanked page (`chi_sim`, one block) and every cell as a page
   of its own (`chi_sim`), so one cell never influences another.
3. Round two: everything that reads like a number (a cell, or a number word on the page) is
   read again with the `eng` model at two sizes (its digits are steadier than chi_sim's,
   which confuses 6 and 0 in serif fonts). The readings agree: the number, at Tesseract's
   confidence. They disagree: the more confident one, with confidence below LOW_CONFIDENCE.
4. Page words become lines, paragraphs and borderless tables as PDF words do (layout.py);
   cells become TableBlocks with the spans of the ruled grid.

`where`: {"page": p, "bbox": [...]} (PDF points for a scanned PDF page, pixels for an image
file), "table" for cells of ruled tables, "confidence" (0-100) when below 100.
The extractor should treat `where["confidence"] < LOW_CONFIDENCE` as low confidence.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from ..errors import InputError
from . import sandbox
from .damage import raised_in
from .document import Block, Document, TableBlock, TableCell
from .imagegrid import find_tables, table_rows
from .layout import Word, bbox_of, grid_rows, make_lines, mean_conf, page_blocks
from .ocrimage import (
    DPI,
    MAX_PIXELS,
    MSG_BAD_IMAGE,
    PAD,
    PdfRenderer,
    binary,
    cell_ink,
    digit_size,
    for_ocr,
    has_ink,
    line_heights,
    load_frame,
    media_type,
    open_image,
    scaled,
    text_factor,
    trim_ink,
    union,
    with_margin,
)
from .ocrtext import (
    BORDER_MARKS,
    HAN,
    LOW_CONFIDENCE,
    cell_text,
    compact,
    fix_brackets,
    is_number,
    normalize_number,
    numberish,
    real_words,
    standalone_numbers,
)
from .tesseract import Job, ocr_timeout_message, require_tesseract, run_jobs, tesseract_available

PAGE_TIMEOUT = 90.0
DEFAULT_MAX_PAGES = 200
DEFAULT_TIMEOUT = 600.0
DIGIT_HEIGHTS = (20, 23)  # pixels: digit heights at which the eng model reads best
ONE_LINE = 0.25  # inches: cells whose ink is lower than this hold one line of text
VOTE_SCALES = (0.9, 1.0, 1.12)  # text cells are read at these multiples of that size

MSG_EMPTY = "文件为空"


@dataclass
class _Cell:
    table: int
    box: tuple[float, float, float, float]
    ink: Image.Image | None  # trimmed content, None for an empty cell
    text: str = ""
    conf: float | None = None
    settled: bool = False  # read as a number by both eng readings
    numbers: list[tuple[str, float | None]] = field(default_factory=list)  # the eng readings


@dataclass
class _Reading:
    """Something to read again as a number: its image and where the result goes."""

    image: Image.Image
    target: Any  # the _Cell or Word the reading is for
    results: list[tuple[str, float | None]] = field(default_factory=list)


def ocr_page_image(
    image: Image.Image,
    page_no: int,
    *,
    scale: float = 1.0,
    dpi: float = DPI,
    timeout: float = PAGE_TIMEOUT,
    path: str | None = None,
    first_table: int = 1,
) -> list[Block]:
    """Blocks of one page image in reading order. `scale` maps pixels to output units."""
    deadline = time.monotonic() + timeout
    gray = image.convert("L")
    tables = find_tables(gray, dpi)
    page = gray.copy()
    cells: list[_Cell] = []
    for t, boxes in enumerate(tables):
        page.paste(255, tuple(int(v) for v in union(boxes)))
        cells += [_Cell(t, box, cell_ink(gray, box)) for box in boxes]
    budget = _Budget(deadline, timeout, path)
    page_words = _first_round(page, cells, dpi, budget)
    _second_round(gray, page_words, cells, dpi, budget)
    return _blocks(page_words, cells, tables, page_no, scale, first_table)


@dataclass
class _Budget:
    deadline: float
    timeout: float
    path: str | None

    def left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise InputError(ocr_timeout_message(self.timeout), self.path)
        return left


def _first_round(page: Image.Image, cells: list[_Cell], dpi: float, budget: _Budget) -> list[Word]:
    """The page's text (chi_sim) and, at two sizes, every one-line cell as a number (eng)."""
    has_text = has_ink(page)
    factor = text_factor(line_heights(page)) if has_text else 1.0
    jobs = [Job([scaled(binary(page), factor)], psm=4)] if has_text else []
    lines = [c for c in cells if c.ink is not None and c.ink.size[1] < ONE_LINE * dpi]
    readings = [_Reading(c.ink, c) for c in lines]
    jobs += _number_jobs(readings)
    results = run_jobs(jobs, budget.left(), budget.path) if jobs else []
    _take_numbers(readings, results[1:] if has_text else results)
    return real_words(_shift(results[0][0], 0, 1 / factor), page) if has_text else []


def _second_round(gray: Image.Image, page_words: list[Word], cells: list[_Cell], dpi: float, budget: _Budget):
    """Cells that are not numbers: chi_sim, one image each, at three sizes (its errors change
    with size; the readings vote). Number words standing alone on the page (a borderless
    table) read again as numbers."""
    text_cells = [c for c in cells if c.ink is not None and not c.settled]
    single = [c for c in text_cells if c.ink.size[1] < ONE_LINE * dpi]
    multi = [c for c in text_cells if c.ink.size[1] >= ONE_LINE * dpi]
    factor = text_factor([c.ink.size[1] - 2 * PAD for c in single])
    groups = [(group, psm) for group, psm in ((single, 7), (multi, 6)) if group]
    jobs = [
        Job([with_margin(scaled(binary(c.ink), factor * k)) for c in group], psm=psm)
        for group, psm in groups
        for k in VOTE_SCALES
    ]
    readings = []
    for word in standalone_numbers(page_words):
        pad = int(0.6 * word.height)  # Tesseract's box may miss a thin 1 at either end
        ink = trim_ink(gray.crop((int(word.x0) - pad, int(word.top), int(word.x1) + pad, int(word.bottom))))
        if ink is not None:
            readings.append(_Reading(ink, word))
    number_jobs = _number_jobs(readings)
    if not jobs and not number_jobs:
        return
    results = run_jobs(jobs + number_jobs, budget.left(), budget.path)
    votes = len(VOTE_SCALES)
    for g, (group, _) in enumerate(groups):
        for i, cell in enumerate(group):
            _read_text(cell, [results[g * votes + v][i] for v in range(votes)])
    _take_numbers(readings, results[len(jobs) :])


def _number_jobs(readings: list[_Reading]) -> list[Job]:
    if not readings:
        return []
    return [Job([with_margin(digit_size(r.image, h)) for r in readings], "eng", 7) for h in DIGIT_HEIGHTS]


def _take_numbers(readings: list[_Reading], results: list[list[list[Word]]]) -> None:
    """Readings that agree on a number settle it. A cell they do not settle waits for
    chi_sim; a page word takes the most confident number read, with low confidence."""
    for job_words in results:
        for reading, words in zip(readings, job_words, strict=True):
            reading.results.append((normalize_number("".join(w.text for w in words)), mean_conf(words)))
    for reading in readings:
        target, texts = reading.target, {t for t, _ in reading.results}
        if isinstance(target, _Cell):
            target.numbers = reading.results
        if len(texts) == 1 and is_number(next(iter(texts))):
            confs = [c for _, c in reading.results if c is not None]
            was = target.text.strip(BORDER_MARKS)
            target.text, target.conf = next(iter(texts)), min(confs) if confs else None
            if isinstance(target, _Cell):
                target.settled = True
            elif not numberish(was):  # chi_sim saw no number here: keep the doubt
                target.conf = min(target.conf or 0.0, LOW_CONFIDENCE - 1)
        elif isinstance(target, Word):
            _doubtful_word(target, reading.results)


def _doubtful_word(word: Word, results: list[tuple[str, float | None]]) -> None:
    own = normalize_number(word.text.strip(BORDER_MARKS))
    numbers = [(t, c) for t, c in [*results, (own, word.conf)] if is_number(t)]
    if numbers:
        text, conf = max(numbers, key=lambda n: n[1] or 0.0)
        word.text, word.conf = text, min(conf or 0.0, LOW_CONFIDENCE - 1)


def _read_text(cell: _Cell, readings: list[list[Word]]) -> None:
    """A cell read by chi_sim at several sizes: the reading most of them give wins; without
    a majority, the most confident one, with low confidence. When the cell reads like a
    number the eng readings did not agree on, the number is taken with low confidence."""
    texts = [(cell_text(words), mean_conf(words)) for words in readings]
    counts: dict[str, int] = {}
    for text, _ in texts:
        counts[compact(text)] = counts.get(compact(text), 0) + 1
    best = max(counts.values())
    text, conf = max((t for t in texts if counts[compact(t[0])] == best), key=lambda t: t[1] or 0.0)
    if best * 2 <= len(texts):
        conf = min(conf or 0.0, LOW_CONFIDENCE - 1)
    numbers = [(t, c) for t, c in cell.numbers if is_number(t)]
    if numberish(text) and not HAN.search(text.replace("一", "")):
        if is_number(text):
            numbers.append((text, conf))
        if numbers:
            text, conf = max(numbers, key=lambda n: n[1] or 0.0)
            conf = min(conf or 0.0, LOW_CONFIDENCE - 1)
    cell.text, cell.conf = text, conf


# ---------------------------------------------------------------- images


def _shift(words: list[Word], d: float, factor: float = 1.0) -> list[Word]:
    """Boxes moved by d, then scaled by factor (back to page pixels)."""
    return [
        Word(
            w.text,
            (w.x0 + d) * factor,
            (w.top + d) * factor,
            (w.x1 + d) * factor,
            (w.bottom + d) * factor,
            w.conf,
            w.line,
        )
        for w in words
    ]


# ---------------------------------------------------------------- blocks


def _blocks(
    page_words, cells: list[_Cell], tables, page_no: int, scale: float, first_table: int
) -> list[Block]:
    def where(words: list[Word]) -> dict[str, Any]:
        return _where(page_no, bbox_of(words), scale, mean_conf(words))

    placed = [(top, _fix_block(block)) for top, block in page_blocks(make_lines(page_words), where)]
    for t, boxes in enumerate(tables):
        table_no = first_table + t
        by_box = {c.box: c for c in cells if c.table == t}

        def make_cell(box, rowspan: int, colspan: int, table_no=table_no, by_box=by_box) -> TableCell:
            cell = by_box[box]
            where = _where(page_no, box, scale, cell.conf)
            where["table"] = table_no
            return TableCell(cell.text, where, rowspan, colspan)

        rows = grid_rows(table_rows(boxes), make_cell)
        block_where = _where(page_no, union(boxes), scale, None)
        block_where["table"] = table_no
        placed.append((union(boxes)[1], TableBlock(rows, block_where)))  # pixels, like the lines
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def _fix_block(block: Block) -> Block:
    """OCR corrections on a paragraph or borderless table built from page words."""
    if isinstance(block, TableBlock):
        for row in block.rows:
            for cell in row:
                cell.text = normalize_number(fix_brackets(cell.text))
    else:
        block.text = fix_brackets(block.text)
    return block


def _where(page_no: int, box, scale: float, conf: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {"page": page_no, "bbox": [round(v * scale, 2) for v in box]}
    if conf is not None and conf < 100:
        out["confidence"] = round(conf, 1)
    return out


# ---------------------------------------------------------------- image files


def read_image_bytes(
    data: bytes,
    path: str | None = None,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Document:
    """OCR a PNG, JPEG or TIFF (every frame of a multi-page TIFF). bbox in pixels. Runs in a
    child process within `timeout` seconds and the memory limit (sandbox.py)."""
    budget = sandbox.Budget(timeout, ocr_timeout_message(timeout))
    return sandbox.run(_read_image, data, path, budget, max_pages, timeout)


def _read_image(data: bytes, path: str | None, max_pages: int, timeout: float) -> Document:
    try:
        return _read_frames(data, path, max_pages, timeout)
    except (InputError, MemoryError):  # the sandbox words a MemoryError
        raise
    except Exception as err:  # Pillow on a damaged image: struct.error, IndexError, …
        if not raised_in(err, ("PIL",)):
            raise
        raise InputError(MSG_BAD_IMAGE, path) from err


def _read_frames(data: bytes, path: str | None, max_pages: int, timeout: float) -> Document:
    if not data:
        raise InputError(MSG_EMPTY, path)
    image = open_image(data, path)
    require_tesseract(path)
    started = time.monotonic()
    frames = getattr(image, "n_frames", 1)
    if frames > max_pages:
        raise InputError(f"图片页数过多（{frames} 页，上限 {max_pages} 页）", path)
    blocks: list[Block] = []
    kind = media_type(image)
    for index in range(frames):
        left = timeout - (time.monotonic() - started)
        if left <= 0:
            raise InputError(ocr_timeout_message(timeout), path)
        dpi = float((image.info.get("dpi") or (DPI, DPI))[0]) or DPI
        frame, factor = for_ocr(load_frame(image, index, path))
        if index == frames - 1:
            image.close()  # the decoded original: only the greyscale copy is needed now
        tables = sum(isinstance(b, TableBlock) for b in blocks)
        blocks += ocr_page_image(
            frame,
            index + 1,
            scale=factor,  # bbox in the image's own pixels
            dpi=dpi / factor,
            timeout=min(PAGE_TIMEOUT, left),
            path=path,
            first_table=tables + 1,
        )
    return Document(blocks, kind, path, hashlib.sha256(data).hexdigest())


__all__ = [
    "LOW_CONFIDENCE",
    "MAX_PIXELS",
    "MSG_BAD_IMAGE",
    "PdfRenderer",
    "ocr_page_image",
    "read_image_bytes",
    "require_tesseract",
    "tesseract_available",
]
