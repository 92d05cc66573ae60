"""HTML reader equivalence: for a fixed set of pages (hand-written markup, generated tables
with spans, nesting, <br>, hidden rows and clutter, and the Shanghai 2019 report) the
Document is exactly the one stored in fixtures/html_fast_blocks.json, which was written by
the reader as it was before it was made fast (commit a7ee7fd).

Regenerate (only when a change of behaviour is intended):
    PYTHONPATH=src python tests/test_html_fast.py > tests/fixtures/html_fast_blocks.json
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from shared import CORPUS  # noqa: E402
from xxgk.errors import InputError  # noqa: E402
from xxgk.read.document import Paragraph  # noqa: E402
from xxgk.read.html import read_html_bytes  # noqa: E402

EXPECTED = HERE / "fixtures" / "html_fast_blocks.json"
SHANGHAI = CORPUS / "shanghai-2019.html"

_LONG = "本机关全年主动公开政府信息若干条，依申请公开办理及时规范。" * 40

MARKUP = {
    "ragged": "<table><tr><td>a</td><td>b</td><td>c</td></tr><tr><td>1</td></tr><tr><td>x</td><td>y</td></tr></table>",
    "tolerant_spans": '<table><tr><td rowspan="2;">a</td><td colspan="2px">b</td><td colspan=" 0 ">c</td></tr>'
    '<tr><td>1</td><td rowspan="x">2</td><td colspan="-3">3</td><td colspan="99999999999">4</td></tr></table>',
    "overshoot": '<table><tr><td>h</td><td>k</td></tr><tr><td rowspan="50">a</td><td>1</td></tr><tr><td>2</td></tr></table>',
    "interleave": '<table><tr><td rowspan="3">A</td><td colspan="2">B</td><td rowspan="2">C</td></tr>'
    '<tr><td>1</td><td rowspan="2">2</td></tr><tr><td>3</td><td>4</td></tr></table>',
    "unclosed": "<table><tr><td>2<td>3<td>4<tr><td>5<td>6</table><p>after",
    "br_nbsp": "<table><tr><td><p>本年新<br/>制作数量</p></td><td>&nbsp;</td><td>\n  1 2\n </td>"
    "<td><p>a</p><p>b</p></td><td>x&nbsp;&nbsp;y</td></tr></table>",
    "nested_layout": "<table><tr><td>站点标题</td></tr><tr><td><p>二、主动公开政府信息情况</p>"
    "<table><tr><td>规章</td><td>13</td></tr><tr><td>规范性文件</td><td>60</td></tr></table>"
    "<p>三、收到和处理</p><table><tr><td>x</td><td>1</td></tr></table></td><td>侧栏</td></tr></table>",
    "single_column": "<table><tr><td><p>一、总体情况</p><p>正文。</p></td></tr><tr><td>二、主动公开</td></tr></table>",
    "caption": "<table><caption>表一</caption><tbody><tr><th>a</th><td>1</td></tr></tbody></table>",
    "spacer_row": "<table><tr><td>a</td><td>1</td></tr><![if !supportMisalignedColumns]>"
    "<tr height=0 style='display:none'><td width=20></td><td width=30></td></tr><![endif]></table>",
    "hidden_row_with_text": "<table><tr><td>a</td><td>1</td></tr>"
    "<tr style='visibility: HIDDEN'><td>b</td><td>2</td></tr><tr style='display:none'><td>\u3000</td></tr></table>",
    "blocks_and_br": "<body>标题<div>一、总体情况<br>第二行<span>接</span>续</div><ul><li>甲</li><li>乙</li></ul>"
    "<h2>二、<b>主动</b>公开</h2><pre>a  b\nc</pre>尾</body>",
    "word_comments": '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><div class=WordSection1>'
    "<p class=MsoNormal><!--[if !supportLists]--><span>1.<span>&nbsp;</span></span><!--[endif]-->"
    "属于国家秘密<o:p></o:p></p><!--[if gte mso 9]><xml><o:x>99</o:x></xml><![endif]--></div></body></html>",
    "chrome": "<html><head><title>2018</title><style>p{x:1}</style><script>var a=12345;</script></head><body>"
    '<div id="topNav"><a href="/">首页</a><a>2019年报</a><a>2020年报</a> 访问量 88888</div>'
    '<ul class="menu"><li>1</li><li>2</li></ul><nav>777</nav><noscript>666</noscript>'
    '<div class="breadcrumb">当前位置：首页 &gt; 2019</div>'
    "<p>一、总体情况</p><script>document.write('55555')</script><p>正文 12 件。</p>"
    '<div class="bdsharebuttonbox">分享 4444</div><div style="display: none">3333</div>'
    "<select><option>2017</option></select><footer>版权所有 2024 ICP备 123</footer></body></html>",
    "chrome_wrapper_article": '<body><form id="form1"><div class="main-nav-content"><p>一、总体情况</p>'
    + "<p>本机关全年主动公开政府信息若干条，依申请公开办理及时规范。</p>" * 10
    + "</div></form></body>",
    "header_in_article": "<header><a>首页</a></header><article><header><h1>2023年报告</h1></header><p>正文</p></article>",
    "short_share": '<div class="share-wrap"><p>一、总体情况</p><p>短报告。</p></div><div class="nav"><a>首页</a></div>',
    "site_page": '<html><head><meta charset="utf-8"></head><body>'
    '<form id="form1"><div class="top"><ul class="nav"><li><a>首页</a></li><li><a>2022年报</a></li></ul></div>'
    '<table width="1000"><tr><td class="left-menu"><a>机构概况</a><br><a>年报 2021</a></td><td>'
    '<div class="position">当前位置：<a>首页</a> &gt; 年度报告</div>'
    "<h1>2023年某某局政府信息公开工作年度报告</h1>"
    "<div class=TRS_Editor><p>　　一、总体情况</p><p>　　本年度主动公开信息 35 条。</p>"
    "<table border=1><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table>"
    "</div></td></tr></table><div class=footer>主办单位：某某局 电话：023-12345678 ICP备12345678号</div>"
    "</form></body></html>",
    "cells_mixed_content": "<table><tr><th>前<p>段一</p>中<div>段二<b>粗</b>尾</div>后</th>"
    "<td><span>a</span> <i>b</i>\n<br>c</td><td>x<pre>  p1  \n\n p2 </pre>y</td>"
    "<td><!-- c -->t<!-- d -->u</td><td><p></p><p>\f\t</p>z</td></tr>"
    "<tr><td><script>1</script>s<style>p{}</style>t</td><td><div style='display:none'>藏</div>见</td>"
    "<td class='nav'>导航格</td><td><ul><li>一</li><li>二</li></ul></td><td>&lt;b&gt;&amp;</td></tr></table>",
    "cell_one_child_variants": "<table><tr><td> a <p> b </p> c </td><td><p>x<br>y</p></td>"
    "<td><pre>q</pre></td><td><span>inline</span></td><td><p><span>deep</span></p></td>"
    "<td>t<br></td><td><br></td><td><p>\u3000全角\u3000</p></td></tr></table>",
    "article_cell": f"<table><tr><td>栏目</td><td><p>{_LONG}</p></td></tr></table><p>尾</p>",
    "wrapper_between": "<table><form><tr><td>a</td><td>b</td></tr></form><tbody><tr><td>c</td><td>d</td></tr>"
    "</tbody><tfoot><tr><td colspan=2>e</td></tr></tfoot></table>",
    "text_outside_cells": "<table>散<tr>行<td>a</td>间<td>b</td></tr>尾</table>后",
    "layout_text_outside_cells": "<table>散<tr>行<td>a</td>间</tr><tr><td><table><tr><td>1</td><td>2</td></tr>"
    "</table></td></tr></table>",
    "table_in_caption": "<table><caption>表<table><tr><td>1</td><td>2</td></tr></table></caption>"
    "<tr><td>x</td></tr></table>",
    "upper_case": "<HTML><BODY><P>一、总体情况</P><TABLE><TR><TD ROWSPAN=2>A</TD><TD>1</TD></TR>"
    "<TR><TD>2</TD></TR></TABLE></BODY></HTML>",
    "xhtml": '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
    "<p>一、总体情况</p><table><tr><td>a</td><td>1</td></tr></table></body></html>",
    "no_body": "<table><tr><td>a</td><td>b</td></tr></table>",
    "empty_rows": "<table><tr></tr><tr><td>a</td><td>b</td></tr><tr></tr><tr><td rowspan=3>c</td></tr></table>",
    "nested_cell_rowspans": "<table><tr><td><table><tr><td rowspan=2>a</td><td>b</td></tr><tr><td>c</td></tr>"
    "</table></td><td>右</td></tr></table>",
    "hidden_attr": "<p>一</p><div hidden>藏</div><p hidden>藏2</p><table><tr><td hidden>h</td><td>v</td></tr></table>",
    "script_only": "<html><body><script>render()</script></body></html>",
    "comment_only": "<!-- nothing -->",
    "deep": "<div>" * 210 + "x",
    "carriage_returns": "<p>a\r\nb</p>\r<table><tr><td>1\r2</td><td>3</td></tr></table>",
}

ENCODED = {
    "gbk_meta": "<html><head><meta charset=\"gb2312\"></head><body><p>一、总体情况</p>"
    "<table><tr><td>申请</td><td>１２</td></tr></table></body></html>".encode("gbk"),
    "utf16_bom": "<html><body><p>一、总体情况</p><table><tr><td>a</td><td>1</td></tr></table></body></html>".encode(
        "utf-16"
    ),
    "lone_surrogate": "<p>a\udc80b</p><table><tr><td>\udc81</td><td>1</td></tr></table>".encode(
        "utf-8", "surrogateescape"
    ),
}


def generated_table(rng: random.Random) -> str:
    """A random data or layout table: spans (some odd), <br>, blocks, inline tags, empty
    cells, hidden rows, comments, scripts and styles, sometimes nested in a layout table."""
    words = ["信息内容", "12", "０", "", " ", "\u3000", "a  b", "总计", "&nbsp;", "x&amp;y"]

    def cell() -> str:
        tag = rng.choice(["td", "td", "td", "th"])
        attrs = ""
        if rng.random() < 0.25:
            attrs += f' rowspan="{rng.choice(["2", "3", "0", "9", "2;", "x", " 4"])}"'
        if rng.random() < 0.25:
            attrs += f' colspan="{rng.choice(["2", "3", "0", "-1", "2px", "5"])}"'
        if rng.random() < 0.2:
            attrs += f' style="{rng.choice(["width:40px", "display:none", "color:red"])}"'
        inner = rng.choice(
            [
                "{w}",
                "<p>{w}</p>",
                "<p align=center>{w}<br/>{w}</p>",
                "{w}<br>{w}",
                "<span>{w}</span>{w}",
                "<div>{w}<b>{w}</b></div>\n{w}",
                "<!-- c -->{w}",
                "<script>9</script>{w}",
                "<p>{w}</p><p>{w}</p>",
                "<pre>{w}\n {w}</pre>",
            ]
        )
        return f"<{tag}{attrs}>{inner.format(w=rng.choice(words))}</{tag}>"

    rows = []
    for _ in range(rng.randint(1, 8)):
        style = " style='display:none'" if rng.random() < 0.1 else ""
        rows.append(f"<tr{style}>" + "".join(cell() for _ in range(rng.randint(0, 6))) + "</tr>")
    table = "<table border=1>" + "".join(rows) + "</table>"
    if rng.random() < 0.3:
        table = f"<table><tr><td><p>标题</p>{table}<p>说明</p></td><td>侧</td></tr></table>"
    return f"<p>前言</p>{table}<p>结语</p>"


def cases() -> dict[str, bytes]:
    out = {name: markup.encode("utf-8") for name, markup in MARKUP.items()}
    out |= ENCODED
    for n in range(40):
        out[f"generated_{n:02d}"] = generated_table(random.Random(n)).encode("utf-8")
    if SHANGHAI.exists():
        out["shanghai-2019"] = SHANGHAI.read_bytes()
    return out


def blocks(data: bytes) -> dict:
    """The Document as plain data: every block, cell, span and where."""
    try:
        doc = read_html_bytes(data, "t.html")
    except InputError as exc:
        return {"error": str(exc)}
    out = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append(["P", block.text, block.where])
        else:
            rows = [[[c.text, c.where, c.rowspan, c.colspan] for c in row] for row in block.rows]
            out.append(["T", block.where, rows])
    return {"encoding": doc.encoding, "media_type": doc.media_type, "blocks": out}


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_every_case_has_an_expectation(expected):
    names = set(cases())
    assert names - {"shanghai-2019"} <= set(expected)


@pytest.mark.parametrize("name", sorted(cases()))
def test_document_equals_the_stored_expectation(name, expected):
    assert blocks(cases()[name]) == expected[name]


if __name__ == "__main__":
    json.dump({name: blocks(data) for name, data in cases().items()}, sys.stdout, ensure_ascii=False, indent=0)
    print()


# --- the fast paths' own cases -------------------------------------------------------------


def test_hiding_styles_are_found_by_plain_search_first():
    from xxgk.read.html import _hides

    assert _hides(["width:40px", "DISPLAY : None;"]) is True
    assert _hides(["visibility:hıdden"]) is True  # re.I takes the dotless ı for i
    assert _hides(["visibility: hİdden"]) is True
    assert _hides(["color:none-such", "x:hidden"]) is False  # the words, but no hiding rule
    assert _hides(["width:219px;", "text-align: center"]) is False
    assert _hides([]) is False


def test_utf8_bytes_go_to_the_parser_only_when_the_text_is_exactly_them():
    from xxgk.read.htmlcharset import decode_html_exact

    page = "<p>一、总体情况</p>"
    assert decode_html_exact(page.encode(), "utf-8", None) == (page, "utf-8", True)
    assert decode_html_exact(page.encode(), None, None)[2] is False  # detected, not declared
    assert decode_html_exact(b"\xef\xbb\xbf" + page.encode(), "utf-8", None)[2] is False
    assert decode_html_exact(page.replace("</p>", "</p>\r\n").encode(), "utf-8", None) == (
        page + "\n",
        "utf-8",
        False,
    )
    assert decode_html_exact(page.encode("gbk"), "gbk", None) == (page, "gb18030", False)


def test_pages_that_differ_only_in_line_ends_read_the_same():
    lf = '<meta charset="utf-8"><p>一、总体情况</p>\n<table><tr><td>a\nb</td><td>1</td></tr></table>'
    crlf = lf.replace("\n", "\r\n").encode()
    assert blocks(crlf) == blocks(lf.encode())
    assert blocks(lf.encode())["blocks"][1][2][0][0][0] == "a b"


def test_a_plain_tables_lone_childless_element_reads_as_cell_text_does():
    from lxml import etree

    from xxgk.read.htmlwalk import _cell_texts, cell_text

    row = etree.HTML(
        "<table><tr><td><p> a  b </p></td><td><span>\tc\n</span></td><td><br></td><td><b></b></td>"
        "<td><font>１２</font></td><td><div>x</div></td><td><em>e</em> </td><td> <i>i</i></td></tr></table>"
    ).find(".//tr")
    cells = list(row)
    assert _cell_texts(cells, True) == _cell_texts(cells, False) == [cell_text(td) for td in cells]
    assert _cell_texts(cells, True) == ["a b", "c", "", "", "１２", "x", "e", "i"]


def test_spans_of_decimal_digits_skip_the_regex_and_match_it():
    from xxgk.read.htmlwalk import _span

    values = ("2", "0", "１２", "99999999", "1234567", "2;", " 3", "x", "")
    assert [_span(v, 1000) for v in values] == [2, 1, 12, 1000, 1000, 2, 3, 1, 1]
