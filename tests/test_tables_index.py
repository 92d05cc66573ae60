"""Structures the table reader builds once (per format, per region) and the token stream's fast path."""

from __future__ import annotations

from xxgk.extract.tables import LabelIndex, Region, label_index, text_positions
from xxgk.extract.tokens import BLANK, NUM, TEXT, line_tokens, tokenize
from xxgk.formats import FORMAT_2021
from xxgk.read.document import Paragraph

APPLICATIONS = FORMAT_2021.table("applications")


def test_text_positions_are_the_regions_text_cells_and_kept():
    tokens = [
        t for n, line in enumerate(["标签", "12", "", "其他\t3\t4", "5"]) for t in line_tokens(line, {}, n)
    ]
    assert [t.kind for t in tokens] == [TEXT, NUM, TEXT, NUM, NUM, NUM]  # "" is no token at all
    region = Region(1, 6)
    assert text_positions(tokens, region) == [2]
    assert region.texts is text_positions(tokens, region)
    assert text_positions(tokens, Region(0, 6)) == [0, 2]


def test_label_index_rows_and_names_built_once():
    index = label_index(APPLICATIONS)
    assert label_index(APPLICATIONS) is index
    assert index.rows["received"] is APPLICATIONS.row("received")
    row = APPLICATIONS.row("received")
    assert index.names[id(row)] == row.name
    assert "申请人情况" in index.marks
    assert isinstance(LabelIndex(APPLICATIONS).lookup("一、本年新收政府信息公开申请数量"), type(row))


def test_tokenize_fast_path_equals_line_tokens():
    blocks = [
        Paragraph(text, {"line": n + 1}) for n, text in enumerate(["7 |", "7 |", "\t", "#", "行政许可\t1\t/"])
    ]
    twice = tokenize(blocks) + tokenize(blocks)  # the second pass reads known lines
    expected = [t for n, b in enumerate(blocks) for t in line_tokens(b.text, b.where, n)]
    assert twice == expected + expected
    assert [t.kind for t in expected] == [NUM, NUM, BLANK, "unreadable", TEXT, NUM, BLANK]
    assert expected[3].where == {"line": 4, "confidence": 0}


def test_cells_of_rows_are_kept_by_their_written_form():
    from xxgk.extract import tokens as module

    module._CELLS.clear()
    first = line_tokens("规章\t 12 \t/", {"line": 1}, 0)
    assert [(t.text, t.kind, t.row) for t in first] == [("规章", TEXT, 0), ("12", NUM, 0), ("/", BLANK, 0)]
    assert module._CELLS["12"] == ("12", NUM, "12", first[1].num)  # split_tab_line strips cells
    again = line_tokens("其他\t 12 \t/", {"line": 2}, 1)
    assert again[1].num is first[1].num and again[1].where == {"line": 2}


def test_one_number_pipe_line_reads_as_split_line_does():
    from xxgk.extract.tokens import split_line

    for line in ("12 |", "0 |", "１２ |", "12  |", " |"):
        assert [t.text for t in line_tokens(line, {}, 0)] == split_line(line), line
