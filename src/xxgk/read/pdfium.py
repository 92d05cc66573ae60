"""A PDF page's characters and ruling lines read by pdfium, as pdfplumber would report them.

pdfminer (under pdfplumber) interprets a page's content stream in Python: about 40 ms per
report page, most of a PDF's reading time; pdfium does it in C in a few milliseconds.
`PdfiumReader.page` builds from pdfium the records pdfminer would give, so that pdfplumber's
own word and table finders (used through `PdfiumPage`, as for OFD pages) give the same
words, cells and boxes:

- a character's box as pdfminer computes it from the font's metrics: origin, advance width
  from the font's widths, the font descriptor's /Descent and the font size (pdfium's own
  boxes are drawn round the glyph's outline and differ by up to 12 points); for a vertical
  font, one font size wide and one advance high from pdfium's origin;
- in content order (pdfium's text page sorts some lines), without the spaces and line
  breaks pdfium adds, with the space glyphs it flags as added;
- paths classified as pdfminer classifies them (pdfiumpaths.py).

Numbers the PDF writes come back exactly (pdfiumpaths.exact); sums pdfminer makes in double
precision and pdfium in single (a character's origin after others on its line) can differ
in the last digits, so that an edge on a half hundredth (253.045) now and then rounds to the
other hundredth (bench/pdf_textlayer.py --reader: a few per document, 0.01 pt).

It answers only for the pages where the readings agree, and raises `Refused` for any other,
which the caller reads with pdfplumber as before: a page rotated, cropped, or whose media box
does not start at the origin; a character not upright, or without a Unicode mapping; a glyph
mapped to several characters; a font pdfminer measures otherwise (no descriptor, Type3) or
that cannot be told from another of its name; text inside a form XObject, or a text object
pdfium leaves out of its text page (too narrow, or a repeat of the one before); a page
without text (a scan, read by OCR). Every stream pdfium would inflate goes first through
pdfminer's bounded inflation (`inflate_first`).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.utils import dedupe_chars

from . import pdfguard
from .ofdpage import OfdPage, PageRecords, Record
from .pdfiumpaths import Matrix, exact, page_objects, path_records

_TEXT, _PATH = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH
_SAME = 0.01  # points: two readings of a page size that agree
_NARROW = 0.01
_SUBSET = re.compile(rb"^[A-Z]{6}\+")
_PER_MILLE = ctypes.c_float(1000)  # a font size at which glyph widths come in font units  # pdfium's text page skips a text object narrower than this (points)


class Refused(Exception):
    """This page holds something pdfium and pdfminer read differently."""


class PdfiumPage(OfdPage):
    """A pdfplumber page duck-typed over pdfium's records, with the plumber page's place in
    the document (`initial_doctop`, page number) so that every record matches pdfplumber's."""

    def __init__(self, records: PageRecords, page_number: int, doctop: float, chars=None):
        super().__init__(records, page_number, chars)
        self.initial_doctop = doctop
        self._by_kind["curve"] = records.curves  # type: ignore[attr-defined]

    def dedupe_chars(self, **kwargs: Any) -> PdfiumPage:
        chars = dedupe_chars(self.chars, **kwargs)
        return PdfiumPage(self.records, self.page_number, self.initial_doctop, chars)


class PdfiumReader:
    """One pdfium document beside pdfplumber's, for the pages it can read (`page`)."""

    def __init__(self, data: bytes):
        self.doc = pdfium.PdfDocument(data)

    def close(self) -> None:
        self.doc.close()

    def page(self, plumber_page: Any) -> PdfiumPage:
        """The page's records, or Refused (see the module docstring)."""
        if plumber_page.rotation % 360 or tuple(plumber_page.mediabox[:2]) != (0, 0):
            raise Refused("rotated or offset page")
        if tuple(plumber_page.cropbox) != tuple(plumber_page.mediabox):
            raise Refused("cropped page")
        inflate_first(plumber_page)
        descents = _descents(plumber_page)
        page = self.doc[plumber_page.page_number - 1]
        try:
            if abs(page.get_width() - plumber_page.width) > _SAME or abs(page.get_height() - plumber_page.height) > _SAME:
                raise Refused("page sizes differ")
            return _read(page, plumber_page, descents)
        finally:
            page.close()


