"""Prose on boxes (issue 10, point 1): WPS exports draw a filled, borderless rectangle behind
every line of prose, so pdfplumber sees one-column "tables" of paragraph lines, often glued to
the real tables above and below them. Those rows are text; real tables are never demoted.

The PDFs here are real: a report rendered by xxgk (WeasyPrint) or by LibreOffice, with a
white box drawn under each prose line as WPS does (`boxed_pdf`; the boxes of adjacent lines
touch, a box next to a table touches the table). The original page stays untouched inside
(a form XObject), so the boxed file differs from the plain one by the boxes alone.
"""

from __future__ import annotations

import io
import random
import re
import tempfile
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

import pdfmaker
import realcorpus
from layouts import value_mismatches
from test_render_pdf import AGENCIES, pdf_bytes, random_report
from xxgk.check import check_report
from xxgk.extract import parse_document
from xxgk.read import read_bytes
from xxgk.read.document import Paragraph, TableBlock, TableCell, is_page_number
from xxgk.read.prosegrid import demote_prose_grids, is_heading, is_prose, split_grid
from xxgk.render import render_docx, render_html

FRONT_CODES = {"XG201", "XG207"}  # section not found, statistics period not stated


# ---------------------------------------------------------------- the construction

PAD = 0.4  # line heights a box reaches above and below its line


def boxed_pdf(data: bytes, keep=lambda n, text: True) -> bytes:
    """`data` with a filled, borderless white box under every line outside the ruled tables
    (the n-th such line when `keep(n, text)`; page numbers never)."""
    counter = iter(range(10**6))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        plans = [(p.width, p.height, _page_boxes(p, counter, keep)) for p in pdf.pages]
    source, out = pdfium.PdfDocument(data), pdfium.PdfDocument.new()
    for index, (width, height, boxes) in enumerate(plans):
        page = out.new_page(width, height)
        for x0, top, x1, bottom in boxes:
            rect = pdfium_raw.FPDFPageObj_CreateNewRect(x0, height - bottom, x1 - x0, bottom - top)
            pdfium_raw.FPDFPageObj_SetFillColor(rect, 255, 255, 255, 255)
            pdfium_raw.FPDFPath_SetDrawMode(rect, pdfium_raw.FPDF_FILLMODE_ALTERNATE, 0)
            pdfium_raw.FPDFPage_InsertObject(page.raw, rect)
        page.insert_obj(source.page_as_xobject(index, out).as_pageobject())  # drawn over the boxes
        page.gen_content()
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def _page_boxes(page, counter, keep) -> list[tuple[float, float, float, float]]:
    tables = [t.bbox for t in page.find_tables()]
    lines = [
        line
        for line in page.extract_text_lines()
        if not any(t[1] <= (line["top"] + line["bottom"]) / 2 <= t[3] for t in tables)
        and not is_page_number(line["text"])
        and keep(next(counter), line["text"])
    ]
    if not lines:
        return []
    left = min([line["x0"] for line in lines] + [t[0] for t in tables])
    right = max([line["x1"] for line in lines] + [t[2] for t in tables])
    spans: list[list[float]] = []
    for line in lines:
        h = line["bottom"] - line["top"]
        top, bottom = line["top"] - PAD * h, line["bottom"] + PAD * h
        top = max([t[3] for t in tables if -PAD * h <= line["top"] - t[3] < 1.5 * h], default=top)
        bottom = min([t[1] for t in tables if -PAD * h <= t[1] - line["bottom"] < 1.5 * h], default=bottom)
        if spans and top - spans[-1][1] < h:  # the line above: the boxes touch
            spans[-1][1] = top
        spans.append([top, bottom])
    return [(left, top, right, bottom) for top, bottom in spans]


