"""PDF reader: real PDFs (DOCX of the official tables -> LibreOffice) read back exactly,
with page/bbox provenance; borderless and distributed-alignment variants; damaged input."""

from __future__ import annotations

import pytest

import pdfmaker
from layouts import value_mismatches
from xxgk.check import check_report
from xxgk.errors import InputError
from xxgk.extract import parse_document
from xxgk.read import layout
from xxgk.read.document import Paragraph, TableBlock
from xxgk.read.layout import Word, clean_text, make_lines
from xxgk.read.pdf import MSG_CORRUPT, MSG_EMPTY, MSG_ENCRYPTED, read_pdf_bytes

needs_soffice = pytest.mark.skipif(pdfmaker.SOFFICE is None, reason="LibreOffice (soffice) not installed")
IDENTITY_CODES = {"XG101", "XG102", "XG103", "XG104"}


def report_values(seed: int = 11):
    return pdfmaker.report_values(seed)


def docx_bytes(variant: str, seed: int = 11) -> bytes:
    return pdfmaker.docx_bytes(variant, seed)


def pdf_bytes(variant: str, seed: int = 11) -> bytes:
    return pdfmaker.pdf_bytes(variant, seed)


def _cells(doc):
    return [
        cell for block in doc.blocks if isinstance(block, TableBlock) for row in block.rows for cell in row
    ]


def _read_exactly(variant: str, seed: int = 11):
    values, _ = report_values(seed)
    doc = read_pdf_bytes(pdf_bytes(variant, seed), f"{variant}.pdf")
    report = parse_document(doc)
    assert value_mismatches(report, values) == []
    findings = check_report(report)
    assert not [f for f in findings if f.code in IDENTITY_CODES]
    return doc, report


# ---------------------------------------------------------------- real PDFs


@needs_soffice
@pytest.mark.parametrize("seed", [11, 12])
def test_ruled_pdf_reads_every_value_with_provenance(seed):
    doc, report = _read_exactly("ruled", seed)
    assert doc.media_type == "application/pdf" and len(doc.sha256) == 64
    for ref, cell in report.cells.items():
        where = cell.where
        assert set(where) == {"page", "bbox", "table"}, ref
        x0, top, x1, bottom = where["bbox"]
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842
    # the cell's box holds the value: crop the page there and read it back
    import io

    import pdfplumber

    cell = report.cells["applications/received/commercial"]
    with pdfplumber.open(io.BytesIO(pdf_bytes("ruled", seed))) as pdf:
        page = pdf.pages[cell.where["page"] - 1]
        assert page.crop(cell.where["bbox"]).extract_text().strip() == cell.raw


@needs_soffice
def test_ruled_pdf_merged_cells_appear_once_with_spans():
    doc = read_pdf_bytes(pdf_bytes("ruled"))
    by_text = {}
    for cell in _cells(doc):
        by_text.setdefault(cell.text, cell)
    assert by_text["申请人情况"].colspan == 7
    assert by_text["法人或其他组织"].colspan == 5
    assert by_text["自然人"].rowspan == 2
    assert by_text["行政复议"].colspan == 5 and by_text["行政诉讼"].colspan == 10
    assert by_text["未经复议直接起诉"].colspan == 5
    assert by_text["结果维持"].rowspan == 2
    assert by_text["三、本年度办理结果"].rowspan > 10
    assert by_text["（三）不予公开"].rowspan == 8
    # wrapped labels come back in one piece
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in by_text
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            assert set(block.where) == {"page", "bbox"}


@needs_soffice
def test_borderless_pdf_is_rebuilt_into_tables_and_reads_exactly():
    doc, report = _read_exactly("borderless")
    tables = [b for b in doc.blocks if isinstance(b, TableBlock)]
    assert tables, "a borderless table must come back as TableBlocks"
    cell = report.cells["applications/total/total"]
    assert set(cell.where) == {"page", "bbox"}  # no ruled table: page and box only
    assert all("table" not in c.where for c in _cells(doc))


@needs_soffice
def test_distributed_alignment_headers_read_as_words():
    doc, _ = _read_exactly("distributed")
    texts = {c.text for c in _cells(doc)}
    assert {"结果维持", "信息内容", "本年制发件数", "申请人情况", "行政复议"} <= texts
    assert not [t for t in texts if "结 果" in t]


@needs_soffice
def test_renderer_docx_round_trips_through_pdf():
    render = pytest.importorskip("xxgk.render.docx")
    import io

    values, _ = report_values(13)
    seed_doc = read_pdf_bytes(pdf_bytes("ruled", 13))
    report = parse_document(seed_doc)
    out = io.BytesIO()
    render.render_docx(report, out)
    doc = read_pdf_bytes(pdfmaker.docx_to_pdf(out.getvalue()))
    assert value_mismatches(parse_document(doc), values) == []