def _read(page: Any, plumber_page: Any, descents: Fonts) -> PdfiumPage:
    width, height = float(plumber_page.width), float(plumber_page.height)
    doctop = float(plumber_page.initial_doctop)
    records = PageRecords(width, height)
    records.curves = []  # type: ignore[attr-defined]
    texts: dict[int, tuple[int, Matrix]] = {}  # text object -> (place in the content, matrix)
    textpage = page.get_textpage()
    try:
        for obj, matrix, depth in page_objects(page.raw):
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == _TEXT:
                _check_text_object(obj, textpage.raw, depth)
                texts[_key(obj)] = (len(texts), matrix)
            elif kind == _PATH:
                for record in path_records(obj, matrix, height, doctop):
                    getattr(records, record["object_type"] + "s").append(record)
        chars = _chars(textpage.raw, texts, descents, height)
    finally:
        textpage.close()
    if not any(text.strip() for _, _, text, _ in chars):
        raise Refused("no text")
    chars.sort(key=lambda c: c[:2])  # content order, as pdfminer reads (pdfium sorts lines)
    for *_, record in chars:
        record.update(doctop=doctop + record["top"], page_number=plumber_page.page_number)
    records.chars = [record for *_, record in chars]
    return PdfiumPage(records, plumber_page.page_number, doctop)


def _key(obj: Any) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def _check_text_object(obj: Any, textpage: Any, depth: int) -> None:
    if depth:
        raise Refused("text in a form XObject")
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    if right.value - left.value < _NARROW:
        raise Refused("narrow text object")
    if raw.FPDFTextObj_GetText(obj, textpage, None, 0) <= 2:  # the terminating NUL only
        raise Refused("text object left out of the text page")


Fonts = dict[tuple[bytes, bool], tuple[float | None, bytes]]


def _descents(plumber_page: Any) -> Fonts:
    """Per font name of the page's resources and writing mode (vertical or not): the
    descent pdfminer reads (per 1000 units; None where pdfminer reads it otherwise: no
    descriptor, Type3; or two fonts of one name differ) and pdfminer's font name."""
    resources = resolve1(plumber_page.page_obj.resources) or {}
    fonts = resolve1(resources.get("Font")) or {}
    out: Fonts = {}
    for spec in fonts.values():
        spec = resolve1(spec)
        if not isinstance(spec, dict):
            continue
        vertical, descent, fontname = _descent(spec)
        for name in _names(spec):
            key = (name, vertical)
            before, named = out.get(key, (descent, fontname))
            out[key] = (descent if before == descent else None, fontname if named == fontname else name)
    return out


def _descent(spec: dict) -> tuple[bool, float | None, bytes]:
    subtype, encoding = _name(spec.get("Subtype")), _name(spec.get("Encoding")) or b""
    vertical = encoding.endswith(b"-V")
    if subtype == b"Type0":
        descendants = resolve1(spec.get("DescendantFonts")) or [None]
        spec = resolve1(descendants[0])
        if not isinstance(spec, dict):
            return vertical, None, b""
    fontname = _name(spec.get("BaseFont")) or b""
    descriptor = resolve1(spec.get("FontDescriptor"))
    descent = resolve1(descriptor.get("Descent", 0)) if isinstance(descriptor, dict) else None
    if subtype == b"Type3" or not isinstance(descent, int | float):
        return vertical, None, fontname
    return vertical, -descent if descent > 0 else float(descent), fontname


def _names(spec: dict) -> list[bytes]:
    names = [_name(spec.get("BaseFont"))]
    for sub in resolve1(spec.get("DescendantFonts")) or []:
        sub = resolve1(sub)
        if isinstance(sub, dict):
            names.append(_name(sub.get("BaseFont")))
    # pdfium names some fonts without their subset tag ("BAAAAA+"): either name finds them
    return [m for n in names if n for m in {n, _SUBSET.sub(b"", n)}]