def _grids(data: bytes) -> list[list[list[str]]]:
    """The rows of every table pdfplumber finds, as texts."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [[[c or "" for c in row] for row in t.extract()] for p in pdf.pages for t in p.find_tables()]


def _not_title(title: str):
    compact = re.sub(r"\s+", "", title)
    return lambda n, text: re.sub(r"\s+", "", text) not in compact


def _title(report) -> str:
    return f"{report.meta.agency}{report.meta.year}年政府信息公开工作年度报告"


# ---------------------------------------------------------------- the classifier


def _cell(text: str, colspan: int = 1, row: int = 1) -> TableCell:
    return TableCell(text, {"table": 1, "row": row, "col": 1}, 1, colspan)


def _grid(*rows: list[TableCell]) -> TableBlock:
    return TableBlock([list(r) for r in rows], {"table": 1})


def _shape(blocks) -> list:
    """Paragraph texts, and tables as lists of row texts."""
    return [b.text if isinstance(b, Paragraph) else [[c.text for c in row] for row in b.rows] for b in blocks]


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("本报告由淮安市洪泽区人民政府办公室根据《中华人民共和", True),  # long: 20+ Chinese
        ("健康发展。", True),
        ("号，邮编： 223100 ，电话： 0517-87222589 ，电子邮箱：", True),
        ("hzzwgk@126.com）。", True),
        ("起至 2023 年 12 月 31 日止。如对本报告有疑问，请与淮安市洪", True),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形） 4 0 0 0 0 0 4", False),
        ("第二十条第（一）项", False),
        ("本年处理决定数量", False),
        ("行政事业性收费", False),
        ("7730.28", False),
        ("—", False),
        ("", False),
    ],
)
def test_is_prose(text, prose):
    assert is_prose(text) is prose


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("一、总体情况", True),
        ("四、政府信息公开行政复议、行政诉讼情况", True),
        ("（三）政府信息管理情况", True),
        ("第二部分 主动公开政府信息情况", True),
        ("第二十条第（一）项", False),
        ("1.属于国家秘密", False),
        ("三、", False),
        ("一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21", False),
        ("一、" + "政府信息公开" * 7, False),  # too long for a heading (and prose anyway)
    ],
)
def test_is_heading(text, heading):
    assert is_heading(text) is heading


def test_one_column_of_prose_lines_becomes_paragraphs_with_the_cells_provenance():
    grid = _grid(
        [_cell("", row=1)],
        [_cell("本报告由某区人民政府办公室根据《条例》要求编制此报告。", row=2)],
        [_cell("一、总体情况", row=3)],
        [_cell("2024 年，本区主动公开政府信息 1136 条。\n第二段。", row=4)],
    )
    out = demote_prose_grids([grid])
    assert _shape(out) == [
        "本报告由某区人民政府办公室根据《条例》要求编制此报告。",
        "一、总体情况",
        "2024 年，本区主动公开政府信息 1136 条。",
        "第二段。",
    ]
    assert [p.where for p in out] == [
        {"table": 1, "row": 2, "col": 1},
        {"table": 1, "row": 3, "col": 1},
        {"table": 1, "row": 4, "col": 1},
        {"table": 1, "row": 4, "col": 1},
    ]


def test_prose_glued_above_table_two_leaves_the_table_from_its_first_label():
    """r001 page 2: the end of section 一, heading 二, then 表二 in one grid."""
    grid = _grid(
        [_cell("等问题进行严格督查，确保公开信息及时准确规范。", 4)],
        [_cell("二、主动公开政府信息情况", 4)],
        [_cell("第二十条第（一）项", 4)],
        [_cell("信息内容"), _cell("本年制发件数"), _cell("本年废止件数"), _cell("现行有效件数")],
        [_cell("规章"), _cell("0"), _cell("0"), _cell("0")],
        [_cell("第二十条第（五）项", 4)],
    )
    assert _shape(demote_prose_grids([grid])) == [
        "等问题进行严格督查，确保公开信息及时准确规范。",
        "二、主动公开政府信息情况",
        [
            ["第二十条第（一）项"],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "0"],
            ["第二十条第（五）项"],
        ],
    ]


def test_a_heading_and_prose_between_two_glued_tables_split_them():
    grid = _grid(
        [_cell("行政事业性收费"), _cell("372.24", 3)],
        [_cell("三、收到和处理政府信息公开申请情况", 4)],
        [_cell("2024年共收到申请308件。", 4)],
        [
            _cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 2),
            _cell("申请人情况", 2),
        ],
    )
    assert split_grid(grid.rows) == [
        (False, grid.rows[:1]),
        (True, grid.rows[1:3]),
        (False, grid.rows[3:]),
    ]


def test_a_heading_alone_between_two_glued_tables_splits_them():
    grid = _grid(
        [_cell("行政事业性收费"), _cell("372.24", 4)],
        [_cell("三、收到和处理政府信息公开申请情况", 5)],
        [_cell("申请人情况", 3), _cell("自然人"), _cell("总计")],
        [_cell("一、本年新收政府信息公开申请数量"), _cell("1"), _cell("2"), _cell("3"), _cell("6")],
    )
    assert split_grid(grid.rows) == [(False, grid.rows[:1]), (True, grid.rows[1:2]), (False, grid.rows[2:])]


def test_a_group_label_set_as_a_full_width_row_inside_one_table_stays():
    grid = _grid(
        [_cell("（二）部分公开"), _cell("1"), _cell("2"), _cell("3")],
        [_cell("（三）不予公开", 4)],
        [_cell("1.属于国家秘密"), _cell("4"), _cell("5"), _cell("9")],
    )
    assert split_grid(grid.rows) == [(False, grid.rows)]


def test_short_rows_beyond_the_prose_go_with_the_text_at_the_grid_edge_and_stay_next_to_a_table():
    tail = _grid(
        [_cell("行政许可"), _cell("550")],
        [_cell("", 2)],
        [_cell("第二十条第（八）项", 2)],
        [_cell("本年度未收取信息处理费。", 2)],
        [_cell("示例区人民政府", 2)],
        [_cell("2025年1月20日", 2)],
    )
    assert split_grid(tail.rows) == [(False, tail.rows[:3]), (True, tail.rows[3:])]


@pytest.mark.parametrize(
    "rows",
    [
        [["第二十条第（六）项"], ["信息内容"]],  # one column of short labels
        [["21"], ["0"], ["21"]],  # one column of numbers
        # a table ruled only across, each row one cell (a 表三 without inner verticals)
        [
            ["一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21"],
            ["（二）部分公开（区分处理的，只计这一情形） 4 0 0 0 0 0 4"],
        ],
        [[""], [""]],
        [["行政复议", "行政诉讼"], ["10", "5"]],
        # a blank row whose label is a long sentence still has its (empty) value cells
        [["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", ""], ["（三）不予公开", "1", "2"]],
    ],
)
def test_grids_without_prose_rows_stay_tables(rows):
    grid = _grid(*[[_cell(t) for t in row] for row in rows])
    assert demote_prose_grids([grid]) == [grid]


def test_the_official_tables_are_never_split():
    report, _ = random_report(4)
    with tempfile.TemporaryDirectory() as tmp:
        render_docx(report, Path(tmp) / "r.docx")
        data = (Path(tmp) / "r.docx").read_bytes()
    from xxgk.read.docx import read_docx_bytes

    tables = [b for b in read_docx_bytes(data).blocks if isinstance(b, TableBlock)]
    assert len(tables) == 3
    assert all(split_grid(t.rows) == [(False, t.rows)] for t in tables)


# ---------------------------------------------------------------- PDF


def _same_documents(plain, boxed) -> None:
    """The same blocks; table edges may move by the snapping of the boxes' edges (< 1 pt)."""
    assert [type(b) for b in boxed.blocks] == [type(b) for b in plain.blocks]
    for a, b in zip(plain.blocks, boxed.blocks, strict=True):
        if isinstance(a, Paragraph):
            assert (b.text, b.where) == (a.text, a.where)
            continue
        assert b.where["table"] == a.where["table"]
        assert [[(c.text, c.rowspan, c.colspan) for c in r] for r in b.rows] == [
            [(c.text, c.rowspan, c.colspan) for c in r] for r in a.rows
        ]
        for ca, cb in zip([c for r in a.rows for c in r], [c for r in b.rows for c in r], strict=True):
            assert cb.where["page"] == ca.where["page"]
            assert max(abs(x - y) for x, y in zip(ca.where["bbox"], cb.where["bbox"], strict=True)) < 1


