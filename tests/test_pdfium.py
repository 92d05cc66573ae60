"""pdfium's reading of a PDF page (read/pdfium.py) against pdfplumber's: the same records, the
same Document, and pdfplumber where pdfium refuses a page."""

from __future__ import annotations

import ctypes
import dataclasses
import io

import pdfplumber
import pypdfium2 as pdfium_lib
import pytest

import pdfmaker
import realcorpus
from pdfiumcount import counting_pages
from xxgk.read import pdf, pdfium
from xxgk.read.pdfiumpaths import _sum, exact, shape_records

needs_soffice = pytest.mark.skipif(pdfmaker.SOFFICE is None, reason="LibreOffice (soffice) not installed")

KEYS = ("x0", "x1", "top", "bottom", "doctop")


def _read(data: bytes, use_pdfium: bool, monkeypatch) -> str:
    monkeypatch.setattr(pdf, "USE_PDFIUM", use_pdfium)
    return repr(pdf._read_pdf(data, "报告.pdf", 200, 120))


def _box_differences(data: bytes, monkeypatch) -> list[float]:
    """How far apart the numbers of the two Documents are, where they differ; anything else
    (texts, spans, pages, block kinds and order) must be equal."""
    monkeypatch.setattr(pdf, "USE_PDFIUM", True)
    fast = dataclasses.asdict(pdf._read_pdf(data, "报告.pdf", 200, 120))
    monkeypatch.setattr(pdf, "USE_PDFIUM", False)
    slow = dataclasses.asdict(pdf._read_pdf(data, "报告.pdf", 200, 120))
    out: list[float] = []

    def walk(a, b):
        if isinstance(a, float) and isinstance(b, float) and a != b:
            out.append(round(abs(a - b), 6))
        elif isinstance(a, dict):
            assert a.keys() == b.keys()
            for key in a:
                walk(a[key], b[key])
        elif isinstance(a, list | tuple):
            assert len(a) == len(b)
            for x, y in zip(a, b, strict=True):
                walk(x, y)
        else:
            assert a == b

    walk(fast, slow)
    return out


def _same_records(data: bytes) -> None:
    """Every page's characters, lines and rects as pdfplumber reports them (to 0.001 pt)."""
    reader = pdfium.PdfiumReader(data)
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for page in plumber.pages:
            fast = reader.page(page)
            for kind in ("char", "line", "rect", "curve"):
                mine, theirs = fast.objects.get(kind, []), page.objects.get(kind, [])
                assert len(mine) == len(theirs), (page.page_number, kind)
                for a, b in zip(mine, theirs, strict=True):
                    assert all(abs(a[k] - b[k]) < 1e-3 for k in KEYS), (page.page_number, kind, a, b)
                    assert (a.get("text"), a.get("upright")) == (b.get("text"), b.get("upright"))
    reader.close()


@needs_soffice
@pytest.mark.parametrize("variant", ["ruled", "distributed"])
def test_libreoffice_pdf_reads_the_same_with_pdfium(variant, monkeypatch):
    data = pdfmaker.pdf_bytes(variant, 0)
    _same_records(data)
    with counting_pages() as counts:
        assert _read(data, True, monkeypatch) == _read(data, False, monkeypatch)
    assert counts == {"read": 3, "refused": 0}


@needs_soffice
def test_borderless_pdf_differs_only_where_a_box_edge_rounds_the_other_way(monkeypatch):
    """Character positions are sums pdfminer makes in double precision and pdfium in single:
    an edge on a half hundredth (253.045) may round up in one and down in the other."""
    data = pdfmaker.pdf_bytes("borderless", 0)
    _same_records(data)
    assert _box_differences(data, monkeypatch) == [0.01]


def test_real_pdfs_read_the_same_with_pdfium_vertical_text_included(monkeypatch):
    realcorpus.require()
    with counting_pages() as counts:
        for name in ("r001.pdf", "r002.pdf", "r003.pdf"):
            data = (realcorpus.REAL / name).read_bytes()
            _same_records(data)
            assert _read(data, True, monkeypatch) == _read(data, False, monkeypatch), name
    assert counts == {"read": 32, "refused": 0}  # 16 pages by _same_records, 16 by the reader


def _rotated(data: bytes) -> bytes:
    doc = pdfium_lib.PdfDocument(data)
    doc[0].set_rotation(90)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@needs_soffice
def test_a_page_pdfium_refuses_is_read_by_pdfplumber(monkeypatch):
    data = _rotated(pdfmaker.pdf_bytes("ruled", 0))
    with pdfplumber.open(io.BytesIO(data)) as plumber, pytest.raises(pdfium.Refused, match="rotated or offset"):
        pdfium.PdfiumReader(data).page(plumber.pages[0])
    with counting_pages() as counts:
        assert _read(data, True, monkeypatch) == _read(data, False, monkeypatch)
    assert counts == {"read": 2, "refused": 1}


@needs_soffice
def test_a_document_pdfium_cannot_open_is_read_by_pdfplumber(monkeypatch):
    data = pdfmaker.pdf_bytes("ruled", 0)
    expected = _read(data, False, monkeypatch)

    def broken(self, data):
        raise pdfium_lib.PdfiumError("cannot open")

    monkeypatch.setattr(pdfium.PdfiumReader, "__init__", broken)
    assert _read(data, True, monkeypatch) == expected
    assert pdf._pdfium_reader(data, 5) is None


def test_single_precision_numbers_read_back_to_what_the_pdf_wrote():
    def single(value: float) -> float:
        return ctypes.c_float(value).value

    assert single(449.325) == 449.32501220703125
    assert [exact(single(v)) for v in (449.325, 0.05, 79.89, 1486.125, 12345.678, -3.75)] == [
        449.325, 0.05, 79.89, 1486.125, 12345.678, -3.75,
    ]  # fmt: skip
    # "459.55 35.15 re": pdfium's single-precision top is 494.69998; pdfminer's is the sum
    assert single(single(459.55) + single(35.15)) == 494.6999816894531
    assert _sum(459.55, 494.6999816894531) == 459.55 + 35.15


def test_paths_are_classified_as_pdfminer_does():
    def shape(ops):
        record = shape_records(ops, 100.0, 1000.0)
        return record["object_type"], [round(record[k], 2) for k in ("x0", "top", "x1", "bottom", "doctop")]

    line = [("m", (10.0, 90.0)), ("l", (50.0, 90.0))]
    box = [("m", (10.0, 90.0)), ("l", (50.0, 90.0)), ("l", (50.0, 80.0)), ("l", (10.0, 80.0))]
    assert shape(line) == ("line", [10.0, 10.0, 50.0, 10.0, 1010.0])
    # pdfium closes a rectangle with a line back to its start and a close flag
    assert shape([*box, ("l", (10.0, 90.0)), ("h", (10.0, 90.0))]) == ("rect", [10.0, 10.0, 50.0, 20.0, 1010.0])
    assert shape([*box[:3], ("l", (10.0, 90.0)), ("h", (10.0, 90.0))]) == ("curve", [10.0, 10.0, 50.0, 20.0, 1010.0])
    curve = shape_records([*box[:3], ("c", (30.0, 70.0))], 100.0, 0.0)
    assert curve["pts"] == [(10.0, 10.0), (50.0, 10.0), (50.0, 20.0), (30.0, 30.0)]
