"""Renderers: Report -> HTML, DOCX, Markdown. Both lay the tables out from one grid (`layout.table_grid`).

`render_html` and `render_docx` are imported on first use, so importing this package does not
load python-docx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .layout import GridCell, grid_shape, table_grid

if TYPE_CHECKING:
    from .docx import render_docx
    from .html import render_html
    from .markdown import render_markdown

__all__ = ["GridCell", "grid_shape", "render_docx", "render_html", "render_markdown", "table_grid"]


def __getattr__(name: str) -> Any:
    if name == "render_html":
        from .html import render_html

        return render_html
    if name == "render_docx":
        from .docx import render_docx

        return render_docx
    if name == "render_markdown":
        from .markdown import render_markdown

        return render_markdown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
