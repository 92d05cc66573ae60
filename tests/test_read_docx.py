"""DOCX reader: document order, merged-cell grids, Word artifacts, hostile packages.

The report documents are built here with python-docx in the official Word layout of the
2021 format (国办公开办函〔2021〕30号): table 三 with its 3x3 note cell, the 申请人情况 header
groups, 三、本年度办理结果 spanning 22 rows and （三）不予公开 spanning 8; table 四 with its
two-level header. `build_report_docx` is also used by tests/test_read_doc.py.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import time
import tracemalloc
import zipfile
import zlib
from decimal import Decimal

import docx
import pytest
from docx.oxml import parse_xml

from layouts import (
    APPLICATIONS,
    HEADINGS,
    RESULTS_GROUP,
    REVIEW_FIELDS,
    REVIEWS,
    active_blocks,
    cell_text,
    consistent_tables,
    prose_with_numbers,
    row_texts,
    value_mismatches,
)
from xxgk.errors import InputError
from xxgk.extract import parse_document
from xxgk.read import sandbox
from xxgk.read.document import Paragraph, TableBlock
from xxgk.read.docx import MEDIA_TYPE, read_docx_bytes
from xxgk.read.ziplimits import MSG_UNSAFE_XML, ZipLimits, check_members

AGENCY = "示例区司法局"
YEAR = 2024
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# ---------------------------------------------------------------- building documents

Span = tuple[int, int, int, int, str]  # row, col (0-based), rowspan, colspan, text


def _fill_table(document, n_rows: int, n_cols: int, spans: list[Span]):
    table = document.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    rows = table.rows
    for r, c, rs, cs, _ in spans:  # a row's cells cost far less than `table.cell` (the whole grid)
        if rs > 1 or cs > 1:
            rows[r].cells[c].merge(rows[r + rs - 1].cells[c + cs - 1])
    grid = table._cells  # one entry per grid slot; `table.cell` recomputes it on every call
    for r, c, _, _, text in spans:
        grid[r * n_cols + c].text = text
    return table


def active_spans(values) -> tuple[int, list[Span]]:
    spans: list[Span] = []
    r = 0
    for block, rows in active_blocks():
        spans.append((r, 0, 1, 4, block))
        fields = rows[0].fields
        spans.append((r + 1, 0, 1, 1, "信息内容"))
        if len(fields) == 3:
            spans += [(r + 1, 1 + i, 1, 1, f.label) for i, f in enumerate(fields)]
        else:
            spans.append((r + 1, 1, 1, 3, fields[0].label))
        r += 2
        for row in rows:
            spans.append((r, 0, 1, 1, row.label))
            texts = row_texts(values, "active", row)
            if len(texts) == 3:
                spans += [(r, 1 + i, 1, 1, t) for i, t in enumerate(texts)]
            else:
                spans.append((r, 1, 1, 3, texts[0]))
            r += 1
    return r, spans


def application_spans(values) -> tuple[int, list[Span]]:
    fields = APPLICATIONS.rows[0].fields
    spans: list[Span] = [
        (0, 0, 3, 3, APPLICATIONS.note),
        (0, 3, 1, 7, "申请人情况"),
        (1, 3, 2, 1, "自然人"),
        (1, 4, 1, 5, "法人或其他组织"),
        (1, 9, 2, 1, "总计"),
    ]
    spans += [(2, 4 + i, 1, 1, f.label) for i, f in enumerate(fields[1:6])]
    r = 3
    group_start: dict[str, int] = {}
    for row in APPLICATIONS.rows:
        if row.group is None:
            spans.append((r, 0, 1, 3, row.label))
        elif row.group == RESULTS_GROUP:
            spans.append((r, 1, 1, 2, row.label))
        else:
            if row.group not in group_start:
                group_start[row.group] = r
                size = sum(1 for x in APPLICATIONS.rows if x.group == row.group)
                spans.append((r, 1, size, 1, row.group))
            spans.append((r, 2, 1, 1, row.label))
        spans += [(r, 3 + i, 1, 1, t) for i, t in enumerate(row_texts(values, "applications", row))]
        r += 1
    first = next(i for i, row in enumerate(APPLICATIONS.rows) if row.group == RESULTS_GROUP)
    last = max(i for i, row in enumerate(APPLICATIONS.rows) if row.group)
    spans.append((3 + first, 0, last - first + 1, 1, RESULTS_GROUP))
    return r, spans


def review_spans(values) -> tuple[int, list[Span]]:
    spans: list[Span] = [(0, 0, 1, 5, "行政复议"), (0, 5, 1, 10, "行政诉讼")]
    spans += [(1, i, 2, 1, h) for i, h in enumerate(REVIEW_FIELDS)]
    spans += [(1, 5, 1, 5, "未经复议直接起诉"), (1, 10, 1, 5, "复议后起诉")]
    spans += [(2, 5 + i, 1, 1, h) for i, h in enumerate(REVIEW_FIELDS * 2)]
    texts = [t for row in REVIEWS.rows for t in row_texts(values, "reviews", row)]
    spans += [(3, i, 1, 1, t) for i, t in enumerate(texts)]
    return 4, spans


TABLE_LAYOUTS = {"2": (4, active_spans), "3": (10, application_spans), "4": (15, review_spans)}


def build_report_docx(values, sections: dict[str, str], agency: str = AGENCY, year: int = YEAR):
    """A python-docx Document of a whole report: title, preamble, six sections, three tables."""
    document = docx.Document()
    document.add_paragraph(f"{agency}{year}年政府信息公开工作年度报告")
    document.add_paragraph(
        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》规定，"
        f"编制本报告。所列数据的统计时限自{year}年1月1日至{year}年12月31日。"
    )
    for key, heading in HEADINGS.items():
        document.add_paragraph(heading)
        for line in (sections.get(key) or "").split("\n"):
            if line.strip():
                document.add_paragraph(line)
        if key in TABLE_LAYOUTS:
            n_cols, spans_of = TABLE_LAYOUTS[key]
            n_rows, spans = spans_of(values)
            _fill_table(document, n_rows, n_cols, spans)
    document.add_paragraph(agency)
    document.add_paragraph(f"{year + 1}年1月10日")
    return document


def to_bytes(document) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def report_bytes(seed: int = 1):
    """(values, DOCX bytes) of a random consistent report; cached, the values are a copy."""
    values, data = _report_bytes(seed)
    return dict(values), data


@functools.cache
def _report_bytes(seed: int):
    rng = random.Random(seed)
    values = consistent_tables(rng)
    return values, to_bytes(build_report_docx(values, prose_with_numbers(rng, YEAR)))


def tables_of(doc) -> list[TableBlock]:
    return [b for b in doc.blocks if isinstance(b, TableBlock)]


def cell_at(table: TableBlock, row: int, col: int):
    for cells in table.rows:
        for cell in cells:
            if cell.where["row"] == row and cell.where["col"] == col:
                return cell
    return None


def texts_of(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def assert_reads_back(doc, values) -> None:
    report = parse_document(doc)
    assert report.format == "2021"
    assert report.meta.year == YEAR
    assert report.meta.agency == AGENCY
    mismatches = value_mismatches(report, values)
    assert not mismatches, f"{len(mismatches)} of 200 cells differ:\n" + "\n".join(mismatches)


# ---------------------------------------------------------------- whole reports


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_report_reads_back_exactly(seed):
    values, data = report_bytes(seed)
    doc = read_docx_bytes(data, "report.docx")
    assert doc.media_type == MEDIA_TYPE
    assert doc.path == "report.docx"
    assert len(doc.sha256) == 64
    assert len(tables_of(doc)) == 3
    assert_reads_back(doc, values)


def test_official_grid_coordinates_and_spans():
    values, data = report_bytes()
    active, applications, reviews = tables_of(read_docx_bytes(data))
    note = cell_at(applications, 1, 1)
    assert (note.text, note.rowspan, note.colspan) == (APPLICATIONS.note, 3, 3)
    header = cell_at(applications, 1, 4)
    assert (header.text, header.rowspan, header.colspan) == ("申请人情况", 1, 7)
    assert (cell_at(applications, 2, 4).text, cell_at(applications, 2, 4).rowspan) == ("自然人", 2)
    assert cell_at(applications, 2, 5).colspan == 5
    results = cell_at(applications, 6, 1)
    assert (results.text, results.rowspan, results.colspan) == (RESULTS_GROUP, 22, 1)
    withheld = cell_at(applications, 8, 2)
    assert (withheld.text, withheld.rowspan) == ("（三）不予公开", 8)
    received = cell_at(applications, 4, 5)  # 一、本年新收 / 商业企业
    assert received.text == cell_text(values["applications/received/commercial"])
    assert received.where == {"table": 2, "row": 4, "col": 5}
    assert cell_at(applications, 4, 1).colspan == 3
    # Covered slots do not appear; each row lists distinct cells that start in it.
    assert [c.where["col"] for c in applications.rows[8]] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert len(applications.rows) == 28
    assert cell_at(active, 1, 1).colspan == 4
    fee = cell_at(active, 14, 2)
    assert (fee.text, fee.colspan) == (cell_text(values["active/fees/amount"]), 3)
    assert [c.where["col"] for c in reviews.rows[2]] == list(range(6, 16))
    assert cell_at(reviews, 2, 1).rowspan == 2
    assert cell_at(reviews, 4, 15).text == cell_text(values["reviews/litigation_after_reconsideration/total"])


def test_paragraphs_in_order_with_line_breaks():
    document = docx.Document()
    document.add_paragraph("第一段")
    p = document.add_paragraph("第二段上半")
    p.add_run().add_break()
    p.add_run("第二段下半")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "表内"
    document.add_paragraph("表后")
    doc = read_docx_bytes(to_bytes(document))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph"] * 3 + ["TableBlock", "Paragraph"]
    assert texts_of(doc) == ["第一段", "第二段上半", "第二段下半", "表后"]
    assert [b.where for b in doc.blocks if isinstance(b, Paragraph)] == [
        {"paragraph": n} for n in (1, 2, 3, 4)
    ]
    table = tables_of(doc)[0]
    assert [(c.text, c.where) for c in table.rows[0]] == [
        ("", {"table": 1, "row": 1, "col": 1}),
        ("表内", {"table": 1, "row": 1, "col": 2}),
    ]


# ---------------------------------------------------------------- Word artifacts


def paragraph_xml(xml: str):
    return parse_xml(f"<w:p {W_NS}>{xml}</w:p>")


TRACKED = (
    '<w:r><w:t>本年度共</w:t></w:r><w:del w:id="901" w:author="李四"><w:r><w:delText>十二</w:delText></w:r></w:del>'
    '<w:ins w:id="902" w:author="李四"><w:r><w:t>十三</w:t></w:r></w:ins><w:r><w:t>次。</w:t></w:r>'
)


def test_comments_revisions_bookmarks_are_artifacts_not_text():
    rng = random.Random(1)
    values = consistent_tables(rng)
    document = build_report_docx(values, prose_with_numbers(rng, YEAR))
    paragraphs = document.paragraphs
    five = next(i for i, p in enumerate(paragraphs) if p.text == HEADINGS["5"])
    target = paragraphs[five + 1]
    document.add_comment(target.runs, text="此处应为上年度", author="707")
    target._p.insert(0, parse_xml(f'<w:bookmarkStart {W_NS} w:id="0" w:name="_GoBack"/>'))
    target._p.append(parse_xml(f'<w:bookmarkEnd {W_NS} w:id="0"/>'))
    paragraphs[five + 2]._p.addnext(paragraph_xml(TRACKED))
    # A tracked correction inside a number cell of table 三: 一、本年新收 / 自然人.
    cell = document.tables[1].cell(3, 3)
    old = cell.text
    cell.paragraphs[0]._p.getparent().replace(
        cell.paragraphs[0]._p,
        paragraph_xml(
            f'<w:del w:id="903" w:author="王五"><w:r><w:delText>{int(old) + 1}</w:delText></w:r></w:del>'
            f'<w:ins w:id="904" w:author="王五"><w:r><w:t>{old}</w:t></w:r></w:ins>'
        ),
    )
    doc = read_docx_bytes(to_bytes(document))

    texts = texts_of(doc)
    assert "本年度共十三次。" in texts
    assert not any("十二" in t or "此处应为上年度" in t or "_GoBack" in t for t in texts)
    n_target = texts.index(target.text) + 1
    n_tracked = texts.index("本年度共十三次。") + 1
    found = {(a.kind, a.text): a.where for a in doc.artifacts}
    assert found[("comment", "707：此处应为上年度")] == {"paragraph": n_target}
    assert found[("bookmark", "_GoBack")] == {"paragraph": n_target}
    assert found[("revision", "删除（李四）：十二")] == {"paragraph": n_tracked}
    assert found[("revision", "插入（李四）：十三")] == {"paragraph": n_tracked}
    cell_where = {"table": 2, "row": 4, "col": 4}
    assert found[("revision", f"插入（王五）：{old}")] == cell_where
    assert cell_at(tables_of(doc)[1], 4, 4).text == old

    report = parse_document(doc)
    assert not value_mismatches(report, values)
    kinds = sorted(a.kind for a in report.artifacts)
    assert kinds == ["bookmark", "comment", "revision", "revision", "revision", "revision"]


TEXT_BOX = (
    '<w:r><w:t>锚定段落</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
    'markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wps:txbx xmlns:wps="http://schemas.'
    'microsoft.com/office/word/2010/wordprocessingShape"><w:txbxContent><w:p><w:r><w:t>文本框第一行</w:t>'
    "</w:r></w:p><w:p><w:r><w:t>文本框第二行</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing>"
    '</mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
    "<w:txbxContent><w:p><w:r><w:t>文本框第一行</w:t></w:r></w:p><w:p><w:r><w:t>文本框第二行</w:t></w:r>"
    "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_text_box_header_and_footer():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "示例区司法局2024年政府信息公开工作年度报告"
    document.sections[0].footer.paragraphs[0].text = "示例区司法局办公室印发"
    document.add_paragraph("正文开始")
    document.element.body.insert(1, paragraph_xml(TEXT_BOX))
    document.add_paragraph("正文结束")
    doc = read_docx_bytes(to_bytes(document))
    assert [(b.text, b.where) for b in doc.blocks] == [
        ("示例区司法局2024年政府信息公开工作年度报告", {"header": 1}),
        ("正文开始", {"paragraph": 1}),
        ("锚定段落", {"paragraph": 2}),
        ("文本框第一行", {"paragraph": 3}),  # once: the VML fallback copy is skipped
        ("文本框第二行", {"paragraph": 4}),
        ("正文结束", {"paragraph": 5}),
        ("示例区司法局办公室印发", {"footer": 1}),
    ]


@pytest.mark.parametrize("folio", ["第 1 页", "— 1 —", "- 2 -", "3", "第1页共9页"])
def test_page_number_footer_is_not_text(folio):
    document = docx.Document()
    document.sections[0].footer.paragraphs[0].text = folio
    document.add_paragraph("正文")
    doc = read_docx_bytes(to_bytes(document))
    assert [(b.text, b.where) for b in doc.blocks] == [("正文", {"paragraph": 1})]


def test_title_in_header_is_read_as_title():
    rng = random.Random(5)
    values = consistent_tables(rng)
    document = build_report_docx(values, prose_with_numbers(rng, YEAR))
    title = document.paragraphs[0]
    document.sections[0].header.paragraphs[0].text = title.text
    title._p.getparent().remove(title._p)
    report = parse_document(read_docx_bytes(to_bytes(document)))
    assert report.meta.agency == AGENCY
    assert report.meta.year == YEAR
    assert not value_mismatches(report, values)


def test_content_controls_grid_before_and_nested_tables():
    document = docx.Document()
    document.add_paragraph("之前")
    sdt = parse_xml(
        f"<w:sdt {W_NS}><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>控件内</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(1, sdt)
    table = document.add_table(rows=2, cols=3)
    table.cell(1, 1).text = "x"
    row0 = table.rows[0]._tr
    row0.remove(row0.tc_lst[0])  # the first row starts one grid column in
    row0.get_or_add_trPr().append(parse_xml(f'<w:gridBefore {W_NS} w:val="1"/>'))
    docx.table._Cell(row0.tc_lst[0], table).text = "右移"
    frame = document.add_table(rows=1, cols=1)
    inner_cell = frame.cell(0, 0)
    inner_cell.paragraphs[0].text = "框内标题"
    inner = inner_cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内表"
    inner.cell(0, 1).text = "42"
    doc = read_docx_bytes(to_bytes(document))
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)][:2] == ["之前", "控件内"]
    outer, nested = tables_of(doc)
    assert [(c.text, c.where["col"]) for c in outer.rows[0]] == [("右移", 2), ("", 3)]
    assert "框内标题" in texts_of(doc)
    assert [c.text for c in nested.rows[0]] == ["内表", "42"]
    assert nested.rows[0][1].where == {"table": 2, "row": 1, "col": 2}


def test_automatic_numbering_is_rendered():
    rng = random.Random(7)
    values = consistent_tables(rng)
    document = build_report_docx(values, prose_with_numbers(rng, YEAR))
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {W_NS} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for paragraph in document.paragraphs:
        if paragraph.text in HEADINGS.values():
            paragraph.text = paragraph.text[2:]  # "一、总体情况" -> "总体情况", numbered by Word
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    doc = read_docx_bytes(to_bytes(document))
    assert [t for t in texts_of(doc) if t in HEADINGS.values()] == list(HEADINGS.values())
    report = parse_document(doc)
    assert all(report.sections[k] for k in "156")
    assert not value_mismatches(report, values)


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [(1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (15, "chineseCounting", "十五"),
     (21, "chineseCounting", "二十一"), (105, "chineseCountingThousand", "一百零五"),
     (3, "decimalEnclosedCircle", "③"), (4, "upperRoman", "IV"), (28, "lowerLetter", "bb"),
     (2, "chineseLegalSimplified", "贰"), (12, "ideographDigital", "一二"), (7, "decimal", "7")],
)  # fmt: skip
def test_number_formats(n, fmt, expected):
    from xxgk.read.docx_numbering import format_number

    assert format_number(n, fmt) == expected


# ---------------------------------------------------------------- hostile and broken input


def test_empty_file():
    with pytest.raises(InputError, match="文件为空"):
        read_docx_bytes(b"", "a.docx")


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99])
def test_truncated_docx(cut):
    _, data = report_bytes()
    with pytest.raises(InputError) as err:
        read_docx_bytes(data[: int(len(data) * cut)], "cut.docx")
    assert err.value.message == "DOCX 文件已损坏或不完整"
    assert str(err.value) == "cut.docx：DOCX 文件已损坏或不完整"


def test_corrupt_member_data():
    _, data = report_bytes()
    at = data.find(b"word/document.xml") + 200  # inside the compressed document.xml
    broken = data[:at] + bytes(b ^ 0xFF for b in data[at : at + 64]) + data[at + 64 :]
    with pytest.raises(InputError, match="DOCX 文件已损坏或不完整"):
        read_docx_bytes(broken)


def test_zip_that_is_not_a_docx():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match=r"不是 Word 文档（DOCX）"):
        read_docx_bytes(stream.getvalue(), "a.zip")


def test_package_without_document_part():
    _, data = report_bytes()
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(stream, "w") as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
    with pytest.raises(InputError, match=r"word/document\.xml"):
        read_docx_bytes(stream.getvalue())


def test_old_word_file_is_named():
    with pytest.raises(InputError, match=r"\.doc"):
        read_docx_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info))
    return stream.getvalue()


def test_entity_bomb_is_refused():
    _, data = report_bytes()
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    bomb = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [{entities}]>'
        f"<w:document {W_NS}><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    with pytest.raises(InputError) as err:
        read_docx_bytes(_replace_member(data, "word/document.xml", bomb), "bomb.docx")
    assert err.value.message == MSG_UNSAFE_XML


def test_external_entity_in_relationships_is_refused():
    _, data = report_bytes()
    rels = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    )
    with pytest.raises(InputError, match=MSG_UNSAFE_XML):
        read_docx_bytes(_replace_member(data, "_rels/.rels", rels))


def _local_header(name: bytes, crc: int, csize: int, size: int) -> bytes:
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, csize, size, len(name), 0) + name


def _central(name: bytes, crc: int, csize: int, size: int, offset: int) -> bytes:
    fields = (b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, csize, size, len(name), 0, 0, 0, 0, 0, offset)
    return struct.pack("<4s6H3L5HLL", *fields) + name


def write_zip_bomb(path, base_docx: bytes, gigabytes: int = 1) -> None:
    """A DOCX whose word/document.xml inflates to `gigabytes` GB of zeros (~1 MB compressed).

    Deflate with a full flush resets the compressor, so every 1 MB block of zeros compresses
    to the same bytes: the stream is written block by block, never held in memory."""
    zeros = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    count = gigabytes * 1024
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    members = []
    with zipfile.ZipFile(io.BytesIO(base_docx)) as src:
        members = [(i.filename, src.read(i)) for i in src.infolist() if i.filename != "word/document.xml"]
    central = b""
    with open(path, "wb") as out:
        for name, content in members:
            raw = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = raw.compress(content) + raw.flush()
            offset = out.tell()
            out.write(_local_header(name.encode(), zlib.crc32(content), len(packed), len(content)) + packed)
            central += _central(name.encode(), zlib.crc32(content), len(packed), len(content), offset)
        name = b"word/document.xml"
        size, csize = count << 20, len(block) * count + len(tail)
        offset = out.tell()
        out.write(_local_header(name, crc, csize, size))
        for _ in range(count):
            out.write(block)
        out.write(tail)
        central += _central(name, crc, csize, size, offset)
        start = out.tell()
        out.write(central)
        n = len(members) + 1
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(central), start, 0))


def test_zip_bomb_is_refused_quickly_with_bounded_memory(tmp_path):
    _, base = report_bytes()
    bomb = tmp_path / "bomb.docx"
    write_zip_bomb(bomb, base)
    data = bomb.read_bytes()
    assert len(data) < 2 * 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:  # the bomb is a well-formed archive
        assert archive.getinfo("word/document.xml").file_size == 1 << 30
    tracemalloc.start()
    started = time.perf_counter()
    with sandbox.inline(), pytest.raises(InputError, match="压缩炸弹"):  # measured in this process
        read_docx_bytes(data, "bomb.docx")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 16 * 1024 * 1024


def test_high_ratio_member_is_refused():
    _, data = report_bytes()
    zeros = bytes(8 << 20)  # 8 MB of zeros: under the total limit, ratio ~1000:1
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("word/media/padding.bin", zeros)
    with pytest.raises(InputError, match="压缩比异常"):
        read_docx_bytes(stream.getvalue())


def test_too_many_members_is_refused():
    _, data = report_bytes()
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(stream, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        for i in range(5001):
            dst.writestr(f"x/{i}", b"")
    with pytest.raises(InputError, match="文件过多"):
        read_docx_bytes(stream.getvalue())


def test_decimal_fee_cell_reads_as_decimal():
    values, data = report_bytes(11)
    report = parse_document(read_docx_bytes(data))
    assert isinstance(report.value("active/fees/amount"), Decimal)
    assert report.value("active/fees/amount") == values["active/fees/amount"]


def test_legacy_hmerge_ruby_and_deleted_row():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    tcs = table.rows[0]._tr.tc_lst
    tcs[1].get_or_add_tcPr().append(parse_xml(f'<w:hMerge {W_NS} w:val="restart"/>'))
    tcs[2].get_or_add_tcPr().append(parse_xml(f"<w:hMerge {W_NS}/>"))
    table.rows[1]._tr.get_or_add_trPr().append(parse_xml(f'<w:del {W_NS} w:id="1" w:author="赵六"/>'))
    table.rows[2]._tr.tc_lst[0].get_or_add_tcPr().append(parse_xml(f"<w:vMerge {W_NS}/>"))
    ruby = (
        "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>qū</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>区</w:t></w:r></w:rubyBase></w:ruby></w:r>"
    )
    document.element.body.insert(0, paragraph_xml(ruby))
    doc = read_docx_bytes(to_bytes(document))
    assert doc.blocks[0].text == "区"  # the phonetic guide (pinyin) is not text
    rows = tables_of(doc)[0].rows
    # Accepting the deletion makes rows 1 and 3 adjacent: row 3's vMerge continues row 1's
    # cell. Text in a continuation cell is kept (appended), never dropped.
    assert [(c.text, c.where["col"], c.rowspan, c.colspan) for c in rows[0]] == [
        ("00\n20", 1, 2, 1),
        ("01\n02", 2, 1, 2),
    ]
    assert [(c.text, c.where) for c in rows[1]] == [
        ("21", {"table": 1, "row": 2, "col": 2}),
        ("22", {"table": 1, "row": 2, "col": 3}),
    ]
    assert [(a.kind, a.text) for a in doc.artifacts] == [("revision", "删除表格行（赵六）：101112")]


def test_zip_limits_are_configurable():
    def member(name: str, size: int, compressed: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name)
        info.file_size, info.compress_size = size, compressed
        return info

    check_members([member("word/document.xml", 3 << 20, 1 << 20)], None)  # ratio 3:1 is fine
    with pytest.raises(InputError, match="XML 内容过大"):
        check_members([member("word/document.xml", 3 << 20, 1 << 20)], "a.docx", ZipLimits(max_xml=2 << 20))
    with pytest.raises(InputError, match="压缩比异常"):
        check_members([member("word/media/a.png", 3 << 20, 1000)], None)
    small = member("word/styles.xml", 900_000, 10)  # below ratio_from: no ratio check
    check_members([small], None)
    encrypted = member("word/document.xml", 10, 10)
    encrypted.flag_bits |= 0x1
    with pytest.raises(InputError, match="已加密"):
        check_members([encrypted], None)


def test_macro_enabled_document_is_read():
    _, data = report_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    assert main in types
    docm = _replace_member(
        data,
        "[Content_Types].xml",
        types.replace(main, b"application/vnd.ms-word.document.macroEnabled.main+xml"),
    )
    doc = read_docx_bytes(docm, "report.docm")
    assert len(tables_of(doc)) == 3
    assert texts_of(doc)[0] == f"{AGENCY}{YEAR}年政府信息公开工作年度报告"


def test_spreadsheet_package_is_not_a_word_document():
    _, data = report_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    xlsx = _replace_member(
        data,
        "[Content_Types].xml",
        types.replace(main, b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    )
    with pytest.raises(InputError, match=r"不是 Word 文档（DOCX）"):
        read_docx_bytes(xlsx, "book.xlsx")
