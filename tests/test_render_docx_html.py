"""HTML and DOCX renderers: merges cell for cell against `table_grid`, values, text, fonts."""

from __future__ import annotations

import io
import random
from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from lxml import html as lxml_html

from layouts import consistent_tables, prose_with_numbers
from xxgk.formats import AMOUNT_TEXT, FORMAT_2019, FORMAT_2021
from xxgk.model import Report
from xxgk.render import render_docx, render_html, render_markdown, table_grid
from xxgk.render.layout import format_value, grid_shape

HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
TABLE_SECTIONS = {"active": "2", "applications": "3", "reviews": "4"}
PREAMBLE = (
    "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号要求编制。"
    "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。\n"
    "本报告电子版可在某某区人民政府门户网站查阅或下载。如对本报告有疑问，请与某某市某某区司法局联系"
    "（地址：某某区某某路1号；电话：0000-00000000）。"
)


def report_2021(seed: int = 7) -> Report:
    rng = random.Random(seed)
    report = Report(format="2021")
    for ref, value in consistent_tables(rng).items():
        report.set(ref, value)
    report.meta.agency = "某某市某某区司法局"
    report.meta.year = 2024
    report.preamble = PREAMBLE
    report.sections.update(prose_with_numbers(rng))
    return report


def report_2019(seed: int = 3) -> Report:
    rng = random.Random(seed)
    report = Report(format="2019")
    for ref in FORMAT_2019.refs():
        report.set(ref, rng.randrange(0, 900))
    report.set("active/licensing/change", -12)
    cell = report.set("active/procurement/amount", Decimal("251000"), raw="251000元")
    cell.text = "251000元"
    report.meta.agency = "上海市人民政府办公厅"
    report.meta.year = 2019
    report.sections["1"] = "2019年，本机关认真贯彻落实新修订的《条例》。"
    report.preamble = "本年度报告中所列数据统计期限从2019年1月1日到12月31日止。"
    return report


def expected_text(report: Report, ref: str) -> str:
    kind = report.spec.fields_by_ref[ref][2].kind
    cell = report.cells.get(ref)
    if cell is None:
        return ""
    if kind == AMOUNT_TEXT and cell.text:
        return cell.text
    return format_value(cell.value, kind)


# ---------------------------------------------------------------- HTML helpers


def html_cells(table) -> list[dict]:
    """Every cell of an HTML table with its expanded-grid position."""
    taken: set[tuple[int, int]] = set()
    out = []
    rows = table.xpath("./thead/tr | ./tbody/tr | ./tr")
    for r, tr in enumerate(rows):
        c = 0
        for el in tr.xpath("./td | ./th"):
            while (r, c) in taken:
                c += 1
            rs, cs = int(el.get("rowspan", "1")), int(el.get("colspan", "1"))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            out.append(
                {
                    "row": r,
                    "col": c,
                    "rowspan": rs,
                    "colspan": cs,
                    "tag": el.tag,
                    "scope": el.get("scope"),
                    "ref": el.get("data-ref"),
                    "text": el.text_content(),
                }
            )
            c += cs
    return out


def check_html_table(report: Report, table, key: str) -> None:
    grid = table_grid(report.spec, key)
    cells = html_cells(table)
    assert len(cells) == len(grid)
    for got, want in zip(cells, grid, strict=True):
        where = (key, want.row, want.col, want.text)
        assert (got["row"], got["col"]) == (want.row, want.col), where
        assert (got["rowspan"], got["colspan"]) == (want.rowspan, want.colspan), where
        if want.header:
            assert got["tag"] == "th" and got["scope"] == want.scope, where
            assert got["text"] == want.text, where
        else:
            assert got["tag"] == "td" and got["scope"] is None, where
            assert got["ref"] == want.ref, where
            assert got["text"] == expected_text(report, want.ref), where


