"""OFD reader: an OFD made from a report's PDF reads exactly like that PDF (same blocks, same
cells, same table boxes), for the five seeds and the LibreOffice PDFs of test_read_pdf; glyph
and path geometry; damaged and hostile packages give one Chinese error."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile

import pytest
from lxml import etree

import ofdmaker
import pdfmaker
from layouts import value_mismatches
from ofdmaker import document_xml, ofd_xml, package, page_xml, path_object, simple_ofd, text_object
from xxgk.api import expand_inputs, load_report
from xxgk.errors import InputError
from xxgk.extract import parse_document
from xxgk.read import read_bytes, sniff_bytes
from xxgk.read.document import Paragraph, TableBlock
from xxgk.read.ofd import MSG_SCANNED, read_ofd_bytes
from xxgk.read.ofdcontent import MM, ContentReader
from xxgk.read.ofdpage import PageRecords

SEEDS = ["000", "001", "002", "003", "004"]
needs_soffice = pytest.mark.skipif(pdfmaker.SOFFICE is None, reason="LibreOffice (soffice) not installed")


def _shape(doc) -> list:
    """Blocks as text: paragraphs, and tables as rows of (text, rowspan, colspan)."""
    return [
        [[(c.text, c.rowspan, c.colspan) for c in row] for row in b.rows]
        if isinstance(b, TableBlock)
        else b.text
        for b in doc.blocks
    ]


def _wheres(doc) -> list[dict]:
    out = []
    for block in doc.blocks:
        if isinstance(block, TableBlock):
            out += [cell.where for row in block.rows for cell in row]
        else:
            out.append(block.where)
    return out


def _reads_like_pdf(pdf: bytes, **shape):
    """Read `pdf` and the OFD made from it; both Documents must agree block for block."""
    ofd = ofdmaker.pdf_to_ofd(pdf, **shape)
    assert sniff_bytes(ofd, "报告.ofd") == "ofd"
    from_pdf, from_ofd = read_bytes(pdf, "报告.pdf"), read_bytes(ofd, "报告.ofd")
    assert from_ofd.media_type == "application/ofd" and len(from_ofd.sha256) == 64
    assert _shape(from_ofd) == _shape(from_pdf)
    for want, got in zip(_wheres(from_pdf), _wheres(from_ofd), strict=True):
        assert set(got) == set(want) and got["page"] == want["page"] and got.get("table") == want.get("table")
        # ruling lines carry over exactly; glyph boxes within 4 pt (ascent and widths are estimated)
        tolerance = 0.01 if "table" in want else 4.0
        assert max(abs(a - b) for a, b in zip(want["bbox"], got["bbox"], strict=True)) <= tolerance
    return from_pdf, from_ofd


# ---------------------------------------------------------------- reports


@pytest.mark.parametrize("seed", SEEDS)
def test_each_seed_as_ofd_reads_exactly_like_its_pdf(seed):
    from_pdf, from_ofd = _reads_like_pdf(ofdmaker.seed_pdf(seed))
    fixture, values = ofdmaker.seed_fixture(seed), ofdmaker.seed_values(seed)
    report, pdf_report = parse_document(from_ofd), parse_document(from_pdf)
    assert len(values) == 200 and value_mismatches(report, values) == []
    assert {r: (c.value, c.raw, c.where) for r, c in report.cells.items()} == {
        r: (c.value, c.raw, c.where) for r, c in pdf_report.cells.items()
    }
    assert report.meta.agency == (fixture["agency"] or "某镇人民政府")
    assert (report.meta.year, report.format) == (fixture["year"], "2021")


@pytest.mark.parametrize("shape", [{"ctm": True}, {"per_char": True}])
def test_scaled_object_space_and_one_object_per_glyph_read_the_same(shape):
    _, from_ofd = _reads_like_pdf(ofdmaker.seed_pdf("004"), **shape)
    assert value_mismatches(parse_document(from_ofd), ofdmaker.seed_values("004")) == []


@needs_soffice
@pytest.mark.parametrize("variant", ["ruled", "borderless", "distributed"])
def test_libreoffice_pdfs_as_ofd_read_exactly(variant):
    values, _ = pdfmaker.report_values(11)
    _, from_ofd = _reads_like_pdf(pdfmaker.pdf_bytes(variant, 11))
    assert value_mismatches(parse_document(from_ofd), values) == []
    texts = {c.text for b in from_ofd.blocks if isinstance(b, TableBlock) for row in b.rows for c in row}
    assert {"本年制发件数", "申请人情况"} <= texts
    if variant != "borderless":  # distributed headers (结 果 维 持) come back as words
        assert "结果维持" in texts


def test_ofd_files_are_found_in_directories_and_loaded(tmp_path):
    (tmp_path / "年报.ofd").write_bytes(ofdmaker.pdf_to_ofd(ofdmaker.seed_pdf("001")))
    (tmp_path / "说明.xml").write_text("<x/>")
    [path] = expand_inputs([str(tmp_path)])
    assert path.endswith("年报.ofd")
    assert value_mismatches(load_report(path), ofdmaker.seed_values("001")) == []


def _xxgk(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "XXGK_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli", *args], capture_output=True, timeout=120, env=env
    )


def test_cli_reads_an_ofd_and_refuses_a_damaged_one_in_one_line(tmp_path):
    good, bad = tmp_path / "年报.ofd", tmp_path / "坏.ofd"
    good.write_bytes(ofdmaker.pdf_to_ofd(ofdmaker.seed_pdf("002")))
    bad.write_bytes(package({"OFD.xml": ofd_xml()}))
    result = _xxgk("parse", str(good), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    assert '"agency": "卫东区司法局"' in result.stdout.decode()
    result = _xxgk("parse", str(bad))
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == [
        f"错误：{bad}：OFD 文件已损坏：缺少文档 Doc_0/Document.xml"
    ]


# ---------------------------------------------------------------- geometry


def _records(*objects: str) -> PageRecords:
    records = PageRecords(210 * MM, 297 * MM)
    ContentReader(records, (0.0, 0.0)).add(etree.fromstring(page_xml(list(objects))), "p.xml")
    return records


def _close(values, expected) -> bool:
    return all(abs(a - b) < 1e-6 for a, b in zip(values, expected, strict=True))


def test_glyphs_are_placed_by_boundary_textcode_and_compressed_delta_x():
    [obj] = [text_object("政府信息公", (20, 30, 60, 5), 4, 0, 4, delta_x="g 3 4 2")]
    chars = _records(obj).chars
    assert "".join(c["text"] for c in chars) == "政府信息公"
    assert _close([c["x0"] / MM for c in chars], [20, 24, 28, 32, 34])
    assert _close([c["x1"] / MM for c in chars], [24, 28, 32, 34, 38])  # the last: one em
    assert _close([c["top"] / MM for c in chars], [34 - 0.86 * 4] * 5)
    assert all(abs(c["size"] - 4 * MM) < 1e-9 and c["upright"] for c in chars)


def test_ctm_scales_object_space_and_a_textcode_without_x_goes_on():
    obj = (
        '<ofd:TextObject ID="1" Boundary="10 10 100 20" Font="1" Size="8" CTM="0.5 0 0 0.5 0 0">'
        '<ofd:TextCode X="0" Y="8" DeltaX="8">公开</ofd:TextCode><ofd:TextCode>12</ofd:TextCode>'
        "</ofd:TextObject>"
    )
    chars = _records(obj).chars
    assert [c["text"] for c in chars] == ["公", "开", "1", "2"]
    assert _close([c["x0"] / MM for c in chars], [10, 14, 18, 20])  # "1", "2": half an em each
    assert _close([c["bottom"] / MM for c in chars], [14 + 0.14 * 4] * 4)


def test_spaced_out_glyphs_keep_their_gaps():
    chars = _records(text_object("结果维持", (0, 0, 80, 5), 4, 0, 4, delta_x="g 3 10")).chars
    assert _close([c["x1"] - c["x0"] for c in chars], [4 * MM] * 4)


def test_paths_become_ruling_lines_and_rects():
    records = _records(
        path_object("M 0 0 L 100 0", (10, 20, 100, 0)),
        path_object("M 0 0 L 0 50 M 5 0 L 5 50", (10, 20, 5, 50)),
        path_object("M 0 0 L 10 0 L 10 5 L 0 5 C", (10, 80, 10, 5), extra=' Fill="true"'),
        path_object("M 0 0 L 10 10 M 0 0 B 1 1 2 2 3 3", (0, 0, 10, 10)),  # slanted, curved
        path_object("M 0 0 L 10 0", (0, 0, 10, 0), extra=' Stroke="false"'),  # not painted
        path_object("M 0 0 L 10 0", (0, 0, 10, 0), extra=' Visible="false"'),
        "<ofd:PageBlock><ofd:PageBlock>"
        + path_object("S 0 0 L 0 9", (1, 1, 0, 9))
        + "</ofd:PageBlock></ofd:PageBlock>",
    )
    lines = [
        (round(r["x0"] / MM, 3), round(r["top"] / MM, 3), round(r["x1"] / MM, 3), round(r["bottom"] / MM, 3))
        for r in records.lines
    ]
    assert lines == [(10, 20, 110, 20), (10, 20, 10, 70), (15, 20, 15, 70), (1, 1, 1, 10)]
    [rect] = records.rects
    assert _close([rect[k] / MM for k in ("x0", "top", "x1", "bottom")], [10, 80, 20, 85]) and rect["fill"]


def test_templates_absolute_locations_and_page_boxes():
    template = page_xml([text_object("模板页眉文字", (20, 10, 30, 5), 4, 0, 4)])
    page = page_xml([text_object("本页正文", (20, 40, 20, 5), 4, 0, 4)], box="0 0 148 210", templates=("7",))
    parts = {
        "OFD.xml": ofd_xml("/Doc_0/Document.xml"),
        "Doc_0/Document.xml": document_xml(
            ["/Doc_0/Pages/Page_0/Content.xml"], templates={"7": "Tpls/T.xml"}
        ),
        "Doc_0/Tpls/T.xml": template,
        "Doc_0/Pages/Page_0/Content.xml": page,
    }
    doc = read_ofd_bytes(package(parts), "a.ofd")
    assert [b.text for b in doc.blocks] == ["模板页眉文字", "本页正文"]
    assert all(isinstance(b, Paragraph) and b.where["page"] == 1 for b in doc.blocks)


def test_text_set_sideways_is_read_upright_as_in_a_pdf():
    # Baselines run down the page (CTM: a quarter turn clockwise); the first line is rightmost.
    lines = ["第一行文字", "第二行文字", "第三行：12"]
    objects = [
        text_object(t, (150 - 12 * k, 20, 10, 100), 4, 0, 4, delta_x="g 4 4", ctm="0 1 -1 0 10 0")
        for k, t in enumerate(lines)
    ]
    doc = read_ofd_bytes(simple_ofd([page_xml(objects)]), "t.ofd")
    assert [b.text for b in doc.blocks] == lines


def test_huge_g_repeat_is_expanded_only_as_far_as_needed():
    doc = read_ofd_bytes(
        simple_ofd([page_xml([text_object("公开", (0, 0, 9, 5), 4, 0, 4, "g 999999999999 4")])])
    )
    assert [b.text for b in doc.blocks] == ["公开"]


# ---------------------------------------------------------------- damaged and hostile


def _page(*objects: str) -> bytes:
    return page_xml(list(objects) or [text_object("正文", (0, 0, 9, 5), 4, 0, 4)])


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", ofd_xml())
        archive.writestr("Doc_0/Res/big.xml", b"<a>" + b" " * (50 * 1024 * 1024) + b"</a>")
    return out.getvalue()


_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    b'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content/>&b;</ofd:Page>'
)
PAGE = re.escape("Doc_0/Pages/Page_0/Content.xml")
_NESTED = "<ofd:PageBlock>" * 40 + "</ofd:PageBlock>" * 40

# Each case builds (the package, the reason after "OFD 文件已损坏：" as a regular expression).
DAMAGED = {
    "not a zip": lambda: (b"PK\x03\x04" + b"\0" * 64, "不是完整的 ZIP 压缩包"),
    "cut short": lambda: (simple_ofd([_page()])[:300], "不是完整的 ZIP 压缩包"),
    "no OFD.xml": lambda: (package({"Doc_0/Document.xml": document_xml(["P.xml"])}), "缺少 OFD.xml"),
    "no DocRoot": lambda: (package({"OFD.xml": ofd_xml("")}), r"OFD.xml 没有指明文档（DocBody/DocRoot）"),
    "no document": lambda: (package({"OFD.xml": ofd_xml()}), "缺少文档 Doc_0/Document.xml"),
    "no pages": lambda: (
        package({"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml([])}),
        "Doc_0/Document.xml 中没有页面",
    ),
    "missing page part": lambda: (
        package({"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"])}),
        r"缺少第 1 页的内容（Pages/Page_0/Content.xml）",
    ),
    "bad XML early": lambda: (
        simple_ofd([b"<ofd:Page xmlns:ofd='x'"]),
        f"{PAGE} 不是有效的 XML",
    ),
    "bad XML late": lambda: (simple_ofd([_page()[:-12]]), f"{PAGE} 不是有效的 XML"),
    "entities": lambda: (simple_ofd([_LAUGHS]), "文档含有不安全的 XML 实体定义"),
    "zip bomb": lambda: (
        _bomb(),
        r"压缩包成员 Doc_0/Res/big.xml 的压缩比异常（\d+:1，解压后 50\.0 MB），可能是压缩炸弹",
    ),
    "NaN boundary": lambda: (
        simple_ofd([_page(text_object("正文", (float("nan"), 0, 9, 5), 4, 0, 4))]),
        f"{PAGE} 中的 Boundary 数值无效（nan）",
    ),
    "astronomical boundary": lambda: (
        simple_ofd([_page(path_object("M 0 0 L 1 0", (1e12, 0, 1, 0)))]),
        rf"{PAGE} 中的 Boundary 数值无效（1000000000000）",
    ),
    "overflowing delta": lambda: (
        simple_ofd([_page(text_object("正文", (0, 0, 9, 5), 4, 0, 4, "1e400"))]),
        rf"{PAGE} 中的 DeltaX 数值无效（1e400）",
    ),
    "bad g syntax": lambda: (
        simple_ofd([_page(text_object("正文", (0, 0, 9, 5), 4, 0, 4, "g x 1"))]),
        f"{PAGE} 中的 DeltaX 数值无效（g x 1）",
    ),
    "short CTM": lambda: (
        simple_ofd([_page(text_object("正文", (0, 0, 9, 5), 4, 0, 4, ctm="1 0 0 1"))]),
        f"{PAGE} 中的 CTM 应为 6 个数（1 0 0 1）",
    ),
    "negative size": lambda: (
        simple_ofd([_page(text_object("正文", (0, 0, 9, 5), -4, 0, 4))]),
        f"{PAGE} 中的 Size 数值无效（-4）",
    ),
    "junk path": lambda: (
        simple_ofd([_page(path_object("M 0 0 X 1 1", (0, 0, 1, 1)))]),
        f"{PAGE} 中的 AbbreviatedData 无效（M 0 0 X 1 1）",
    ),
    "zero page width": lambda: (
        simple_ofd([_page()], box="0 0 0 297"),
        r"Doc_0/Document.xml 中的页面尺寸无效（0 0 0 297）",
    ),
    "page of 50 metres": lambda: (
        simple_ofd([page_xml([], box="0 0 50000 297")]),
        f"{PAGE} 中的页面尺寸无效（0 0 50000 297）",
    ),
    "blocks nested too deep": lambda: (
        simple_ofd([page_xml([_NESTED])]),
        f"{PAGE} 中的 PageBlock 嵌套过深（超过 32 层）",
    ),
    "page part too large": lambda: (
        simple_ofd([_page(*[path_object(f"M 0 {i} L 1 {i}", (0, 0, 1, 1)) for i in range(50_000)])]),
        rf"{PAGE} 过大（\d+\.\d MB，上限 8 MB）",
    ),
    "too much text on a page": lambda: (
        simple_ofd([_page(*[text_object("字" * 10_000, (0, 0, 9, 5), 4, 0, 4)] * 4)]),
        f"{PAGE} 的文字过多（一页超过 30000 个），不像报告页面",
    ),
    "too many lines on a page": lambda: (
        simple_ofd([_page(path_object(" ".join(f"M 0 {i} L 1 {i}" for i in range(100_001)), (0, 0, 1, 1)))]),
        f"{PAGE} 的线条过多（一页超过 100000 条）",
    ),
}


@pytest.mark.parametrize("case", list(DAMAGED))
def test_damaged_ofd_gives_one_chinese_error(case):
    data, reason = DAMAGED[case]()
    with pytest.raises(InputError) as caught:
        read_bytes(data, "报告.ofd", "ofd")
    assert re.fullmatch(f"OFD 文件已损坏：{reason}", caught.value.message), caught.value.message
    assert caught.value.path == "报告.ofd" and str(caught.value).startswith("报告.ofd：OFD 文件已损坏：")
    assert "\n" not in str(caught.value)


def test_empty_input_is_refused():
    with pytest.raises(InputError, match="^a.ofd：文件为空$"):
        read_ofd_bytes(b"", "a.ofd")


def test_too_many_pages_are_refused_before_any_page_is_read():
    data = package({"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml(["P.xml"] * 100_000)})
    with pytest.raises(InputError, match=r"^long.ofd：OFD 页数过多（100000 页，上限 200 页）$"):
        read_ofd_bytes(data, "long.ofd")
    with pytest.raises(InputError, match="缺少第 1 页的内容（P.xml）"):
        read_ofd_bytes(data, "long.ofd", max_pages=100_000)


def test_time_limit_is_checked_between_pages():
    with pytest.raises(InputError, match=r"^slow.ofd：OFD 处理超时（超过 0 秒）$"):
        read_ofd_bytes(simple_ofd([_page()]), "slow.ofd", timeout=0)


def test_page_images_without_text_are_a_scan_to_convert():
    image = '<ofd:ImageObject ID="3" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="9"/>'
    with pytest.raises(InputError, match=re.escape(f"scan.ofd：{MSG_SCANNED}")):
        read_ofd_bytes(simple_ofd([page_xml([image])]), "scan.ofd")
    assert read_ofd_bytes(simple_ofd([page_xml([])])).blocks == []  # a blank page: nothing to read


def test_reading_runs_in_a_bounded_child_that_a_runaway_page_cannot_take_down(monkeypatch):
    """A page that would take all memory, or never end, costs the child, not the caller."""
    from xxgk.read import ofd, sandbox

    def hog(package, layout, reader):
        return [bytearray(64 * 2**20) for _ in range(64)]  # 4 GB, far past the child's limit

    monkeypatch.setattr(ofd, "_read_pages", hog)  # the child is forked: it sees this
    with pytest.raises(InputError, match=re.escape(f"big.ofd：{sandbox.memory_message()}")):
        read_ofd_bytes(simple_ofd([_page()]), "big.ofd")

    def spin(package, layout, reader):
        while True:
            pass

    monkeypatch.setattr(ofd, "_read_pages", spin)
    with pytest.raises(InputError, match=r"^loop.ofd：OFD 处理超时（超过 1 秒）$"):
        read_ofd_bytes(simple_ofd([_page()]), "loop.ofd", timeout=1)
    monkeypatch.undo()
    assert read_ofd_bytes(simple_ofd([_page()]), "ok.ofd").blocks  # and the next file reads as ever