# ---------------------------------------------------------------- damaged and hostile input


def test_empty_pdf_is_refused():
    with pytest.raises(InputError, match=MSG_EMPTY):
        read_pdf_bytes(b"", "a.pdf")


def test_junk_is_not_a_pdf():
    with pytest.raises(InputError, match="不是 PDF 文件"):
        read_pdf_bytes(b"hello world", "a.pdf")


@needs_soffice
@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_truncated_pdf_is_corrupt(keep):
    data = pdf_bytes("ruled")
    with pytest.raises(InputError, match=MSG_CORRUPT):
        read_pdf_bytes(data[: int(len(data) * keep)], "cut.pdf")


def test_garbage_with_pdf_markers_is_corrupt():
    with pytest.raises(InputError, match=MSG_CORRUPT) as err:
        read_pdf_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n", "x.pdf")
    assert str(err.value).startswith("x.pdf：")


@needs_soffice
def test_password_protected_pdf_is_refused():
    data = pdfmaker.encrypted_pdf(docx_bytes("ruled"), "x")
    with pytest.raises(InputError, match=MSG_ENCRYPTED):
        read_pdf_bytes(data, "secret.pdf")


def test_too_many_pages_are_refused_before_reading():
    data = pdfmaker.blank_pages_pdf(500)
    with pytest.raises(InputError, match=r"PDF 页数过多（500 页，上限 200 页）"):
        read_pdf_bytes(data, "long.pdf")
    doc = read_pdf_bytes(data, "long.pdf", max_pages=500)
    assert doc.blocks == []  # blank pages: no text, no images, nothing to OCR


@needs_soffice
def test_time_limit_is_checked_between_pages():
    with pytest.raises(InputError, match="PDF 处理超时"):
        read_pdf_bytes(pdf_bytes("ruled"), "slow.pdf", timeout=0)


def test_scan_without_tesseract_asks_to_install_it(monkeypatch):
    from PIL import Image

    from xxgk.read import tesseract

    monkeypatch.setattr(tesseract, "tesseract_available", lambda: False)
    image = Image.new("L", (600, 800), 255)
    image.paste(0, (100, 100, 300, 120))
    png = _png(image)
    with pytest.raises(
        InputError, match=r"PDF 为扫描件（无文字层），需要安装 Tesseract.*scripts/setup-system.sh"
    ):
        read_pdf_bytes(pdfmaker.images_pdf([png]), "scan.pdf")


def _png(image) -> bytes:
    import io

    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# ---------------------------------------------------------------- geometry helpers


def test_clean_text_joins_wrapped_lines_and_removes_distribution_spaces():
    assert clean_text("结 果\n维 持") == "结果维持"
    assert clean_text("（二）部分公开（区分处理的，只计这一\n情形，不计其他情形）") == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert clean_text("4429\n1") == "44291"  # a number wrapped in a narrow cell
    assert clean_text("12 34") == "12 34"
    assert clean_text("Page\nTwo") == "Page Two"


def _row(y: float, *cells: tuple[str, float]) -> list[Word]:
    return [Word(text, x, y, x + 9 * len(text), y + 9) for text, x in cells]


def test_borderless_rows_take_wrapped_labels_and_leave_headers_alone():
    words = (
        _row(100, ("信息内容", 60), ("本年制发件数", 200), ("本年废止件数", 300))
        + _row(114, ("（二）部分公开（区分处理", 60), ("59", 210), ("50", 310))
        + _row(126, ("的，只计这一情形）", 60))
        + _row(140, ("（三）其他", 60), ("7", 210), ("8", 310))
        + _row(170, ("四、下一节标题", 40))
    )
    lines = make_lines(words)
    blocks = [b for _, b in layout.page_blocks(lines, lambda ws: {"bbox": layout.bbox_of(ws)})]
    table, heading = blocks
    assert [[c.text for c in row] for row in table.rows] == [
        ["信息内容", "本年制发件数", "本年废止件数"],
        ["（二）部分公开（区分处理的，只计这一情形）", "59", "50"],
        ["（三）其他", "7", "8"],
    ]
    assert isinstance(heading, Paragraph) and heading.text == "四、下一节标题"


def test_prose_lines_stay_paragraphs_with_cells_two_spaces_apart():
    words = _row(100, ("本年共收到申请12件。", 60)) + _row(114, ("行政许可", 60), ("548", 300))
    blocks = [b for _, b in layout.page_blocks(make_lines(words), lambda ws: {})]
    assert [b.text for b in blocks] == ["本年共收到申请12件。", "行政许可  548"]