def parse_page(text: str):
    return lxml_html.document_fromstring(text.encode("utf-8"))


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize("make", [report_2021, report_2019], ids=["2021", "2019"])
def test_html_tables_match_the_grid(make):
    report = make()
    page = parse_page(render_html(report))
    tables = page.xpath("//table")
    assert [t.get("data-table") for t in tables] == ["active", "applications", "reviews"]
    for table in tables:
        check_html_table(report, table, table.get("data-table"))


def test_html_page_structure_and_text():
    report = report_2021()
    text = render_html(report)
    assert text.startswith("<!DOCTYPE html>")
    page = parse_page(text)
    title = "某某市某某区司法局2024年政府信息公开工作年度报告"
    assert page.findtext(".//title") == title
    assert page.xpath("//meta/@charset") == ["utf-8"]
    assert page.xpath("//html/@lang") == ["zh-CN"]
    assert "@page" in page.findtext(".//style")
    assert [h.text_content() for h in page.xpath("//h1")] == [title]
    assert [h.text_content() for h in page.xpath("//h2")] == HEADINGS
    # the preamble's paragraphs between the title and section 一
    article = page.xpath("//article")[0]
    assert [el.tag for el in article][:4] == ["h1", "p", "p", "section"]
    assert [el.text_content() for el in article.xpath("./p")] == PREAMBLE.split("\n")
    sections = page.xpath("//section")
    assert [s.get("data-section") for s in sections] == ["1", "2", "3", "4", "5", "6"]
    for section in sections:
        number = section.get("data-section")
        children = [el.tag for el in section]
        assert children[0] == "h2"
        lines = [line for line in (report.sections[number] or "").splitlines() if line.strip()]
        assert [p.text_content() for p in section.xpath("./p")] == lines
        # each table after the section's text
        expected_tables = [k for k, s in TABLE_SECTIONS.items() if s == number]
        assert [t.get("data-table") for t in section.xpath("./table")] == expected_tables
        assert children == ["h2"] + ["p"] * len(lines) + ["table"] * len(expected_tables)


def test_html_print_rules_after_gbt9704():
    page = parse_page(render_html(report_2021()))
    css = page.findtext(".//style")
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm;" in css
    assert '@page :right { @bottom-right { content: "— " counter(page) " —"; text-align: right;' in css
    assert '@page :left { @bottom-left { content: "— " counter(page) " —"; text-align: left;' in css
    assert "table.xxgk-table tr { break-inside: avoid;" in css
    assert '"仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif' in css
    assert '"黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", sans-serif' in css
    tables = {t.get("data-table"): t for t in page.xpath("//table")}
    assert not tables["active"].xpath("./thead")
    assert len(tables["applications"].xpath("./thead/tr")) == 3
    assert len(tables["applications"].xpath("./tbody/tr")) == 25
    assert len(tables["reviews"].xpath("./thead/tr")) == 3
    assert len(tables["active"].xpath("./tbody/tr[@class='xxgk-caption']")) == 8
    for table in tables.values():
        widths = [
            float(c.get("style").removeprefix("width:").removesuffix("%"))
            for c in table.xpath("./colgroup/col")
        ]
        assert len(widths) == grid_shape(table_grid(FORMAT_2021, table.get("data-table")))[1]
        assert sum(widths) == pytest.approx(100, abs=0.01)


def test_html_fragment_is_the_body():
    report = report_2021()
    fragment = render_html(report, fragment=True)
    assert "<html" not in fragment and "<head" not in fragment and "<style" not in fragment
    assert fragment.lstrip().startswith("<article")
    page = render_html(report)
    assert fragment.strip() in page
    tree = lxml_html.fragment_fromstring(fragment)
    assert len(tree.xpath(".//table")) == 3


