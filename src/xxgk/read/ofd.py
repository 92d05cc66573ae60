"""OFD reader (GB/T 33190-2016, 版式文档): bytes -> Document, read as its PDF would be.

The package is a ZIP. OFD.xml names the document (DocBody/DocRoot -> Document.xml); the
document lists its pages in order (Pages/Page BaseLoc, relative to Document.xml), gives the
default page size (CommonData/PageArea/PhysicalBox, mm) and the template pages a page may
draw under its own content (CommonData/TemplatePage, Page/Template). A page's Content.xml
may give its own size (Area/PhysicalBox).

Each page's text and ruling lines become pdfplumber's char, line and rect records
(ofdcontent.py, in points), and from there the PDF reader's own page code reads the page
(pdf.py, layout.py): ruled tables from the lines, borderless tables and paragraphs from the
words, page numbers in the margins dropped, a ruled table going on over a page break
stitched. So an OFD reads exactly as the PDF of the same layout, and `where` is as for PDF:
{"page": p, "bbox": [x0, top, x1, bottom]} in points (1 mm = 72/25.4 pt), plus "table".

Not read: annotations, seals and signatures, attachments, documents after the first, and
images: an OFD of page images only (a scan) is refused with the advice to convert it to PDF,
whose scans are read by OCR. A template page that is missing is skipped.

Hostile or damaged packages get one Chinese InputError, "OFD 文件已损坏：…": the ZIP
defences of ziplimits.py (corrupt archive, zip bomb, DTD or entity declarations), XML parts
over MAX_PART_BYTES, XML parsed by lxml without entities, DTD or network, missing parts,
coordinates that are not finite or beyond MAX_COORD, PageBlocks nested too deep, too many
glyphs or lines on a page. Page count, time and memory are limited as for PDF: the reading
runs in a child process (sandbox.py).
"""

from __future__ import annotations

import hashlib
import posixpath
import time
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from ..errors import InputError
from . import sandbox
from .document import Document
from .limits import format_limit, format_size
from .ofdcontent import MM, ContentReader, Damaged, parse_numbers
from .ofdpage import OfdPage, PageRecords
from .pdf import DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT
from .pdf import PageReader as PdfPageReader  # the PDF reader's page code, shared on purpose
from .ziplimits import corrupt_message, open_safe_zip

MEDIA_TYPE = "application/ofd"
_PRELOAD = ("lxml.etree", "pdfplumber")  # imported once in the parent, inherited by each child
MSG_EMPTY = "文件为空"
MSG_SCANNED = "OFD 只有页面图像，没有文字层（扫描件）：请转换为 PDF 后再读取（PDF 扫描件可识别文字）"

A4 = (0.0, 0.0, 210.0, 297.0)
MAX_PAGE_MM = 5000.0  # a page side longer than 5 m is not a page
# An XML part parsed into a tree (a report page's Content.xml is well under 1 MB): the tree of
# 8 MB of tiny elements takes a few hundred MB, so larger parts are refused before parsing.
MAX_PART_BYTES = 8 * 1024 * 1024


def damaged_message(reason: str) -> str:
    return f"OFD 文件已损坏：{reason}"


def too_many_pages_message(pages: int, limit: int) -> str:
    return f"OFD 页数过多（{pages} 页，上限 {limit} 页）"


def timeout_message(limit: float) -> str:
    return f"OFD 处理超时（超过 {limit:g} 秒）"


