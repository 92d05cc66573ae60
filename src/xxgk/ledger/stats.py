"""The annual statistics of 表三 and 表四 computed from the cases (pure; no storage).

Every case is looked at as of 31 December of the year (`domain.replay`): its effective events
up to that day, its registration as amended up to that day.

表三 (收到和处理政府信息公开申请情况), column = applicant type as of 31 December:

* 一 received: cases received in the year.
* 二 carried_over: cases received before the year and not closed before 1 January.
* 三 outcome rows: cases closed in the year, in the row of their outcome (a withdrawal is
  其他处理·3, a lapsed fee 其他处理·2); 部分公开 counts once, in its own row only.
* 三(七) total: the sum of the outcome rows.
* 四 carried_forward: cases received up to 31 December and still open on it.

Hence 一 + 二 = 三(七) + 四 in every column by construction. 二 of year N equals 四 of year
N−1 as long as no registration (received date, applicant type) was amended after 31 December
of year N−1 — an amendment is a fact from its date on, so the report of N−1 keeps the old
registration and the report of N shows the new one.

表四 (行政复议、行政诉讼情况), the usual reading of the format: a year counts the reviews and
lawsuits *filed* in the year (行政复议 by ``review_filed``; 行政诉讼 by ``lawsuit_filed``, in
复议后起诉 when ``after_review`` is true, else 未经复议直接起诉), with the result known on
31 December (结果维持 upheld, 结果纠正 corrected, 其他结果 other) and 尚未审结 when no decision
is recorded by then. A case pending on 31 December stays 尚未审结 in that year's report; its
later decision enters no report's result columns (it was filed in the earlier year). A case
with two reviews counts twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..formats import FORMAT_2021
from ..model import Report
from .domain import CLOSED, CaseState, Proceeding, replay
from .records import CaseRecord, EventRecord

History = tuple[CaseRecord, list[EventRecord]]


def year_cells(cases: Iterable[History], year: int) -> dict[str, int]:
    """Every cell of 表三 and 表四 for `year` (e.g. ``applications/received/natural_person``)."""
    cells = dict.fromkeys(_refs(), 0)
    for case, events in cases:
        for ref in case_refs(case, events, year):
            cells[ref] += 1
    return cells


def case_refs(case: CaseRecord, events: list[EventRecord], year: int) -> list[str]:
    """The cells of `year` one case counts in (a ref twice when it counts twice, e.g. two
    reviews): what `year_cells` adds up, and what a cell's list of cases is made from."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    state = replay(case, events, last)
    refs: list[str] = []
    for row in _application_rows(state, first, last):
        refs += [f"applications/{row}/{state.case.applicant_type}", f"applications/{row}/total"]
    for row, result in _review_entries(state, first):
        refs += [f"reviews/{row}/{result}", f"reviews/{row}/total"]
    return refs


def year_report(cases: Iterable[History], year: int, agency: str) -> Report:
    """A 2021-format report with 表三 and 表四 from the ledger (表二 and the text left to the
    office). Every cell says where it came from."""
    report = Report(format=FORMAT_2021.id)
    report.meta.agency = agency
    report.meta.year = year
    report.meta.title = f"{agency}{year}年政府信息公开工作年度报告"
    where = {"ledger": f"截至 {year}-12-31 的台账统计"}
    for ref, value in year_cells(cases, year).items():
        report.set(ref, value, where=dict(where))
    return report


def _refs() -> list[str]:
    return [*FORMAT_2021.table("applications").refs(), *FORMAT_2021.table("reviews").refs()]


def _application_rows(state: CaseState, first: date, last: date) -> list[str]:
    received = state.case.received
    if received > last:
        return []
    rows = ["received" if received >= first else None]
    closed_on = state.closed_on if state.status == CLOSED else None
    if received < first and (closed_on is None or closed_on >= first):
        rows.append("carried_over")
    if closed_on is not None and closed_on >= first:
        rows += [state.outcome, "total"]
    if closed_on is None:
        rows.append("carried_forward")
    return [r for r in rows if r]


def _review_entries(state: CaseState, first: date) -> list[tuple[str, str]]:
    """(表四 row, result) of each review or lawsuit filed on or after `first`; the state is as
    of 31 December, so an undecided one is pending."""
    return [(_review_row(p), p.result or "pending") for p in state.proceedings if p.filed >= first]


def _review_row(p: Proceeding) -> str:
    if p.kind == "review":
        return "reconsideration"
    return "litigation_after_reconsideration" if p.after_review else "litigation_direct"