def test_html_escapes_text():
    report = report_2021()
    report.meta.title = "A&B <script>alert(1)</script> 年报"
    report.sections["5"] = '<b>粗体</b> & "引号"\n第二段 <img src=x onerror=alert(1)>'
    text = render_html(report)
    assert "<script>alert" not in text and "<img" not in text and "<b>" not in text
    page = parse_page(text)
    assert page.findtext(".//title") == report.meta.title
    section = page.xpath("//section[@data-section='5']")[0]
    assert [p.text_content() for p in section.xpath("./p")] == [
        '<b>粗体</b> & "引号"',
        "第二段 <img src=x onerror=alert(1)>",
    ]
    assert not page.xpath("//script | //img | //b")


def test_html_blanks_and_absent_table():
    report = report_2021()
    blanks = ["applications/received/commercial", "reviews/reconsideration/total", "active/fees/amount"]
    for ref in blanks:
        report.set(ref, None)
    for ref in [r for r in report.cells if r.startswith("applications/")]:
        del report.cells[ref]
    report.tables_present.discard("applications")
    report.sections["3"] = None
    page = parse_page(render_html(report))
    tables = page.xpath("//table")
    assert [t.get("data-table") for t in tables] == ["active", "reviews"]
    for table in tables:
        check_html_table(report, table, table.get("data-table"))
    for ref in blanks[1:]:
        (td,) = page.xpath(f"//td[@data-ref='{ref}']")
        assert td.text_content() == ""
    section3 = page.xpath("//section[@data-section='3']")[0]
    assert [el.tag for el in section3] == ["h2"]


def test_html_cell_missing_from_a_present_table_is_blank():
    report = report_2021()
    del report.cells["reviews/litigation_direct/upheld"]
    page = parse_page(render_html(report))
    (td,) = page.xpath("//td[@data-ref='reviews/litigation_direct/upheld']")
    assert td.text_content() == ""


def test_html_value_formats():
    report = report_2021()
    report.set("active/fees/amount", Decimal("12.50"))
    page = parse_page(render_html(report))
    assert page.xpath("//td[@data-ref='active/fees/amount']")[0].text_content() == "12.5"
    report.set("active/fees/amount", Decimal("0.00"))
    page = parse_page(render_html(report))
    assert page.xpath("//td[@data-ref='active/fees/amount']")[0].text_content() == "0"
    report = report_2019()
    page = parse_page(render_html(report))
    assert page.xpath("//td[@data-ref='active/procurement/amount']")[0].text_content() == "251000元"
    assert page.xpath("//td[@data-ref='active/licensing/change']")[0].text_content() == "-12"


def test_html_without_tables_or_format():
    report = Report(format="pre2019")
    report.meta.agency = "某县人民政府"
    report.sections["1"] = "概述。"
    page = parse_page(render_html(report))
    assert not page.xpath("//table")
    assert [h.text_content() for h in page.xpath("//h2")] == HEADINGS
    assert page.findtext(".//h1") == "某县人民政府政府信息公开工作年度报告"


# ---------------------------------------------------------------- DOCX helpers


def docx_of(report: Report) -> docx.document.Document:
    buf = io.BytesIO()
    render_docx(report, buf)
    buf.seek(0)
    return docx.Document(buf)


def raw_layout(table) -> list[tuple[int, int, int, str | None]]:
    """(row, grid column, gridSpan, vMerge) of every w:tc, from the XML."""
    out = []
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            out.append((r, col, tc.grid_span, tc.vMerge))
            col += tc.grid_span
    return out


def slot_cells(table) -> list[list]:
    """python-docx's cell per grid slot (`table.cell(r, c)` for all r, c, computed once):
    a gridSpan cell repeats, a vMerge continuation slot gives the restart cell."""
    cells = table._cells
    ncols = len(table.columns)
    return [cells[i : i + ncols] for i in range(0, len(cells), ncols)]


