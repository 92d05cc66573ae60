"""The tokeniser's caches: which lines and cells are kept, and that a kept line reads as a new one."""

from __future__ import annotations

from xxgk.extract import tokens as module
from xxgk.extract.tokens import BLANK, NUM, TEXT, line_tokens


def test_a_row_without_a_number_is_kept_and_a_row_of_numbers_is_not():
    module._LINES.clear()
    head, row = "信息内容\t本年制发件数\t\t", "规章\t399\t232\t109"
    first = line_tokens(head, {"line": 1}, 0)
    assert [(t.text, t.kind, t.row) for t in first] == [
        ("信息内容", TEXT, 0),
        ("本年制发件数", TEXT, 0),
        ("", BLANK, 0),
        ("", BLANK, 0),
    ]
    assert head in module._LINES
    again = line_tokens(head, {"line": 9}, 8)
    assert again == [module.Token(t.text, t.key, t.kind, t.num, {"line": 9}, 8, 8) for t in first]
    assert [(t.text, t.kind) for t in line_tokens(row, {"line": 2}, 1)] == [
        ("规章", TEXT),
        ("399", NUM),
        ("232", NUM),
        ("109", NUM),
    ]
    assert row not in module._LINES


def test_tab_pieces_are_read_stripped_and_kept_by_their_stripped_form():
    module._CELLS.clear()
    spaced = line_tokens("规章\t 7 \t/ ", {"line": 1}, 0)
    assert [(t.text, t.kind, t.key) for t in spaced] == [
        ("规章", TEXT, "规章"),
        ("7", NUM, "7"),
        ("/", BLANK, ""),
    ]
    assert set(module._CELLS) == {"规章", "7", "/"}
    plain = line_tokens("其他\t7\t/", {"line": 2}, 1)
    assert plain[1].num is spaced[1].num and plain[1].where == {"line": 2}
    assert [t.text for t in line_tokens("\t 7 ", {}, 0)] == ["7"]  # a tab-indented cell


def test_a_line_of_one_readable_cell_is_kept_as_its_token_reads(monkeypatch):
    ones, lines = module._ONE, module._LINES
    ones.clear()
    lines.clear()
    first = line_tokens("12 |", {"line": 1}, 0)
    assert ones == {"12 |": ("12", "12", NUM, first[0].num)}
    line_tokens("#", {"line": 2}, 1)  # unreadable: its `where` is not the line's
    assert lines == {"#": (("#", "unreadable", "", None),)} and "#" not in ones
    again = module.tokenize([module.Paragraph("12 |", {"line": 5})])
    assert again == [module.Token("12", "12", NUM, first[0].num, {"line": 5}, 0)]
    monkeypatch.setattr(module, "_KNOWN_SIZE", 2)
    line_tokens("7 |", {}, 0)  # the two hold 2 lines, the most: emptied before a third
    assert (ones, lines) == ({"7 |": ("7", "7", NUM, ones["7 |"][3])}, {})
