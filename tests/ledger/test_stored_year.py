"""A simulated ledger of 5,200 cases stored on SQLite and on PostgreSQL gives, read back from
the store, the same 表三/表四 as the events in memory, equal to direct counts of the cases;
`xxgk ledger report` writes that report as a source that renders without an error."""

from __future__ import annotations

import pytest
from simulate import simulate
from test_stats import direct_counts

from xxgk.check import check_report
from xxgk.formats import FORMAT_2021
from xxgk.ledger.records import APPLICANT_TYPES
from xxgk.ledger.stats import year_cells, year_report
from xxgk.ledger.store import Ledger

REFS = FORMAT_2021.table("applications").refs() + FORMAT_2021.table("reviews").refs()


@pytest.fixture(scope="module")
def sims():
    return simulate(seed=7, cases=5200)


def test_stored_ledger_reproduces_the_year_reports(ledger_url, sims):
    ledger = Ledger.open(ledger_url)
    assert ledger.import_histories([(s.case, s.events) for s in sims], by="测试") == 5200
    stored = list(ledger.all_histories())
    assert len(stored) == 5200
    cells = {year: year_cells(stored, year) for year in (2024, 2025)}
    for year in (2024, 2025):
        expected = direct_counts(sims, year)
        assert {ref: cells[year][ref] for ref in REFS} == {ref: expected[ref] for ref in REFS}
        report = year_report(stored, year, "示例县人民政府办公室")
        assert check_report(report, select=["XG1"]) == []
    for col in (*APPLICANT_TYPES, "total"):
        carried_over = cells[2025][f"applications/carried_over/{col}"]
        assert carried_over == cells[2024][f"applications/carried_forward/{col}"]
    assert cells[2025]["applications/carried_over/total"] > 0
    assert cells[2025]["applications/received/total"] > 2000