def check_docx_table(report: Report, table, key: str) -> None:
    grid = table_grid(report.spec, key)
    nrows, ncols = grid_shape(grid)
    assert (len(table.rows), len(table.columns)) == (nrows, ncols)
    assert table.style.name == "Table Grid"

    # The XML, cell for cell: a restart tc at the top of each vertical span, continue below.
    expected = []
    for cell in grid:
        for i in range(cell.rowspan):
            vmerge = None if cell.rowspan == 1 else ("restart" if i == 0 else "continue")
            expected.append((cell.row + i, cell.col, cell.colspan, vmerge))
    assert raw_layout(table) == sorted(expected)

    # python-docx's view: every slot of a merged cell is the same w:tc, and no two cells share one.
    slots = slot_cells(table)
    tops: list = []  # kept alive, so lxml keeps one proxy object per element
    for cell in grid:
        top = slots[cell.row][cell.col]._tc
        assert top.grid_span == cell.colspan
        assert top.vMerge == (None if cell.rowspan == 1 else "restart")
        for r, c in cell.slots:
            assert slots[r][c]._tc is top, (key, cell.text, r, c)
        assert not any(top is other for other in tops), (key, cell.text)
        tops.append(top)
        text = slots[cell.row][cell.col].text
        if cell.header:
            assert text == cell.text, (key, cell.row, cell.col)
        else:
            assert text == expected_text(report, cell.ref), (key, cell.ref)


def body_sequence(document) -> list[tuple[str, str]]:
    out = []
    for el in document.element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append(("p", "".join(el.xpath(".//w:t/text()"))))
        elif el.tag == qn("w:tbl"):
            out.append(("tbl", ""))
    return out


# ---------------------------------------------------------------- DOCX


@pytest.mark.parametrize("make", [report_2021, report_2019], ids=["2021", "2019"])
def test_docx_merges_match_the_grid(make):
    report = make()
    document = docx_of(report)
    assert len(document.tables) == 3
    for table, key in zip(document.tables, ("active", "applications", "reviews"), strict=True):
        check_docx_table(report, table, key)


def test_docx_merge_counts_2021():
    table = docx_of(report_2021()).tables[1]
    restarts = [x for x in raw_layout(table) if x[3] == "restart"]
    # note, 自然人, 总计, 三、本年度办理结果, （三）（四）（五）（六）
    assert len(restarts) == 8
    spans = {(r, c): n for r, c, n, v in raw_layout(table) if v == "restart"}
    continues = [x for x in raw_layout(table) if x[3] == "continue"]
    assert len(continues) == 2 * 1 + 1 + 1 + 21 + 7 + 2 + 4 + 2
    assert spans[(0, 0)] == 3


def test_docx_document_order_and_text(tmp_path):
    report = report_2021()
    path = tmp_path / "report.docx"
    render_docx(report, path)
    document = docx.Document(str(path))
    seq = body_sequence(document)
    title = "某某市某某区司法局2024年政府信息公开工作年度报告"
    expected = [("p", title), *(("p", line) for line in PREAMBLE.split("\n"))]
    for i, heading in enumerate(HEADINGS, start=1):
        expected.append(("p", heading))
        expected += [("p", line) for line in report.sections[str(i)].splitlines() if line.strip()]
        expected += [("tbl", "")] * sum(1 for s in TABLE_SECTIONS.values() if s == str(i))
    assert seq == expected
    assert document.core_properties.title == title
    # string path works too
    render_docx(report, str(tmp_path / "again.docx"))
    assert body_sequence(docx.Document(str(tmp_path / "again.docx"))) == expected


def test_docx_page_and_fonts():
    document = docx_of(report_2021())
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)

    def east_asia(run):
        return run._element.rPr.rFonts.get(qn("w:eastAsia"))

    paragraphs = document.paragraphs
    assert east_asia(paragraphs[0].runs[0]) == "方正小标宋简体"
    assert paragraphs[0].style.name == "Title"
    headings = [p for p in paragraphs if p.text in HEADINGS]
    assert len(headings) == 6
    assert {east_asia(p.runs[0]) for p in headings} == {"黑体"}
    assert {p.style.name for p in headings} == {"Heading 1"}
    body = [p for p in paragraphs[1:] if p.text and p.text not in HEADINGS]
    assert body and {east_asia(r) for p in body for r in p.runs} == {"仿宋_GB2312"}
    table_runs = [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    ]
    assert table_runs and {east_asia(r) for r in table_runs} == {"仿宋_GB2312"}
    # no theme font may override the East-Asian names
    for style in ("Normal", "Title", "Heading 1"):
        rfonts = document.styles[style].element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsiaTheme")) is None and rfonts.get(qn("w:asciiTheme")) is None


