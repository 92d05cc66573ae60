"""HTML reader: a web page (or Word's "save as web page", or MHTML) -> Document.

Blocks come in document order: each line of block-level text is a Paragraph
(`where={"paragraph": n}`), each data table a TableBlock whose cells carry 1-based grid
coordinates from an occupied-slot map (see read/document.py for the conventions). A table
that holds other tables is page layout: its own text becomes paragraphs and the innermost
tables become TableBlocks.

Untrusted input: lxml never touches the network, an internal DTD subset is cut out before
parsing (no entity expansion), and pages with too many elements, too deep nesting or
too large tables are refused with a Chinese InputError.
"""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from ..errors import InputError
from .document import Document, Paragraph, TableBlock, TableCell
from .htmlcharset import decode_html
from .limits import DEFAULT_MAX_BYTES, too_large_message
from .sniff import unwrap_mhtml
from .text import MSG_EMPTY

__all__ = ["MAX_DEPTH", "MAX_ELEMENTS", "read_html_bytes"]

MAX_ELEMENTS = 200_000
MAX_DEPTH = 200
MAX_COLSPAN = 1000  # as browsers clamp colspan
_MAX_GRID_WORK = 1_000_000  # cells placed + spans carried, per document
_CONTENT_CHARS = 200  # chrome-looking elements with this much non-link text are kept
_ARTICLE_CHARS = 1000  # a "cell" this long is a page column, not data

MSG_COMPLEX = "网页结构过于复杂（{}），无法读取"
MSG_NO_TEXT = "网页中没有正文文字（可能由浏览器脚本加载）"

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_DOCTYPE = re.compile(r"<!doctype", re.I)
_TAG_START = re.compile(r"<[A-Za-z]")
_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; NBSP and U+3000 are kept (they show)
_SPAN = re.compile(r"\s*(\d+)")
_LINE = re.compile(r"[^\n]+")

