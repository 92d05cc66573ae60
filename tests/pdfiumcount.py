"""How many pages pdfium read and how many it refused (handing them to pdfplumber), while a
block runs: for the pdfium tests and bench/pdf_textlayer.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from xxgk.read import pdfium


@contextmanager
def counting_pages() -> Iterator[dict[str, int]]:
    counts = {"read": 0, "refused": 0}
    page = pdfium.PdfiumReader.page

    def counting(self, plumber_page):
        try:
            out = page(self, plumber_page)
        except pdfium.Refused:
            counts["refused"] += 1
            raise
        counts["read"] += 1
        return out

    pdfium.PdfiumReader.page = counting  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        pdfium.PdfiumReader.page = page  # type: ignore[method-assign]