def test_docx_blanks_and_absent_table():
    report = report_2021()
    report.set("applications/received/commercial", None)
    report.set("active/fees/amount", None)
    for ref in [r for r in report.cells if r.startswith("reviews/")]:
        del report.cells[ref]
    report.tables_present.discard("reviews")
    document = docx_of(report)
    assert len(document.tables) == 2
    for table, key in zip(document.tables, ("active", "applications"), strict=True):
        check_docx_table(report, table, key)
    assert slot_cells(document.tables[1])[3][4].text == ""
    assert slot_cells(document.tables[0])[13][1].text == ""


def test_docx_all_blank_values():
    report = Report(format="2019")
    for ref in FORMAT_2019.refs():
        report.set(ref, None)
    document = docx_of(report)
    for table, key in zip(document.tables, ("active", "applications", "reviews"), strict=True):
        check_docx_table(report, table, key)
    assert document.paragraphs[0].text == "政府信息公开工作年度报告"


def test_html_and_docx_walk_the_same_grid():
    report = report_2021(seed=11)
    page = parse_page(render_html(report))
    document = docx_of(report)
    for html_table, docx_table in zip(page.xpath("//table"), document.tables, strict=True):
        slots = slot_cells(docx_table)
        for cell in html_cells(html_table):
            assert slots[cell["row"]][cell["col"]].text == cell["text"]


def test_formats_have_identical_review_tables():
    assert [
        (c.text, c.row, c.col, c.rowspan, c.colspan, c.ref) for c in table_grid(FORMAT_2019, "reviews")
    ] == [(c.text, c.row, c.col, c.rowspan, c.colspan, c.ref) for c in table_grid(FORMAT_2021, "reviews")]


# ---------------------------------------------------------------- round trip through the readers


def _parse(data: bytes, name: str) -> Report:
    read = pytest.importorskip("xxgk.read")
    extract = pytest.importorskip("xxgk.extract")
    pytest.importorskip(f"xxgk.read.{name.rsplit('.', 1)[1]}")
    return extract.parse_document(read.read_bytes(data, name))


@pytest.mark.parametrize("medium", ["html", "docx"])
@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_readers_read_what_we_write(fmt, medium):
    report = report_2021() if fmt == "2021" else report_2019()
    report.meta.year = 2024 if fmt == "2021" else 2019
    refs = report.spec.refs()
    for ref in refs[3::7]:
        report.set(ref, None)
    for ref in [r for r in report.cells if r.startswith("reviews/")]:
        del report.cells[ref]
    report.tables_present.discard("reviews")
    if fmt == "2021":
        report.set("active/fees/amount", Decimal("12.50"))
    if medium == "html":
        data = render_html(report).encode("utf-8")
    else:
        buf = io.BytesIO()
        render_docx(report, buf)
        data = buf.getvalue()
    got = _parse(data, f"report.{medium}")
    assert got.format == fmt
    assert (got.meta.agency, got.meta.year) == (report.meta.agency, report.meta.year)
    assert got.tables_present == {"active", "applications"}
    assert {ref: got.value(ref) for ref in refs} == {ref: report.value(ref) for ref in refs}
    for key in map(str, range(1, 7)):
        text = got.sections.get(key) or ""
        assert text.strip() == (report.sections.get(key) or "").strip(), key
    assert got.preamble == report.preamble
    if fmt == "2019":
        assert got.cells["active/procurement/amount"].text == "251000元"