_DROP = (
    *("script", "style", "noscript", "head", "title", "template", "svg", "math", "iframe", "frame"),
    *("frameset", "object", "embed", "applet", "select", "option", "datalist", "button", "textarea"),
    *("input", "map", "audio", "video", "canvas"),
)
# Dropped unless they turn out to hold the article. Not <form>: ASP.NET wraps whole pages in
# one (its controls are dropped above). <header> and <footer> only outside an article.
_CHROME_TAGS = frozenset(("nav", "aside"))
_PAGE_PARTS = frozenset(("header", "footer"))
_CHROME_WORDS = re.compile(r"nav|menu|foot|crumb|share|sidebar|copyright|position|weizhi|dqwz", re.I)
_GRID_TAGS = frozenset(("html", "body", "tr", "td", "th", "thead", "tbody", "tfoot", "caption"))
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BLOCK = frozenset(
    (
        *("html", "body", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt"),
        *("dd", "blockquote", "section", "article", "main", "center", "address", "figure", "hr"),
        *("figcaption", "caption", "header", "footer", "nav", "aside", "form", "fieldset", "legend"),
        *("details", "summary", "dir", "menu", "tr", "td", "th", "thead", "tbody", "tfoot", "table", "pre"),
    )
)


def read_html_bytes(data: bytes, path: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read an HTML page (any common encoding; MHTML too) into paragraphs and tables."""
    if len(data) > max_bytes:
        raise InputError(too_large_message(len(data), max_bytes), path)
    if not data or data.isspace():
        raise InputError(MSG_EMPTY, path)
    markup, charset = unwrap_mhtml(data)
    text, encoding = decode_html(markup, charset, path)
    root = _parse(text, path)
    del text
    _remove_clutter(root)
    blocks = _Walker(path).run(root)
    if not blocks:
        raise InputError(MSG_NO_TEXT, path)
    return Document(
        blocks=blocks,
        media_type="text/html",
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )


# --- text -> tree ----------------------------------------------------------------------------

_PARSER_OPTIONS = dict(
    no_network=True, remove_comments=True, remove_pis=True, huge_tree=False, default_doctype=False
)
_ELEMENT_COUNT = etree.XPath("count(//*)")
# An element with MAX_DEPTH element ancestors: one step per level, so a shallow page stops
# after its few levels (`//*[ancestor::*[N]]` looked up every element's ancestors).
_TOO_DEEP = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")


def _parse(text: str, path: str | None) -> etree._Element:
    text = _strip_dtd_subset(_XML_DECLARATION.sub("", text, count=1))
    if text.count("<") > MAX_ELEMENTS and sum(1 for _ in _TAG_START.finditer(text)) > MAX_ELEMENTS:
        raise InputError(MSG_COMPLEX.format(f"元素超过 {MAX_ELEMENTS} 个"), path)
    # A fresh parser each time: lxml parsers keep state and are not thread-safe. libxml2
    # reads UTF-8 bytes about twice as fast as a str; text that cannot be UTF-8 (lone
    # surrogates) goes as a str.
    try:
        markup: str | bytes = text.encode("utf-8")
        parser = etree.HTMLParser(encoding="utf-8", **_PARSER_OPTIONS)
    except UnicodeEncodeError:
        markup, parser = text, etree.HTMLParser(**_PARSER_OPTIONS)
    root = etree.HTML(markup, parser)
    del markup
    if root is None:
        raise InputError(MSG_NO_TEXT, path)
    if _ELEMENT_COUNT(root) > MAX_ELEMENTS:
        raise InputError(MSG_COMPLEX.format(f"元素超过 {MAX_ELEMENTS} 个"), path)
    if _TOO_DEEP(root):  # libxml2 silently cuts nesting at 256 levels
        raise InputError(MSG_COMPLEX.format(f"嵌套超过 {MAX_DEPTH} 层"), path)
    # Without huge_tree, libxml2 also stops at a 10 MB text node, quietly dropping the rest.
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise InputError(MSG_COMPLEX.format("单段文字过长"), path)
    return root


def _strip_dtd_subset(text: str) -> str:
    """Cut `<!DOCTYPE html [ ... ]>`'s internal subset: its entities are never expanded, and
    its text must not leak into the page."""
    match = _DOCTYPE.search(text, 0, 4096)
    if match is None:
        return text
    close = text.find(">", match.end())
    bracket = text.find("[", match.end(), close if close >= 0 else len(text))
    if bracket < 0:
        return text
    end = text.find("]>", bracket)
    end = len(text) if end < 0 else end + 2
    return text[: match.start()] + text[end:]


# --- clutter ---------------------------------------------------------------------------------


def _remove_clutter(root: etree._Element) -> None:
    """Drop scripts, form controls and site chrome (navigation, footers, share bars, hidden
    boxes). Chrome is recognised by tag, class/id or style, and kept if it holds the article:
    enough text outside links (navigation is made of links, an article is not)."""
    for el in list(root.iter(*_DROP)):
        _drop(el)
    if not _may_have_chrome(root) or not any(_looks_like_chrome(el) for el in root.iter(etree.Element)):
        return
    # One bottom-up pass: each element's text outside links, its tail included for the parent.
    sizes: dict[etree._Element, int] = {}
    found = []
    for _, el in etree.iterwalk(root, events=("end",)):
        inner = _stripped_len(el.text) + sum(sizes.pop(child, 0) for child in el)
        own = 0 if el.tag == "a" else inner
        sizes[el] = own + _stripped_len(el.tail)
        if own < _CONTENT_CHARS and _looks_like_chrome(el):
            found.append((el, own))
    total = sizes.get(root, 0)
    for el, own in found:  # a box with most of the page's text is the article, however named
        if own * 2 < total:
            _drop(el)


_STYLES = etree.XPath("//@style", smart_strings=False)
_NAMES = etree.XPath("//@class | //@id", smart_strings=False)
_ANY_HIDDEN = etree.XPath("boolean(//@hidden)")


def _may_have_chrome(root: etree._Element) -> bool:
    """False when no element can look like chrome: no chrome tag, no `hidden`, no hiding
    style, no chrome word in a class or id. Read from the attribute values at once, not
    element by element (a page's every cell may carry a style, mostly the same few)."""
    if next(root.iter(*_CHROME_TAGS, *_PAGE_PARTS), None) is not None or _ANY_HIDDEN(root):
        return True
    if _HIDDEN.search("\n".join(set(_STYLES(root)))):
        return True
    return _CHROME_WORDS.search("\n".join(set(_NAMES(root)))) is not None


def _stripped_len(text: str | None) -> int:
    return len(text.strip()) if text else 0


def _looks_like_chrome(el: etree._Element) -> bool:
    if el.tag in _CHROME_TAGS:
        return True
    if el.tag in _PAGE_PARTS:
        return next(el.iterancestors("article", "main"), None) is None
    if not el.attrib:
        return False
    marked = el.get("hidden") is not None or _HIDDEN.search(el.get("style", ""))
    if not (marked or _CHROME_WORDS.search(f"{el.get('class', '')} {el.get('id', '')}")):
        return False
    # Dropping a cell would shift a data table's grid; a layout table's cells are just boxes.
    return el.tag not in _GRID_TAGS or (el.tag in ("td", "th") and _in_layout_table(el))


def _in_layout_table(cell: etree._Element) -> bool:
    table = next(cell.iterancestors("table"), None)
    return table is not None and table.find(".//table") is not None


def _drop(el: etree._Element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _tag(el: etree._Element) -> str:
    return el.tag if isinstance(el.tag, str) else ""


# --- tree -> blocks --------------------------------------------------------------------------


class _Walker:
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
        tag = _tag(el)
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(el)
        elif tag == "pre":
            self.flush()
            for line in _LINE.finditer("".join(el.itertext())):
                self.emit(line.group().strip())  # preformatted: spacing is kept
        elif tag:
            block = tag in _BLOCK
            if block:
                self.flush()
            self.add(el.text)
            for child in el:
                self.walk(child)
            if block:
                self.flush()
        self.add(el.tail)

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def flush(self) -> None:
        if not self.parts:
            return
        line = _collapsed("".join(self.parts))
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
        if table.find(".//table") is None:  # innermost: a data table unless it looks like layout
            rows = [list(tr.iter("td", "th")) for tr in table.iter("tr") if not _is_spacer(tr)]
            if any(len(cells) > 1 for cells in rows):
                block = self.grid(rows)
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

    def grid(self, rows: list[list[etree._Element]]) -> TableBlock | None:
        """Place cells on the grid: an occupied-slot map carries rowspans down (capped at the
        table's end); spans are parsed tolerantly (`2;`, `2px`) and clamped to >= 1.
        None when a cell holds a whole article (a layout table after all)."""
        t, nrows = self.tables + 1, len(rows)
        pending: dict[int, tuple[int, int]] = {}  # start column -> (rows still covered, colspan)
        out: list[list[TableCell]] = []
        for r, cells in enumerate(rows, start=1):
            self.charge(len(pending) + len(cells))
            covered = sorted((c, c + span) for c, (_, span) in pending.items())
            placed: list[TableCell] = []
            started: dict[int, tuple[int, int]] = {}
            col, i = 1, 0
            for td in cells:
                while i < len(covered) and covered[i][0] <= col:
                    col = max(col, covered[i][1])
                    i += 1
                text = _cell_text(td)
                if len(text) > _ARTICLE_CHARS:
                    return None
                rowspan = min(_span(td.get("rowspan"), nrows), nrows - r + 1)
                colspan = _span(td.get("colspan"), MAX_COLSPAN)
                placed.append(TableCell(text, {"table": t, "row": r, "col": col}, rowspan, colspan))
                if rowspan > 1:
                    started[col] = (rowspan - 1, colspan)
                col += colspan
            pending = {c: (n - 1, s) for c, (n, s) in pending.items() if n > 1} | started
            out.append(placed)
        self.tables = t
        return TableBlock(out, {"table": t})

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
        tag = _tag(node)
        if tag in tags:
            yield node
        elif tag != "table":
            stack.extend(reversed(node))


def _is_spacer(tr: etree._Element) -> bool:
    """Word's hidden `<tr height=0 style='display:none'>` that only fixes column widths."""
    return bool(_HIDDEN.search(tr.get("style", ""))) and not "".join(tr.itertext()).strip()


def _cell_text(td: etree._Element) -> str:
    """The cell's lines: its text split at <br>, block elements (a nested table's too) and
    <pre> lines, spaces collapsed, gathered by lxml's iterwalk."""
    if len(td) == 0:  # the common cell: just text
        return _collapsed(td.text)
    if len(td) == 1:  # Word's cell: one childless paragraph, maybe with text around it
        only = td[0]
        tag = only.tag
        if tag in _BLOCK and len(only) == 0 and tag != "pre":
            return "\n".join(
                x for x in (_collapsed(td.text), _collapsed(only.text), _collapsed(only.tail)) if x
            )
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
            if tag in _BLOCK:
                _flush(parts, lines)
            if el.tail:
                parts.append(el.tail)
        elif tag == "pre":  # preformatted: its lines as they are, spacing kept
            _flush(parts, lines)
            lines += [x for x in (m.group().strip() for m in _LINE.finditer("".join(el.itertext()))) if x]
            walk.skip_subtree()
        elif tag == "br" or tag in _BLOCK:
            _flush(parts, lines)
            if el.text and tag != "br":
                parts.append(el.text)
        elif tag and el.text:
            parts.append(el.text)
        elif not tag:
            walk.skip_subtree()


def _flush(parts: list[str], lines: list[str]) -> None:
    if parts:
        line = _collapsed("".join(parts))
        parts.clear()
        if line:
            lines.append(line)


def _collapsed(text: str | None) -> str:
    if not text:
        return ""
    if "\n" in text or "\t" in text or "\r" in text or "\f" in text or "  " in text:
        return _SPACES.sub(" ", text).strip()
    return text.strip()  # no run of HTML spaces to collapse


def _span(value: str | None, cap: int) -> int:
    if value is None:
        return 1
    match = _SPAN.match(value or "")
    return max(1, min(int(match.group(1)[:7]), cap)) if match else 1
