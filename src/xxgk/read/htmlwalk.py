"""HTML tree -> blocks: paragraphs in document order, data tables as grids (read/html.py parses).

Each line of block-level text is a Paragraph (`where={"paragraph": n}`), each data table a
TableBlock whose cells carry 1-based grid coordinates from an occupied-slot map (see
read/document.py). A table that holds other tables is page layout: its own text becomes
paragraphs and the innermost tables become TableBlocks.

Speed: a report page is mostly table cells, so a cell costs a handful of lxml calls: rows
and cells are gathered by lxml's C iteration, the common cells (bare text; Word's one
childless paragraph) are read without a walk, and the rest by iterwalk.
"""

from __future__ import annotations

import re
from itertools import islice

from lxml import etree

from ..errors import InputError
from .document import Paragraph, TableBlock, TableCell

MAX_ELEMENTS = 200_000
MAX_COLSPAN = 1000  # as browsers clamp colspan
_MAX_GRID_WORK = 1_000_000  # cells placed + spans carried, per document
_ARTICLE_CHARS = 1000  # a "cell" this long is a page column, not data

MSG_COMPLEX = "网页结构过于复杂（{}），无法读取"

_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; NBSP and U+3000 are kept (they show)
_SPAN = re.compile(r"\s*(\d+)")
_LINE = re.compile(r"[^\n]+")
HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
BLOCK = frozenset(
    (
        *("html", "body", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt"),
        *("dd", "blockquote", "section", "article", "main", "center", "address", "figure", "hr"),
        *("figcaption", "caption", "header", "footer", "nav", "aside", "form", "fieldset", "legend"),
        *("details", "summary", "dir", "menu", "tr", "td", "th", "thead", "tbody", "tfoot", "table", "pre"),
    )
)
_LEAF_BLOCK = BLOCK - {"pre"}  # a block whose text is one line when it has no children
_NOT_PLAIN = ("pre", etree.Comment, etree.ProcessingInstruction)


def tag_of(el: etree._Element) -> str:
    return el.tag if isinstance(el.tag, str) else ""


class Walker:
    """Walks the tree in document order, gathering inline text into lines."""

    def __init__(self, path: str | None):
        self.path = path
        self.blocks: list[Paragraph | TableBlock] = []
        self.parts: list[str] = []
        self.paragraphs = 0
        self.tables = 0
        self.grid_work = 0

    def run(self, root: etree._Element) -> list[Paragraph | TableBlock]:
        body = root.find("body")
        self.walk(body if body is not None else root)
        self.flush()
        return self.blocks

    def walk(self, el: etree._Element) -> None:
        tag = el.tag
        if tag.__class__ is not str:  # a comment or processing instruction: only its tail
            tag = ""
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(el)
        elif tag == "pre":
            self.flush()
            for line in _LINE.finditer("".join(el.itertext())):
                self.emit(line.group().strip())  # preformatted: spacing is kept
        elif tag in BLOCK:
            self.flush()
            if len(el):
                self.add(el.text)
                for child in el:
                    self.walk(child)
                self.flush()
            else:  # a paragraph of plain text: one line
                self.emit(collapsed(el.text))
        elif tag:
            self.add(el.text)
            for child in el:
                self.walk(child)
        self.add(el.tail)

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def flush(self) -> None:
        if not self.parts:
            return
        line = collapsed("".join(self.parts))
        self.parts = []
        self.emit(line)

    def emit(self, line: str) -> None:
        if not line:
            return
        if self.paragraphs >= MAX_ELEMENTS:
            raise InputError(MSG_COMPLEX.format(f"段落超过 {MAX_ELEMENTS} 个"), self.path)
        self.paragraphs += 1
        self.blocks.append(Paragraph(line, {"paragraph": self.paragraphs}))

    # --- tables ---

    def table(self, table: etree._Element) -> None:
        for caption in table.iterchildren("caption"):
            self.walk_inner(caption)
        block = None
        # Innermost (its own iter yields it first): a data table unless it looks like layout.
        if next(islice(table.iter("table"), 1, None), None) is None:
            rows = [list(tr.iter("td", "th")) for tr in table.iter("tr") if not _is_spacer(tr)]
            if any(len(cells) > 1 for cells in rows):
                block = self.grid(rows, next(table.iter(*_NOT_PLAIN), None) is None)
        if block is None:
            self.layout(table)
        else:
            self.blocks.append(block)

    def walk_inner(self, el: etree._Element) -> None:
        """Walk an element's content but not its tail (which belongs to its parent)."""
        self.flush()
        self.add(el.text)
        for child in el:
            self.walk(child)
        self.flush()

    def layout(self, table: etree._Element) -> None:
        """A table used to lay out the page: its cells are blocks of text, in order."""
        for tr in _own(table, ("tr",)):
            for td in _own(tr, ("td", "th")):
                self.walk_inner(td)

    def grid(self, rows: list[list[etree._Element]], plain: bool = False) -> TableBlock | None:
        """`plain`: the table holds no <pre>, comment or processing instruction (see
        _cell_texts). Place cells on the grid: an occupied-slot map carries rowspans down (capped at the
        table's end); spans are parsed tolerantly (`2;`, `2px`) and clamped to >= 1.
        None when a cell holds a whole article (a layout table after all)."""
        t, nrows = self.tables + 1, len(rows)
        pending: dict[int, tuple[int, int]] = {}  # start column -> (rows still covered, colspan)
        out: list[list[TableCell]] = []
        for r, cells in enumerate(rows, start=1):
            self.charge(len(pending) + len(cells))
            texts = _cell_texts(cells, plain)
            if texts is None:
                return None
            out.append(self._place(cells, texts, t, r, nrows, pending))
            pending = {c: (n - 1, s) for c, (n, s) in pending.items() if n > 1}
        self.tables = t
        return TableBlock(out, {"table": t})

    @staticmethod
    def _place(cells, texts, t: int, r: int, nrows: int, pending: dict) -> list[TableCell]:
        """One row's cells at their columns, skipping the slots rowspans from above cover;
        the rowspans this row starts are added to `pending`."""
        covered = sorted((c, c + span) for c, (_, span) in pending.items()) if pending else ()
        placed: list[TableCell] = []
        col, i, ncovered, last = 1, 0, len(covered), nrows - r + 1
        for td, text in zip(cells, texts, strict=True):
            while i < ncovered and covered[i][0] <= col:
                col = max(col, covered[i][1])
                i += 1
            rowspan, colspan = td.get("rowspan"), td.get("colspan")
            colspan = 1 if colspan is None else _span(colspan, MAX_COLSPAN)
            if rowspan is None:
                placed.append(TableCell(text, {"table": t, "row": r, "col": col}, 1, colspan))
            else:
                rowspan = min(_span(rowspan, nrows), last)
                placed.append(TableCell(text, {"table": t, "row": r, "col": col}, rowspan, colspan))
                if rowspan > 1:
                    pending[col] = (rowspan, colspan)  # counted down after this row
            col += colspan
        return placed

    def charge(self, work: int) -> None:
        self.grid_work += work
        if self.grid_work > _MAX_GRID_WORK:
            raise InputError(MSG_COMPLEX.format("表格过大"), self.path)


def _own(el: etree._Element, tags: tuple[str, ...]):
    """Descendants with one of `tags`, in document order, not looking inside nested tables
    or inside a match (lxml keeps stray wrappers such as a <form> between <table> and <tr>)."""
    stack = list(reversed(el))
    while stack:
        node = stack.pop()
        tag = tag_of(node)
        if tag in tags:
            yield node
        elif tag != "table":
            stack.extend(reversed(node))


def _is_spacer(tr: etree._Element) -> bool:
    """Word's hidden `<tr height=0 style='display:none'>` that only fixes column widths."""
    style = tr.get("style")
    return bool(style and HIDDEN.search(style)) and not "".join(tr.itertext()).strip()


def _cell_texts(cells: list[etree._Element], plain: bool) -> list[str] | None:
    """Each cell's text; None when one is as long as an article. The common cells are read
    here, without a call: bare text, or one childless element with nothing around it
    (Word's paragraph). Its tag does not matter in a `plain` table: cell_text reads any
    childless element but <pre> (and a comment) as its text collapsed (a <br> has none)."""
    texts = []
    for td in cells:
        n = len(td)
        if n == 0:
            text = td.text
        elif (
            n == 1
            and td.text is None
            and (only := td[0]).tail is None
            and not len(only)
            and (plain or only.tag in _LEAF_BLOCK)
        ):
            text = only.text
        else:
            text = cell_text(td)
            if len(text) > _ARTICLE_CHARS:
                return None
            texts.append(text)
            continue
        if text:
            text = collapsed(text)
            if len(text) > _ARTICLE_CHARS:
                return None
            texts.append(text)
        else:
            texts.append("")
    return texts


def cell_text(td: etree._Element) -> str:
    """The cell's lines: its text split at <br>, block elements (a nested table's too) and
    <pre> lines, spaces collapsed. The common cells are read without a walk."""
    n = len(td)
    if n == 0:  # the common cell: just text
        text = td.text
        return collapsed(text) if text else ""
    if n == 1:  # Word's cell: one childless paragraph, maybe with text around it
        only = td[0]
        if only.tag in _LEAF_BLOCK and len(only) == 0:
            head, text, tail = td.text, only.text, only.tail
            if head is None and tail is None:
                return collapsed(text) if text else ""
            return "\n".join(x for x in (collapsed(head), collapsed(text), collapsed(tail)) if x)
    lines: list[str] = []
    parts: list[str] = [td.text] if td.text else []
    _cell_lines(etree.iterwalk(td, events=("start", "end")), td, parts, lines)
    _flush(parts, lines)
    return "\n".join(lines)


def _cell_lines(walk, td: etree._Element, parts: list[str], lines: list[str]) -> None:
    for event, el in walk:
        if el is td:
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "end":
            if tag in BLOCK:
                _flush(parts, lines)
            if el.tail:
                parts.append(el.tail)
        elif tag == "pre":  # preformatted: its lines as they are, spacing kept
            _flush(parts, lines)
            lines += [x for x in (m.group().strip() for m in _LINE.finditer("".join(el.itertext()))) if x]
            walk.skip_subtree()
        elif tag == "br" or tag in BLOCK:
            _flush(parts, lines)
            if el.text and tag != "br":
                parts.append(el.text)
        elif tag and el.text:
            parts.append(el.text)
        elif not tag:
            walk.skip_subtree()


def _flush(parts: list[str], lines: list[str]) -> None:
    if parts:
        line = collapsed("".join(parts))
        parts.clear()
        if line:
            lines.append(line)


def collapsed(text: str | None) -> str:
    """Runs of HTML spaces made one space, the ends stripped. Printable text without a
    double space has no run to collapse (tab, newline, CR and FF are not printable)."""
    if not text:
        return ""
    if "\n" in text or "\t" in text or "\r" in text or "\f" in text or "  " in text:
        return _SPACES.sub(" ", text).strip()
    return text.strip()


def _span(value: str, cap: int) -> int:
    if value.isdecimal() and len(value) <= 7:  # the common "2": no regex (\d is isdecimal's Nd)
        return max(1, min(int(value), cap))
    match = _SPAN.match(value)
    return max(1, min(int(match.group(1)[:7]), cap)) if match else 1
