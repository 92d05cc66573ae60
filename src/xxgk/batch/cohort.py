"""Cohort checks over a whole dataset (rules XG9xx in check/cohort.py, plus XG701/XG702 on every
cross-year pair and XG801 on every government of an org tree).

Works from the cohort index on disk (index.py), one year at a time: the year's MinHash signatures
for the 雷同 candidates (a matrix of 256 bytes a report, dropped after the year), and otherwise
queries for what is compared (an agency's report of the year before, the reports of a
canonical agency, the first report of each org-tree node). Full reports are loaded only for the
pairs and groups compared. Findings go to the index file (`SpilledFindings`), kept by the
report's ordinal (its row in reports.parquet), which is also how they are written; what the
parent keeps per report is the previous year's partner, 8 bytes.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from ..check import Context
from ..check.cohort import (
    ambiguous_region_finding,
    missing_members_finding,
    republished_finding,
    similar_finding,
)
from ..check.crossyear import carry_over_continuity, in_force_continuity
from ..check.members import aggregate_sum
from ..model import Finding, Report
from .findings import MemoryFindings, SpilledFindings
from .index import Entry, Index
from .orgtree import OrgTree
from .regions import AMBIGUOUS
from .rows import ABSENT, CROSS_REFS
from .similar import BAND_ROWS, Pair, banded_candidate_rows, confirm, groups
from .worker import NUM_PERM

OWN = "year = ? AND source = 0"
NAMED = "canonical IS NOT NULL AND canonical != ''"


class PairSink(Protocol):
    def add(self, pairs: list[tuple[Pair, Entry, Entry]], groups: list[list[str]]) -> None:
        """One year's confirmed pairs (with their entries) and their groups."""


@dataclass
class CohortResult:
    findings: MemoryFindings = field(default_factory=MemoryFindings)  # by ordinal
    # the previous year's report of each ordinal, as its ordinal in the index (-1: none): 8 bytes
    # a report where a dict of file names held some 150
    previous: array = field(default_factory=lambda: array("q"))
    pairs: PairSink | None = None  # where each year's 雷同 pairs go (none kept here)

    def set_previous(self, ordinal: int, partner: int) -> None:
        if ordinal >= len(self.previous):
            self.previous.extend([-1] * (ordinal + 1 - len(self.previous)))
        self.previous[ordinal] = partner

    def previous_of(self, start: int, count: int) -> list[int | None]:
        """The partners of ordinals start … start + count - 1 (None: none)."""
        found = [None if p < 0 else p for p in self.previous[start : start + count]]
        return found + [None] * (count - len(found))


def run_cohort(
    index: Index, tree: OrgTree | None, threshold: float, pairs: PairSink | None = None, spill: bool = True
) -> CohortResult:
    """The cohort's findings, spilled to the index file (`spill`) or kept in memory."""
    result = CohortResult(SpilledFindings(index.db) if spill else MemoryFindings(), pairs=pairs)
    for entry in index.select("region_status = ? AND source = 0", (AMBIGUOUS,)):
        finding = ambiguous_region_finding(entry.region.place or entry.name, list(entry.region.candidates))
        result.findings.add(entry.ordinal, finding)
    for year in index.years():
        if not index.values(f"SELECT 1 FROM entries WHERE {OWN} LIMIT 1", (year,)):
            continue
        _similar(year, index, threshold, result)
        _republished(year, index, result)
        _cross_year(year, index, result)
        if tree is not None:
            _roll_up(year, tree, index, result)
    index.forget_reports()
    return result


class _YearSignatures:
    """A year's own MinHash signatures on disk, rows in the order of the files' names: read a
    band at a time (16 bytes a report) and whole only for the rows that share a band, so the
    year's matrix (256 bytes a report) is never held. `ordinals`: each row's, 8 bytes a report."""

    WHERE = f"{OWN} AND minhash IS NOT NULL"

    def __init__(self, year: int, index: Index):
        import numpy as np

        self.year, self.index = year, index
        self.ordinals = np.array(self._column("ordinal"), dtype=np.int64)

    def _column(self, expression: str, params: tuple = ()) -> list:
        sql = f"SELECT {expression} FROM entries WHERE {self.WHERE} ORDER BY file, ordinal"
        return self.index.values(sql, (*params, self.year))

    def band(self, start: int):
        import numpy as np

        values = b"".join(self._column("substr(minhash, ?, ?)", (start * 4 + 1, BAND_ROWS * 4)))
        return np.frombuffer(values, dtype="<u4").reshape(len(self.ordinals), BAND_ROWS)

    def rows(self, rows):
        import numpy as np

        found = self.index.by_ordinal("minhash", self.ordinals[rows].tolist())
        return np.frombuffer(b"".join(found), dtype="<u4").reshape(len(found), NUM_PERM)