def test_the_construction_draws_the_wps_shape():
    """One-column grids of single prose lines, and prose glued to the official tables."""
    report, _ = random_report(3)
    grids = _grids(boxed_pdf(pdf_bytes(report), _not_title(_title(report))))
    one_column = [g for g in grids if all(len(row) == 1 for row in g)]
    assert one_column and all(len(g) >= 2 for g in one_column)
    assert "一、总体情况" in [row[0] for g in one_column for row in g]
    glued = [g for g in grids if any(row[0] == "二、主动公开政府信息情况" for row in g)]
    assert glued and any(row[0] == "第二十条第（一）项" for row in glued[0])


def test_boxed_pdf_reads_as_the_same_pdf_without_boxes():
    report, values = random_report(3)
    plain = pdf_bytes(report)
    boxed = boxed_pdf(plain, _not_title(_title(report)))
    doc = read_bytes(boxed, "boxed.pdf")
    _same_documents(read_bytes(plain, "plain.pdf"), doc)
    # demoted lines have the box of their text, not of the rectangle behind them
    heading = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.text == "一、总体情况")
    assert set(heading.where) == {"page", "bbox"}
    assert heading.where["bbox"][2] - heading.where["bbox"][0] < 120
    numbers = [b.where["table"] for b in doc.blocks if isinstance(b, TableBlock)]
    assert numbers == list(range(1, len(numbers) + 1))
    got = parse_document(doc)
    assert value_mismatches(got, values) == []
    assert got.preamble == report.preamble


