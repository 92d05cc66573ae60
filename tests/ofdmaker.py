"""OFD packages (GB/T 33190-2016) for reader tests, written from PDFs or by hand.

`pdf_to_ofd(pdf)` lays every page of a PDF out again as an OFD page, from what pdfplumber
finds on it: one TextObject per word, spaces kept (Boundary = the word's box, TextCode X/Y = the first
glyph's baseline origin, DeltaX = the glyph steps, runs of equal steps in the "g N v" form),
one PathObject per ruling line ("M x y L x y"), per rectangle ("M … L … L … L … C", with
the PDF's fill and stroke) and per polyline. Units are millimetres. Options, for the shapes
real producers write:
- `ctm=True`: object space in points (Size, X, Y, DeltaX, path data), scaled into
  millimetres by the object's CTM "k 0 0 k 0 0";
- `per_char=True`: one TextObject per glyph, without DeltaX.

`seed_pdf(name)` renders one of the five seeds (tests/fixtures/seeds/NNN.json) to PDF with
xxgk's own renderer, as tests/test_media_roundtrip.py does; `seed_values(name)` gives its
200 cells.

The pieces build small packages by hand too: `package(parts)` zips {name: bytes};
`ofd_xml()`, `document_xml(pages)`, `page_xml(objects)`, `text_object(...)`,
`path_object(...)` write the parts.
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

import pdfplumber

from layouts import REFS

MM = 25.4 / 72  # millimetres per point
NS = "http://www.ofdspec.org/2016"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "seeds"


# ---------------------------------------------------------------- parts


def ofd_xml(doc_root: str = "Doc_0/Document.xml") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0f0e0d0c</ofd:DocID><ofd:Creator>xxgk tests</ofd:Creator>"
        f"</ofd:DocInfo><ofd:DocRoot>{escape(doc_root)}</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    ).encode()


def document_xml(
    pages: list[str], box: str = "0 0 210 297", templates: dict[str, str] | None = None
) -> bytes:
    """Document.xml listing `pages` (BaseLoc of each, relative to the document's folder)."""
    tpls = "".join(f'<ofd:TemplatePage ID="{i}" BaseLoc="{loc}"/>' for i, loc in (templates or {}).items())
    entries = "".join(f'<ofd:Page ID="{100 + i}" BaseLoc="{loc}"/>' for i, loc in enumerate(pages))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>99999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>{box}</ofd:PhysicalBox>"
        f"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{tpls}</ofd:CommonData>"
        f"<ofd:Pages>{entries}</ofd:Pages></ofd:Document>"
    ).encode()


PUBLIC_RES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
    '<ofd:Fonts><ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
).encode()


def page_xml(objects: list[str], box: str | None = None, templates: tuple[str, ...] = ()) -> bytes:
    area = f"<ofd:Area><ofd:PhysicalBox>{box}</ofd:PhysicalBox></ofd:Area>" if box else ""
    uses = "".join(f'<ofd:Template TemplateID="{t}" ZOrder="Background"/>' for t in templates)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}">{uses}{area}<ofd:Content>'
        f'<ofd:Layer ID="2" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    ).encode()


def text_object(
    text: str,
    boundary: tuple[float, ...],
    size: float,
    x: float,
    y: float,
    delta_x: str | None = None,
    ctm: str | None = None,
    extra: str = "",
) -> str:
    attrs = f' CTM="{ctm}"' if ctm else ""
    delta = f' DeltaX="{delta_x}"' if delta_x else ""
    return (
        f'<ofd:TextObject ID="1" Boundary="{_nums(boundary)}" Font="1" Size="{_num(size)}"{attrs}{extra}>'
        '<ofd:FillColor Value="0 0 0"/>'
        f'<ofd:TextCode X="{_num(x)}" Y="{_num(y)}"{delta}>{escape(text)}</ofd:TextCode></ofd:TextObject>'
    )


def path_object(data: str, boundary: tuple[float, ...], ctm: str | None = None, extra: str = "") -> str:
    attrs = f' CTM="{ctm}"' if ctm else ""
    return (
        f'<ofd:PathObject ID="1" Boundary="{_nums(boundary)}" LineWidth="0.26"{attrs}{extra}>'
        f'<ofd:StrokeColor Value="0 0 0"/><ofd:AbbreviatedData>{escape(data)}</ofd:AbbreviatedData>'
        "</ofd:PathObject>"
    )


