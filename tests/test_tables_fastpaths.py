"""The tables stage's fast paths give what the general paths give (extract/align.py fit,
extract/tab_cells.py)."""

from __future__ import annotations

from xxgk.extract.align import Fit, fit
from xxgk.extract.tab_cells import settle
from xxgk.extract.tab_fitplan import plan
from xxgk.extract.tokens import NUM, make_token
from xxgk.formats import FORMAT_2021
from xxgk.model import Cell, Report

ACTIVE = FORMAT_2021.table("active")


def _tokens(*cells: str) -> list:
    return [make_token(c, {"line": n + 1}, n) for n, c in enumerate(cells)]


def test_a_row_of_one_number_per_cell_fits_as_its_plan_says():
    tokens = _tokens("3", "0", "12")
    got = fit(["a", "b", "c"], tokens)
    exact, kind, numeric, glued, getters = plan(3, (NUM, NUM, NUM))
    assert (got.exact, got.kind, got.numeric, got.glued) == (exact, kind, numeric, glued) == (True, "exact", True, False)
    assert got.candidates == [tuple(tokens)] and got.candidates[0][2] is tokens[2]
    assert (got.choice, got.tied, got.tokens) == (0, [], tokens)
    assert got == Fit(["a", "b", "c"], tokens, [tuple(tokens)], True, numeric=True)


def test_a_placed_label_is_the_placed_its_class_makes():
    from xxgk.extract import tables
    from xxgk.extract.rowmatch import Placed

    tokens = _tokens("行政许可", "5")
    row = ACTIVE.row("licensing")
    got = tables._placed(row, tokens, 0, 2)
    assert got == Placed(row, tokens[0], [tokens[1]], floating=False)


def test_a_cell_shares_its_tokens_where():
    report = Report(format=FORMAT_2021.id)
    refs = ACTIVE.row_refs["licensing"]
    tokens = _tokens("7")
    settle(report, FORMAT_2021, ACTIVE, [fit(refs, tokens)], tokens, ["行政许可"])
    cell = report.cells["active/licensing/decisions"]
    assert (cell.value, cell.raw, cell.where, cell.confidence) == (7, "7", {"line": 1}, "high")
    assert cell.where is tokens[0].where
    assert cell == Cell("active/licensing/decisions", 7, "7", {"line": 1}) and cell.text is None


def test_a_kept_line_makes_the_token_its_class_makes():
    from xxgk.extract.tokens import Token, tokenize
    from xxgk.read.document import Paragraph

    blocks = [Paragraph("行政许可", {"line": 1}), Paragraph("行政许可", {"line": 2})]
    first, second = tokenize(blocks)[1], tokenize(blocks)[1]  # the second pass: a kept line
    assert first == second == Token("行政许可", first.key, "text", None, {"line": 2}, 1)
    assert second.row is None and type(second) is Token


def test_tokenize_reads_the_blocks_own_text_when_no_texts_are_given():
    from xxgk.extract.tokens import tokenize
    from xxgk.read.document import Paragraph, TableBlock, TableCell

    blocks = [
        Paragraph("行政许可\t5", {"line": 1}),
        TableBlock([[TableCell("行政处罚", {"row": 0}), TableCell("7", {"row": 0})]], {"table": 1}),
        Paragraph("9", {"line": 3}),
    ]
    fields = [(t.text, t.kind, t.block, t.row) for t in tokenize(blocks, spans=[(0, 1), (1, 9)])]
    assert fields == [
        ("行政许可", "text", 0, 0),
        ("5", "num", 0, 0),
        ("行政处罚", "text", 1, (1, 0)),
        ("7", "num", 1, (1, 0)),
        ("9", "num", 2, None),
    ]
    texts = ["行政许可\t5", "", "8"]  # a table block's text is not read: its cells are
    assert [t.text for t in tokenize(blocks, texts)] == ["行政许可", "5", "行政处罚", "7", "8"]


def test_a_table_is_read_when_some_cell_of_its_prefix_holds_a_number():
    from xxgk.extract.deviations import _read_some
    from xxgk.model import Cell

    cells = {"active/licensing/decisions": Cell("active/licensing/decisions", None, "")}
    assert not _read_some(cells, ACTIVE)
    cells["active/penalty/decisions"] = Cell("active/penalty/decisions", 4, "4")
    assert _read_some(cells, ACTIVE)
    other = {"active/unlisted/x": Cell("active/unlisted/x", 1, "1"), "activex/a/b": Cell("activex/a/b", 1, "1")}
    assert _read_some(other, ACTIVE)  # a reference the format does not list still counts
    assert not _read_some({"activex/a/b": Cell("activex/a/b", 1, "1")}, ACTIVE)


def test_a_row_makes_the_tokens_its_class_makes():
    from xxgk.extract.tokens import UNREADABLE, Token, line_tokens

    where = {"line": 4}
    got = line_tokens("行政许可\t5\t#", where, 3)
    assert got == [
        Token("行政许可", got[0].key, "text", None, where, 3, 3),
        Token("5", "5", NUM, got[1].num, where, 3, 3),
        Token("#", "", UNREADABLE, None, {"line": 4, "confidence": 0}, 3, 3),
    ]
    assert got[0].where is where and got[2].where is not where and where == {"line": 4}


def test_text_lines_are_the_lines_their_class_makes():
    from xxgk.extract import parse_bytes
    from xxgk.model import TextLine

    report = parse_bytes("标题\n\n一、总体情况\n正文一句。\n".encode(), "x.txt")
    assert [type(line) for line in report.lines] == [TextLine] * 3
    assert report.lines[2] == TextLine("正文一句。", "正文一句。", {"line": 4}, "1", False, False)
    assert report.lines[1].heading and report.lines[1].section == "1" and report.lines[0].section is None