def _similar(year: int, index: Index, threshold: float, result: CohortResult) -> None:
    signatures = _YearSignatures(year, index)
    ordinals = signatures.ordinals

    def entry(row: int) -> Entry:
        return index.entry(int(ordinals[row]))

    candidates = banded_candidate_rows(len(ordinals), signatures.band, signatures.rows)
    found = confirm(candidates, lambda row: index.narrative(entry(row)), threshold)
    rows = sorted({r for p in found for r in (p.a, p.b)})
    by_row = {r: entry(r) for r in rows}  # the pairs' entries only
    found = [p for p in found if by_row[p.a].canonical != by_row[p.b].canonical]
    mine: dict[int, list[Pair]] = defaultdict(list)
    for pair in found:
        mine[pair.a].append(pair)
        mine[pair.b].append(pair)
    components = groups(found)  # rows are in the files' order: the groups are sorted by file
    for group in components:
        _group_findings(group, mine, by_row, result)
    if result.pairs is not None:
        named = [
            (Pair(by_row[p.a].file, by_row[p.b].file, p.similarity, p.passages), by_row[p.a], by_row[p.b])
            for p in found
        ]
        result.pairs.add(named, [[by_row[r].file for r in group] for group in components])


def _group_findings(group: list[int], pairs: dict[int, list[Pair]], by_row: dict[int, Entry], result) -> None:
    for row in group:
        mine = pairs[row]
        best = max(mine, key=lambda p: (p.similarity, p.b if p.a == row else p.a))
        partner = best.b if best.a == row else best.a
        rest = [by_row[r].name for r in group if r not in (row, partner)]
        result.findings.add(
            by_row[row].ordinal,
            similar_finding(best.similarity, by_row[partner].name, rest, list(best.passages)),
        )


def _republished(year: int, index: Index, result: CohortResult) -> None:
    """Each report of a canonical agency against its other reports of the year that differ."""
    canonicals = index.values(
        f"SELECT canonical FROM entries WHERE {OWN} AND {NAMED} GROUP BY canonical"
        " HAVING count(DISTINCT digest) > 1",
        (year,),
    )
    for canonical in canonicals:
        group = list(index.select(f"{OWN} AND canonical = ?", (year, canonical)))
        for e in group:
            for other in group:
                if other.digest != e.digest:
                    refs = _differing(index.report(e), index.report(other))
                    result.findings.add(e.ordinal, republished_finding(other.file, len(refs), refs))


def _differing(a: Report, b: Report) -> list[str]:
    refs = sorted(set(a.cells) | set(b.cells))
    return [r for r in refs if a.value(r) != b.value(r) or a.has(r) != b.has(r)]


def _cross_year(year: int, index: Index, result: CohortResult) -> None:
    """Each report of the year against the previous year's report of its canonical agency (the
    dataset's own before an earlier dataset's, then by file)."""
    for e in index.select(f"{OWN} AND {NAMED}", (year,)):
        prev = next(index.select("year = ? AND canonical = ?", (year - 1, e.canonical),
                                 order="source > 0, file, ordinal LIMIT 1"), None)  # fmt: skip
        if prev is None:
            continue
        result.set_previous(e.ordinal, prev.ordinal)
        found = _cross_year_pair(slim_report(e), slim_report(prev))
        if found:  # again on the full reports, for the cells' provenance
            found = _cross_year_pair(index.report(e), index.report(prev))
        result.findings.extend(e.ordinal, found)


def _cross_year_pair(report: Report, previous: Report) -> list[Finding]:
    previous.meta.agency = report.meta.agency  # matched by canonical name, not as written
    context = Context(previous=previous)
    return [*carry_over_continuity(report, context), *in_force_continuity(report, context)]


def slim_report(entry: Entry) -> Report:
    """The cells the cross-year rules compare (no provenance), as a Report."""
    report = Report(format=entry.format)
    report.meta.agency, report.meta.year = entry.agency, entry.year
    for ref, value in zip(CROSS_REFS, entry.cross_values(), strict=True):
        if value != ABSENT:
            report.set(ref, value)
    return report


def _roll_up(year: int, tree: OrgTree, index: Index, result: CohortResult) -> None:
    """Each government's report against its members' (the first report of each node)."""
    by_node = dict(index.db.execute(
        f"SELECT node, min(ordinal) FROM entries WHERE {OWN} AND node IS NOT NULL AND node != ''"
        " GROUP BY node", (year,),
    ))  # fmt: skip
    for node, aggregate in sorted(by_node.items()):
        children = tree.children.get(node) or []
        if not children:
            continue
        present = [by_node[c] for c in children if c in by_node]
        missing = [c for c in children if c not in by_node]
        if present:
            members = [index.report(index.entry(m)) for m in present]
            found = aggregate_sum(index.report(index.entry(aggregate)), Context(members=members))
            result.findings.extend(aggregate, found)
        if missing:
            result.findings.add(aggregate, missing_members_finding(node, missing))
