"""Renderers: Report -> HTML, DOCX, Markdown, PDF. All lay the tables out from one grid
(`layout.table_grid`); the PDF is the HTML page printed by WeasyPrint.

`render_html`, `render_docx`, `render_markdown`, `render_pdf` and `docx_to_pdf` (LibreOffice)
are imported on first use, so importing this package loads neither python-docx nor WeasyPrint.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .layout import GridCell, grid_shape, table_grid

if TYPE_CHECKING:
    from .docx import render_docx
    from .html import render_html
    from .markdown import render_markdown
    from .office import docx_to_pdf
    from .pdf import render_pdf

__all__ = [
    "GridCell",
    "docx_to_pdf",
    "grid_shape",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_pdf",
    "table_grid",
]

_LAZY = {
    "render_html": ".html",
    "render_docx": ".docx",
    "render_markdown": ".markdown",
    "render_pdf": ".pdf",
    "docx_to_pdf": ".office",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)
