"""What every reader produces: an ordered list of paragraphs and tables with provenance.

Readers know media (text, HTML, DOCX, PDF), not reports. The extractor turns a Document
into a Report.

Conventions every reader follows:
- Blocks are in reading order. A paragraph is one line of text (a reader splits a
  paragraph with line breaks into several).
- A TableBlock row lists the distinct cells that START in that row, left to right; a
  merged cell appears once, in its first row, with its rowspan/colspan. Covered slots do
  not appear. An empty cell is a TableCell with text "".
- `where` of a grid cell: {"table": t, "row": r, "col": c}, 1-based, r/c in the expanded
  grid (HTML, DOCX). For PDF and OFD: {"page": p, "bbox": [x0, top, x1, bottom]} (PDF
  points, top-left origin, as pdfplumber gives them), plus "table" when the cell comes
  from a ruled table. OCR adds "confidence" (0-100) to the cell's where when below 100.
- A paragraph's `where`: {"line": n} for text; {"paragraph": n} for HTML/DOCX (1-based
  order among paragraphs); {"page": p, "bbox": [...]} for PDF and OFD. Grid rows that are
  prose (a one-column table used as a text box, WPS's box behind every line: prosegrid.py)
  are paragraphs; outside PDF they keep their cell's `where`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Artifact


@dataclass(slots=True)
class Paragraph:
    text: str
    where: dict[str, Any]  # {"line": 12} for text; {"page": 2, "bbox": [...]} for PDF


@dataclass(slots=True)
class TableCell:
    text: str
    where: dict[str, Any]  # {"table": 1, "row": 3, "col": 2} (grid coordinates)
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class TableBlock:
    # Each row lists its distinct cells left to right (a merged cell appears once,
    # in the row where it starts).
    rows: list[list[TableCell]]
    where: dict[str, Any] = field(default_factory=dict)


Block = Paragraph | TableBlock


@dataclass
class Document:
    blocks: list[Block]
    media_type: str = "text/plain"
    path: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    artifacts: list[Artifact] = field(default_factory=list)


# A page number as printed in headers, footers and page margins: "3", "- 3 -", "— 3 —"
# (GB/T 9704), "第3页", "第3页共9页", "3/9", "Page 3 of 9".
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_]*\d{1,4}[-—–－_]*|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|\d{1,4}/\d{1,4}|page\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def is_page_number(text: str) -> bool:
    """True when `text` (spaces ignored) is only a page number."""
    return PAGE_NUMBER.match(_SPACES.sub("", text)) is not None