def read_ofd_bytes(
    data: bytes,
    path: str | None = None,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Document:
    """Read an OFD document. Raises InputError (Chinese message) for empty, damaged or
    hostile packages, too many pages, too slow a read, and scans without a text layer.
    The reading runs in a child process within `timeout` and the memory limit, as for PDF."""
    if not data:
        raise InputError(MSG_EMPTY, path)
    budget = sandbox.Budget(timeout, timeout_message(timeout))
    return sandbox.run(_read_ofd, data, path, budget, max_pages, timeout, preload=_PRELOAD)


def _read_ofd(data: bytes, path: str | None, max_pages: int, timeout: float) -> Document:
    started = time.monotonic()
    reader = PdfPageReader(data=data, path=path, started=started, timeout=timeout)
    try:
        with _open(data, path) as archive:
            package = _Package(archive)
            layout = package.layout()
            if len(layout.pages) > max_pages:
                raise InputError(too_many_pages_message(len(layout.pages), max_pages), path)
            _read_pages(package, layout, reader)
    except Damaged as err:
        raise InputError(damaged_message(str(err)), path) from err
    return Document(
        blocks=reader.blocks, media_type=MEDIA_TYPE, path=path, sha256=hashlib.sha256(data).hexdigest()
    )


def _read_pages(package: _Package, layout: _Layout, reader: PdfPageReader) -> None:
    """Each page through the PDF reader's page code, within the time limit."""
    text = images = 0
    for number in range(1, len(layout.pages) + 1):
        if time.monotonic() - reader.started > reader.timeout:
            raise InputError(timeout_message(reader.timeout), reader.path)
        page = package.page(layout, number)
        text, images = text + len(page.chars), images + page.records.images
        reader.read_page(page, number)
    if images and not text:
        raise InputError(MSG_SCANNED, reader.path)


def _open(data: bytes, path: str | None) -> zipfile.ZipFile:
    try:
        return open_safe_zip(data, path, kind="OFD")
    except InputError as err:
        corrupt = corrupt_message("OFD")
        reason = err.message
        if reason.startswith(corrupt):
            reason = reason[len(corrupt) :].strip("（）") or "不是完整的 ZIP 压缩包"
        raise InputError(damaged_message(reason), path) from err


@dataclass
class _Layout:
    """What Document.xml says: page locations in order, the default page box, templates."""

    part: str
    box: tuple[float, ...] = A4
    pages: list[str | None] = field(default_factory=list)  # BaseLoc of each page
    templates: dict[str, str] = field(default_factory=dict)  # TemplatePage ID -> part


class _Package:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = {i.filename.lstrip("/"): i for i in archive.infolist() if not i.is_dir()}
        self.folded = {name.casefold(): name for name in self.names}
        self.cache: dict[str, object] = {}

    def resolve(self, base: str, location: str | None) -> str | None:
        """A location written in part `base`: absolute from the package root, or relative to
        `base`'s folder (producers also write root-relative ones; case is not trusted)."""
        location = (location or "").strip().replace("\\", "/")
        if not location:
            return None
        if location.startswith("/"):
            candidates = [location.lstrip("/")]
        else:
            candidates = [posixpath.join(posixpath.dirname(base), location), location]
        for candidate in candidates:
            candidate = posixpath.normpath(candidate)
            found = candidate if candidate in self.names else self.folded.get(candidate.casefold())
            if found is not None:
                return found
        return None

    def xml(self, part: str):
        info = self.names[part]
        if info.file_size > MAX_PART_BYTES:
            size, limit = format_size(info.file_size), format_limit(MAX_PART_BYTES)
            raise Damaged(f"{part} 过大（{size}，上限 {limit}）")
        try:
            data = self.archive.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as err:
            raise Damaged(f"{part} 无法解压") from err
        except NotImplementedError as err:  # a compression method zipfile lacks
            raise Damaged(f"{part} 的压缩方式不受支持") from err
        try:
            parser = etree.XMLParser(  # one per call: lxml parsers are not shared between threads
                resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
            )
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as err:
            raise Damaged(f"{part} 不是有效的 XML") from err

    def layout(self) -> _Layout:
        entry = self.resolve("", "OFD.xml")
        if entry is None:
            raise Damaged("缺少 OFD.xml")
        root = self.xml(entry)
        location = root.findtext("{*}DocBody/{*}DocRoot")
        if not (location or "").strip():
            raise Damaged("OFD.xml 没有指明文档（DocBody/DocRoot）")
        part = self.resolve(entry, location)
        if part is None:
            raise Damaged(f"缺少文档 {location.strip()}")
        document = self.xml(part)
        layout = _Layout(part, _page_box(document.find("{*}CommonData/{*}PageArea"), A4, part))
        for template in document.iterfind("{*}CommonData/{*}TemplatePage"):
            found = self.resolve(part, template.get("BaseLoc"))
            if found is not None:
                layout.templates[template.get("ID", "")] = found
        layout.pages = [page.get("BaseLoc") for page in document.iterfind("{*}Pages/{*}Page")]
        if not layout.pages:
            raise Damaged(f"{part} 中没有页面")
        return layout

    def page(self, layout: _Layout, number: int) -> OfdPage:
        location = layout.pages[number - 1]
        part = self.resolve(layout.part, location)
        if part is None:
            raise Damaged(f"缺少第 {number} 页的内容（{location or '未指明位置'}）")
        root = self.xml(part)
        box = _page_box(root.find("{*}Area"), layout.box, part)
        records = PageRecords(box[2] * MM, box[3] * MM)
        content = ContentReader(records, (box[0], box[1]))
        for use in root.iterfind("{*}Template"):
            template = layout.templates.get(use.get("TemplateID", ""))
            if template is not None:
                if template not in self.cache:
                    self.cache[template] = self.xml(template)
                content.add(self.cache[template], template)
        content.add(root, part)
        return OfdPage(records, number)


def _page_box(area, default: tuple[float, ...], part: str) -> tuple[float, ...]:
    text = area.findtext("{*}PhysicalBox") if area is not None else None
    if text is None:
        return default
    box = parse_numbers(text, 4, "PhysicalBox", part)
    if not (0 < box[2] <= MAX_PAGE_MM and 0 < box[3] <= MAX_PAGE_MM):
        raise Damaged(f"{part} 中的页面尺寸无效（{text.strip()[:40]}）")
    return box


__all__ = ["MEDIA_TYPE", "damaged_message", "read_ofd_bytes", "too_many_pages_message"]
