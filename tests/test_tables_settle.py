"""Settling a table's rows into cells: the common row's fast path and its fallbacks
(extract/tables.py settle, extract/align.py fit and choose)."""

from __future__ import annotations

from decimal import Decimal

from xxgk.extract import tab_cells, tables
from xxgk.extract.align import choose, fit
from xxgk.extract.running import integral
from xxgk.extract.tables import Region, settle, table_regions
from xxgk.extract.tokens import GLUED, Token, line_tokens, make_token
from xxgk.formats import FORMAT_2021
from xxgk.model import HIGH, LOW, Report

ACTIVE = FORMAT_2021.table("active")
APPLICATIONS = FORMAT_2021.table("applications")


def _tokens(*cells: str, line: int = 1) -> list[Token]:
    return [make_token(c, {"line": line + n}, line + n) for n, c in enumerate(cells)]


def test_fit_marks_rows_whose_first_reading_is_numbers():
    assert fit(["a", "b"], _tokens("1", "2")).numeric
    trailing = fit(["a", "b"], _tokens("1", "2", "/", "/"))
    assert trailing.numeric and trailing.exact and len(trailing.candidates) == 3
    assert not fit(["a", "b"], _tokens("1", "/")).numeric  # a blank cell: read cell by cell
    assert not fit(["a", "b"], _tokens("1", "2", "3")).numeric  # an extra number
    assert not any(f.glued for f in (trailing, fit(["a"], _tokens("1"))))
    glued = Token("801000081", "", GLUED, None, {"line": 1}, 0)
    assert fit(["a", "b", "c"], [glued]).glued


def test_windows_of_a_token_standing_twice_are_not_repeated():
    number, blank = _tokens("5", "/")
    once = fit(["a"], [number, *_tokens("/", "/")])
    assert len(once.candidates) == 3
    twice = fit(["a"], [number, blank, blank])  # the same blank object twice
    assert twice.candidates == [(number,), (blank,)]


def test_choose_with_the_callers_values_chooses_as_without():
    rows = [fit(["t/r/x", "t/r/y"], line_tokens(line, {"line": 1}, 0)) for line in ("\t2\t3", "1\t2\t3")]
    identities = FORMAT_2021.table_identities("applications")
    choose(rows, identities)
    alone = [(f.choice, f.tied) for f in rows]
    choose(rows, identities, {"t/r/x": 2, "t/r/y": 3})
    assert [(f.choice, f.tied) for f in rows] == alone == [(0, [0]), (0, [0, 1])]


def test_integral_counts_blanks_as_whole():
    assert integral({"a": 1, "b": None}, [(None, 2), (3,)])
    assert not integral({"a": Decimal("1.5")}, [(1,)])
    assert not integral({"a": 1}, [(None, Decimal("2"))])


def _settled(rows: list[tuple[str, list[str]]]) -> Report:
    report = Report(format=FORMAT_2021.id)
    fits, labels, names = [], [], []
    for n, (key, cells) in enumerate(rows):
        tokens = _tokens(*cells, line=10 * n + 1)
        fits.append(fit(ACTIVE.row_refs[key], tokens))
        labels.append(make_token(key, {"line": 10 * n}, 10 * n))
        names.append(key)
    settle(report, FORMAT_2021, ACTIVE, fits, labels, names)
    return report


def test_settle_common_rows_and_the_rows_read_cell_by_cell_keep_row_order():
    report = _settled(
        [
            ("regulations", ["5", "2", "3"]),
            ("normative_documents", ["4", "/", "1"]),  # a blank cell: read cell by cell
            ("licensing", ["7", "/"]),  # a trailing blank: the common row
            ("fees", ["12.50"]),  # an amount: a Decimal, made by _cell
        ]
    )
    assert list(report.cells) == [
        *ACTIVE.row_refs["regulations"],
        *ACTIVE.row_refs["normative_documents"],
        *ACTIVE.row_refs["licensing"],
        *ACTIVE.row_refs["fees"],
    ]
    values = {ref: (c.value, c.raw, c.where, c.confidence) for ref, c in report.cells.items()}
    assert values["active/regulations/issued"] == (5, "5", {"line": 1}, HIGH)
    assert values["active/normative_documents/repealed"] == (None, "/", {"line": 12}, HIGH)
    assert values["active/licensing/decisions"] == (7, "7", {"line": 21}, HIGH)
    assert values["active/fees/amount"] == (Decimal("12.50"), "12.50", {"line": 31}, HIGH)
    assert type(report.cells["active/regulations/issued"].value) is int
    assert report.tables_present == {"active"} and report.findings == []


