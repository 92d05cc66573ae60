"""Readers: bytes of one medium -> Document. The medium is recognised by content."""

from __future__ import annotations

from collections.abc import Callable

from .document import Document
from .limits import DEFAULT_MAX_BYTES, read_input_bytes

Reader = Callable[[bytes, str | None], Document]


def _reader(kind: str) -> Reader:
    # Imported on demand: a text user never loads lxml, python-docx or pdfplumber.
    if kind == "text":
        from .text import read_text_bytes

        return read_text_bytes
    if kind == "html":
        from .html import read_html_bytes

        return read_html_bytes
    if kind == "docx":
        from .docx import read_docx_bytes

        return read_docx_bytes
    if kind in ("doc", "wps"):
        from .doc import read_doc_bytes

        return read_doc_bytes
    if kind == "pdf":
        from .pdf import read_pdf_bytes

        return read_pdf_bytes
    if kind == "ofd":
        from .ofd import read_ofd_bytes

        return read_ofd_bytes
    if kind == "image":
        from .ocr import read_image_bytes

        return read_image_bytes
    raise ValueError(kind)


def sniff_bytes(data: bytes, path: str | None = None) -> str:
    from .sniff import sniff

    return sniff(data, path)


def read_bytes(data: bytes, path: str | None = None, kind: str | None = None) -> Document:
    """Read any supported medium; `kind` as returned by `sniff` ("json" is not a Document).
    Grid rows that are prose (one-column tables used as text boxes) become paragraphs."""
    from .prosegrid import demote_prose_grids

    doc = _reader(kind or sniff_bytes(data, path))(data, path)
    doc.blocks = demote_prose_grids(doc.blocks)
    return doc


def read_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """The bytes of a file (or "-" for standard input), within the size limit, and its label."""
    return read_input_bytes(path, max_bytes)


__all__ = ["Document", "read_bytes", "read_path", "sniff_bytes"]
