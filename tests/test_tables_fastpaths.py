"""The tables stage's fast paths give what the general paths give (extract/align.py fit,
extract/tab_cells.py)."""

from __future__ import annotations

from xxgk.extract.align import fit
from xxgk.extract.tab_cells import settle
from xxgk.extract.tab_fitplan import plan
from xxgk.extract.tokens import NUM, make_token
from xxgk.formats import FORMAT_2021
from xxgk.model import Report

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


def test_a_cell_shares_its_tokens_where():
    report = Report(format=FORMAT_2021.id)
    refs = ACTIVE.row_refs["licensing"]
    tokens = _tokens("7")
    settle(report, FORMAT_2021, ACTIVE, [fit(refs, tokens)], tokens, ["行政许可"])
    cell = report.cells["active/licensing/decisions"]
    assert (cell.value, cell.raw, cell.where, cell.confidence) == (7, "7", {"line": 1}, "high")
    assert cell.where is tokens[0].where
