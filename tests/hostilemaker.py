"""Small hostile files built in the tests, so that the readers' defences are tested without
../shared/fuzz-cases: PDFs written object by object (a page whose content refers to itself,
a flate bomb, a deep page tree, an unknown filter, a page of 40,000 characters, a page shown
with /Rotate), and DOCX files with hidden text, a numbering bomb and nested tables.

`pdf(objects)` numbers the objects from 1 (object 1 must be the catalogue) and writes a
correct cross-reference table, so that each file is damaged only where it means to be.
"""

from __future__ import annotations

import io
import zlib

from docx import Document as new_docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of these object bodies (object n is objects[n - 1]), catalogue first."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def text_content(
    lines: list[str], size: int = 12, top: int = 800, left: int = 72, leading: int = 16
) -> bytes:
    """A content stream showing `lines` (ASCII) one under the other."""
    ops = [b"BT /F1 %d Tf %d TL %d %d Td" % (size, leading, left, top)]
    for line in lines:
        ops.append(b"(%s) Tj T*" % line.encode("ascii"))
    ops.append(b"ET")
    return b"\n".join(ops)


def page_pdf(content: bytes, page_extra: bytes = b"", content_extra: bytes = b"") -> bytes:
    """One A4 page with Helvetica as /F1 and this content stream."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> %s >>" % page_extra,
            stream(content, content_extra),
            FONT,
        ]
    )


def text_pdf(lines: list[str], rotate: int = 0) -> bytes:
    return page_pdf(text_content(lines), b"/Rotate %d" % rotate if rotate else b"")


def content_cycle_pdf() -> bytes:
    """The page's /Contents is object 4, which is a reference to 5, which refers back to 4."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"5 0 R",
            b"4 0 R",
        ]
    )


def flate_bomb_pdf(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A page whose content stream is a few hundred KB that inflate to `inflated` bytes."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(inflated >> 20)) + packer.flush()
    return page_pdf(packed, content_extra=b"/Filter /FlateDecode")


def cmap_bomb_pdf(mappings: int = 1_500_000) -> bytes:
    """A page whose font's ToUnicode CMap is a small Flate stream of millions of mappings
    (tokens pdfminer would parse one by one, minutes of them)."""
    packer = zlib.compressobj(9)
    body = [packer.compress(b"/CIDInit /ProcSet findresource begin begincmap\n")]
    block = b"100 beginbfchar\n%sendbfchar\n" % (b"<0041> <4E00>\n" * 100)
    body += [packer.compress(block) for _ in range(mappings // 100)]
    body.append(packer.compress(b"endcmap end\n") + packer.flush())
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Bomb /Encoding /Identity-H "
        b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Bomb "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] /ToUnicode 6 0 R >>"
    )
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(b"BT /F1 12 Tf 72 800 Td <0041> Tj ET"),
            font,
            stream(b"".join(body), b"/Filter /FlateDecode"),
        ]
    )


def deep_tree_pdf(depth: int = 5000) -> bytes:
    """Pages nodes nested `depth` deep, one page at the bottom."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = level + 2
        parent = b"/Parent %d 0 R " % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, number + 1))
    page = len(objects) + 1
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % (page - 1, page + 1)
    )
    objects.append(stream(b"BT ET"))
    return pdf(objects)


def bad_filter_pdf() -> bytes:
    return page_pdf(text_content(["hello"]), content_extra=b"/Filter /NoSuchDecode")


def many_chars_pdf(chars: int) -> bytes:
    """One page holding `chars` characters in lines of 200 (a 2 pt font, lines 3 pt apart)."""
    lines = ["abcdefghij" * 20] * (chars // 200)
    return page_pdf(text_content(lines, size=2, top=830, left=5, leading=3))


# ---------------------------------------------------------------- DOCX


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _hidden(run) -> None:
    run._r.get_or_add_rPr().append(parse_xml(f"<w:vanish {nsdecls('w')}/>"))


def hidden_text_docx() -> bytes:
    """A table whose cell shows 0 with a hidden 9 before it; a paragraph with a hidden phrase;
    a run hidden by its character style; a run whose direct w:vanish w:val="0" shows it."""
    document = new_docx()
    styles = document.styles.element
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="character" w:styleId="Secret"><w:name w:val="Secret"/>'
            "<w:rPr><w:vanish/></w:rPr></w:style>"
        )
    )
    paragraph = document.add_paragraph("可见的文字")
    _hidden(paragraph.add_run("隐藏的文字"))
    styled = document.add_paragraph("样式")
    styled.add_run("藏起来").style = "Secret"
    shown = styled.add_run("显示")
    shown._r.get_or_add_rPr().append(parse_xml(f'<w:vanish {nsdecls("w")} w:val="0"/>'))
    cell = document.add_table(rows=1, cols=2).rows[0].cells[1]
    cell_paragraph = cell.paragraphs[0]
    _hidden(cell_paragraph.add_run("9"))
    cell_paragraph.add_run("0")
    return _save(document)


def numbering_bomb_docx(start: str = "999999999999", fmt: str = "upperRoman") -> bytes:
    """A numbered paragraph whose list level starts at `start` in format `fmt`."""
    document = new_docx()
    paragraph = document.add_paragraph("标题", style="List Number")
    numbering = document.part.numbering_part.element
    for lvl in numbering.iter(qn("w:lvl")):
        for tag, value in (("w:start", start), ("w:numFmt", fmt)):
            node = lvl.find(qn(tag))
            if node is not None:
                node.set(qn("w:val"), value)
    assert paragraph.text == "标题"
    return _save(document)


def nested_tables_docx(depth: int) -> bytes:
    """Tables nested `depth` deep, each in the only cell of the one around it."""
    document = new_docx()
    cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
    for _ in range(depth - 1):
        cell = cell.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.paragraphs[0].add_run("最里层")
    return _save(document)
