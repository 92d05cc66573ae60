"""An OFD page as pdfplumber sees a PDF page: char, line and rect records in points.

`OfdPage` offers the part of pdfplumber's `Page` that the PDF reader's page code uses
(`chars`, `edges`, `extract_words`, `find_tables`, `dedupe_chars`, `height`, and what a
pdfplumber DerivedPage copies from its parent), computed by pdfplumber's own functions from
the records, so the words, the ruled tables and their cell texts of an OFD page are found
exactly as for a PDF page with the same objects. Char records carry a PDF text `matrix`
(y upwards), from which the PDF reader tells which way the text runs (pdfturn.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pdfplumber.container import Container
from pdfplumber.table import Table, TableFinder, TableSettings
from pdfplumber.utils import dedupe_chars, extract_words

Record = dict[str, Any]


@dataclass
class PageRecords:
    """What one page holds, in points with the origin at the page's top-left corner."""

    width: float
    height: float
    chars: list[Record] = field(default_factory=list)
    lines: list[Record] = field(default_factory=list)
    rects: list[Record] = field(default_factory=list)
    images: int = 0

    def box(self, x0: float, top: float, x1: float, bottom: float) -> Record:
        """The coordinate keys pdfplumber reads (y0/y1 count from the bottom, as in PDF)."""
        return {
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": x1 - x0,
            "height": bottom - top,
            "y0": self.height - bottom,
            "y1": self.height - top,
        }


class OfdPage(Container):
    """Duck-typed pdfplumber page over `PageRecords` (see the module docstring)."""

    # pdfplumber's DerivedPage (a page turned upright, a filtered page) copies these.
    pdf = page_obj = None
    initial_doctop = rotation = 0

    def __init__(self, records: PageRecords, page_number: int, chars: list[Record] | None = None):
        self.records = records
        self.page_number = page_number
        self.bbox = self.mediabox = self.cropbox = (0.0, 0.0, records.width, records.height)
        self.root_page = self
        self._by_kind = {
            "char": records.chars if chars is None else chars,
            "line": records.lines,
            "rect": records.rects,
        }

    @property
    def objects(self) -> dict[str, list[Record]]:
        return self._by_kind

    @property
    def width(self) -> float:
        return self.records.width

    @property
    def height(self) -> float:
        return self.records.height

    def extract_words(self, **kwargs: Any) -> list[Record]:
        return extract_words(self.chars, **kwargs)

    def find_tables(self, table_settings: dict | None = None) -> list[Table]:
        return TableFinder(self, TableSettings.resolve(table_settings)).tables  # type: ignore[arg-type]

    def dedupe_chars(self, **kwargs: Any) -> OfdPage:
        return OfdPage(self.records, self.page_number, dedupe_chars(self.chars, **kwargs))

    def close(self) -> None:
        self.flush_cache()


__all__ = ["OfdPage", "PageRecords", "Record"]