def test_markdown_puts_the_preamble_between_title_and_section_one():
    report = report_2021()
    text = render_markdown(report)
    title = "某某市某某区司法局2024年政府信息公开工作年度报告"
    assert text.startswith(f"# {title}\n\n{PREAMBLE}\n\n## 一、总体情况\n")
    from xxgk.extract import parse_document
    from xxgk.read import read_bytes

    assert parse_document(read_bytes(text.encode("utf-8"), "report.md")).preamble == PREAMBLE
    report.preamble = ""
    assert render_markdown(report).startswith(f"# {title}\n\n## 一、总体情况\n")


def test_docx_preamble_paragraphs_are_body_paragraphs():
    """Body style (indented two characters, 仿宋 三号), not the title's or a heading's."""
    buf = io.BytesIO()
    render_docx(report_2021(), buf)
    paragraphs = docx.Document(io.BytesIO(buf.getvalue())).paragraphs
    assert [p.style.name for p in paragraphs[:4]] == ["Title", "Normal", "Normal", "Heading 1"]
    assert [p.text for p in paragraphs[1:3]] == PREAMBLE.split("\n")
    assert paragraphs[1].style.paragraph_format.first_line_indent == Pt(32)
    assert {run.font.size for p in paragraphs[1:3] for run in p.runs} == {Pt(16)}


def test_no_preamble_prints_nothing_before_section_one():
    report = report_2021()
    report.preamble = ""
    article = parse_page(render_html(report)).xpath("//article")[0]
    assert [el.tag for el in article][:2] == ["h1", "section"]
    buf = io.BytesIO()
    render_docx(report, buf)
    assert [p.style.name for p in docx.Document(io.BytesIO(buf.getvalue())).paragraphs[:2]] == [
        "Title",
        "Heading 1",
    ]


def test_docx_page_number_footer_is_not_read_as_text():
    report = report_2021()
    buf = io.BytesIO()
    render_docx(report, buf)
    got = _parse(buf.getvalue(), "report.docx")
    assert (got.sections.get("6") or "").strip() == report.sections["6"].strip()


# ---------------------------------------------------------------- DOCX after GB/T 9704