def _check(report):
    return {f.code for f in check_report(report)}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    agency=st.sampled_from(AGENCIES),
    year=st.integers(2021, 2025),
    unboxed=st.sampled_from([0.0, 0.1, 0.3]),
)
def test_random_reports_on_boxes_read_back_exactly(seed, agency, year, unboxed):
    report, values = random_report(seed, agency, year)
    rng = random.Random(seed)
    not_title = _not_title(_title(report))
    boxed = boxed_pdf(pdf_bytes(report), lambda n, text: not_title(n, text) and rng.random() >= unboxed)
    got = parse_document(read_bytes(boxed, "boxed.pdf"))
    assert value_mismatches(got, values) == []
    assert (got.meta.agency, got.meta.year, got.format) == (agency, year, "2021")
    assert got.preamble == report.preamble
    for key, text in report.sections.items():
        assert "".join((got.sections.get(key) or "").split()) == "".join(text.split()), key
    assert not _check(got) & FRONT_CODES


@pytest.mark.skipif(pdfmaker.SOFFICE is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_pdf_on_boxes_reads_as_without():
    values, sections = pdfmaker.report_values(11)
    plain = pdfmaker.pdf_bytes("ruled", 11)
    boxed = boxed_pdf(plain, _not_title("示例市生态环境局2024年政府信息公开工作年度报告"))
    assert any(all(len(row) == 1 for row in g) for g in _grids(boxed))
    doc = read_bytes(boxed, "boxed.pdf")
    _same_documents(read_bytes(plain, "plain.pdf"), doc)
    got = parse_document(doc)
    assert value_mismatches(got, values) == []
    assert sorted(k for k, v in got.sections.items() if v is not None) == list("123456")
    assert "XG201" not in _check(got)


# ---------------------------------------------------------------- DOCX and HTML

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str, **attrs) -> etree._Element:
    el = etree.Element(f"{{{W}}}{tag}")
    for key, value in attrs.items():
        el.set(f"{{{W}}}{key}", value)
    return el


