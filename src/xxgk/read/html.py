"""HTML reader: a web page (or Word's "save as web page", or MHTML) -> Document.

Here: bytes -> text -> tree, and the site's clutter cut out; htmlwalk.py turns the tree
into blocks (paragraphs and grid tables, in document order).

Untrusted input: lxml never touches the network, an internal DTD subset is cut out before
parsing (no entity expansion), and pages with too many elements, too deep nesting or
too large tables are refused with a Chinese InputError.
"""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from ..errors import InputError
from .document import Document
from .htmlcharset import decode_html_exact
from .htmlwalk import HIDDEN, MAX_ELEMENTS, MSG_COMPLEX, Walker
from .limits import DEFAULT_MAX_BYTES, too_large_message
from .sniff import unwrap_mhtml
from .text import MSG_EMPTY

__all__ = ["MAX_DEPTH", "MAX_ELEMENTS", "read_html_bytes"]

MAX_DEPTH = 200
_CONTENT_CHARS = 200  # chrome-looking elements with this much non-link text are kept

MSG_NO_TEXT = "网页中没有正文文字（可能由浏览器脚本加载）"

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_DOCTYPE = re.compile(r"<!doctype", re.I)
_TAG_START = re.compile(r"<[A-Za-z]")

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


def read_html_bytes(data: bytes, path: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read an HTML page (any common encoding; MHTML too) into paragraphs and tables."""
    if len(data) > max_bytes:
        raise InputError(too_large_message(len(data), max_bytes), path)
    if not data or data.isspace():
        raise InputError(MSG_EMPTY, path)
    markup, charset = unwrap_mhtml(data)
    text, encoding, exact = decode_html_exact(markup, charset, path)
    root = _parse(text, markup if exact else None, path)
    del text
    _remove_clutter(root)
    blocks = Walker(path).run(root)
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


def _parse(text: str, utf8: bytes | None, path: str | None) -> etree._Element:
    """`utf8`: the bytes `text` was decoded from, when they are its exact UTF-8 form."""
    cut = _strip_dtd_subset(_XML_DECLARATION.sub("", text, count=1))
    if cut is not text:
        text, utf8 = cut, None
    if text.count("<") > MAX_ELEMENTS and sum(1 for _ in _TAG_START.finditer(text)) > MAX_ELEMENTS:
        raise InputError(MSG_COMPLEX.format(f"元素超过 {MAX_ELEMENTS} 个"), path)
    # A fresh parser each time: lxml parsers keep state and are not thread-safe. libxml2
    # reads UTF-8 bytes about twice as fast as a str (and the page's own bytes need no
    # encoding); text that cannot be UTF-8 (lone surrogates) goes as a str.
    try:
        markup: str | bytes = utf8 if utf8 is not None else text.encode("utf-8")
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


# Elements only (`//` would visit every text node too).
_STYLES = etree.XPath("/descendant::*/@style", smart_strings=False)
_NAMES = etree.XPath("/descendant::*/@class | /descendant::*/@id", smart_strings=False)
_ANY_HIDDEN = etree.XPath("boolean(/descendant::*/@hidden)")


def _may_have_chrome(root: etree._Element) -> bool:
    """False when no element can look like chrome: no chrome tag, no `hidden`, no hiding
    style, no chrome word in a class or id. Read from the attribute values at once, not
    element by element (a page's every cell may carry a style, mostly the same few)."""
    if next(root.iter(*_CHROME_TAGS, *_PAGE_PARTS), None) is not None or _ANY_HIDDEN(root):
        return True
    if _hides(_STYLES(root)):
        return True
    return _CHROME_WORDS.search("\n".join(set(_NAMES(root)))) is not None


def _hides(styles: list[str]) -> bool:
    """Whether a style hides its element. HIDDEN needs "none" or "hidden" (its re.I also
    takes the dotless ı and the dotted İ for i), looked for first by plain search."""
    joined = "\n".join(styles)
    low = joined.lower()
    if "none" in low or "hidden" in low or "ı" in low or "İ" in joined:
        return HIDDEN.search(joined) is not None
    return False


def _stripped_len(text: str | None) -> int:
    return len(text.strip()) if text else 0


def _looks_like_chrome(el: etree._Element) -> bool:
    if el.tag in _CHROME_TAGS:
        return True
    if el.tag in _PAGE_PARTS:
        return next(el.iterancestors("article", "main"), None) is None
    if not el.attrib:
        return False
    marked = el.get("hidden") is not None or HIDDEN.search(el.get("style", ""))
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


