"""DOCX reader: bytes of a Word 2007+ document -> Document.

Blocks come in this order: page headers (where {"header": n}), the body in document order
(paragraphs, tables, content controls, text boxes right after the paragraph that anchors
them), then page footers ({"footer": n}). Headers go first because some reports put the
title there. A paragraph with line breaks becomes one Paragraph per line; automatic
list numbers ("一、", "（三）", "1.") are rendered into the text.

Tables keep their grid: each distinct cell once, in the row where it starts, with the
grid column from w:gridBefore/w:gridSpan and the rowspan from w:vMerge. A table that
holds other tables is a layout frame: its cells are read as ordinary blocks, so the inner
data tables become TableBlocks of their own. Tables are numbered in block order over the
whole Document, header tables included.

The text is the current document as if every tracked change were accepted: inserted text
is kept, deleted text dropped. Hidden text (w:vanish, directly or by style; see
docx_hidden.py) is not text either. Revisions, comments, bookmarks and hidden text are
reported in Document.artifacts (kind "revision", "comment", "bookmark", "hidden_text"),
each with the `where` of the paragraph or cell that carries it. Footnotes and endnotes are
not read.

Hostile packages are refused before python-docx sees them (read/ziplimits.py): zip bombs,
corrupt archives, XML with DTD or entity declarations. Reading runs in a child process
within DEFAULT_TIMEOUT seconds and the memory limit (sandbox.py); containers nested deeper
than MAX_NESTING are refused, and whatever else python-docx or lxml raise on a damaged
package becomes "DOCX 文件已损坏或不完整".
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import OpcError
from docx.oxml import parse_xml
from docx.package import Package
from lxml import etree

from ..errors import InputError
from ..model import Artifact
from . import sandbox
from .damage import raised_in
from .document import Document, Paragraph, TableBlock, is_page_number
from .docx_grid import GridBuilder
from .docx_hidden import Visibility
from .docx_numbering import Numbering
from .docx_xml import (
    AUTHOR,
    BODY,
    BOOKMARK,
    COMMENT_START,
    HEADER_ORDER,
    ID,
    NAME,
    SDT,
    SDT_CONTENT,
    TBL,
    TC,
    WRAPPERS,
    InlineText,
    P,
    W,
    plain_text,
    w,
)
from .text import MSG_EMPTY
from .ziplimits import corrupt_message, open_safe_zip

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

DEFAULT_TIMEOUT = 30.0  # seconds; a long report reads in well under one
MAX_NESTING = 32  # tables in cells, content controls, text boxes inside one another

MSG_NOT_DOCX = "不是 Word 文档（DOCX）：压缩包中没有 Word 正文（word/document.xml）"
MSG_TOO_DEEP = f"DOCX 文档的表格、文本框或内容控件嵌套过深（超过 {MAX_NESTING} 层），文件可能已损坏"
_LIBRARIES = ("docx", "lxml", "zipfile", "zlib", "xml")
MSG_OLE = "不是 DOCX 文件：看起来是旧版 Word（.doc）或加密的 Office 文件"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
_WORD_TYPES = (  # .docx, .docm, .dotx, .dotm
    CT.WML_DOCUMENT_MAIN,
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def read_docx_bytes(data: bytes, path: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> Document:
    """Read a DOCX file. Raises InputError (Chinese message) for anything unreadable."""
    budget = sandbox.Budget(timeout, sandbox.timeout_message(timeout))
    return sandbox.run(_read_docx, data, path, budget)


def _read_docx(data: bytes, path: str | None = None) -> Document:
    if not data:
        raise InputError(MSG_EMPTY, path)
    if data.startswith(_OLE_SIGNATURE):
        raise InputError(MSG_OLE, path)
    open_safe_zip(data, path, "DOCX").close()
    part, root = _open_document_part(data, path)
    try:
        reader = _Reader(part, root, path)
        blocks = reader.read()
    except (InputError, MemoryError):  # the sandbox words a MemoryError
        raise
    except (Exception, RecursionError) as err:  # a damaged part python-docx or lxml trips on
        if not (isinstance(err, RecursionError) or raised_in(err, _LIBRARIES)):
            raise
        raise InputError(corrupt_message("DOCX"), path) from err
    return Document(
        blocks=blocks,
        media_type=MEDIA_TYPE,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        artifacts=reader.artifacts,
    )


def _open_document_part(data: bytes, path: str | None):
    """(main document part, its w:document element). Macro-enabled documents and templates
    (.docm, .dotx, .dotm) are read too; python-docx itself accepts only .docx."""
    try:
        part = Package.open(io.BytesIO(data)).main_document_part
        if part.content_type not in _WORD_TYPES:
            raise InputError(MSG_NOT_DOCX, path)
        element = getattr(part, "element", None)
        return part, element if element is not None else parse_xml(part.blob)
    except KeyError as err:  # no officeDocument relationship, or its target is missing
        raise InputError(MSG_NOT_DOCX, path) from err
    except (OpcError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, etree.LxmlError) as err:
        raise InputError(corrupt_message("DOCX"), path) from err
    except (InputError, MemoryError):
        raise
    except Exception as err:  # python-docx on a damaged package: AttributeError, TypeError, …
        if not raised_in(err, _LIBRARIES):
            raise
        raise InputError(corrupt_message("DOCX"), path) from err


def _related(part, reltype: str):
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _element(part):
    """The root XML element of a part (python-docx parses the parts it knows)."""
    if part is None:
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(part.blob, parser)
    except etree.LxmlError:
        return None


class _Reader:
    def __init__(self, part, root, path: str | None = None) -> None:
        self.part, self.root, self.path = part, root, path
        self.blocks: list = []
        self.artifacts: list[Artifact] = []
        self.counters = {"paragraph": 0, "header": 0, "footer": 0, "table": 0}
        styles = _element(_related(part, RT.STYLES))
        self.numbering = Numbering(_element(_related(part, RT.NUMBERING)), styles)
        self.visibility = Visibility(styles)
        self.depth = 0  # containers entered (see MAX_NESTING)
        self.comments = self._read_comments()
        self.seen_comments: set[str] = set()
        self.pending: list[tuple[str, str]] = []  # block-level artifacts awaiting a where

    def read(self) -> list:
        body = self.root.find(BODY)
        if body is None:
            return []
        numbering, self.numbering = self.numbering, None
        self._stories(body, RT.HEADER, "header")
        self.numbering = numbering
        self._blocks(body, "paragraph")
        self.numbering = None
        self._stories(body, RT.FOOTER, "footer")
        self._flush_pending(self.blocks[-1].where if self.blocks else {})
        for cid, text in self.comments.items():
            if cid not in self.seen_comments:
                self.artifacts.append(Artifact("comment", text, {}))
        return self.blocks

    # ---- containers ---------------------------------------------------------------------

    @contextmanager
    def _nested(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise InputError(MSG_TOO_DEEP, self.path)
        try:
            yield
        finally:
            self.depth -= 1

    def _blocks(self, container, counter: str) -> None:
        with self._nested():
            self._children(container, counter)

    def _children(self, container, counter: str) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                self._paragraph(child, counter)
            elif tag == TBL:
                self._table(child, counter)
            elif tag in WRAPPERS:
                content = child.find(SDT_CONTENT) if tag == SDT else child
                if content is not None:
                    self._blocks(content, counter)
            elif tag == BOOKMARK:
                self.pending.append(("bookmark", child.get(NAME, "")))
            elif tag == COMMENT_START:
                self.pending.append(("anchor", child.get(ID, "")))

    def _stories(self, body, reltype: str, counter: str) -> None:
        """Headers or footers, each distinct part once, in the order sections use them."""
        kind = "headerReference" if counter == "header" else "footerReference"
        refs = etree.XPath(f".//w:sectPr/w:{kind}", namespaces={"w": W})(body)
        refs.sort(key=lambda r: HEADER_ORDER.get(r.get(w("type"), "default"), 1))
        seen_parts: list = []
        seen_texts: set[str] = set()
        for ref in refs:
            rid = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            part = self.part.related_parts.get(rid) if rid else None
            if part is None or any(part is seen for seen in seen_parts):
                continue
            element = _element(part)
            if element is None:
                continue
            seen_parts.append(part)
            text = plain_text(element).strip()
            if text and text not in seen_texts and not is_page_number(text):
                seen_texts.add(text)
                self._blocks(element, counter)

    # ---- paragraphs ---------------------------------------------------------------------

    def _paragraph(self, p, counter: str) -> None:
        inline = InlineText(self.visibility).read(p)
        texts = inline.texts()
        texts[0] = self._label(p) + texts[0]
        wheres = []
        for text in texts:
            self.counters[counter] += 1
            where = {counter: self.counters[counter]}
            self.blocks.append(Paragraph(text, where))
            wheres.append(where)
        self._flush_pending(wheres[0])
        self._report(inline, wheres)
        for box in inline.boxes:
            self._blocks(box, counter)

    def _label(self, p) -> str:
        return self.numbering.label(p) if self.numbering is not None else ""

    def _report(self, inline: InlineText, wheres: list[dict]) -> None:
        for line, kind, text in inline.found:
            self.artifacts.append(Artifact(kind, text, dict(wheres[min(line, len(wheres) - 1)])))
        for line, cid in inline.anchors:
            self._comment(cid, wheres[min(line, len(wheres) - 1)])

    def _flush_pending(self, where: dict) -> None:
        for kind, value in self.pending:
            if kind == "anchor":
                self._comment(value, where)
            else:
                self.artifacts.append(Artifact(kind, value, dict(where)))
        self.pending.clear()

    # ---- comments -----------------------------------------------------------------------

    def _read_comments(self) -> dict[str, str]:
        root = _element(_related(self.part, RT.COMMENTS))
        if root is None:
            return {}
        out: dict[str, str] = {}
        for comment in root.iterfind(w("comment")):
            lines = [" ".join(InlineText().read(p).texts()) for p in comment.iter(P)]
            text = "\n".join(line for line in lines if line.strip())
            author = comment.get(AUTHOR) or ""
            out[comment.get(ID, "")] = f"{author}：{text}" if author else text
        return out

    def _comment(self, cid: str, where: dict) -> None:
        if cid in self.seen_comments or cid not in self.comments:
            return
        self.seen_comments.add(cid)
        self.artifacts.append(Artifact("comment", self.comments[cid], dict(where)))

    # ---- tables -------------------------------------------------------------------------

    def _table(self, tbl, counter: str) -> None:
        if tbl.find(f".//{TBL}") is not None:  # a layout frame around other tables
            for tc in tbl.iter(TC):
                if _parent_table(tc) is tbl:
                    self._blocks(tc, counter)
            return
        self.counters["table"] += 1
        number = self.counters["table"]
        block = TableBlock(rows=[], where={"table": number})
        self._flush_pending(block.where)
        self.blocks.append(block)
        GridBuilder(self, block, number).build(tbl)

    def cell_text(self, tc, where: dict) -> str:
        lines: list[str] = []
        self._cell_lines(tc, where, lines)
        return "\n".join(lines)

    def _cell_lines(self, container, where: dict, lines: list[str]) -> None:
        with self._nested():
            self._cell_children(container, where, lines)

    def _cell_children(self, container, where: dict, lines: list[str]) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                inline = InlineText(self.visibility).read(child)
                texts = inline.texts()
                texts[0] = self._label(child) + texts[0]
                lines.extend(texts)
                self._report(inline, [where])
                for box in inline.boxes:
                    self._cell_lines(box, where, lines)
            elif tag in WRAPPERS:
                content = child.find(SDT_CONTENT) if tag == SDT else child
                if content is not None:
                    self._cell_lines(content, where, lines)
            elif tag == BOOKMARK:
                self.artifacts.append(Artifact("bookmark", child.get(NAME, ""), dict(where)))
            elif tag == COMMENT_START:
                self._comment(child.get(ID, ""), where)


def _parent_table(tc):
    node = tc.getparent()
    while node is not None and node.tag != TBL:
        node = node.getparent()
    return node
