"""表三/表四 from the ledger: the cells equal direct counts of a simulated ledger's truth, the
report passes every arithmetic rule, and 结转 carries from one year to the next."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simulate import SimCase, simulate

from xxgk.check import check_report
from xxgk.formats import FORMAT_2021
from xxgk.ledger.domain import case_state, validate_event
from xxgk.ledger.records import APPLICANT_TYPES, OUTCOMES, CaseRecord, EventRecord
from xxgk.ledger.stats import year_cells, year_report

YEARS = (2024, 2025)


@pytest.fixture(scope="module")
def ledger() -> list[SimCase]:
    return simulate(seed=20250101)


def histories(sims: list[SimCase]):
    return ((s.case, s.events) for s in sims)


def direct_counts(sims: list[SimCase], year: int) -> Counter:
    """The cells counted from the simulation's truth, not from the events."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    cells: Counter = Counter()
    for sim in sims:
        truth = sim.truth
        if truth.received > last:
            continue
        closed = truth.closed_on if truth.closed_on is not None and truth.closed_on <= last else None
        rows = []
        if truth.received >= first:
            rows.append("received")
        elif closed is None or closed >= first:
            rows.append("carried_over")
        if closed is not None and closed >= first:
            rows += [truth.outcome, "total"]
        if closed is None:
            rows.append("carried_forward")
        for row in rows:
            cells[f"applications/{row}/{truth.applicant_type}"] += 1
            cells[f"applications/{row}/total"] += 1
        for p in truth.proceedings:
            if not first <= p.filed <= last:
                continue
            row = (
                "reconsideration"
                if p.kind == "review"
                else ("litigation_after_reconsideration" if p.after_review else "litigation_direct")
            )
            result = p.result if p.decided is not None and p.decided <= last else "pending"
            cells[f"reviews/{row}/{result}"] += 1
            cells[f"reviews/{row}/total"] += 1
    return cells


def test_simulation_is_big_and_varied(ledger):
    assert len(ledger) >= 5000
    kinds = Counter(e.kind for s in ledger for e in s.events)
    for kind in (
        "correction_requested",
        "consultation_started",
        "extension",
        "fee_notice",
        "fee_lapsed",
        "withdrawn",
        "reply",
        "review_decided",
        "lawsuit_filed",
        "case_amended",
        "void",
    ):
        assert kinds[kind] > 0, kind
    assert sum(1 for s in ledger for e in s.events if e.supersedes and e.kind == "reply") > 0
    outcomes = Counter(s.truth.outcome for s in ledger)
    assert set(outcomes) - {None} == set(OUTCOMES)


def test_every_simulated_event_is_legal_when_recorded(ledger):
    for sim in ledger:
        for i, event in enumerate(sim.events):
            assert validate_event(sim.case, sim.events[:i], event) == [], (sim.case.number, event)


@pytest.mark.parametrize("year", YEARS)
def test_cells_equal_direct_counts(ledger, year):
    cells = year_cells(histories(ledger), year)
    expected = direct_counts(ledger, year)
    refs = FORMAT_2021.table("applications").refs() + FORMAT_2021.table("reviews").refs()
    assert sorted(cells) == sorted(refs)
    assert {ref: cells[ref] for ref in refs} == {ref: expected[ref] for ref in refs}
    # The counts are not trivially small: the test would notice a lost row.
    assert cells["applications/received/total"] > 2000
    assert cells["applications/carried_forward/total"] > 0
    assert cells["reviews/reconsideration/pending"] > 0
    assert cells["reviews/litigation_after_reconsideration/total"] > 0


@pytest.mark.parametrize("year", YEARS)
def test_report_passes_every_arithmetic_rule(ledger, year):
    report = year_report(histories(ledger), year, "示例县人民政府办公室")
    assert report.format == "2021"
    assert report.meta.agency == "示例县人民政府办公室" and report.meta.year == year
    assert report.tables_present == {"applications", "reviews"}
    assert check_report(report, select=["XG1"]) == []
    assert report.value("applications/total/total") == sum(
        report.value(f"applications/{o}/total") for o in OUTCOMES
    )