def package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def simple_ofd(pages: list[bytes], **document) -> bytes:
    """A package of `pages` (Content.xml bytes) at Doc_0/Pages/Page_N/Content.xml."""
    locations = [f"Pages/Page_{i}/Content.xml" for i in range(len(pages))]
    parts = {"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml(locations, **document)}
    parts["Doc_0/PublicRes.xml"] = PUBLIC_RES
    parts.update({f"Doc_0/{loc}": page for loc, page in zip(locations, pages, strict=True)})
    return package(parts)


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _nums(values) -> str:
    return " ".join(_num(v) for v in values)


def deltas(steps: list[float]) -> str:
    """DeltaX text, runs of three or more equal steps written "g N v"."""
    out = []
    for value, run in groupby(_num(s) for s in steps):
        count = len(list(run))
        out.append(f"g {count} {value}" if count >= 3 else " ".join([value] * count))
    return " ".join(out)


# ---------------------------------------------------------------- from a PDF


def pdf_to_ofd(pdf: bytes, *, ctm: bool = False, per_char: bool = False) -> bytes:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            objects = [_word(page, run, ctm) for run in _runs(page, per_char)]
            objects += [_path(page, obj, ctm) for obj in page.lines + page.rects + page.curves]
            pages.append(page_xml(objects, box=_nums((0, 0, page.width * MM, page.height * MM))))
    return simple_ofd(pages)


def _runs(page, per_char: bool):
    """Runs of glyphs one TextObject each: the PDF's words with their spaces (a producer
    writes the space characters it has), split where the size changes."""
    words = page.extract_words(x_tolerance=3, y_tolerance=3, keep_blank_chars=True, return_chars=True)
    for word in words:
        for _, run in groupby(word["chars"], key=lambda c: round(c["size"], 2)):
            run = list(run)
            yield from ([c] for c in run) if per_char else [run]


def _word(page, chars: list[dict], ctm: bool) -> str:
    x0, top = min(c["x0"] for c in chars), min(c["top"] for c in chars)
    x1, bottom = max(c["x1"] for c in chars), max(c["bottom"] for c in chars)
    boundary = (x0 * MM, top * MM, (x1 - x0) * MM, (bottom - top) * MM)
    baseline = page.height - chars[0]["matrix"][5]
    steps = [b["x0"] - a["x0"] for a, b in zip(chars, chars[1:], strict=False)]
    unit = 1.0 if ctm else MM  # object space in points under a scaling CTM, else millimetres
    text = "".join(c["text"] for c in chars)
    return text_object(
        text,
        boundary,
        chars[0]["size"] * unit,
        (chars[0]["x0"] - x0) * unit,
        (baseline - top) * unit,
        delta_x=deltas([s * unit for s in steps]) if steps else None,
        ctm=f"{_num(MM)} 0 0 {_num(MM)} 0 0" if ctm else None,
    )


def _path(page, obj: dict, ctm: bool) -> str:
    pad = obj.get("linewidth", 0.5) / 2
    left, top = obj["x0"] - pad, obj["top"] - pad
    boundary = (left * MM, top * MM, (obj["width"] + 2 * pad) * MM, (obj["height"] + 2 * pad) * MM)
    unit = 1.0 if ctm else MM

    def at(x: float, y: float) -> str:
        return f"{_num((x - left) * unit)} {_num((y - top) * unit)}"

    if obj["object_type"] == "rect":
        x0, y0, x1, y1 = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        data = f"M {at(x0, y0)} L {at(x1, y0)} L {at(x1, y1)} L {at(x0, y1)} C"
    else:  # a line or polyline: pdfplumber's points have the page's top-left origin
        points = [at(x, y) for x, y in obj["pts"]]
        data = "M " + " L ".join(points)
    style = ""
    if obj["object_type"] == "rect":
        style = (
            f' Fill="{str(bool(obj.get("fill"))).lower()}" Stroke="{str(bool(obj.get("stroke"))).lower()}"'
        )
    return path_object(data, boundary, ctm=f"{_num(MM)} 0 0 {_num(MM)} 0 0" if ctm else None, extra=style)


# ---------------------------------------------------------------- the seeds


def seed_fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def seed_values(name: str) -> dict:
    values = seed_fixture(name)["values"]
    return {ref: values[ref] for ref in REFS}


@cache
def seed_pdf(name: str) -> bytes:
    """Seed `name` as xxgk renders it to PDF (WeasyPrint): its values, agency and year."""
    from xxgk.model import Report
    from xxgk.render.pdf import render_pdf

    fixture = seed_fixture(name)
    agency, year = fixture["agency"] or "某镇人民政府", fixture["year"]
    report = Report(format="2021")
    report.meta.agency, report.meta.year = agency, year
    for ref, value in seed_values(name).items():
        report.set(ref, value)
    report.sections = {
        "1": f"{year}年，{agency}认真贯彻《条例》，主动公开政府信息。",
        "2": "",
        "3": "",
        "4": "",
        "5": "一是公开深度有待加强。",
        "6": "本年度未收取信息处理费。",
    }
    out = io.BytesIO()
    render_pdf(report, out)
    return out.getvalue()


__all__ = [
    "deltas",
    "document_xml",
    "ofd_xml",
    "package",
    "page_xml",
    "path_object",
    "pdf_to_ofd",
    "seed_pdf",
    "seed_values",
    "simple_ofd",
    "text_object",
]