def _name(value: Any) -> bytes | None:
    name = getattr(resolve1(value), "name", None)
    return name.encode("utf-8") if isinstance(name, str) else name


class _Fonts:
    """pdfium's font handles -> (pdfplumber's font name, pdfminer's descent per 1000)."""

    def __init__(self, descents: Fonts):
        self.descents = descents
        self.known: dict[tuple[int, bool], tuple[str, float]] = {}

    def get(self, font: Any, vertical: bool) -> tuple[str, float]:
        key = (ctypes.cast(font, ctypes.c_void_p).value or 0, vertical)
        if key not in self.known:
            size = raw.FPDFFont_GetBaseFontName(font, None, 0)
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFFont_GetBaseFontName(font, buffer, size)
            name = buffer.value
            descent, fontname = self.descents.get((name, vertical), (None, b""))
            if descent is None:
                raise Refused(f"font {name!r}: descent not known")
            self.known[key] = (fontname.decode("utf-8", "replace"), descent)
        return self.known[key]


def _chars(textpage: Any, texts: dict[int, tuple[int, Matrix]], descents: Fonts, height: float) -> list:
    """(text object's place, index, text, record) per character pdfium read from the page."""
    fonts = _Fonts(descents)
    out: list = []
    x, y = ctypes.c_double(), ctypes.c_double()
    size, width = ctypes.c_float(), ctypes.c_float()
    last = None
    count = raw.FPDFText_CountChars(textpage)
    for i in range(count):
        obj = raw.FPDFText_GetTextObject(textpage, i)
        if not obj or (raw.FPDFText_IsGenerated(textpage, i) and _inserted(textpage, i, count)):
            continue  # a space or line break pdfium adds between words, lines, spaced glyphs
        if raw.FPDFText_HasUnicodeMapError(textpage, i):
            raise Refused("character without a Unicode mapping")
        # pdfium's character matrix is its text object's, except for a space it took for one
        # of its own (flagged generated, with the identity matrix): take the object's.
        place, (a, b, c, d, _, _) = texts[_key(obj)]
        if b != 0 or c != 0 or a <= 0 or d <= 0:
            raise Refused("text not upright")
        code = raw.FPDFText_GetUnicode(textpage, i)
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        here = (place, x.value, y.value)
        if here == last:
            raise Refused("one glyph, several characters")
        last = here
        font = raw.FPDFTextObj_GetFont(obj)
        raw.FPDFTextObj_GetFontSize(obj, size)
        if not raw.FPDFFont_GetGlyphWidth(font, code, _PER_MILLE, width):
            raise Refused("glyph width not known")
        vertical = width.value < 0  # pdfium gives a vertical font's advance, downwards
        name, descent = fonts.get(font, vertical)
        glyph = Glyph(chr(code), name, exact(size.value), exact(width.value), (a, d, exact(x.value), exact(y.value)))
        record = _vertical_char(glyph, height) if vertical else _char(glyph, descent, height)
        out.append((place, i, glyph.text, record))
    return out


def _inserted(textpage: Any, i: int, count: int) -> bool:
    """A generated character with a text object: a space pdfium puts before a glyph set
    apart (at that glyph's origin), or a space glyph of the PDF that pdfium flags as
    generated (at its own origin, which pdfminer reads as a character)."""
    return i + 1 >= count or _origin(textpage, i) == _origin(textpage, i + 1)


def _origin(textpage: Any, i: int) -> tuple[float, float]:
    x, y = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(textpage, i, x, y)
    return x.value, y.value


@dataclass(frozen=True)
class Glyph:
    text: str
    font: str
    size: float  # the font size set by Tf
    width: float  # advance in thousandths of the font size (negative: downwards)
    place: tuple[float, ...]  # a, d of the character's text matrix; pdfium's origin (x, y)