def _text_box(paragraphs: list) -> etree._Element:
    """A one-column, shaded, borderless table with one paragraph per row."""
    tbl = _w("tbl")
    props = etree.SubElement(tbl, f"{{{W}}}tblPr")
    props.append(_w("tblW", w="5000", type="pct"))
    borders = etree.SubElement(props, f"{{{W}}}tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_w(side, val="nil"))
    etree.SubElement(tbl, f"{{{W}}}tblGrid").append(_w("gridCol", w="9000"))
    for p in paragraphs:
        tc = etree.SubElement(etree.SubElement(tbl, f"{{{W}}}tr"), f"{{{W}}}tc")
        tcpr = etree.SubElement(tc, f"{{{W}}}tcPr")
        tcpr.append(_w("shd", val="clear", color="auto", fill="FFFFFF"))
        tc.append(p)
    return tbl


def _docx_on_boxes(report) -> bytes:
    """The rendered DOCX with every run of body paragraphs after the title in a text-box table."""
    from docx import Document

    with tempfile.TemporaryDirectory() as tmp:
        render_docx(report, Path(tmp) / "r.docx")
        doc = Document(str(Path(tmp) / "r.docx"))
    body = doc.element.body
    runs: list[list] = [[]]
    for el in list(body)[1:]:  # the title stays a paragraph
        if el.tag == f"{{{W}}}p":
            runs[-1].append(el)
        elif runs[-1]:
            runs.append([])
    for run in filter(None, runs):
        anchor = run[0].getprevious()  # the title at least
        anchor.addnext(_text_box(run))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_docx_with_prose_in_text_box_tables_reads_exactly():
    report, values = random_report(6)
    data = _docx_on_boxes(report)
    from xxgk.read.docx import read_docx_bytes

    # four text boxes: before 表二, 表三 and 表四, and sections 五 and 六 after it
    assert sum(isinstance(b, TableBlock) for b in read_docx_bytes(data).blocks) == 3 + 4
    doc = read_bytes(data, "boxes.docx")
    assert sum(isinstance(b, TableBlock) for b in doc.blocks) == 3
    got = parse_document(doc)
    assert value_mismatches(got, values) == []
    assert got.preamble == report.preamble
    assert {k: got.sections.get(k) for k in report.sections} == report.sections
    assert not _check(got) & FRONT_CODES


def _html_prose_in_tables(report) -> bytes:
    """The rendered page with each table's section heading and prose moved into full-width rows
    at its top, and the sections without a table after it (五, 六) into rows at its bottom."""
    root = html.fromstring(render_html(report))
    last = None
    for section in root.iter("section"):
        table = next(section.iter("table"), None)
        if table is None:
            if last is not None:
                for el in list(section):
                    last.find("tbody").append(_full_row(el, len(last.findall(".//col"))))
            continue
        first_group = table.find("thead") if table.find("thead") is not None else table.find("tbody")
        for el in table.itersiblings(preceding=True):  # nearest first: each goes on top
            first_group.insert(0, _full_row(el, len(table.findall(".//col"))))
        last = table
    return html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


def _full_row(el, width: int):
    text = el.text_content()
    el.getparent().remove(el)
    row = html.fromstring(f'<table><tr><td colspan="{width}"></td></tr></table>').find(".//tr")
    row.find("td").text = text
    return row


def test_html_with_prose_rows_in_the_tables_reads_exactly():
    report, values = random_report(9)
    got = parse_document(read_bytes(_html_prose_in_tables(report), "rows.html"))
    assert value_mismatches(got, values) == []
    assert got.preamble == report.preamble
    assert {k: got.sections.get(k) for k in report.sections} == report.sections
    assert not _check(got) & FRONT_CODES


# ---------------------------------------------------------------- the real WPS exports


@pytest.mark.needs_shared  # skipped without ../shared/, fails under CI=true
@pytest.mark.parametrize(("name", "year"), [("r001.pdf", 2023), ("r002.pdf", 2024), ("r003.pdf", 2024)])
def test_real_wps_exports_find_every_section_the_period_and_the_preamble(name, year):
    report = realcorpus.read(name)
    assert [k for k in "123456" if report.sections.get(k) is None] == []
    codes = {f.code for f in report.findings}
    assert not codes & FRONT_CODES
    period = re.sub(r"\s+", "", report.preamble)
    assert f"统计期限自{year}年1月1日" in period and f"至{year}年12月31日" in period
    assert period.startswith("本报告由")