def test_settle_ocr_confidence_lowers_a_common_cell():
    report = Report(format=FORMAT_2021.id)
    tokens = [make_token("7", {"line": 1, "confidence": 42}, 1)]
    settle(report, FORMAT_2021, ACTIVE, [fit(ACTIVE.row_refs["licensing"], tokens)], tokens, ["licensing"])
    cell = report.cells["active/licensing/decisions"]
    assert (cell.value, cell.confidence, cell.where) == (7, LOW, {"line": 1, "confidence": 42})


def test_settle_a_cell_in_two_rows_is_the_last_rows():
    report = Report(format=FORMAT_2021.id)
    refs = ACTIVE.row_refs["licensing"]
    first, second = _tokens("/"), _tokens("9", line=5)
    settle(report, FORMAT_2021, ACTIVE, [fit(refs, first), fit(refs, second)], first + second, ["a", "b"])
    cell = report.cells["active/licensing/decisions"]
    assert (cell.value, cell.raw, cell.where) == (9, "9", {"line": 5})


def test_kinds_are_kept_per_format_and_bounded(monkeypatch):
    kinds, counts = tab_cells._kinds(FORMAT_2021)
    assert tab_cells._kinds(FORMAT_2021)[1] is counts
    assert kinds["active/fees/amount"] == "amount" and "active/fees/amount" not in counts
    assert "applications/received/total" in counts
    monkeypatch.setattr(tab_cells, "_KINDS", {})
    monkeypatch.setattr(tab_cells, "_KINDS_SIZE", 1)
    from xxgk.formats import FORMAT_2019

    tab_cells._kinds(FORMAT_2021)
    tab_cells._kinds(FORMAT_2019)
    assert list(tab_cells._KINDS) == [id(FORMAT_2019)]


def test_table_regions_bisect_the_blocks():
    tokens = [make_token(str(n), {"line": b}, b) for n, b in enumerate([0, 0, 1, 2, 2, 3, 5])]
    regions = table_regions(FORMAT_2021, tokens, {2: (1, 3), 3: (3, 9), 4: (4, 2)})
    assert regions["active"] == Region(2, 5)
    assert regions["applications"] == Region(5, 7)
    assert regions["reviews"] == Region(6, 6)  # a span that ends before it starts: empty


def test_label_index_is_kept_per_table_and_bounded(monkeypatch):
    index = tables.label_index(ACTIVE)
    assert tables.label_index(ACTIVE) is index
    monkeypatch.setattr(tables, "_INDEXES", {})
    monkeypatch.setattr(tables, "PER_TABLE", 1)
    tables.label_index(ACTIVE)
    tables.label_index(APPLICATIONS)
    assert list(tables._INDEXES) == [id(APPLICATIONS)]


def test_loose_rows_are_looked_for_only_while_a_single_value_row_is_missing():
    tokens = [make_token(text, {"line": n}, n) for n, text in enumerate(["行政许可 97", "行政处罚：12件"])]
    region = Region(0, len(tokens))
    found = tables.loose_value_rows(ACTIVE, tokens, region, set())
    assert [(p.row.key, p.values[0].num.value) for p in found] == [("licensing", 97), ("penalty", 12)]
    assert tables.loose_value_rows(ACTIVE, tokens, region, {"licensing", "penalty", "coercion", "fees"}) == []
    assert tables.label_index(APPLICATIONS).single == frozenset()
    assert tables.loose_value_rows(APPLICATIONS, tokens, region, set()) == []
