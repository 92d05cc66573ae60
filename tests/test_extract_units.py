"""Unit tests of the extractor's parts: tokens, alignment, sections, label lookup."""

from __future__ import annotations

import pytest

from xxgk.extract.align import fit
from xxgk.extract.sections import find_headings, match_heading
from xxgk.extract.tables import LabelIndex
from xxgk.extract.tokens import BLANK, NUM, TEXT, line_tokens, split_line
from xxgk.formats import FORMAT_2019, FORMAT_2021
from xxgk.text.normalize import label_key


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("行政處罰 |", ["行政處罰"]),
        ("12 | ||", ["12", ""]),
        ("第二十条第(一)项 | |||", ["第二十条第(一)项", ""]),
        ("|", []),
        (" |", [""]),
        ("   | ||", ["", ""]),
        ("|||", []),
        ("| 规章 | 2 | 0 | 2 | ", ["规章", "2", "0", "2"]),
        ("\t0", ["0"]),
        ("\t", [""]),
        ("", []),
        ("   ", [""]),
        ("规章\t0\t0\t0", ["规章", "0", "0", "0"]),
        ("\t\t\t\t\t0\t0\t9", ["", "", "", "", "", "0", "0", "9"]),
        ("行政许可    170", ["行政许可", "170"]),
        ("（七）总计 0 0 0 0 0 0 0", ["（七）总计", "0", "0", "0", "0", "0", "0", "0"]),
        ("2024年我局收到申请 5 件", ["2024年我局收到申请 5 件"]),
    ],
)
def test_split_line(line, cells):
    assert split_line(line) == cells


def test_tokens_kinds_and_rows():
    tokens = line_tokens("行政许可\t170\t\t/", {"line": 7}, 6)
    assert [t.kind for t in tokens] == [TEXT, NUM, BLANK, BLANK]
    assert tokens[1].num.value == 170
    assert {t.row for t in tokens} == {6}
    assert all(t.where == {"line": 7} for t in tokens)
    single = line_tokens("12 |", {"line": 8}, 7)
    assert [t.kind for t in single] == [NUM] and single[0].row is None


def _values(slots) -> list:
    return [t.num.value if t is not None and t.kind == NUM else None for t in slots]


def _tokens(cells: list[str]):
    return [t for i, c in enumerate(cells) for t in line_tokens(c if c else "\t", {"line": i + 1}, i)]


def test_fit_exact_count_with_edge_fillers_keeps_alternatives():
    f = fit(["a", "b", "c"], _tokens(["", "1", "2", "3", ""]))
    assert f.exact and [t.num.value for t in f.chosen] == [1, 2, 3]
    # the blanks may be cells: other placements are kept for when identities fail
    assert [_values(c) for c in f.candidates[1:]] == [[None, 1, 2], [2, 3, None]]


def test_fit_blank_between_numbers_is_a_question():
    f = fit(["a", "b", "c"], _tokens(["1", "", "2", "3"]))
    assert not f.exact and f.kind == "extra"
    assert [_values(c) for c in f.candidates] == [[1, 2, 3], [1, None, 2], [None, 2, 3]]


def test_fit_positional_blanks_become_none():
    f = fit(["a", "b", "c"], _tokens(["1", "", "3"]))
    assert f.exact and _values(f.chosen) == [1, None, 3]


def test_fit_extra_number_gives_windows():
    f = fit(["a", "b"], _tokens(["1", "2", "3"]))
    assert not f.exact and f.kind == "extra"
    assert [[t.num.value for t in c] for c in f.candidates] == [[1, 2], [2, 3]]


def test_fit_missing_number_fills_left_to_right():
    f = fit(["a", "b", "c"], _tokens(["7", "8"]))
    assert not f.exact and f.kind == "missing"
    assert _values(f.chosen) == [7, 8, None]


def test_fit_all_blank_row_is_blank_not_zero():
    f = fit(["a", "b"], _tokens(["", "", ""]))
    assert f.exact and _values(f.chosen) == [None, None]


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("一、总体情况", 1),
        ("一、總體情況", None),  # headings are matched on normalised text
        ("二、主动公开政府信息情况", 2),
        ("三、收到和处理政府信息公开申请情况", 3),
        ("四、政府信息公开行政复议、行政诉讼情况", 4),
        ("四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", 4),
        ("五、政府信息公开工作存在的主要问题及改进情况", 5),
        ("六、其他需要报告的事项", 6),
        # rows of table 三 are numbered like headings but are not headings
        ("一、本年新收政府信息公开申请数量", None),
        ("二、上年结转政府信息公开申请数量", None),
        ("三、本年度办理结果", None),
        ("四、结转下年度继续办理", None),
        ("一是加强统筹协调", None),
    ],
)
def test_match_heading(line, number):
    assert match_heading(line) == number


def test_table_of_contents_is_not_taken_for_the_headings():
    toc = [
        "目录",
        "一、总体情况",
        "二、主动公开政府信息情况",
        "",
        "三、收到和处理政府信息公开申请情况",
        "正文开始",
    ]
    body = ["一、总体情况", "文字", "二、主动公开政府信息情况", "表", "三、收到和处理政府信息公开申请情况"]
    assert [(h.number, h.line) for h in find_headings(toc + body)] == [(1, 6), (2, 8), (3, 10)]


def test_find_headings_in_order_once():
    lines = ["一、总体情况", "二、主动公开政府信息情况", "一、总体情况", "三、收到和处理政府信息公开申请情况"]
    assert [(h.number, h.line) for h in find_headings(lines)] == [(1, 0), (2, 1), (3, 3)]


@pytest.mark.parametrize(
    ("cell", "row"),
    [
        ("（一）予以公开", "granted"),
        ("(一) 予以公开", "granted"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
        ("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)", "partially_granted"),
        ("（二）部分公开", "partially_granted"),
        ("3. 危及“三安全一稳定”", "withheld_security"),
        ("3.危及“三安全一稳定”（国家安全、公共安全、经济安全、社会稳定）", "withheld_security"),
        ("（三）不予公开 1.属于国家秘密", "withheld_state_secret"),
        ("属于国家秘密", "withheld_state_secret"),
        ("3. 其他", "other_misc"),
        ("其他", None),  # the column header, not the row 三(六)3
        ("总计", None),
        ("（七）总计", "total"),
        ("四、结转下年度继续办理", "carried_forward"),
        ("三、本 年度办 理结果", None),
    ],
)
def test_label_index_2021(cell, row):
    found = LabelIndex(FORMAT_2021.table("applications")).lookup(label_key(cell))
    assert (found.key if found else None) == row


def test_label_index_2019_other_is_one_row():
    index = LabelIndex(FORMAT_2019.table("applications"))
    assert index.lookup(label_key("（六）其他处理")).key == "other"
    assert index.lookup(label_key("3.其他")) is None


def test_label_index_active_variants():
    index = LabelIndex(FORMAT_2021.table("active"))
    assert index.lookup(label_key("規範性文件")).key == "normative_documents"
    assert index.lookup(label_key("行政強製")).key == "coercion"
    assert index.lookup(label_key("信息内容")) is None
