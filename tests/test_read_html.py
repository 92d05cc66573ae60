"""HTML reader: the Shanghai 2019 report cell by cell, and messy real-world markup."""

from __future__ import annotations

import base64
import json
import quopri
import resource
import time

import pytest

from shared import CORPUS, needs_shared
from xxgk.errors import InputError
from xxgk.extract import parse_document
from xxgk.formats import get_format
from xxgk.read.document import Paragraph, TableBlock
from xxgk.read.html import MAX_DEPTH, MAX_ELEMENTS, read_html_bytes

SHANGHAI = CORPUS / "shanghai-2019.html"
LABELS = CORPUS / "labels" / "shanghai-2019.json"


def read(markup: str, encoding: str = "utf-8"):
    return read_html_bytes(markup.encode(encoding), "t.html")


def tables(doc) -> list[TableBlock]:
    return [b for b in doc.blocks if isinstance(b, TableBlock)]


def paragraphs(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def grid(table: TableBlock) -> list[list[tuple]]:
    """Each row as (text, row, col, rowspan, colspan) per cell."""
    return [
        [(c.text, c.where["row"], c.where["col"], c.rowspan, c.colspan) for c in row] for row in table.rows
    ]


# --- the Shanghai 2019 report ---------------------------------------------------------------


@pytest.fixture(scope="module")
def shanghai():
    doc = read_html_bytes(SHANGHAI.read_bytes(), str(SHANGHAI))
    return doc, parse_document(doc), json.loads(LABELS.read_text(encoding="utf-8"))


def _values(report, table_key: str, row_key: str) -> list:
    row = get_format("2019").table(table_key)
    fields = next(r for r in row.rows if r.key == row_key).fields
    return [report.value(f"{table_key}/{row_key}/{f.key}") for f in fields]


@needs_shared
def test_shanghai_metadata(shanghai):
    doc, report, labels = shanghai
    assert doc.media_type == "text/html" and doc.encoding == "utf-8"
    assert report.format == labels["report_format"] == "2019"
    assert report.meta.year == labels["year"] == 2019
    assert report.meta.agency == labels["agency"] == "上海市人民政府办公厅"
    assert report.meta.publish_date == "2020-01-31"
    assert set(report.sections) == {"1", "2", "3", "4", "5", "6"}


@needs_shared
def test_shanghai_application_table_every_cell(shanghai):
    _, report, labels = shanghai
    rows = get_format("2019").table("applications").rows
    expected = list(labels["table_apply"].items())
    assert len(rows) == len(expected) == 23
    for row, (label, values) in zip(rows, expected, strict=True):
        assert label.split("/")[-1] in row.label  # the labels file and the format agree on order
        assert _values(report, "applications", row.key) == values, label


@needs_shared
def test_shanghai_total_column_blank_on_outcome_rows(shanghai):
    _, report, _ = shanghai
    assert report.value("applications/granted/total") is None
    assert report.has("applications/granted/total")  # read, and blank
    assert report.value("applications/total/total") == 805


@needs_shared
def test_shanghai_review_table_every_cell(shanghai):
    _, report, labels = shanghai
    got = [
        v
        for row in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
        for v in _values(report, "reviews", row)
    ]
    assert got == labels["table_review"]


@needs_shared
def test_shanghai_active_table_despite_its_grid_quirk(shanghai):
    _, report, labels = shanghai
    active = labels["table_active"]
    for row in get_format("2019").table("active").rows:
        expected = [251000 if v == "251000元" else v for v in active[row.label]]
        assert _values(report, "active", row.key) == expected, row.label
    assert report.cells["active/procurement/amount"].text == "251000元"
    assert all(c.confidence == "high" for c in report.cells.values())


@needs_shared
def test_shanghai_grid_coordinates(shanghai):
    doc, _, _ = shanghai
    active, apply, review = tables(doc)
    assert [t.where for t in (active, apply, review)] == [{"table": 1}, {"table": 2}, {"table": 3}]
    # The quirk is kept as written: the header's 本年增/减 spans columns 3-4, the value under
    # it starts in column 4 (the first value spans 2-3).
    assert grid(active)[5][2] == ("本年增/减", 6, 3, 1, 2)
    assert grid(active)[6][1:3] == [("0", 7, 2, 1, 2), ("0", 7, 4, 1, 1)]
    assert grid(apply)[1] == [("自然人", 2, 4, 2, 1), ("法人或其他组织", 2, 5, 1, 5), ("总计", 2, 10, 2, 1)]
    assert grid(apply)[5][:3] == [
        ("三、本年度办理结果", 6, 1, 20, 1),
        ("（一）予以公开", 6, 2, 1, 2),
        ("258", 6, 4, 1, 1),
    ]
    assert grid(apply)[7][0] == ("（三）不予公开", 8, 2, 8, 1)
    assert grid(apply)[8][:2] == [("2.其他法律行政法规禁止公开", 9, 3, 1, 1), ("", 9, 4, 1, 1)]
    assert grid(active)[1][1][0] == "本年新\n制作数量"  # <br> inside a cell
    assert len(review.rows[3]) == 15


@needs_shared
def test_shanghai_blocks_in_document_order(shanghai):
    doc, _, _ = shanghai
    kinds = [("T" if isinstance(b, TableBlock) else b.text) for b in doc.blocks]
    heading = kinds.index("二、主动公开政府信息情况")
    assert kinds[heading + 1 : heading + 5] == [
        "T",
        "三、收到和处理政府信息公开申请情况",
        "T",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    numbers = [b.where["paragraph"] for b in doc.blocks if isinstance(b, Paragraph)]
    assert numbers == list(range(1, len(numbers) + 1))


# --- tables ------------------------------------------------------------------------------------


def test_ragged_rows_keep_their_cells():
    doc = read(
        "<table><tr><td>a</td><td>b</td><td>c</td></tr><tr><td>1</td></tr><tr><td>x</td><td>y</td></tr></table>"
    )
    assert grid(tables(doc)[0]) == [
        [("a", 1, 1, 1, 1), ("b", 1, 2, 1, 1), ("c", 1, 3, 1, 1)],
        [("1", 2, 1, 1, 1)],
        [("x", 3, 1, 1, 1), ("y", 3, 2, 1, 1)],
    ]


def test_tolerant_span_values():
    doc = read(
        '<table><tr><td rowspan="2;">a</td><td colspan="2px">b</td><td colspan=" 0 ">c</td></tr>'
        '<tr><td>1</td><td rowspan="x">2</td><td colspan="-3">3</td><td colspan="99999999999">4</td></tr></table>'
    )
    assert grid(tables(doc)[0]) == [
        [("a", 1, 1, 2, 1), ("b", 1, 2, 1, 2), ("c", 1, 4, 1, 1)],
        [("1", 2, 2, 1, 1), ("2", 2, 3, 1, 1), ("3", 2, 4, 1, 1), ("4", 2, 5, 1, 1000)],
    ]


def test_overshooting_rowspan_is_capped_at_the_table_end():
    doc = read(
        '<table><tr><td>h</td><td>k</td></tr><tr><td rowspan="50">a</td><td>1</td></tr>'
        "<tr><td>2</td></tr></table>"
    )
    assert grid(tables(doc)[0])[1:] == [[("a", 2, 1, 2, 1), ("1", 2, 2, 1, 1)], [("2", 3, 2, 1, 1)]]


def test_rowspans_and_colspans_interleave():
    doc = read(
        '<table><tr><td rowspan="3">A</td><td colspan="2">B</td><td rowspan="2">C</td></tr>'
        '<tr><td>1</td><td rowspan="2">2</td></tr><tr><td>3</td><td>4</td></tr></table>'
    )
    assert grid(tables(doc)[0]) == [
        [("A", 1, 1, 3, 1), ("B", 1, 2, 1, 2), ("C", 1, 4, 2, 1)],
        [("1", 2, 2, 1, 1), ("2", 2, 3, 2, 1)],
        [("3", 3, 2, 1, 1), ("4", 3, 4, 1, 1)],
    ]


def test_unclosed_cells_and_rows():
    doc = read("<table><tr><td>2<td>3<td>4<tr><td>5<td>6</table><p>after")
    assert grid(tables(doc)[0]) == [
        [("2", 1, 1, 1, 1), ("3", 1, 2, 1, 1), ("4", 1, 3, 1, 1)],
        [("5", 2, 1, 1, 1), ("6", 2, 2, 1, 1)],
    ]
    assert paragraphs(doc) == ["after"]


def test_br_nbsp_and_whitespace_in_cells():
    doc = read(
        "<table><tr><td><p>本年新<br/>制作数量</p></td><td>&nbsp;</td><td>\n  1 2\n </td>"
        "<td><p>a</p><p>b</p></td><td>x&nbsp;&nbsp;y</td></tr></table>"
    )
    texts = [c.text for c in tables(doc)[0].rows[0]]
    assert texts == ["本年新\n制作数量", "", "1 2", "a\nb", "x\u00a0\u00a0y"]


def test_nested_layout_table_yields_inner_tables_and_outer_text():
    doc = read(
        "<table><tr><td>站点标题</td></tr><tr><td><p>二、主动公开政府信息情况</p>"
        "<table><tr><td>规章</td><td>13</td></tr><tr><td>规范性文件</td><td>60</td></tr></table>"
        "<p>三、收到和处理</p><table><tr><td>x</td><td>1</td></tr></table></td><td>侧栏</td></tr></table>"
    )
    kinds = [b.text if isinstance(b, Paragraph) else "T" for b in doc.blocks]
    assert kinds == ["站点标题", "二、主动公开政府信息情况", "T", "三、收到和处理", "T", "侧栏"]
    first, second = tables(doc)
    assert grid(first) == [
        [("规章", 1, 1, 1, 1), ("13", 1, 2, 1, 1)],
        [("规范性文件", 2, 1, 1, 1), ("60", 2, 2, 1, 1)],
    ]
    assert first.rows[0][1].where == {"table": 1, "row": 1, "col": 2}
    assert second.rows[0][1].where == {"table": 2, "row": 1, "col": 2}


def test_single_column_table_is_layout():
    doc = read(
        "<table><tr><td><p>一、总体情况</p><p>正文。</p></td></tr><tr><td>二、主动公开</td></tr></table>"
    )
    assert tables(doc) == []
    assert paragraphs(doc) == ["一、总体情况", "正文。", "二、主动公开"]


def test_caption_and_stray_wrappers():
    doc = read("<table><caption>表一</caption><tbody><tr><th>a</th><td>1</td></tr></tbody></table>")
    assert paragraphs(doc) == ["表一"]
    assert grid(tables(doc)[0]) == [[("a", 1, 1, 1, 1), ("1", 1, 2, 1, 1)]]


def test_full_width_digits_are_kept_and_read_by_the_extractor():
    cells = "".join(
        f"<td>{v}</td>" for v in ["５", "", "", "２", "７", "８", "", "", "１", "９", "", "", "", "", "０"]
    )
    doc = read(
        "<p>2019年某某局政府信息公开工作年度报告</p><p>四、政府信息公开行政复议、行政诉讼情况</p>"
        '<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
        f"<tr>{cells}</tr></table><p>五、存在的主要问题及改进情况</p>"
    )
    assert tables(doc)[0].rows[1][0].text == "５"
    report = parse_document(doc)
    assert report.value("reviews/reconsideration/upheld") == 5
    assert report.value("reviews/litigation_direct/total") == 9


def test_word_hidden_spacer_row_is_not_a_row():
    doc = read(
        "<table><tr><td>a</td><td>1</td></tr><![if !supportMisalignedColumns]>"
        "<tr height=0 style='display:none'><td width=20></td><td width=30></td></tr><![endif]></table>"
    )
    assert grid(tables(doc)[0]) == [[("a", 1, 1, 1, 1), ("1", 1, 2, 1, 1)]]


def test_site_page_with_layout_table_and_chrome():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
        '<form id="form1"><div class="top"><ul class="nav"><li><a>首页</a></li><li><a>2022年报</a></li></ul></div>'
        '<table width="1000"><tr><td class="left-menu"><a>机构概况</a><br><a>年报 2021</a></td><td>'
        '<div class="position">当前位置：<a>首页</a> &gt; 年度报告</div>'
        "<h1>2023年某某局政府信息公开工作年度报告</h1>"
        "<div class=TRS_Editor><p>　　一、总体情况</p><p>　　本年度主动公开信息 35 条。</p>"
        "<table border=1><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table>"
        "</div></td></tr></table><div class=footer>主办单位：某某局 电话：023-12345678 ICP备12345678号</div>"
        "</form></body></html>"
    )
    doc = read(page, "gbk")
    kinds = [b.text if isinstance(b, Paragraph) else "T" for b in doc.blocks]
    assert kinds == [
        "2023年某某局政府信息公开工作年度报告",
        "一、总体情况",
        "本年度主动公开信息 35 条。",
        "T",
    ]
    assert doc.blocks[-1].rows[1][1].where == {"table": 1, "row": 2, "col": 2}


# --- paragraphs ------------------------------------------------------------------------------


def test_block_elements_and_br_make_lines():
    doc = read(
        "<body>标题<div>一、总体情况<br>第二行<span>接</span>续</div><ul><li>甲</li><li>乙</li></ul>"
        "<h2>二、<b>主动</b>公开</h2><pre>a  b\nc</pre>尾</body>"
    )
    assert paragraphs(doc) == [
        "标题",
        "一、总体情况",
        "第二行接续",
        "甲",
        "乙",
        "二、主动公开",
        "a  b",
        "c",
        "尾",
    ]
    assert [b.where for b in doc.blocks][:2] == [{"paragraph": 1}, {"paragraph": 2}]


def test_word_html_conditional_comments():
    doc = read(
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><div class=WordSection1>'
        "<p class=MsoNormal><!--[if !supportLists]--><span>1.<span>&nbsp;</span></span><!--[endif]-->"
        "属于国家秘密<o:p></o:p></p><!--[if gte mso 9]><xml><o:x>99</o:x></xml><![endif]--></div></body></html>"
    )
    assert paragraphs(doc) == ["1.\u00a0属于国家秘密"]


def test_scripts_styles_and_nav_with_numbers_do_not_leak():
    doc = read(
        "<html><head><title>2018</title><style>p{x:1}</style><script>var a=12345;</script></head><body>"
        '<div id="topNav"><a href="/">首页</a><a>2019年报</a><a>2020年报</a> 访问量 88888</div>'
        '<ul class="menu"><li>1</li><li>2</li></ul><nav>777</nav><noscript>666</noscript>'
        '<div class="breadcrumb">当前位置：首页 &gt; 2019</div>'
        "<p>一、总体情况</p><script>document.write('55555')</script><p>正文 12 件。</p>"
        '<div class="bdsharebuttonbox">分享 4444</div><div style="display: none">3333</div>'
        "<select><option>2017</option></select><footer>版权所有 2024 ICP备 123</footer></body></html>"
    )
    assert paragraphs(doc) == ["一、总体情况", "正文 12 件。"]


def test_chrome_looking_wrapper_holding_the_article_is_kept():
    article = "<p>一、总体情况</p>" + "<p>本机关全年主动公开政府信息若干条，依申请公开办理及时规范。</p>" * 10
    doc = read(f'<body><form id="form1"><div class="main-nav-content">{article}</div></form></body>')
    assert paragraphs(doc)[0] == "一、总体情况" and len(paragraphs(doc)) == 11
    doc = read(
        "<header><a>首页</a></header><article><header><h1>2023年报告</h1></header><p>正文</p></article>"
    )
    assert paragraphs(doc) == ["2023年报告", "正文"]
    doc = read(
        '<div class="share-wrap"><p>一、总体情况</p><p>短报告。</p></div><div class="nav"><a>首页</a></div>'
    )
    assert paragraphs(doc) == ["一、总体情况", "短报告。"]  # most of the page's text: the article


# --- encodings -------------------------------------------------------------------------------

GBK_PAGE = "<html><head>{meta}</head><body><p>一、总体情况</p><p>本年度共收到申请１２件。</p></body></html>"


def test_gbk_page_with_meta_charset():
    for meta in (
        '<meta charset="gb2312">',
        '<meta http-equiv="Content-Type" content="text/html; charset=GBK">',
    ):
        doc = read_html_bytes(GBK_PAGE.format(meta=meta).encode("gbk"), "t.html")
        assert doc.encoding == "gb18030"
        assert paragraphs(doc) == ["一、总体情况", "本年度共收到申请１２件。"]


def test_gbk_page_declared_as_utf8():
    doc = read_html_bytes(GBK_PAGE.format(meta='<meta charset="utf-8">').encode("gbk"), "t.html")
    assert doc.encoding == "gb18030"
    assert paragraphs(doc)[0] == "一、总体情况"


def test_utf8_page_declared_as_gb2312_and_latin1():
    for charset in ("gb2312", "iso-8859-1"):
        doc = read_html_bytes(GBK_PAGE.format(meta=f'<meta charset="{charset}">').encode("utf-8"), "t.html")
        assert doc.encoding == "utf-8"
        assert paragraphs(doc)[0] == "一、总体情况"


def test_utf8_page_declared_as_utf16():
    doc = read_html_bytes(GBK_PAGE.format(meta='<meta charset="utf-16">').encode(), "t.html")
    assert doc.encoding == "utf-8" and paragraphs(doc)[0] == "一、总体情况"


def test_undeclared_gbk_and_utf16_with_bom():
    doc = read_html_bytes(GBK_PAGE.format(meta="").encode("gbk"), "t.html")
    assert paragraphs(doc)[0] == "一、总体情况"
    doc = read_html_bytes(GBK_PAGE.format(meta='<meta charset="gbk">').encode("utf-16"), "t.html")
    assert paragraphs(doc)[0] == "一、总体情况" and doc.encoding == "utf-16"


def test_xml_declaration_with_encoding():
    page = '<?xml version="1.0" encoding="gb2312"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>一、总体情况</p></body></html>'
    assert paragraphs(read_html_bytes(page.encode("gbk"), "t.xhtml")) == ["一、总体情况"]


def test_mhtml_quoted_printable_and_base64():
    page = GBK_PAGE.format(meta="").encode("gbk")
    qp = (
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b1"\r\n\r\n--b1\r\n'
        b'Content-Type: text/html; charset="gb2312"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        + quopri.encodestring(page)
        + b"\r\n--b1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b1--\r\n"
    )
    assert paragraphs(read_html_bytes(qp, "t.mht")) == ["一、总体情况", "本年度共收到申请１２件。"]
    b64 = (
        b'From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b2"\r\n\r\n'
        b"--b2\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(GBK_PAGE.format(meta='<meta charset="utf-8">').encode())
        + b"\r\n--b2--\r\n"
    )
    assert paragraphs(read_html_bytes(b64, "t.doc"))[0] == "一、总体情况"


# --- hostile and empty input -----------------------------------------------------------------


def test_xml_entity_bomb_is_not_expanded():
    entities = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    page = (
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n' + "\n".join(entities) + "\n]>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>一、总体情况 &a9;</p><p>x</p></body></html>'
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    doc = read(page)
    assert time.perf_counter() - start < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB: < 100 MB
    assert paragraphs(doc) == ["一、总体情况 &a9;", "x"]


def test_external_entities_and_network_are_not_touched():
    page = '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><p>a&x;b</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    assert paragraphs(read(page)) == ["a&x;b"]


def test_empty_inputs():
    for data in (b"", b"  \n\t"):
        with pytest.raises(InputError, match="文件为空"):
            read_html_bytes(data, "t.html")
    for markup in ("<html><body><script>render()</script></body></html>", "<!-- nothing -->"):
        with pytest.raises(InputError, match="网页中没有正文文字"):
            read(markup)


def test_too_many_elements_is_refused():
    with pytest.raises(InputError, match="网页结构过于复杂"):
        read("<b>1</b>" * (MAX_ELEMENTS + 1))


def test_too_deep_nesting_is_refused():
    with pytest.raises(InputError, match="网页结构过于复杂.*嵌套"):
        read("<div>" * (MAX_DEPTH + 10) + "x")
    assert paragraphs(read("<div>" * (MAX_DEPTH - 10) + "x")) == ["x"]


def test_too_many_lines_is_refused():
    with pytest.raises(InputError, match="网页结构过于复杂.*段落"):
        read("<pre>" + "1\n" * (MAX_ELEMENTS + 1) + "</pre>")


def test_huge_table_grid_is_refused_quickly():
    row = "<tr>" + '<td rowspan="60000">1</td>' * 1000 + "</tr>"
    start = time.perf_counter()
    with pytest.raises(InputError, match="网页结构过于复杂"):
        read("<table>" + row + "<tr><td>x</td></tr>" * 60000 + "</table>")
    assert time.perf_counter() - start < 10


def test_oversized_input_is_refused():
    with pytest.raises(InputError, match="文件过大"):
        read_html_bytes(b"<p>x</p>" * 20, "t.html", max_bytes=100)