def merged_ranges(table) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per cell text, (row, grid column, rows, columns) of each cell, from the XML alone:
    w:gridSpan for the columns, a w:vMerge restart and its continue cells below for the rows."""
    trs = table._tbl.tr_lst
    starts: dict[tuple[int, int], list] = {}
    for r, tr in enumerate(trs):
        col = 0
        for tc in tr.tc_lst:
            span = int(tc.tcPr.gridSpan.val) if tc.tcPr is not None and tc.tcPr.gridSpan is not None else 1
            vmerge = tc.tcPr.vMerge if tc.tcPr is not None else None
            if vmerge is not None and vmerge.val in (None, "continue"):
                above = next(k for k in sorted(starts, reverse=True) if k[1] == col and k[0] < r)
                starts[above][2] += 1
            else:
                text = "".join(tc.xpath(".//w:t/text()"))
                starts[(r, col)] = [text, span, 1]
            col += span
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    for (r, c), (text, span, rows) in sorted(starts.items()):
        out.setdefault(text, []).append((r, c, rows, span))
    return out


def test_docx_official_merges_2021():
    tables = docx_of(report_2021()).tables
    app, rev = merged_ranges(tables[1]), merged_ranges(tables[2])
    assert app["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] == [(0, 0, 3, 3)]
    assert app["申请人情况"] == [(0, 3, 1, 7)]
    assert app["自然人"] == [(1, 3, 2, 1)]
    assert app["法人或其他组织"] == [(1, 4, 1, 5)]
    assert app["总计"] == [(1, 9, 2, 1)]
    assert app["三、本年度办理结果"] == [(5, 0, 22, 1)]
    assert app["（一）予以公开"] == [(5, 1, 1, 2)]
    assert app["（三）不予公开"] == [(7, 1, 8, 1)]
    assert app["（四）无法提供"] == [(15, 1, 3, 1)]
    assert app["（五）不予处理"] == [(18, 1, 5, 1)]
    assert app["（六）其他处理"] == [(23, 1, 3, 1)]
    assert app["（七）总计"] == [(26, 1, 1, 2)]
    assert app["一、本年新收政府信息公开申请数量"] == [(3, 0, 1, 3)]
    assert app["四、结转下年度继续办理"] == [(27, 0, 1, 3)]
    assert rev["行政复议"] == [(0, 0, 1, 5)]
    for c, label in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结"]):
        assert rev[label][0] == (1, c, 2, 1)
        assert [x[:2] for x in rev[label][1:]] == [(2, 5 + c), (2, 10 + c)]
    assert rev["总计"] == [(1, 4, 2, 1), (2, 9, 1, 1), (2, 14, 1, 1)]
    assert rev["行政诉讼"] == [(0, 5, 1, 10)]
    assert rev["未经复议直接起诉"] == [(1, 5, 1, 5)]
    assert rev["复议后起诉"] == [(1, 10, 1, 5)]


def _row_flags(table) -> list[tuple[bool, bool]]:
    return [
        (
            tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None,
            tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None,
        )
        for tr in table._tbl.tr_lst
    ]


@pytest.mark.parametrize(("make", "body_rows"), [(report_2021, 25), (report_2019, 23)], ids=["2021", "2019"])
def test_docx_rows_never_split_and_headers_repeat(make, body_rows):
    tables = docx_of(make()).tables
    for table in tables:
        assert all(cant for cant, _ in _row_flags(table))
    assert [h for _, h in _row_flags(tables[0])] == [False] * len(tables[0].rows)  # 表二: captions per block
    assert [h for _, h in _row_flags(tables[1])] == [True] * 3 + [False] * body_rows
    assert [h for _, h in _row_flags(tables[2])] == [True, True, True, False]


def test_docx_headers_and_small_tables_keep_with_next():
    tables = docx_of(report_2021()).tables

    def keeps(tr) -> bool:
        return all(p.pPr is not None and p.pPr.keepNext_val for p in tr.iter(qn("w:p")))

    app = tables[1]._tbl.tr_lst
    assert [keeps(tr) for tr in app] == [True] * 3 + [False] * 25
    rev = tables[2]._tbl.tr_lst
    assert [keeps(tr) for tr in rev] == [True, True, True, False]  # 表四 prints whole
    active = tables[0]._tbl.tr_lst
    captions = {0, 1, 4, 5, 7, 8, 11, 12}  # each block's title and its field header row
    assert {i for i, tr in enumerate(active) if keeps(tr)} == captions


def test_docx_column_widths_fit_four_digits():
    tables = docx_of(report_2021()).tables
    for table, key in zip(tables, ("active", "applications", "reviews"), strict=True):
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
        assert sum(grid) == pytest.approx(Mm(156).twips, abs=len(grid))
        assert min(grid) >= Mm(10.4).twips - 1, key
    assert [round(Emu(Mm(w)).mm) for w in (12, 18, 40)] == [12, 18, 40]


def test_docx_page_numbers_after_gbt9704():
    document = docx_of(report_2021())
    assert document.settings.odd_and_even_pages_header_footer is True
    section = document.sections[0]
    assert abs(section.footer_distance - Mm(25.2)) < Mm(0.1)
    for footer, align, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        (p,) = footer.paragraphs
        assert p.text == "— 1 —"  # the PAGE field's placeholder result between two 一字线
        assert p.alignment == align
        assert getattr(p.paragraph_format, indent) == Pt(14)  # one character in from the edge
        assert p.paragraph_format.first_line_indent == 0
        instr = p._p.xpath(".//w:instrText/text()")
        assert [t.strip() for t in instr] == ["PAGE"]
        kinds = [f.get(qn("w:fldCharType")) for f in p._p.xpath(".//w:fldChar")]
        assert kinds == ["begin", "separate", "end"]
        for run in p.runs:
            assert run.font.size == Pt(14)
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
            assert run._element.rPr.rFonts.get(qn("w:ascii")) == "宋体"