def test_carried_over_is_last_years_carried_forward(ledger):
    last_year = year_cells(histories(ledger), 2024)
    this_year = year_cells(histories(ledger), 2025)
    for col in (*APPLICANT_TYPES, "total"):
        assert (
            this_year[f"applications/carried_over/{col}"] == last_year[f"applications/carried_forward/{col}"]
        )
    assert this_year["applications/carried_over/total"] > 0


def test_a_wrong_cell_is_caught(ledger):
    """The checks are not vacuous: one cell off breaks XG101–XG103."""
    report = year_report(histories(ledger), 2025, "示例县人民政府办公室")
    report.set("applications/granted/commercial", report.value("applications/granted/commercial") + 1)
    codes = {f.code for f in check_report(report, select=["XG1"])}
    assert codes == {"XG102", "XG103"}


def _case(received: date, applicant_type: str = "natural_person") -> CaseRecord:
    return CaseRecord("2024-0001", received, "online", applicant_type, "张三", "某文件", id=1)


def test_year_boundaries_exactly():
    """Received 31 Dec, closed 1 Jan: received and carried forward in the first year, carried
    over and closed in the second."""
    case = _case(date(2024, 12, 31), "research")
    events = [EventRecord("reply", date(2025, 1, 1), {"outcome": "withheld_process"}, id=1)]
    y24 = year_cells([(case, events)], 2024)
    y25 = year_cells([(case, events)], 2025)
    assert {k: v for k, v in y24.items() if v} == {
        "applications/received/research": 1,
        "applications/received/total": 1,
        "applications/carried_forward/research": 1,
        "applications/carried_forward/total": 1,
    }
    assert {k: v for k, v in y25.items() if v} == {
        "applications/carried_over/research": 1,
        "applications/carried_over/total": 1,
        "applications/withheld_process/research": 1,
        "applications/withheld_process/total": 1,
        "applications/total/research": 1,
        "applications/total/total": 1,
    }


def test_review_counted_in_the_year_filed_with_result_as_of_year_end():
    case = _case(date(2024, 3, 1))
    events = [
        EventRecord("reply", date(2024, 3, 20), {"outcome": "withheld_third_party"}, id=1),
        EventRecord("review_filed", date(2024, 11, 5), id=2),
        EventRecord("review_decided", date(2025, 2, 1), {"result": "corrected"}, id=3),
        EventRecord("lawsuit_filed", date(2025, 2, 20), {"after_review": True}, id=4),
    ]
    y24 = year_cells([(case, events)], 2024)
    y25 = year_cells([(case, events)], 2025)
    assert {k: v for k, v in y24.items() if k.startswith("reviews") and v} == {
        "reviews/reconsideration/pending": 1,
        "reviews/reconsideration/total": 1,
    }
    assert {k: v for k, v in y25.items() if k.startswith("reviews") and v} == {
        "reviews/litigation_after_reconsideration/pending": 1,
        "reviews/litigation_after_reconsideration/total": 1,
    }


def test_voided_reply_and_amended_type_change_the_statistics():
    case = _case(date(2024, 5, 6), "natural_person")
    events = [
        EventRecord("reply", date(2024, 5, 20), {"outcome": "granted"}, id=1),
        EventRecord("case_amended", date(2024, 6, 1), {"fields": {"applicant_type": "legal_services"}}, id=2),
        EventRecord("void", date(2025, 3, 1), {"reason": "误录"}, supersedes=1, id=3),
    ]
    cells = year_cells([(case, events)], 2024)
    assert cells["applications/received/legal_services"] == 1
    assert cells["applications/received/natural_person"] == 0
    assert cells["applications/granted/total"] == 0
    assert cells["applications/carried_forward/legal_services"] == 1
    assert case_state(case, events, date(2024, 12, 31)).status == "open"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 80))
def test_identities_hold_for_any_ledger(seed, size):
    sims = simulate(seed, cases=size, first=date(2024, 1, 1), last=date(2025, 12, 31))
    for year in YEARS:
        cells = year_cells(histories(sims), year)
        expected = direct_counts(sims, year)
        assert all(cells[ref] == expected[ref] for ref in cells)
        assert check_report(year_report(histories(sims), year, "某局"), select=["XG1"]) == []
    before, after = year_cells(histories(sims), 2024), year_cells(histories(sims), 2025)
    assert after["applications/carried_over/total"] == before["applications/carried_forward/total"]