def _char(glyph: Glyph, descent: float, height: float) -> Record:
    """pdfminer's LTChar box for an upright horizontal character: (0, descent) to
    (advance, descent + font size) through the character's matrix."""
    a, d, e, f = glyph.place
    adv = glyph.width * 0.001 * glyph.size
    low = descent * 0.001 * glyph.size
    return _record(glyph, adv, (e, d * low + f, a * adv + e, d * (low + glyph.size) + f), height)


def _vertical_char(glyph: Glyph, height: float) -> Record:
    """pdfminer's box for a character of a vertical font: one font size wide, one advance
    high; pdfium's origin of such a character is that box's lower left corner."""
    a, d, x0, y0 = glyph.place
    adv = glyph.width * 0.001 * glyph.size
    return _record(glyph, adv, (x0, y0, x0 + a * glyph.size, y0 - d * adv), height, vertical=True)


def _record(glyph: Glyph, adv: float, box: tuple[float, ...], height: float, vertical: bool = False) -> Record:
    x0, y0, x1, y1 = box
    a, d, e, f = glyph.place
    return {
        "object_type": "char",
        "text": glyph.text,
        "fontname": glyph.font,
        "matrix": (a, 0.0, 0.0, d, e, f),
        "upright": True,
        "adv": adv,
        "size": x1 - x0 if vertical else y1 - y0,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "top": height - y1,
        "bottom": height - y0,
    }


__all__ = ["PdfiumPage", "PdfiumReader", "Refused"]


def inflate_first(plumber_page: Any) -> None:
    """pdfium inflates what a page is drawn with (its content, form XObjects, the fonts'
    programs and CMaps) without pdfminer's bounds (pdfguard.py). Each of those streams goes
    through pdfminer's bounded inflation first: a bomb raises there, and the page is then
    read by pdfplumber, which refuses it in the same words as before."""
    seen: set[int] = set()
    for stream in _list(plumber_page.page_obj.attrs.get("Contents")):
        _inflate(stream, seen)
    _inflate_resources(plumber_page.page_obj.resources, seen)


def _inflate_resources(resources: Any, seen: set[int]) -> None:
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    for font in _values(resources.get("Font")):
        _inflate_font(font, seen)
    for xobject in _values(resources.get("XObject")):
        if _name(xobject.get("Subtype")) == b"Form" and _inflate(xobject, seen):
            _inflate_resources(xobject.get("Resources"), seen)


def _inflate_font(font: dict, seen: set[int]) -> None:
    for key in ("ToUnicode", "Encoding"):
        data = _inflate(font.get(key), seen)
        if data is not None and len(data) > pdfguard.MAX_CMAP:
            raise pdfguard.CMapTooLarge
    descriptor = resolve1(font.get("FontDescriptor"))
    if isinstance(descriptor, dict):
        for key in ("FontFile", "FontFile2", "FontFile3"):
            _inflate(descriptor.get(key), seen)
    for sub in _list(font.get("DescendantFonts")):
        if isinstance(sub, dict):
            _inflate_font(sub, seen)
    for glyph in _values(font.get("CharProcs")):  # a Type3 font's glyphs are content streams
        _inflate(glyph, seen)
    if font.get("Resources") is not None:
        _inflate_resources(font.get("Resources"), seen)


def _inflate(value: Any, seen: set[int]) -> bytes | None:
    """The stream's data, inflated within pdfminer's bounds (None: not a stream, or seen)."""
    stream = resolve1(value)
    if not isinstance(stream, PDFStream) or id(stream) in seen:
        return None
    seen.add(id(stream))
    return stream.get_data()


def _list(value: Any) -> list:
    value = resolve1(value)
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [resolve1(item) for item in items]


def _values(value: Any) -> list[dict]:
    value = resolve1(value)
    items = value.values() if isinstance(value, dict) else []
    return [v for v in (resolve1(item) for item in items) if isinstance(v, dict | PDFStream)]
